"""What scoring needs from a rubric, worked out once per rubric rather than per file.

A batch scores thousands of questionnaires against one rubric; lookups,
sums of weights and the gain formulas of each tactic at each level are the
same for all of them. Everything here is a pure function of the rubric, or
of a tactic at one of its levels (kept for the rubric's own levels only, so
the tables stay as small as the rubric): nothing is kept per questionnaire.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

from cycleaudit.engine import conditions, money
from cycleaudit.model import RATING_VALUES, Gap, Rubric, Tactic


class Prepared:
    """Tables derived from one rubric (read-only once built)."""

    def __init__(self, rubric: Rubric) -> None:
        self.level_scores = {level.id: level.score for level in rubric.levels}
        self.level_values = frozenset(self.level_scores.values())
        self.level_titles = {level.id: level.title for level in rubric.levels}
        self.level_order = tuple(level.id for level in rubric.levels)
        self.stage_ids = tuple(stage.id for stage in rubric.stages)
        self.tactic_stage = {tactic.id: tactic.stage for tactic in rubric.tactics}
        self.stage_weight = {stage.id: stage.weight for stage in rubric.stages}
        self.order = {tactic.id: index for index, tactic in enumerate(rubric.tactics)}
        self.effort = {tactic.id: RATING_VALUES[tactic.effort] for tactic in rubric.tactics}
        self.quadrant = {
            tactic.id: rubric.plan.quadrant(tactic.impact, tactic.effort).id
            for tactic in rubric.tactics
        }
        # The profile keys an applies-when reads, for "your profile does not say ...".
        self.unsaid = {
            tactic.id: " or ".join(
                sorted(
                    {
                        leaf["profile"]
                        for _, leaf in conditions.leaves(tactic.applies_when)
                        if "profile" in leaf
                    }
                )
            )
            for tactic in rubric.tactics
            if tactic.applies_when is not None
        }
        self.applies = {
            tactic.id: conditions.compiled(tactic.applies_when)
            for tactic in rubric.tactics
            if tactic.applies_when is not None
        }
        # Each rule with its condition, read once, and the tests its evidence reports.
        self.rules = [
            (
                rule,
                conditions.compiled(rule.when),
                [leaf for _, leaf in conditions.leaves(rule.when)],
            )
            for rule in rubric.rules
        ]
        self.lever_needs = {
            tactic.id: money.lever_needs(tactic.lever)
            for tactic in rubric.tactics
            if tactic.lever is not None
        }
        # Rounding a float costs a dozen dictionary lookups; the result rounds the same few
        # level scores and gains in every audit. Zero is left out: 0.0 and -0.0 are one
        # key but print apart.
        self.percents = {s: round(s * 100, 1) for s in self.level_values if s != 0}
        self.rounded_gains: dict[float, float] = {}
        self._first_steps: dict[tuple[str, str | None], tuple[Tactic, str]] = {}
        self._gains: dict[tuple[str, float], tuple[Tactic, float, float, str]] = {}
        self._gaps: dict[tuple[str, float, tuple[str, ...]], Gap] = {}

    def gain(self, tactic: Tactic, score: float) -> tuple[float, str]:
        """A gap's expected gain and its formula (a function of the tactic and its level)."""
        # Kept by tactic and score; the very objects are checked, so that a score of -0.0
        # (equal to 0.0, printed apart) never takes 0.0's formula.
        key = (tactic.id, score)
        known = self._gains.get(key)
        if known is not None and known[0] is tactic and known[1] is score:
            return known[2], known[3]
        stage_weight = self.stage_weight[tactic.stage]
        gain = (
            tactic.weight * stage_weight * (1 - score) * tactic.impact_value / tactic.effort_value
        )
        formula = (
            f"weight {tactic.weight:g} × stage weight {stage_weight:g} × "
            f"(1 − {score:.2f} current score) × impact {tactic.impact_value} "
            f"({tactic.impact}) ÷ effort {tactic.effort_value} ({tactic.effort}) = {gain:.2f}"
        )
        if score in self.level_values:  # kept for the rubric's levels only
            self._gains[key] = (tactic, score, gain, formula)
            if gain != 0:
                self.rounded_gains[gain] = round(gain, 3)
        return gain, formula

    def gap(self, tactic: Tactic, score: float, needs: tuple[str, ...]) -> Gap:
        """A gap with no money value: the same for every audit at this level (it is immutable)."""
        key = (tactic.id, score, needs)
        known = self._gaps.get(key)
        if known is not None and known.tactic is tactic and known.score is score:
            return known
        gain, formula = self.gain(tactic, score)
        made = Gap(tactic, score, gain, formula, None, needs)
        if score in self.level_values:  # kept for the rubric's levels only
            self._gaps[key] = made
        return made

    def first_step(self, tactic: Tactic, level: str | None) -> str:
        """``tactic.first_step_for`` the level (None: unanswered), in the rubric's level order."""
        key = (tactic.id, level)
        known = self._first_steps.get(key)
        if known is not None and known[0] is tactic:
            return known[1]
        step = tactic.first_step_for(level, self.level_order)
        if level is None or level in self.level_scores:  # kept for the rubric's levels only
            self._first_steps[key] = (tactic, step)
        return step


_PREPARED: dict[int, tuple[weakref.ref[Rubric], Prepared]] = {}


def prepared(rubric: Rubric) -> Prepared:
    """The rubric's tables, built on first use and dropped with the rubric."""
    key = id(rubric)
    held = _PREPARED.get(key)
    if held is not None and held[0]() is rubric:
        return held[1]
    made = Prepared(rubric)
    _PREPARED[key] = (weakref.ref(rubric, _forget(key)), made)
    return made


def _forget(key: int) -> Callable[[weakref.ref[Rubric]], None]:
    def forget(_gone: weakref.ref[Rubric]) -> None:
        _PREPARED.pop(key, None)

    return forget
