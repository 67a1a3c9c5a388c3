"""What the brief report keeps: the few items an owner reads in fifteen minutes.

The brief and the full report share one context; the full report prints
every list, the brief prints the selections made here (and says how many
more the full report holds). Selections keep the context's own order, so
both depths always agree on ranks and numbers.
"""

from __future__ import annotations

from typing import Any

# How many items the brief shows; each keeps its section on about one page.
BRIEF_FINDINGS = 4
BRIEF_GAPS_PER_STAGE = 3
BRIEF_AT_STAKE = 3
# Up to this many actions in the first 90 days, the plan page prints each
# one's first step; a larger team's plan points to the stage pages instead
# for the actions they already show, so it still fits one page.
BRIEF_PLAN_STEPS = 12

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def practices_by_level(practices: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A stage's answers in short: the practices grouped by level, best level first.

    One line per level instead of one row per practice keeps a stage on one
    page however many practices the rubric has. N/A and unanswered come last.
    """
    groups: dict[str, dict[str, Any]] = {}
    for row in practices:
        group = groups.setdefault(
            row["status_label"],
            {
                "label": row["status_label"],
                "status": row["status"],
                "strong": row["strong"],
                "score": row["score"],
                "titles": [],
            },
        )
        group["titles"].append(row["title"])
    status_order = {"scored": 0, "na": 1, "unknown": 2}

    def key(group: dict[str, Any]) -> tuple[int, float]:
        return (status_order.get(group["status"], 3), -(group["score"] or 0.0))

    return sorted(groups.values(), key=key)


def top_findings(risks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The most severe risks first; equal severities keep the rubric's order."""
    order = sorted(range(len(risks)), key=lambda i: (SEVERITY_ORDER[risks[i]["severity"]], i))
    return [risks[i] for i in order[:BRIEF_FINDINGS]]


def brief_section(
    risks: list[dict[str, Any]],
    money: dict[str, Any] | None,
    plan: dict[str, Any],
    stages: list[dict[str, Any]],
) -> dict[str, Any]:
    """The brief's selections, with the count of what only the full report shows.

    ``stage_anchors`` are the actions the stage pages show with their first
    step; in a long plan, ``plan_points_to_stages`` lists those the plan page
    points to instead of repeating their first step;
    ``anchors`` every action the brief prints, the only ones it can link to.
    """
    findings = top_findings(risks)
    at_stake: list[dict[str, Any]] = []
    if money is not None:
        at_stake = sorted(money["at_stake"], key=lambda item: -item["amount"])[:BRIEF_AT_STAKE]
    later = [p for p in plan["phases"] if p["id"] == "later"]
    stage_anchors = [g["anchor"] for stage in stages for g in stage["top_suggestions"]]
    planned = [a["anchor"] for p in plan["phases"] if p["id"] != "later" for a in p["actions"]]
    pointed = stage_anchors if len(planned) > BRIEF_PLAN_STEPS else []
    return {
        "findings": findings,
        "more_findings": len(risks) - len(findings),
        "at_stake": at_stake,
        "more_at_stake": 0 if money is None else len(money["at_stake"]) - len(at_stake),
        "later_actions": len(later[0]["actions"]) if later else 0,
        "stage_anchors": stage_anchors,
        "plan_points_to_stages": pointed,
        "anchors": sorted(set(stage_anchors) | set(planned)),
    }
