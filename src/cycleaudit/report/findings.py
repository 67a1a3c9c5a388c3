"""Findings, gaps, suggestions and the per-practice rows of the report."""

from __future__ import annotations

from typing import Any

from cycleaudit.engine.money import format_money
from cycleaudit.model import (
    Audit,
    Finding,
    Gap,
    Suggestion,
    Tactic,
    TacticResult,
)
from cycleaudit.report.common import (
    RATING_LABELS,
    SEVERITY_LABELS,
    SIDE_SHORT,
    STRENGTH_AT,
    is_known_tactic,
    plain,
    score_display,
    source_items,
)

# Only the first suggestions get a full page-width finding; the rest are table
# rows with their first step, so a 30-gap audit stays a readable report.
DETAILED_SUGGESTIONS = 10


def practice_row(audit: Audit, result: TacticResult) -> dict[str, Any]:
    """The client's answer for one practice, in words."""
    tactic = result.tactic
    answer = result.answer
    level_id = answer.level if answer is not None else None
    level_title = ""
    level_meaning = ""
    if result.status == "scored" and level_id is not None:
        try:
            level_title = audit.rubric.level(level_id).title
        except KeyError:
            level_title = level_id
        level_meaning = tactic.levels.get(level_id, "")
    status_label = {
        "scored": level_title,
        "na": "Does not apply to you",
        "unknown": "Not answered",
        "not-applicable": "Left out for your kind of business",
    }[result.status]
    return {
        "title": tactic.title,
        "question": tactic.question,
        "status": result.status,
        "status_label": status_label,
        "level": level_title,
        "level_meaning": level_meaning,
        "score": None if result.score is None else round(result.score * 100, 1),
        "score_display": score_display(None if result.score is None else result.score * 100),
        "strong": result.score is not None and result.score >= STRENGTH_AT,
        "evidence": answer.evidence if answer else "",
        "note": answer.note if answer else "",
        "owner": answer.owner if answer else "",
        "reason": result.reason or (answer.na_reason if answer else ""),
        "weight": tactic.weight,
    }


def money_or_missing(gap: Gap, currency: str) -> dict[str, Any] | None:
    if gap.value is None:
        return None
    return {
        "amount": gap.value.amount,
        "display": f"{format_money(gap.value.amount, currency)} a year",
        "formula": plain(gap.value.formula),
        "assumption": gap.value.assumption,
    }


def gap_item(audit: Audit, gap: Gap, currency: str) -> dict[str, Any]:
    tactic = gap.tactic
    result = audit.tactic_result(tactic.id)
    seen = practice_row(audit, result)
    return {
        "title": tactic.title,
        "stage": audit.rubric.stage(tactic.stage).title,
        "level": seen["status_label"],
        "level_meaning": seen["level_meaning"],
        "score_display": score_display(gap.score * 100),
        "evidence": seen["evidence"],
        "note": seen["note"],
        "gain": round(gap.gain, 4),
        "value": money_or_missing(gap, currency),
    }


def what_we_saw(audit: Audit, tactic: Tactic) -> str:
    """First step of a finding: their answer, in a sentence."""
    result = audit.tactic_result(tactic.id)
    seen = practice_row(audit, result)
    if result.status == "unknown":
        return f"You did not answer the question “{tactic.question}”."
    if result.status == "scored" and seen["level"]:
        text = f"You rated this practice “{seen['level']}”"
        if seen["level_meaning"]:
            text += f": {seen['level_meaning'].rstrip('.')}"
        return text + "."
    return str(seen["status_label"]) + "."


def suggestion_item(
    audit: Audit, suggestion: Suggestion, currency: str, asset_titles: set[str]
) -> dict[str, Any]:
    gap = suggestion.gap
    tactic = gap.tactic
    base = gap_item(audit, gap, currency)
    action = audit.plan.action(tactic.id)
    return {
        **base,
        "rank": suggestion.rank,
        "anchor": f"action-{suggestion.rank}",
        "detailed": suggestion.rank <= DETAILED_SUGGESTIONS,
        "stage_side": SIDE_SHORT[audit.rubric.stage(tactic.stage).side],
        "saw": what_we_saw(audit, tactic),
        "why": tactic.advice,
        "first_step": audit.first_step(tactic),
        "effort": tactic.effort,
        "effort_label": RATING_LABELS[tactic.effort],
        "impact": tactic.impact,
        "impact_label": RATING_LABELS[tactic.impact],
        "quadrant": action.quadrant,
        "phase": action.phase,
        "read_more": source_items(audit.rubric, tactic.sources),
        "trace": [plain(line) for line in suggestion.why],
        "requires": [
            audit.rubric.tactic(t).title
            for t in tactic.requires
            if is_known_tactic(audit.rubric, t)
        ],
        "asset": tactic.asset.title if tactic.asset and tactic.asset.title in asset_titles else "",
    }


def finding_item(audit: Audit, finding: Finding) -> dict[str, Any]:
    rule = finding.rule
    return {
        "title": rule.title,
        "kind": rule.kind,
        "kind_label": "Strength to keep" if rule.kind == "strength" else "Risk",
        "severity": rule.severity,
        "severity_label": SEVERITY_LABELS[rule.severity],
        "saw": [{"label": e.label, "value": e.value} for e in finding.evidence],
        "why": rule.message,
        "first_step": rule.first_step,
        "practices": [
            audit.rubric.tactic(t).title for t in rule.tactics if is_known_tactic(audit.rubric, t)
        ],
        "read_more": source_items(audit.rubric, rule.sources),
    }


def strong_and_weak_areas(audit: Audit) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Three strongest and three weakest answered practices, never the same one twice."""
    scored = [r for r in audit.tactics if r.status == "scored" and r.score is not None]
    order = {r.tactic.id: i for i, r in enumerate(audit.tactics)}

    def strong_key(r: TacticResult) -> tuple[float, float, int]:
        return (-(r.score or 0.0), -r.tactic.weight, order[r.tactic.id])

    def weak_key(r: TacticResult) -> tuple[float, float, int]:
        return ((r.score or 0.0), -r.tactic.weight, order[r.tactic.id])

    # "Keep doing" names practices in place, by the rubric's one in-place rule.
    in_place = audit.rubric.in_place_score - 1e-9
    strongest = [r for r in sorted(scored, key=strong_key) if (r.score or 0) >= in_place][:3]
    taken = {r.tactic.id for r in strongest}
    weakest = [
        r for r in sorted(scored, key=weak_key) if r.tactic.id not in taken and (r.score or 0) < 1
    ][:3]

    def area(r: TacticResult) -> dict[str, Any]:
        seen = practice_row(audit, r)
        return {
            "title": r.tactic.title,
            "stage": audit.rubric.stage(r.tactic.stage).title,
            "level": seen["level"],
            "score_display": seen["score_display"],
            "evidence": seen["evidence"],
        }

    return [area(r) for r in strongest], [area(r) for r in weakest]
