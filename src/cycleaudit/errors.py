"""Problems found in input files, each with the place it was found.

Every bad input ends as an ``InputError`` holding one or more ``Problem``s.
The CLI prints them as ``file:line:col: error: message`` (a form editors
parse) and exits with code 2; library callers get the same objects.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

MAX_SHOWN_VALUE = 60


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    column: int
    message: str
    hint: str = ""  # how to fix it, one sentence
    path: str = ""  # where in the document, e.g. answers.retention.loyalty-programme

    def format(self) -> str:
        text = f"{self.file}:{self.line}:{self.column}: error: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def sort_key(self) -> tuple[str, int, int]:
        return (self.file, self.line, self.column)


class InputError(Exception):
    """One or more problems in input files; nothing was produced."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("InputError needs at least one problem")
        super().__init__(self.problems[0].format())

    @classmethod
    def single(
        cls, file: str, line: int, column: int, message: str, hint: str = "", path: str = ""
    ) -> InputError:
        return cls([Problem(file, line, column, message, hint, path)])


class OutputError(Exception):
    """The result could not be written where it was asked for."""


def shorten(value: object, limit: int = MAX_SHOWN_VALUE) -> str:
    """Show a value in a message without flooding the terminal."""
    text = value if isinstance(value, str) else repr(value)
    text = text.replace("\n", "\\n")
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'" if isinstance(value, str) else text
