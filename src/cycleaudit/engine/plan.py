"""The one ordered plan every output reads: actions, periods, matrix, first actions.

Pure: no files, no rendering. Built once per audit from the priority order
(``recommend.priority``); the summary, the matrix, the 30/60/90-day plan,
the action list and ``score --format json`` all read this plan, so they can
never disagree. The rules, as the methodology states them:

- effort counts low = 1, medium = 2, high = 3; each 30-day period holds at
  most the effort the rubric's ``plan.capacity`` gives for the team size
  (``profile.team-size``, or the rubric's assumed size when not given);
- periods are filled in priority order; an action that does not fit waits
  for the next period while smaller ones behind it may still fit; an action
  bigger than a whole period takes an empty period of its own;
- a measurement practice is planned with the first action it sizes, in the
  same period, just before it;
- an action starts in a period after every prerequisite that is not yet in
  place (below ``in-place-from``); a prerequisite in place never holds it;
- what does not fit in 90 days follows "after 90 days", in priority order;
- the plan's order is period by period, in priority order inside a period;
  an action's rank is its place in that order;
- "Fix first" names the weakest practices among the first period's actions.
"""

from __future__ import annotations

from collections.abc import Mapping

from cycleaudit.engine import recommend
from cycleaudit.model import (
    PHASE_IDS,
    RATING_VALUES,
    Gap,
    Plan,
    PlannedAction,
    Rubric,
    Suggestion,
    TacticResult,
)


def team_size(profile: Mapping[str, object], rubric: Rubric) -> tuple[int, bool]:
    """The team size the plan assumes, and whether the profile gave it."""
    value = profile.get("team-size")
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value, True
    return rubric.plan.assumed_team_size, False


def build(
    ranked: tuple[Gap, ...],
    results: tuple[TacticResult, ...],
    rubric: Rubric,
    profile: Mapping[str, object],
) -> Plan:
    ordered = recommend.priority(ranked, results, rubric)
    result_of = {r.tactic.id: r for r in results}
    gap_ids = {item.gap.tactic.id for item in ordered}
    team, given = team_size(profile, rubric)
    capacity = rubric.plan.effort_per_phase(team)

    position = {item.gap.tactic.id: i for i, item in enumerate(ordered)}
    waits = {
        item.gap.tactic.id: recommend.blockers(item.gap, gap_ids, result_of, rubric)
        for item in ordered
    }
    # A measurement travels with the first action it sizes: same period, just before it.
    companions: dict[str, list[str]] = {}
    for item in ordered:
        if item.enables:
            first = min(item.enables, key=lambda t: position[t])
            companions.setdefault(first, []).append(item.gap.tactic.id)
    travelling = {m for ms in companions.values() for m in ms}
    effort = {item.gap.tactic.id: RATING_VALUES[item.gap.tactic.effort] for item in ordered}
    phase_of: dict[str, int] = {}
    timed = PHASE_IDS[:-1]  # the 30, 60 and 90-day periods; "later" takes the rest
    travels_with = {m: a for a, ms in companions.items() for m in ms}

    def alone(measure: str) -> bool:
        # Its action went ahead without it (it was still waiting on a prerequisite).
        return travels_with[measure] in phase_of

    for index in range(len(timed)):
        load = 0
        for item in ordered:
            tactic_id = item.gap.tactic.id
            if tactic_id in phase_of or (tactic_id in travelling and not alone(tactic_id)):
                continue
            bundle = [
                m
                for m in companions.get(tactic_id, [])
                if m not in phase_of and all(phase_of.get(r, len(timed)) < index for r in waits[m])
            ]
            bundle.append(tactic_id)
            if any(phase_of.get(r, len(timed)) >= index for b in bundle for r in waits[b]):
                continue
            cost = sum(effort[b] for b in bundle)
            if load and load + cost > capacity:
                continue
            for b in bundle:
                phase_of[b] = index
            load += cost
            if load >= capacity:
                break
    for item in ordered:
        phase_of.setdefault(item.gap.tactic.id, len(timed))

    in_order = sorted(ordered, key=lambda i: (phase_of[i.gap.tactic.id], position[i.gap.tactic.id]))
    actions: list[PlannedAction] = []
    for rank, item in enumerate(in_order, start=1):
        tactic = item.gap.tactic
        unchecked = tuple(
            required
            for required in tactic.requires
            if (r := result_of.get(required)) is not None and r.status == "unknown"
        )
        actions.append(
            PlannedAction(
                rank=rank,
                gap=item.gap,
                phase=PHASE_IDS[phase_of[tactic.id]],
                quadrant=rubric.plan.quadrant(tactic.impact, tactic.effort).id,
                after=waits[tactic.id],
                unchecked=unchecked,
                enables=item.enables,
                moved_up_for=item.moved_up_for,
            )
        )
    first_period = [a for a in actions if a.phase == PHASE_IDS[0]]
    weakest = sorted(first_period, key=lambda a: (a.gap.score, a.rank))[: rubric.plan.fix_first]
    return Plan(
        actions=tuple(actions),
        team_size=team,
        team_size_given=given,
        effort_per_phase=capacity,
        first_actions=tuple(a.gap.tactic.id for a in actions[: rubric.plan.first_actions]),
        fix_first=tuple(a.gap.tactic.id for a in sorted(weakest, key=lambda a: a.rank)),
    )


PHASE_WORDS = {"30": "the first 30 days", "60": "days 31 to 60", "90": "days 61 to 90"}


def suggestions(
    plan: Plan, results: tuple[TacticResult, ...], rubric: Rubric
) -> tuple[Suggestion, ...]:
    """The plan's actions with the trace of why each is suggested and placed where it is."""
    result_of = {r.tactic.id: r for r in results}
    titles = {level.id: level.title for level in rubric.levels}

    def title(tactic_id: str) -> str:
        return f"“{rubric.tactic(tactic_id).title}”"

    out: list[Suggestion] = []
    for action in plan.actions:
        gap = action.gap
        answer = result_of[gap.tactic.id].answer
        level = titles.get(answer.level or "", "") if answer else ""
        why = [
            f"You answered “{level}”, which scores {gap.score * 100:.0f} out of 100 "
            "for this tactic.",
            f"Expected gain: {gap.gain_formula}.",
        ]
        if action.moved_up_for:
            needers = ", ".join(title(t) for t in action.moved_up_for)
            why.append(f"Placed earlier because {needers} needs it in place first.")
        if action.enables:
            sized = ", ".join(title(t) for t in action.enables)
            why.append(f"Placed just before {sized}: its figures put a money value on that work.")
        elif gap.tactic.measures:
            why.append(
                "Placed after the other actions: the figures it measures are not what holds "
                "the plan back."
            )
        for required in action.after:
            why.append(f"Needs {title(required)} in place first, planned before it.")
        for required in action.unchecked:
            why.append(f"Check first that {title(required)} is in place: it was not answered.")
        if action.phase in PHASE_WORDS:
            why.append(f"Planned for {PHASE_WORDS[action.phase]}.")
        reason = result_of[gap.tactic.id].reason
        if reason:
            why.append(reason)
        out.append(Suggestion(rank=action.rank, gap=gap, why=tuple(why)))
    return tuple(out)
