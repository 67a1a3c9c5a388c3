"""Problems found in input files, each with the place it was found.

Every bad input ends as an ``InputError`` holding one or more ``Problem``s.
The CLI prints them as ``file:line:col: error: message`` (a form editors
parse) and exits with code 2; library callers get the same objects.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

MAX_SHOWN_VALUE = 60
# Characters a terminal acts on instead of showing: C0 and C1 controls, DEL, and the
# bidirectional overrides that reorder what is shown ("trojan source").
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# What JSON leaves raw of those, and the line and paragraph separators, which
# str.splitlines (and JavaScript before ES2019) take for line ends: a JSON
# Lines record must stay one line for every reader.
_CONTROLS_JSON_LEAVES = re.compile("[\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_CONTROLS_BUT_LINES = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """One line safe for a terminal: every control character shown as an escape."""
    return _CONTROLS.sub(_escaped, text)


def json_safe(text: str) -> str:
    """JSON text with the controls JSON leaves raw (C1, DEL, bidi) written as \\u escapes."""
    # C0 controls are escaped by JSON itself (and newlines between items must stay).
    return _CONTROLS_JSON_LEAVES.sub(lambda match: f"\\u{ord(match.group(0)):04x}", text)


def printable_lines(text: str) -> str:
    """Like ``printable`` but keeps line breaks and tabs (for text reports)."""
    return _CONTROLS_BUT_LINES.sub(_escaped, text)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    column: int
    message: str
    hint: str = ""  # how to fix it, one sentence
    path: str = ""  # where in the document, e.g. answers.retention.loyalty-programme

    def format(self) -> str:
        # Client values reach messages: a value must not move the cursor or
        # erase the line (``\x1b[2K``), so control characters are shown escaped.
        text = f"{self.file}:{self.line}:{self.column}: error: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return printable(text)

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


def capped(problems: list[Problem], limit: int) -> list[Problem]:
    """The first ``limit`` problems and, if there were more, one saying how many."""
    if len(problems) <= limit:
        return problems
    last = problems[limit]
    more = Problem(
        last.file,
        last.line,
        last.column,
        f"{len(problems) - limit} more problems not shown",
        "fix these and run again",
    )
    return [*problems[:limit], more]


class OutputError(Exception):
    """The result could not be written where it was asked for."""


def shorten(value: object, limit: int = MAX_SHOWN_VALUE) -> str:
    """Show a value in a message without flooding the terminal."""
    text = value if isinstance(value, str) else repr(value)
    text = printable(text.replace("\n", "\\n"))
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'" if isinstance(value, str) else text
