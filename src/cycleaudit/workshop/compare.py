"""Compare audits of one business over time: what moved, what the last plan achieved.

``compare_context`` takes audits in any order, sorts them by audit date and
compares the last two in detail (stages, sides, tactics, the earlier plan's
actions) and all of them as a trend. Audits scored against different rubric
versions are compared only on the tactics both rubrics share, and the
context says what changed in the rubric, so a new rubric never reads as
progress. The context is JSON-ready; templates hold every word.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cycleaudit.model import Audit, TacticResult

FORMAT = "cycleaudit.compare/1"
# Chart geometry for the trend (an inline SVG drawn by the templates).
CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 360, 120, 24


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _delta(before: float | None, after: float | None) -> float | None:
    return None if before is None or after is None else round(after - before, 1)


def _verdict(before: float | None, after: float | None) -> str:
    if before is None and after is None:
        return "unanswered"
    if before is None:
        return "newly-answered"
    if after is None:
        return "no-longer-answered"
    if after > before + 1e-9:
        return "improved"
    if after < before - 1e-9:
        return "regressed"
    return "unchanged"


def _tactic_score(result: TacticResult) -> float | None:
    return None if result.score is None else result.score * 100


def _level(audit: Audit, result: TacticResult) -> str | None:
    """The level's title in that audit's rubric, ``na``, or None when unanswered."""
    answer = result.answer
    if answer is None:
        return None
    if answer.level is None:
        return "na"
    titles = {level.id: level.title for level in audit.rubric.levels}
    return titles.get(answer.level, answer.level)


def _shared_stage_score(
    audit: Audit, stage: str, shared: set[str], weights: dict[str, float]
) -> float | None:
    """A stage's score from the shared tactics only, weighted by the newer rubric."""
    total = weight = 0.0
    for result in audit.tactics:
        if result.tactic.stage != stage or result.tactic.id not in shared:
            continue
        if result.status == "scored" and result.score is not None:
            total += result.score * weights[result.tactic.id]
            weight += weights[result.tactic.id]
    return None if weight == 0 else total / weight * 100


def _rubric_label(audit: Audit) -> str:
    return f"{audit.rubric.id} {audit.rubric.version}"


def _audit_item(audit: Audit) -> dict[str, Any]:
    return {
        "file": audit.questionnaire.origin,
        "audited": audit.questionnaire.organisation.audited,
        "overall": _round(audit.overall),
        "grade": None if audit.grade is None else audit.grade.label,
        "rubric": _rubric_label(audit),
    }


def _rubric_changes(before: Audit, after: Audit) -> dict[str, Any]:
    old = {t.id: t.title for t in before.rubric.tactics}
    new = {t.id: t.title for t in after.rubric.tactics}
    same = _rubric_label(before) == _rubric_label(after) and old == new
    return {
        "same": same,
        "before": _rubric_label(before),
        "after": _rubric_label(after),
        "added": [new[t] for t in new if t not in old],
        "removed": [old[t] for t in old if t not in new],
        "shared": len(set(old) & set(new)),
    }


def _trend(audits: Sequence[Audit]) -> dict[str, Any]:
    """Points for a small line chart of the overall score, oldest first."""
    points = []
    count = len(audits)
    left = 3 * CHART_PAD  # room for the axis labels and the first score
    span = CHART_WIDTH - left - CHART_PAD
    for index, audit in enumerate(audits):
        x = left + (span * index / (count - 1) if count > 1 else span / 2)
        score = audit.overall
        y = (
            None
            if score is None
            else CHART_PAD + (100 - score) / 100 * (CHART_HEIGHT - 2 * CHART_PAD)
        )
        points.append(
            {
                "x": round(x, 1),
                "y": None if y is None else round(y, 1),
                "score": _round(score),
                "audited": audit.questionnaire.organisation.audited,
            }
        )
    drawn = [p for p in points if p["y"] is not None]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "pad": CHART_PAD,
        "points": points,
        "path": " ".join(f"{'M' if i == 0 else 'L'}{p['x']},{p['y']}" for i, p in enumerate(drawn)),
        "grid": [
            {
                "label": mark,
                "y": round(CHART_PAD + (100 - mark) / 100 * (CHART_HEIGHT - 2 * CHART_PAD), 1),
            }
            for mark in (0, 50, 100)
        ],
    }


