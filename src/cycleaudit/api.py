"""The library API: what the CLI calls, and what a notebook or web app can call.

Every function raises ``cycleaudit.errors.InputError`` on bad input, with
positioned problems, and never prints.
"""

from __future__ import annotations

from pathlib import Path

from cycleaudit import questionnaire as questionnaire_module
from cycleaudit import rubric as rubric_module
from cycleaudit import scoring
from cycleaudit.model import Audit, Questionnaire, Rubric


def load_rubric(ref: str | Path) -> Rubric:
    """A built-in rubric by name (``default``) or a rubric file by path."""
    if isinstance(ref, str) and not rubric_module.is_builtin_name(ref):
        ref = Path(ref)
    return rubric_module.load_rubric(ref)


def load_questionnaire(path: str | Path, rubric: Rubric | None = None) -> Questionnaire:
    questionnaire, _ = questionnaire_module.load_questionnaire(Path(path), rubric)
    return questionnaire


def audit(questionnaire: Questionnaire, rubric: Rubric) -> Audit:
    return scoring.score(questionnaire, rubric)


def audit_file(path: str | Path, rubric: str | Path | Rubric | None = None) -> Audit:
    """Load, validate and score one questionnaire (with its own rubric unless one is given)."""
    chosen = rubric if isinstance(rubric, Rubric) or rubric is None else load_rubric(rubric)
    questionnaire, used = questionnaire_module.load_questionnaire(Path(path), chosen)
    return scoring.score(questionnaire, used)
