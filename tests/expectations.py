"""Bad fixture files say, on their first line, what their first problem must read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from cycleaudit.errors import InputError


def expectation(path: Path) -> tuple[int, int, str]:
    """``# expect: LINE:COL: text`` -> (line, column, text)."""
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: "), f"{path.name} needs an expectation line"
    line, column, text = first[len("# expect: ") :].split(":", 2)
    return int(line), int(column), text.strip()


def assert_explained(path: Path, load: Callable[[Path], object]) -> None:
    """Loading ``path`` fails with the expected first problem, in that very file."""
    line, column, text = expectation(path)
    try:
        load(path)
    except InputError as error:
        problem = error.problems[0]
    else:
        raise AssertionError(f"{path.name} loaded without an error")
    assert (problem.line, problem.column) == (line, column), problem.format()
    assert text in problem.format()
    assert problem.file.endswith(path.name), "the problem names the file that holds the value"
