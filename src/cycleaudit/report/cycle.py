"""The cycle at a glance: stage chart, weakest stage, balance, profile and headline."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cycleaudit.model import (
    Audit,
    StageResult,
)
from cycleaudit.report.common import (
    PROFILE_LABELS,
    PROFILE_VALUES,
    SIDE_LABELS,
    join_words,
    score_display,
    score_text,
)


def stage_chart(audit: Audit, weakest_id: str | None) -> list[dict[str, Any]]:
    return [
        {
            "label": r.stage.title,
            "side": r.stage.side,
            "score": None if r.score is None else round(r.score, 1),
            "display": score_text(r.score) if r.score is not None else "not answered",
            "weakest": r.stage.id == weakest_id,
        }
        for r in audit.stages
    ]


def weakest_stage(audit: Audit) -> StageResult | None:
    scored = [r for r in audit.stages if r.score is not None]
    if len(scored) < 2:
        return None
    return min(scored, key=lambda r: r.score if r.score is not None else 0.0)


def balance_section(audit: Audit) -> dict[str, Any]:
    sides = []
    for side in ("on-sales", "off-sales"):
        try:
            result = audit.side_result(side)
        except KeyError:
            continue
        stages = [r.stage.title for r in audit.stages if r.stage.side == side]
        sides.append(
            {
                "label": SIDE_LABELS[side],
                "stages": join_words(stages),
                "score": None if result.score is None else round(result.score, 1),
                "display": score_display(result.score),
            }
        )
    difference = audit.balance.difference
    verdict_title = {
        "balanced": "Balanced",
        "on-sales-ahead": "On-sales far ahead",
        "off-sales-ahead": "Off-sales far ahead",
        "unknown": "Not enough answers to judge",
    }[audit.balance.verdict]
    return {
        "verdict": audit.balance.verdict,
        "title": verdict_title,
        "difference": None if difference is None else round(difference, 1),
        "difference_display": "" if difference is None else f"{score_text(abs(difference))} points",
        "threshold_display": f"{score_text(audit.rubric.balance.threshold)} points",
        "text": audit.balance.text,
        "sides": sides,
    }


def profile_rows(profile: Mapping[str, Any]) -> list[dict[str, str]]:
    rows = []
    for key, value in profile.items():
        label = PROFILE_LABELS.get(key, key.replace("-", " ").capitalize())
        words = PROFILE_VALUES.get(key, {})
        values = value if isinstance(value, (list, tuple)) else [value]
        labels = [words.get(str(v), str(v)) for v in values]
        # "One-off purchases and repeat purchases": one sentence, one capital.
        shown = join_words([labels[0], *(label[:1].lower() + label[1:] for label in labels[1:])])
        rows.append({"label": label, "value": shown})
    return rows


def headline(audit: Audit) -> str:
    if audit.overall is None:
        return (
            "There are not enough answers to score your sales cycle yet: answer the open "
            "questions in the appendix and run the audit again."
        )
    text = f"Your sales cycle scores {score_text(audit.overall)} out of 100"
    if audit.grade is not None:
        text += f": {audit.grade.label.lower()}. {audit.grade.meaning}"
    else:
        text += "."
    return text
