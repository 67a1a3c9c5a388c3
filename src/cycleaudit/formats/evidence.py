"""Evidence dates: the rubric's ``evidence`` settings and the answers' ``checked``/``until``.

A rubric says how long evidence stays valid (``evidence-valid-for: 12
months``, globally under ``evidence: valid-for`` or per tactic) and words
the two findings the engine raises itself. An answer may carry ``checked:
YYYY-MM-DD``; an ``na`` may carry ``until: YYYY-MM-DD`` (a waiver that
expires). The dates are checked here, each at its line and column.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from cycleaudit.errors import Problem, shorten
from cycleaudit.formats.yamlsource import Document
from cycleaudit.model import Rule

DATE_KEYS = ("checked", "until")


def months(text: str | None) -> int | None:
    """``"12 months"`` -> 12, ``"2 years"`` -> 24; the schema guarantees the form."""
    if text is None:
        return None
    count, unit = text.split()
    return int(count) * (12 if unit.startswith("year") else 1)


def _rule(rule_id: str, spec: dict[str, Any] | None) -> Rule | None:
    if spec is None:
        return None
    return Rule(
        id=rule_id,
        title=spec["title"],
        kind="risk",
        severity=spec.get("severity", "medium"),
        when={},
        message=spec["message"],
        first_step=spec["first-step"],
        saw=spec["saw"],
    )


def evidence_settings(spec: dict[str, Any] | None) -> dict[str, Any]:
    """The Rubric fields from the rubric's ``evidence`` section (absent: evidence never ages)."""
    spec = spec or {}
    return {
        "evidence_valid_months": months(spec.get("valid-for")),
        "stale_rule": _rule("stale-evidence", spec.get("stale")),
        "expired_waiver_rule": _rule("expired-waiver", spec.get("expired-waiver")),
    }


def _date(text: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None


def date_problems(document: Document) -> Iterable[Problem]:
    """Each answer's ``checked`` and ``until``: real dates, ``until`` only with ``na``,
    and evidence not checked after the audit itself."""
    data = document.data
    organisation = data.get("organisation")
    audited = _date(organisation.get("audited")) if isinstance(organisation, dict) else None
    answers = data.get("answers")
    if not isinstance(answers, dict):
        return
    for stage_id, stage in answers.items():
        if not isinstance(stage, dict):
            continue
        for tactic_id, answer in stage.items():
            if not isinstance(answer, dict):
                continue
            for key in DATE_KEYS:
                if key not in answer:
                    continue
                path = ("answers", stage_id, tactic_id, key)
                day = _date(answer[key])
                if day is None:
                    yield document.problem(
                        path,
                        f"{key}: {shorten(answer[key])} is not a date",
                        "write a real date as YYYY-MM-DD, e.g. 2026-03-31",
                    )
                elif key == "until" and "na" not in answer:
                    yield document.problem(
                        path,
                        "`until` belongs to a not-applicable answer",
                        "use it with `na:` for a waiver that ends, or remove it",
                    )
                elif key == "checked" and audited is not None and day > audited:
                    yield document.problem(
                        path,
                        f"checked {day.isoformat()} is after the audit date {audited.isoformat()}",
                        "evidence is checked on or before the audit; fix either date",
                    )
