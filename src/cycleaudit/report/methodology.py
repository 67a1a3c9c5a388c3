"""How the scores are computed, in words a client can check by hand."""

from __future__ import annotations

from typing import Any

from cycleaudit.model import (
    Audit,
)
from cycleaudit.report.common import SIDE_LABELS, score_text


def worked_example(audit: Audit) -> str:
    """A stage score recomputed by hand, shown only if it matches the engine's."""
    # The smallest stage with at least two answers keeps the sum short enough to redo.
    for stage in sorted(audit.stages, key=lambda r: r.scored):
        if stage.score is None or stage.scored < 2:
            continue
        rows = [
            r
            for r in audit.tactics
            if r.tactic.stage == stage.stage.id and r.status == "scored" and r.score is not None
        ]
        total_weight = sum(r.tactic.weight for r in rows)
        if not total_weight:
            continue
        value = sum((r.score or 0.0) * r.tactic.weight for r in rows) / total_weight * 100
        if abs(value - stage.score) > 0.05:
            return ""  # the engine weighs differently: never print arithmetic that is off
        terms = " + ".join(
            f"{score_text((r.score or 0) * 100)} × {r.tactic.weight:g}" for r in rows
        )
        weights = " + ".join(f"{r.tactic.weight:g}" for r in rows)
        return (
            f"For example, {stage.stage.title}: ({terms}) ÷ ({weights}) = "
            f"{score_text(value)} out of 100."
        )
    return ""


def methodology_section(audit: Audit) -> dict[str, Any]:
    rubric = audit.rubric
    levels = [
        {
            "title": level.title,
            "points": score_text(level.score * 100),
            "description": level.description,
        }
        for level in rubric.levels
    ]
    stage_weights = [
        {"title": s.title, "weight": f"{s.weight:g}", "side": SIDE_LABELS[s.side]}
        for s in rubric.stages
    ]
    grades = [
        {"label": g.label, "minimum": score_text(g.minimum), "meaning": g.meaning}
        for g in sorted(rubric.grades, key=lambda g: -g.minimum)
    ]
    paragraphs = [
        "Each practice in this audit was answered at one of the levels below, and each level is "
        "worth a fixed number of points out of 100.",
        "A stage's score is the average of its practices' points, where a more important practice "
        "counts more: multiply each practice's points by its weight, add them up, and divide by "
        "the sum of the weights.",
        "Practices that do not apply to your business, or that you marked as not applicable with "
        "a reason, are left out of the average instead of counting as zero. Practices you did not "
        "answer are left out too, but they lower the coverage figure, so a high score on few "
        "answers is visible as such.",
        "The overall score is the average of the stage scores, weighted by the stage weights "
        "below. The on-sales score averages the stages before the purchase, the off-sales score "
        "the stages after it; when the two differ by more than "
        f"{score_text(rubric.balance.threshold)} points we call the cycle unbalanced.",
        "Suggested actions are ranked by the points they would add if brought to the top level, "
        "weighed by how much they matter and how much effort they take. Money figures use only "
        "the numbers you gave us, with the formula next to each one.",
    ]
    return {
        "paragraphs": paragraphs,
        "example": worked_example(audit),
        "levels": levels,
        "stage_weights": stage_weights,
        "grades": grades,
        "rubric": {
            "title": rubric.title,
            "version": rubric.version,
            "description": rubric.description,
        },
    }
