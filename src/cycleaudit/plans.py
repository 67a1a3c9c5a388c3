"""The one ordered plan every output reads (built by ``engine.plan``): its actions and phases."""

from __future__ import annotations

from typing import Literal

from cycleaudit.model import Gap
from cycleaudit.records import record

PhaseId = Literal["30", "60", "90", "later"]
PHASE_IDS: tuple[PhaseId, ...] = ("30", "60", "90", "later")


@record
class PlannedAction:
    rank: int  # position in the one plan, from 1
    gap: Gap
    phase: PhaseId
    quadrant: str
    after: tuple[str, ...]  # prerequisites not yet in place, planned before this
    unchecked: tuple[str, ...]  # unanswered prerequisites: check them first
    enables: tuple[str, ...]  # for a measurement: the actions its figures size
    moved_up_for: tuple[str, ...]  # actions that need this one in place first


@record
class Plan:
    """The one ordered plan every output reads (``engine.plan``)."""

    actions: tuple[PlannedAction, ...]
    team_size: int
    team_size_given: bool
    effort_per_phase: int
    first_actions: tuple[str, ...]  # tactic ids, in plan order
    fix_first: tuple[str, ...]  # tactic ids, all in the first phase

    def in_phase(self, phase: str) -> tuple[PlannedAction, ...]:
        return tuple(a for a in self.actions if a.phase == phase)

    def action(self, tactic_id: str) -> PlannedAction:
        for item in self.actions:
            if item.gap.tactic.id == tactic_id:
                return item
        raise KeyError(tactic_id)
