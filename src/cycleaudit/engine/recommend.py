"""From scored tactics to ranked gaps and the order to tackle them, each with its reasons.

Pure: no files, no rendering. A gap is an applicable, answered tactic below
the top level. Its expected gain is ``weight × stage weight × (1 − score) ×
impact ÷ effort``. The priority order follows the gain, except that

- a prerequisite that is not in place (below the rubric's ``in-place-from``
  level) comes just before the first action that needs it;
- a measurement practice (a tactic that ``measures`` metrics) comes just
  before the first action its figures would put a money value on (an
  action whose missing figures it measures, all of them); one that sizes
  nothing comes after the other actions.

``engine.plan`` spreads that order over the 30/60/90-day periods.
"""

from __future__ import annotations

from collections.abc import Mapping

from cycleaudit.engine import money
from cycleaudit.engine.prepared import prepared
from cycleaudit.model import Exclusion, Gap, Rubric, TacticResult
from cycleaudit.records import record


def gaps(
    results: tuple[TacticResult, ...],
    rubric: Rubric,
    metrics: Mapping[str, float],
    currency: str,
    profile: Mapping[str, object] | None = None,
) -> tuple[Gap, ...]:
    """Every gap with its gain and, where the client's figures allow, its money value."""
    tables = prepared(rubric)
    known = money.clean(metrics)  # once per audit, not once per gap
    patterns = money.purchase_patterns(profile or {})
    found: list[Gap] = []
    for result in results:
        score = result.score
        if score is None or score >= 1 or result.status != "scored":
            continue
        tactic = result.tactic
        value = None
        needs: tuple[str, ...] = ()
        lever = tactic.lever
        if lever is not None and (not patterns or money.lever_fits_patterns(lever, patterns)):
            needs = money.missing_in(tables.lever_needs[tactic.id], known)
            if not needs:
                value = money.value_from(tactic.id, lever, score, known, currency)
        if value is None:
            found.append(tables.gap(tactic, score, needs))
        else:
            gain, formula = tables.gain(tactic, score)
            found.append(Gap(tactic, score, gain, formula, value, needs))
    order = tables.order
    found.sort(key=lambda gap: (-gap.gain, order[gap.tactic.id]))
    return tuple(found)


def in_place(result: TacticResult | None, rubric: Rubric) -> bool:
    """The one rule: a practice is in place from the rubric's ``in-place-from`` level."""
    return (
        result is not None
        and result.status == "scored"
        and result.score is not None
        and result.score >= rubric.in_place_score - 1e-9
    )


def blockers(
    gap: Gap, gap_ids: set[str], result_of: Mapping[str, TacticResult], rubric: Rubric
) -> tuple[str, ...]:
    """Prerequisites of a gap that are themselves gaps and not yet in place."""
    if not gap.tactic.requires:
        return ()  # most tactics
    return tuple(
        required
        for required in gap.tactic.requires
        if required in gap_ids and not in_place(result_of.get(required), rubric)
    )


@record
class Ordered:
    gap: Gap
    moved_up_for: tuple[str, ...]  # tactic ids that need this one first
    enables: tuple[str, ...]  # for a measurement: tactic ids its figures size


def priority(
    ranked: tuple[Gap, ...], results: tuple[TacticResult, ...], rubric: Rubric
) -> tuple[Ordered, ...]:
    """The gaps in the order to tackle them (see the module docstring)."""
    found = ordering(ranked, results, rubric)
    return tuple(
        Ordered(found.gaps[t], found.moved_up_for(t), found.enables_of(t)) for t in found.order
    )


@record
class Ordering:
    """``priority`` as tables by tactic id, with each gap's ``blockers`` (the plan reads both)."""

    order: list[str]  # tactic ids, in the order to tackle them
    gaps: dict[str, Gap]
    moved_up: dict[str, tuple[str, ...]]
    enables: dict[str, tuple[str, ...]]
    blocked: dict[str, tuple[str, ...]]

    def moved_up_for(self, tactic_id: str) -> tuple[str, ...]:
        return self.moved_up.get(tactic_id, ())

    def enables_of(self, tactic_id: str) -> tuple[str, ...]:
        return self.enables.get(tactic_id, ())


def ordering(
    ranked: tuple[Gap, ...],
    results: tuple[TacticResult, ...],
    rubric: Rubric,
    result_of: Mapping[str, TacticResult] | None = None,  # results by tactic id, when at hand
) -> Ordering:
    if result_of is None:
        result_of = {r.tactic.id: r for r in results}
    by_id = {gap.tactic.id: gap for gap in ranked}
    gap_ids = set(by_id)
    blocked = {
        tactic_id: blockers(gap, gap_ids, result_of, rubric) if gap.tactic.requires else ()
        for tactic_id, gap in by_id.items()
    }
    measures = [g for g in ranked if g.tactic.measures]
    enables: dict[str, list[str]] = {g.tactic.id: [] for g in measures}
    if measures:
        measured = [(m.tactic, set(m.tactic.measures)) for m in measures]
        for gap in ranked:
            if gap.tactic.measures or not gap.value_needs:
                continue
            needs = set(gap.value_needs)
            for measure, figures in measured:
                # It sizes the gap when its figures are all that the gap still lacks.
                if needs <= figures and gap.tactic.id not in measure.requires:
                    enables[measure.id].append(gap.tactic.id)
    sized_by: dict[str, list[Gap]] = {}  # the measurements that size a gap, in rank order
    for m in measures:
        for tactic_id in enables[m.tactic.id]:
            sized_by.setdefault(tactic_id, []).append(m)
    placed: list[str] = []
    done: set[str] = set()
    moved_up: dict[str, list[str]] = {}

    def place(gap: Gap, visiting: frozenset[str]) -> None:
        tactic_id = gap.tactic.id
        if tactic_id in done or tactic_id in visiting:
            return
        required_first = blocked[tactic_id]
        measured_by = sized_by.get(tactic_id, ())
        if required_first or measured_by:
            inner = visiting | {tactic_id}
            for required in required_first:
                if required not in done and required not in visiting:
                    moved_up.setdefault(required, []).append(tactic_id)
                place(by_id[required], inner)
            for m in measured_by:
                place(m, inner)
        if tactic_id not in done:
            done.add(tactic_id)
            placed.append(tactic_id)

    nothing: frozenset[str] = frozenset()
    for gap in ranked:
        # A measurement is placed just before the first action it sizes, or after the others.
        tactic_id = gap.tactic.id
        if gap.tactic.measures or tactic_id in done:
            continue
        if blocked[tactic_id] or tactic_id in sized_by:
            place(gap, nothing)
        else:  # most gaps: nothing has to come before them
            done.add(tactic_id)
            placed.append(tactic_id)
    for gap in ranked:
        if gap.tactic.id not in done:
            place(gap, nothing)
    return Ordering(
        placed,
        by_id,
        {tactic_id: tuple(ids) for tactic_id, ids in moved_up.items()},
        {tactic_id: tuple(ids) for tactic_id, ids in enables.items()},
        blocked,
    )


def exclusions(results: tuple[TacticResult, ...]) -> tuple[Exclusion, ...]:
    out: list[Exclusion] = []
    for result in results:
        if result.status == "scored":
            continue  # most results
        if result.status == "not-applicable":
            out.append(Exclusion(result.tactic, result.reason))
        elif result.status == "na":
            out.append(
                Exclusion(result.tactic, f"You marked it as not applicable: {result.reason}")
            )
        elif result.status == "unknown":
            out.append(
                Exclusion(result.tactic, "Not answered, so we cannot tell whether it is a gap.")
            )
    return tuple(out)
