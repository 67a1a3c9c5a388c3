"""What the team summary needs from one audit, small enough to keep ten thousand of.

A full ``Audit`` (its questionnaire, rubric, results, plan) is about 50 KB;
a ``Member`` holds only the figures and answers the summary shows, about
2 KB pickled, and no rubric or questionnaire. ``cycleaudit batch`` gets one
from each report job instead of scoring every questionnaire again for the
summary. Only a group's consensus (its median answers, scored by the engine)
needs a questionnaire and a rubric again: ``reloaded`` reads the group's
first file once more, and says so if the file no longer gives the same member.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from cycleaudit.engine import evidence
from cycleaudit.errors import InputError
from cycleaudit.model import Audit, Questionnaire, Rubric
from cycleaudit.records import record


@record
class Member:
    """One questionnaire as the summary sees it."""

    who: str  # the respondent, or the file's name
    role: str
    file: str
    organisation: str
    team: str
    audited: str
    overall: float | None
    grade: str | None  # its label
    stages: Mapping[str, float | None]  # stage id -> score, in the rubric's order
    sides: Mapping[str, float | None]
    balance: str
    balance_difference: float | None
    # Tactic id -> level id, or None for "not applicable"; a tactic not answered is absent.
    answers: Mapping[str, str | None]
    # A not-applicable answer's waiver end: an expired one counts as unanswered in a consensus.
    waivers: Mapping[str, str]
    lowest: tuple[str, ...]  # tactics answered at the rubric's lowest level
    stale: tuple[tuple[str, str, str], ...]  # (tactic title, "stale" or "expired", date)
    rubric: str  # "id version"

    def __reduce__(self) -> tuple[Callable[..., Member], tuple[object, ...]]:
        # A batch keeps one member per questionnaire until its summary: read
        # back, the tactic, level and stage names every member repeats are
        # shared (9 KB of memory a member becomes 3 KB).
        return _unpickled, tuple(getattr(self, name) for name in _FIELDS)


def _unpickled(*values: Any) -> Member:
    named = dict(zip(_FIELDS, values, strict=True))
    for name in ("answers", "waivers", "stages", "sides"):
        named[name] = {
            sys.intern(key): value if not isinstance(value, str) else sys.intern(value)
            for key, value in named[name].items()
        }
    named["lowest"] = tuple(sys.intern(tactic) for tactic in named["lowest"])
    return Member(**named)


_FIELDS = tuple(field.name for field in fields(Member))


# The questionnaire and rubric a member was scored from (its file read again, or kept).
Source = Callable[[Member], tuple[Questionnaire, Rubric]]


def member_of(audit: Audit) -> Member:
    q = audit.questionnaire
    org = q.organisation
    rubric = audit.rubric
    who = org.respondent or Path(q.origin).stem
    lowest = rubric.levels[0].id
    stale = [
        (item.tactic.title, "stale", item.checked) for item in evidence.stale_answers(q, rubric)
    ]
    for answer in q.answers.values():
        if evidence.waiver_expired(answer, org.audited):
            stale.append((rubric.tactic(answer.tactic).title, "expired", answer.until))
    return Member(
        who=who,
        role=org.role,
        file=q.origin,
        organisation=org.name,
        team=org.team,
        audited=org.audited,
        overall=audit.overall,
        grade=None if audit.grade is None else audit.grade.label,
        stages={s.stage.id: s.score for s in audit.stages},
        sides={s.side: s.score for s in audit.sides},
        balance=audit.balance.verdict,
        balance_difference=audit.balance.difference,
        answers={tactic: answer.level for tactic, answer in q.answers.items()},
        waivers={t: a.until for t, a in q.answers.items() if a.level is None and a.until},
        lowest=tuple(
            t.tactic.id for t in audit.tactics if t.answer is not None and t.answer.level == lowest
        ),
        stale=tuple(stale),
        rubric=f"{rubric.id} {rubric.version}",
    )


def members_of_files(sources: Iterable[Path]) -> list[Member]:
    """Each questionnaire that validates scored, kept as its member; the others left out."""
    from cycleaudit.workshop.scoring import score_files

    return [member_of(s.audit) for s in score_files(sources) if s.audit is not None]


def kept(members: Sequence[Member], audits: Sequence[Audit]) -> Source:
    """Each member's own audit, still in memory (``cycleaudit summary``)."""
    by_member = {id(member): audit for member, audit in zip(members, audits, strict=True)}

    def source(member: Member) -> tuple[Questionnaire, Rubric]:
        audit = by_member[id(member)]
        return audit.questionnaire, audit.rubric

    return source


def reloaded() -> Source:
    """Each member's file read and scored again, once; InputError if it changed or went."""
    from cycleaudit import api

    done: dict[str, tuple[Questionnaire, Rubric]] = {}

    def source(member: Member) -> tuple[Questionnaire, Rubric]:
        if member.file not in done:
            try:
                audit = api.audit_file(member.file)
            except InputError as error:
                raise InputError(
                    replace(p, message=f"read again for the summary: {p.message}")
                    for p in error.problems
                ) from None
            if member_of(audit) != member:
                raise InputError.single(
                    member.file,
                    1,
                    1,
                    "changed while the batch ran: the summary would not match its report",
                    "run the batch again",
                )
            done[member.file] = audit.questionnaire, audit.rubric
        return done[member.file]

    return source
