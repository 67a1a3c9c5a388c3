"""How the scores are computed, in words a client can check by hand."""

from __future__ import annotations

from typing import Any

from cycleaudit.engine.money import HORIZON_YEARS, METRIC_LABELS
from cycleaudit.model import (
    Audit,
)
from cycleaudit.report.common import PROFILE_VALUES, SIDE_LABELS, join_words, score_text


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


def _side_split(audit: Audit) -> str:
    """How the sides are built, from the rubric's own stages and tactics."""
    rubric = audit.rubric
    parts = []
    for side in ("on-sales", "off-sales"):
        stages = [s.title for s in rubric.stages if s.side == side]
        parts.append(f"the {side} score takes every practice of {join_words(stages)}")
    text = "; ".join(parts)
    bridges = [s for s in rubric.stages if s.side == "sale"]
    for stage in bridges:
        tactics = rubric.tactics_in(stage.id)
        on = sum(t.side == "on-sales" for t in tactics)
        off = sum(t.side == "off-sales" for t in tactics)
        text += (
            f". {stage.title} is split by practice, not counted whole: of its "
            f"{len(tactics)} practices, {on} that lead up to the purchase count on-sales and "
            f"{off} that follow it count off-sales"
        )
    return (
        text[:1].upper()
        + text[1:]
        + ". In a side score each practice counts its own weight times its stage's weight."
    )


def _balance_rule(audit: Audit) -> str:
    rule = audit.rubric.balance
    text = "We call the two sides similar when "
    conditions = []
    if rule.similar_ratio < 1:
        conditions.append(
            f"the weaker side scores at least {rule.similar_ratio * 100:.0f}% of the stronger"
        )
    if rule.threshold > 0:
        conditions.append(f"they are less than {score_text(rule.threshold)} points apart")
    if not conditions:
        return "We call the two sides similar only when their scores are equal."
    return text + " or ".join(conditions) + "; otherwise one side is ahead."


def _capacity_rule(audit: Audit) -> str:
    rules = audit.rubric.plan
    steps = []
    previous = 0
    for entry in rules.capacity:
        if entry.up_to_team is None:
            who = "larger teams" if previous else "any team"
        elif entry.up_to_team == 1:
            who = "one person"
        else:
            who = f"teams of {previous + 1} to {entry.up_to_team}"
        steps.append(f"{who}: {entry.effort_per_phase}")
        previous = entry.up_to_team or previous
    return (
        "The 30/60/90-day plan takes the actions in that order. Effort counts 1 for a small "
        "action, 2 for a medium one and 3 for a large one, and each 30-day period holds at most "
        f"this much effort by team size ({'; '.join(steps)}); without a team size in your "
        f"profile we assume {rules.assumed_team_size} people. An action that does not fit waits "
        "for the next period while smaller ones behind it may still fit; an action bigger than "
        "a whole period takes a period of its own; what does not fit in 90 days follows after. "
        "An action's number is its place in this plan, period by period."
    )


def _quadrant_rule(audit: Audit) -> str:
    rules = audit.rubric.plan
    ratings = ("high", "medium", "low")
    parts = []
    for q in rules.quadrants:
        # The cells the engine really puts here (the first quadrant listing a cell wins).
        cells = []
        for impact in ratings:
            efforts = [e for e in reversed(ratings) if rules.quadrant(impact, e).id == q.id]
            if efforts:
                cells.append(f"{impact} impact with {' or '.join(efforts)} effort")
        if cells:
            parts.append(f"{q.title}: {', '.join(cells)}")
    return (
        "The impact-against-effort matrix places each action by the rubric's own ratings: "
        + "; ".join(parts)
        + ". Only high impact for low effort counts as a quick win."
    )


def _order_rule(audit: Audit) -> str:
    rubric = audit.rubric
    try:
        level = rubric.level(rubric.in_place_from)
        in_place = f"“{level.title}” ({score_text(level.score * 100)} points) or above"
    except KeyError:
        in_place = f"{score_text(rubric.in_place_score * 100)} points or more"
    return (
        "Suggested actions are ranked by their expected gain: the practice's weight × its "
        "stage's weight × the share of points still missing × impact (low 1, medium 2, high 3) "
        "÷ effort (low 1, medium 2, high 3). A practice counts as in place from "
        f"{in_place}: an action that builds on a practice below that comes after it, and one "
        "in place never holds an action back. A practice that measures a figure comes just "
        "before the first action that figure would put a money value on; if it sizes none, "
        "it comes after the other actions."
    )


def _money_rule(audit: Audit) -> str:
    # The purchase patterns each kind of lever fits, as the rubric states them.
    fits: dict[str, set[str]] = {}
    for tactic in audit.rubric.tactics:
        if tactic.lever is not None and tactic.lever.purchase:
            label = METRIC_LABELS.get(tactic.lever.metric, tactic.lever.metric)
            fits.setdefault(label, set()).update(tactic.lever.purchase)
    words = PROFILE_VALUES["purchase"]
    limits = "; ".join(
        f"a change in the {label} only where customers buy "
        + " or ".join(words.get(p, p).lower() for p in sorted(patterns))
        for label, patterns in sorted(fits.items())
    )
    text = (
        "Money figures use only the numbers you gave us, with the formula and the assumption "
        "next to each one; an action is sized only when every figure its formula needs was "
        "given. "
    )
    if limits:
        text += f"A lever is applied only where it can work: {limits}. "
    return text + (
        f"Lifetime value counts at most {HORIZON_YEARS:g} years of a customer relationship. "
        "Amounts are rounded once: whole units from 100 up, cents below."
    )


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
        "below.",
        _side_split(audit) + " " + _balance_rule(audit),
        _order_rule(audit),
        _capacity_rule(audit),
        _quadrant_rule(audit),
        _money_rule(audit),
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
