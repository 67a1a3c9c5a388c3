"""Evidence that goes stale and waivers that expire (pure: dates in, findings out).

An answer's evidence is stale when its ``checked`` date is more than the
tactic's (or the rubric's) validity before the audit date. A not-applicable
answer whose ``until`` date lies before the audit date is an expired waiver:
the scoring counts the tactic as unanswered, and a finding says so.
"""

from __future__ import annotations

import calendar
import datetime

from cycleaudit.model import Answer, Evidence, Finding, Questionnaire, Rubric, Rule, Tactic
from cycleaudit.records import record


@record
class StaleAnswer:
    tactic: Tactic
    checked: str
    valid_until: str  # ISO date the evidence stopped being valid


def add_months(day: datetime.date, count: int) -> datetime.date:
    month = day.month - 1 + count
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _date(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def waiver_expired(answer: Answer, audited: str) -> bool:
    """An N/A whose ``until`` lies before the audit date."""
    if answer.level is not None or not answer.until:
        return False  # most answers: no dates to read
    until, day = _date(answer.until), _date(audited)
    return until is not None and day is not None and until < day


def stale_answers(questionnaire: Questionnaire, rubric: Rubric) -> tuple[StaleAnswer, ...]:
    audited = _date(questionnaire.organisation.audited)
    if audited is None:
        return ()
    found = []
    answers = questionnaire.answers
    for tactic in rubric.tactics:
        answer = answers.get(tactic.id)
        if answer is None or not answer.checked or answer.level is None:
            continue  # most answers: no date to check
        valid = tactic.evidence_valid_months or rubric.evidence_valid_months
        checked = _date(answer.checked)
        if checked is None or valid is None:
            continue
        ends = add_months(checked, valid)
        if ends < audited:
            found.append(StaleAnswer(tactic, answer.checked, ends.isoformat()))
    return tuple(found)


def _finding(rule: Rule, lines: list[tuple[str, str, str]]) -> Finding:
    evidence = tuple(
        Evidence(title, rule.saw.replace("{date}", date).replace("{reason}", reason))
        for title, date, reason in lines
    )
    return Finding(rule=rule, evidence=evidence)


def findings(questionnaire: Questionnaire, rubric: Rubric) -> tuple[Finding, ...]:
    """The rubric-worded findings for stale evidence and expired waivers, if any."""
    out = []
    stale = stale_answers(questionnaire, rubric)
    if stale and rubric.stale_rule is not None:
        out.append(_finding(rubric.stale_rule, [(s.tactic.title, s.checked, "") for s in stale]))
    audited = questionnaire.organisation.audited
    expired = [
        (rubric.tactic(a.tactic).title, a.until, a.na_reason)
        for a in questionnaire.answers.values()
        if waiver_expired(a, audited) and any(t.id == a.tactic for t in rubric.tactics)
    ]
    if expired and rubric.expired_waiver_rule is not None:
        out.append(_finding(rubric.expired_waiver_rule, expired))
    return tuple(out)
