"""From scored tactics to ranked gaps and suggestions, each with its reasons.

Pure: no files, no rendering. A gap is an applicable, answered tactic below
the top level. Its expected gain is ``weight × stage weight × (1 − score) ×
impact ÷ effort``; suggestions follow the gain, except that a tactic another
one ``requires`` is moved up to come first.
"""

from __future__ import annotations

from collections.abc import Mapping

from cycleaudit.engine import money
from cycleaudit.model import Exclusion, Gap, Rubric, Suggestion, TacticResult

# A prerequisite counts as in place from this score on (the default rubric's
# "defined": written down and done the same way every time).
IN_PLACE = 0.5


def gaps(
    results: tuple[TacticResult, ...], rubric: Rubric, metrics: Mapping[str, float], currency: str
) -> tuple[Gap, ...]:
    found: list[Gap] = []
    for result in results:
        if result.status != "scored" or result.score is None or result.score >= 1:
            continue
        tactic = result.tactic
        stage_weight = rubric.stage(tactic.stage).weight
        gain = (
            tactic.weight
            * stage_weight
            * (1 - result.score)
            * tactic.impact_value
            / tactic.effort_value
        )
        formula = (
            f"weight {tactic.weight:g} × stage weight {stage_weight:g} × "
            f"(1 − {result.score:.2f} current score) × impact {tactic.impact_value} "
            f"({tactic.impact}) ÷ effort {tactic.effort_value} ({tactic.effort}) = {gain:.2f}"
        )
        value = None
        missing = ""
        if tactic.lever is not None:
            value = money.value_at_stake(tactic.id, tactic.lever, result.score, metrics, currency)
            if value is None:
                needs = [
                    money.METRIC_LABELS[n]
                    for n in money.lever_needs(tactic.lever)
                    if n not in metrics
                ]
                missing = "to put a figure on this gap, measure your " + ", ".join(needs)
        found.append(
            Gap(
                tactic=tactic,
                score=result.score,
                gain=gain,
                gain_formula=formula,
                value=value,
                value_missing=missing,
            )
        )
    order = {tactic.id: index for index, tactic in enumerate(rubric.tactics)}
    found.sort(key=lambda gap: (-gap.gain, order[gap.tactic.id]))
    return tuple(found)


def suggestions(
    ranked: tuple[Gap, ...], results: tuple[TacticResult, ...], level_titles: Mapping[str, str]
) -> tuple[Suggestion, ...]:
    by_id = {gap.tactic.id: gap for gap in ranked}
    result_of = {result.tactic.id: result for result in results}
    placed: list[Gap] = []
    placed_ids: set[str] = set()
    moved_up: dict[str, list[str]] = {}

    def place(gap: Gap, visiting: frozenset[str]) -> None:
        for required in gap.tactic.requires:
            before = by_id.get(required)
            if before is None or required in placed_ids or required in visiting:
                continue
            if before.score < IN_PLACE:
                moved_up.setdefault(required, []).append(gap.tactic.title)
                place(before, visiting | {gap.tactic.id})
        if gap.tactic.id not in placed_ids:
            placed.append(gap)
            placed_ids.add(gap.tactic.id)

    for gap in ranked:
        place(gap, frozenset())

    out: list[Suggestion] = []
    for rank, gap in enumerate(placed, start=1):
        result = result_of[gap.tactic.id]
        answer = result.answer
        level = level_titles.get(answer.level or "", "") if answer else ""
        why = [
            f"You answered “{level}”, which scores {gap.score * 100:.0f} out of 100 "
            "for this tactic."
        ]
        why.append(f"Expected gain: {gap.gain_formula}.")
        if gap.tactic.id in moved_up:
            needers = ", ".join(f"“{title}”" for title in moved_up[gap.tactic.id])
            why.append(f"Placed earlier because {needers} needs it in place first.")
        for required in gap.tactic.requires:
            prior = result_of.get(required)
            if prior is None:
                continue
            if prior.status == "unknown":
                why.append(
                    f"Check first that “{prior.tactic.title}” is in place: it was not answered."
                )
            elif required in by_id and by_id[required].score < IN_PLACE:
                why.append(f"Needs “{prior.tactic.title}” first, planned before it.")
        if result.reason:
            why.append(result.reason)
        out.append(Suggestion(rank=rank, gap=gap, why=tuple(why)))
    return tuple(out)


def exclusions(results: tuple[TacticResult, ...]) -> tuple[Exclusion, ...]:
    out: list[Exclusion] = []
    for result in results:
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
