"""Mutated shipped files give a clean error or a result, never an exception.

Hypothesis edits the real examples and rubric the way a hurried person or a
broken tool would (lines lost or repeated, characters typed in, indentation
changed, values replaced by odd YAML) and every outcome must be either a
successful audit or an ``InputError`` with positioned problems.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cycleaudit import api
from cycleaudit.errors import InputError
from cycleaudit.formats import checking

ROOT = Path(__file__).parent.parent
# More for a soak run: CYCLEAUDIT_MUTATIONS=5000 pytest tests/test_mutations.py
MAX_EXAMPLES = int(os.environ.get("CYCLEAUDIT_MUTATIONS", "150"))
SHIPPED = [
    ROOT / "examples" / "online-shop.yaml",
    ROOT / "examples" / "b2b-subscription.yaml",
    ROOT / "examples" / "consultant-overlay.yaml",
]
ODD_VALUES = [
    "no",
    "on",
    "~",
    "012",
    "2024-02-30",
    "&a x",
    "*a",
    "!!python/object x",
    "<<: {}",
    "{",
    "[",
    "'",
    '"',
    "\t",
    "- x",
    "? x",
    "|",
    ">",
    "%YAML 1.1",
    "---",
    "...",
    "1e999",
    "-0",
    "[[[[[[[[[[",
    "\x00",
    "\x85",
    "\ufeff",
    "é",
    "🙂",
    "9" * 50,
    "",
]


@st.composite
def mutated(draw: st.DrawFn) -> tuple[Path, str]:
    source = draw(st.sampled_from(SHIPPED))
    lines = source.read_text(encoding="utf-8").splitlines()
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "repeat", "indent", "dedent", "value", "insert"]))
        line = lines[index]
        if action == "drop":
            del lines[index]
        elif action == "repeat":
            lines.insert(index, line)
        elif action == "indent":
            lines[index] = "  " + line
        elif action == "dedent":
            lines[index] = line[2:]
        elif action == "value" and ":" in line:
            key = line.split(":", 1)[0]
            lines[index] = f"{key}: {draw(st.sampled_from(ODD_VALUES))}"
        else:
            column = draw(st.integers(0, len(line)))
            typed = draw(st.text(min_size=1, max_size=3))
            lines[index] = line[:column] + typed + line[column:]
    return source, "\n".join(lines) + "\n"


@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(case=mutated())
def test_mutated_files_fail_cleanly_or_score(case: tuple[Path, str], tmp_path: Path) -> None:
    source, text = case
    folder = tmp_path / "case"
    folder.mkdir(exist_ok=True)
    target = folder / source.name
    target.write_text(text, encoding="utf-8", errors="surrogatepass")
    # The overlay extends the built-in default; the questionnaires name it too.
    shutil.copy(ROOT / "rubrics" / "default.yaml", folder / "default.yaml")
    try:
        kind = checking.check_file(target)
    except InputError as error:
        for problem in error.problems:
            assert problem.line >= 1 and problem.column >= 1
            assert problem.message
            assert problem.file
        return
    if kind == "questionnaire":
        audit = api.audit_file(target)
        assert audit.overall is None or 0 <= audit.overall <= 100
