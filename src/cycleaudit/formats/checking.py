"""Check one file of either kind (``cycleaudit validate``)."""

from __future__ import annotations

from pathlib import Path

from cycleaudit.formats import questionnaire, rubric
from cycleaudit.formats.yamlsource import load_file


def check_file(path: Path) -> str:
    """Validate a questionnaire or a rubric, told apart by its version key.

    Returns the kind; raises ``InputError`` with every problem found.
    """
    document = load_file(path, str(path), keep_going=True)
    if "cycleaudit-rubric" in document.data:
        rubric.load_rubric(path)
        return "rubric"
    questionnaire.load_questionnaire(path)
    return "questionnaire"
