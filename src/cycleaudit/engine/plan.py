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
from functools import lru_cache

from cycleaudit.engine import recommend
from cycleaudit.engine.prepared import prepared
from cycleaudit.model import Gap, Rubric, Suggestion, TacticResult
from cycleaudit.plans import PHASE_IDS, Plan, PlannedAction


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
    result_of = {r.tactic.id: r for r in results}
    found = recommend.ordering(ranked, results, rubric, result_of)
    waits = found.blocked
    tables = prepared(rubric)
    team, given = team_size(profile, rubric)
    capacity = rubric.plan.effort_per_phase(team)

    ids = found.order
    # A measurement travels with the first action it sizes: same period, just before it.
    companions: dict[str, list[str]] = {}
    if any(found.enables.values()):
        position = {tactic_id: i for i, tactic_id in enumerate(ids)}
        for measure in ids:
            sized = found.enables.get(measure)
            if sized:
                first = min(sized, key=position.__getitem__)
                companions.setdefault(first, []).append(measure)
    travels_with = {m: a for a, ms in companions.items() for m in ms}
    effort = tables.effort
    phase_of: dict[str, int] = {}
    timed = len(PHASE_IDS) - 1  # the 30, 60 and 90-day periods; "later" takes the rest

    def ready(tactic_id: str, index: int) -> bool:
        # Every prerequisite it waits for is planned in an earlier period.
        return all(phase_of.get(r, timed) < index for r in waits[tactic_id])

    pending = ids
    for index in range(timed):
        load = 0
        if phase_of:
            pending = [t for t in pending if t not in phase_of]
        for tactic_id in pending:
            if tactic_id in phase_of:
                continue  # it went with the action it sizes
            # A measurement goes with its action, unless that action went ahead without it.
            if tactic_id in travels_with and travels_with[tactic_id] not in phase_of:
                continue
            if waits[tactic_id] and not ready(tactic_id, index):
                continue
            if tactic_id in companions:
                bundle = [m for m in companions[tactic_id] if m not in phase_of and ready(m, index)]
                bundle.append(tactic_id)
                cost = sum(effort[b] for b in bundle)
            else:
                bundle, cost = [tactic_id], effort[tactic_id]
            if load and load + cost > capacity:
                continue
            for b in bundle:
                phase_of[b] = index
            load += cost
            if load >= capacity:
                break
    for tactic_id in pending:  # the others have their period already
        phase_of.setdefault(tactic_id, timed)

    # ids are in priority order already: a stable sort by period keeps it inside each period.
    in_order = sorted(ids, key=phase_of.__getitem__)
    actions: list[PlannedAction] = []
    gaps, quadrant, enables, moved_up = found.gaps, tables.quadrant, found.enables, found.moved_up
    for rank, tactic_id in enumerate(in_order, start=1):
        gap = gaps[tactic_id]
        requires = gap.tactic.requires
        unchecked = (
            tuple(
                required
                for required in requires
                if (r := result_of.get(required)) is not None and r.status == "unknown"
            )
            if requires
            else ()
        )
        actions.append(
            PlannedAction(
                rank,
                gap,
                PHASE_IDS[phase_of[tactic_id]],
                quadrant[tactic_id],
                waits[tactic_id],
                unchecked,
                enables.get(tactic_id, ()),
                moved_up.get(tactic_id, ()),
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


def _answered_line(level: str, score: float) -> str:
    return f"You answered “{level}”, which scores {score * 100:.0f} out of 100 for this tactic."


# A few levels and scores: the same lines in every audit.
_answered = lru_cache(maxsize=1024)(_answered_line)


PHASE_WORDS = {"30": "the first 30 days", "60": "days 31 to 60", "90": "days 61 to 90"}


def suggestions(
    plan: Plan, results: tuple[TacticResult, ...], rubric: Rubric
) -> tuple[Suggestion, ...]:
    """The plan's actions with the trace of why each is suggested and placed where it is."""
    result_of = {r.tactic.id: r for r in results}
    titles = prepared(rubric).level_titles

    def title(tactic_id: str) -> str:
        return f"“{rubric.tactic(tactic_id).title}”"

    out: list[Suggestion] = []
    for action in plan.actions:
        gap = action.gap
        result = result_of[gap.tactic.id]
        answer = result.answer
        level = titles.get(answer.level or "", "") if answer else ""
        # 0.0 and -0.0 are one key to a cache but print apart ("-0"): zero is not cached.
        answered = _answered if gap.score else _answered_line
        why = [answered(level, gap.score), f"Expected gain: {gap.gain_formula}."]
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
        if result.reason:
            why.append(result.reason)
        out.append(Suggestion(action.rank, gap, tuple(why)))
    return tuple(out)