def _plan_progress(before: Audit, after: Audit) -> dict[str, list[dict[str, Any]]]:
    """The earlier plan's actions: done when the tactic's level rose, else still open."""
    done: list[dict[str, Any]] = []
    still_open: list[dict[str, Any]] = []
    new_ids = {t.id for t in after.rubric.tactics}
    for action in before.plan.actions:
        tactic = action.gap.tactic
        if tactic.id not in new_ids:
            continue
        earlier = before.tactic_result(tactic.id)
        now = after.tactic_result(tactic.id)
        item = {
            "tactic": tactic.id,
            "title": tactic.title,
            "phase": action.phase,
            "before": _level(before, earlier),
            "after": _level(after, now),
        }
        moved = _verdict(_tactic_score(earlier), _tactic_score(now))
        (done if moved == "improved" or now.status == "na" else still_open).append(item)
    return {"done": done, "open": still_open}


def compare_context(audits: Sequence[Audit]) -> dict[str, Any]:
    """Everything a comparison needs, as JSON-ready data; at least two audits."""
    if len(audits) < 2:
        raise ValueError("a comparison needs at least two audits")
    ordered = sorted(audits, key=lambda a: a.questionnaire.organisation.audited)
    before, after = ordered[-2], ordered[-1]
    rubric = _rubric_changes(before, after)
    old_ids = {t.id for t in before.rubric.tactics}
    shared = {t.id for t in after.rubric.tactics if t.id in old_ids}
    if rubric["same"]:
        old_stages, old_sides, overall_before = _own_scores(before)
        new_stages, new_sides, overall_after = _own_scores(after)
    else:
        old_stages, old_sides, overall_before = _shared_scores(before, after, shared)
        new_stages, new_sides, overall_after = _shared_scores(after, after, shared)
    stages = [
        {"id": stage.id, "title": stage.title, "side": stage.side}
        | _change(old_stages.get(stage.id), new_stages.get(stage.id))
        for stage in after.rubric.stages
    ]
    sides = [{"side": side} | _change(old_sides.get(side), new_sides[side]) for side in new_sides]
    tactics: dict[str, list[dict[str, Any]]] = {
        key: []
        for key in ("improved", "regressed", "newly-answered", "no-longer-answered", "unchanged")
    }
    for result in after.tactics:
        if result.tactic.id not in shared or result.status == "not-applicable":
            continue
        earlier = before.tactic_result(result.tactic.id)
        verdict = _verdict(_tactic_score(earlier), _tactic_score(result))
        if verdict == "unanswered":
            continue
        tactics[verdict].append(
            {
                "tactic": result.tactic.id,
                "title": result.tactic.title,
                "stage": result.tactic.stage,
                "before": _level(before, earlier),
                "after": _level(after, result),
            }
        )
    return {
        "format": FORMAT,
        "organisation": after.questionnaire.organisation.name,
        "audited": after.questionnaire.organisation.audited,
        "audits": [_audit_item(a) for a in ordered],
        "before": _audit_item(before),
        "after": _audit_item(after),
        "rubric": rubric,
        "overall": _change(overall_before, overall_after),
        "stages": stages,
        "sides": sides,
        "tactics": tactics,
        "counts": {key: len(items) for key, items in tactics.items()},
        "plan": _plan_progress(before, after),
        "trend": _trend(ordered),
    }


Scores = tuple[dict[str, float | None], dict[str, float | None], float | None]


def _change(before: float | None, after: float | None) -> dict[str, Any]:
    old, new = _round(before), _round(after)
    return {"before": old, "after": new, "delta": _delta(old, new), "verdict": _verdict(old, new)}


def _own_scores(audit: Audit) -> Scores:
    """Stage, side and overall scores as the audit computed them."""
    stages = {s.stage.id: s.score for s in audit.stages}
    sides: dict[str, float | None] = {s.side: s.score for s in audit.sides}
    return stages, sides, audit.overall


def _shared_scores(audit: Audit, newer: Audit, shared: set[str]) -> Scores:
    """Stage, side and overall scores on the shared tactics with the newer rubric's weights,
    so both audits are measured with one yardstick."""
    weights = {t.id: t.weight for t in newer.rubric.tactics}
    stages = {s.id: _shared_stage_score(audit, s.id, shared, weights) for s in newer.rubric.stages}

    def mean(ids: list[str]) -> float | None:
        pairs = [
            (score, s.weight)
            for s in newer.rubric.stages
            if s.id in ids and (score := stages[s.id]) is not None
        ]
        total = sum(w for _, w in pairs)
        return None if total == 0 else sum(v * w for v, w in pairs) / total

    sides: dict[str, float | None] = {
        side.side: mean([s.id for s in newer.rubric.stages if s.side == side.side])
        for side in newer.sides
    }
    return stages, sides, mean([s.id for s in newer.rubric.stages])
