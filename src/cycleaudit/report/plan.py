"""The 30/60/90 plan and the impact/effort matrix of the report.

Every decision (order, periods, quadrants, prerequisites) is the engine's
plan (``engine.plan``); this module only puts it into words.
"""

from __future__ import annotations

from typing import Any

from cycleaudit.model import Audit
from cycleaudit.plans import PHASE_IDS

PHASE_TITLES = {
    "30": "First 30 days",
    "60": "Days 31 to 60",
    "90": "Days 61 to 90",
    "later": "After 90 days",
}

RATINGS = ("low", "medium", "high")


def capacity_note(audit: Audit) -> str:
    plan = audit.plan
    team = (
        f"a team of {plan.team_size}"
        if plan.team_size_given
        else f"a team of {plan.team_size} (your profile does not give its size, so we assumed it)"
    )
    if plan.team_size == 1 and plan.team_size_given:
        team = "a team of one"
    return (
        f"For {team}, each 30-day period holds about {plan.effort_per_phase} points of effort "
        "(a small action counts 1, a medium one 2, a large one 3) next to daily work. "
        "An action that builds on a practice not yet in place starts in a period after it."
    )


def plan_section(audit: Audit, suggestions: list[dict[str, Any]]) -> dict[str, Any]:
    """The engine's periods, each with its actions in plan order."""
    by_rank = {s["rank"]: s for s in suggestions}
    rubric = audit.rubric
    phases: list[dict[str, Any]] = []
    for phase_id in PHASE_IDS:
        items = []
        for action in audit.plan.in_phase(phase_id):
            suggestion = by_rank[action.rank]
            items.append(
                {
                    "rank": action.rank,
                    "anchor": suggestion["anchor"],
                    "title": suggestion["title"],
                    "stage": suggestion["stage"],
                    "first_step": suggestion["first_step"],
                    "effort_label": suggestion["effort_label"],
                    "impact_label": suggestion["impact_label"],
                    "after": [rubric.tactic(t).title for t in action.after],
                }
            )
        if items or phase_id != "later":
            phases.append({"id": phase_id, "title": PHASE_TITLES[phase_id], "actions": items})
    notes = sorted(
        {
            f"“{a.gap.tactic.title}” builds on “{rubric.tactic(t).title}”, which you did not "
            "answer: check that it is in place first."
            for a in audit.plan.actions
            for t in a.unchecked
        }
    )
    return {
        "phases": phases,
        "capacity_note": capacity_note(audit),
        "team_size": audit.plan.team_size,
        "effort_per_phase": audit.plan.effort_per_phase,
        "notes": notes,
    }


def matrix_section(audit: Audit) -> dict[str, Any]:
    """The matrix's nine cells and the rubric's quadrants, filled from the plan."""
    rules = audit.rubric.plan
    cells = []
    for impact in reversed(RATINGS):
        for effort in RATINGS:
            cells.append(
                {
                    "impact": impact,
                    "effort": effort,
                    "quadrant": rules.quadrant(impact, effort).id,
                    "actions": [
                        {"rank": a.rank, "title": a.gap.tactic.title}
                        for a in audit.plan.actions
                        if a.gap.tactic.impact == impact and a.gap.tactic.effort == effort
                    ],
                }
            )
    quadrants = [
        {
            "id": q.id,
            "title": q.title,
            "text": q.text,
            "actions": [
                {"rank": a.rank, "title": a.gap.tactic.title, "anchor": f"action-{a.rank}"}
                for a in audit.plan.actions
                if a.quadrant == q.id
            ],
        }
        for q in rules.quadrants
    ]
    return {"cells": cells, "quadrants": quadrants}
