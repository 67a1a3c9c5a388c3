"""The 30/60/90 plan and the impact/effort matrix of the report."""

from __future__ import annotations

from typing import Any

from cycleaudit.model import (
    RATING_VALUES,
    Audit,
)
from cycleaudit.report.common import is_known_tactic

# How much effort (low=1, medium=2, high=3) a team can take on per 30 days.
# Two medium tasks or one high plus one low fit in a month alongside daily work.
PHASE_CAPACITY = 4


PHASES = (
    ("30", "First 30 days"),
    ("60", "Days 31 to 60"),
    ("90", "Days 61 to 90"),
    ("later", "After 90 days"),
)


QUADRANTS = {
    "quick-win": ("Quick wins", "High value for little effort: start here."),
    "big-bet": ("Big bets", "High value, real effort: plan these with care."),
    "fill-in": ("Fill-ins", "Small value, little effort: do them when you have a spare hour."),
    "reconsider": ("Reconsider", "Small value for a lot of effort: only if the others are done."),
}


def plan_section(audit: Audit, suggestions: list[dict[str, Any]]) -> dict[str, Any]:
    """Spread the ranked suggestions over 30/60/90 days.

    Rank order is kept, each phase takes at most ``PHASE_CAPACITY`` effort,
    and a practice is never planned before (or in the same phase as) a
    prerequisite that is itself still a gap: it moves to the next phase.
    """
    by_id = {s.gap.tactic.id: s for s in audit.suggestions}
    gap_ids = {g.tactic.id for g in audit.gaps}
    placed: dict[str, int] = {}
    load = [0] * len(PHASES)
    items: list[list[dict[str, Any]]] = [[] for _ in PHASES]
    by_rank = {s["rank"]: s for s in suggestions}
    notes: list[str] = []

    def place(tactic_id: str, chain: tuple[str, ...]) -> int:
        if tactic_id in placed:
            return placed[tactic_id]
        tactic = audit.rubric.tactic(tactic_id)
        earliest = 0
        after = []
        for required in tactic.requires:
            if required in chain or not is_known_tactic(audit.rubric, required):
                continue
            if required in gap_ids and required in by_id:
                earliest = max(earliest, place(required, (*chain, tactic_id)) + 1)
                after.append(audit.rubric.tactic(required).title)
            elif required in gap_ids:
                notes.append(
                    f"“{tactic.title}” builds on “{audit.rubric.tactic(required).title}”, "
                    "which is still a gap: get the basics of that in place first."
                )
        cost = RATING_VALUES[tactic.effort]
        phase = min(earliest, len(PHASES) - 1)
        while phase < len(PHASES) - 1 and load[phase] + cost > PHASE_CAPACITY and load[phase]:
            phase += 1
        load[phase] += cost
        placed[tactic_id] = phase
        suggestion = by_rank[by_id[tactic_id].rank]
        items[phase].append(
            {
                "rank": suggestion["rank"],
                "anchor": suggestion["anchor"],
                "title": suggestion["title"],
                "stage": suggestion["stage"],
                "first_step": suggestion["first_step"],
                "effort_label": suggestion["effort_label"],
                "impact_label": suggestion["impact_label"],
                "after": after,
            }
        )
        return phase

    for suggestion in sorted(audit.suggestions, key=lambda s: s.rank):
        place(suggestion.gap.tactic.id, ())
    phases: list[dict[str, Any]] = [
        {"id": pid, "title": title, "actions": sorted(items[i], key=lambda item: item["rank"])}
        for i, (pid, title) in enumerate(PHASES)
    ]
    return {
        "phases": [p for p in phases if p["actions"] or p["id"] != "later"],
        "capacity_note": (
            "Each month holds about two medium-effort actions (or one large and one small) "
            "next to daily work. An action that builds on another starts in the month after it."
        ),
        "notes": sorted(set(notes)),
    }


def matrix_section(suggestions: list[dict[str, Any]]) -> dict[str, Any]:
    cells = []
    for impact in ("high", "medium", "low"):
        for effort in ("low", "medium", "high"):
            cells.append(
                {
                    "impact": impact,
                    "effort": effort,
                    "actions": [
                        {"rank": s["rank"], "title": s["title"]}
                        for s in suggestions
                        if s["impact"] == impact and s["effort"] == effort
                    ],
                }
            )
    quadrants = []
    for key, (title, text) in QUADRANTS.items():
        quadrants.append(
            {
                "id": key,
                "title": title,
                "text": text,
                "actions": [
                    {"rank": s["rank"], "title": s["title"], "anchor": s["anchor"]}
                    for s in suggestions
                    if s["quadrant"] == key
                ],
            }
        )
    return {"cells": cells, "quadrants": quadrants}
