"""The rubric's small condition language, evaluated with three-valued logic.

A condition is a mapping: ``all``/``any``/``not`` of other conditions, or one
test on the profile, an answer, a score or a metric (see the rubric schema).
A test whose facts are missing (a profile key not given, an unanswered
tactic, a score that cannot be computed, a metric not supplied) is *unknown*
(``None``) rather than false, so that ``not`` of a missing fact stays unknown.
Callers decide what unknown means: a tactic whose ``applies-when`` is unknown
is assumed to apply; a rule whose ``when`` is unknown does not fire.

A profile key may hold several values (``purchase: [one-off, repeat]``), and
``both`` stands for the two values it joins. So ``is: x`` holds when ``x`` is
one of the values, and ``in: [...]`` when any value is in the list: a dealer
selling cars one-off and servicing on repeat gets the repeat-purchase
tactics. The older ``channel`` key answers for ``sales-channel`` and
``marketing-channel`` when those are not given, and ``channel`` reads
``sales-channel``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import field
from typing import Any

from cycleaudit.model import Condition
from cycleaudit.records import record

Truth = bool | None

# What an answer is, as conditions see it: a level id, "na" or "unknown".
AnswerLookup = Callable[[str], str]


@record
class Facts:
    profile: Mapping[str, Any] = field(default_factory=dict)
    answers: AnswerLookup = lambda _tactic: "unknown"
    level_scores: Mapping[str, float] = field(default_factory=dict)
    scores: Mapping[str, float | None] = field(default_factory=dict)
    metrics: Mapping[str, float] = field(default_factory=dict)


LEAF_KINDS = ("profile", "answer", "score", "metric")

# What ``both`` joins, per profile key.
BOTH: dict[str, tuple[str, ...]] = {
    "model": ("b2c", "b2b"),
    "offering": ("product", "service"),
    "sales-channel": ("online", "offline"),
    "marketing-channel": ("online", "offline"),
    "channel": ("online", "offline"),
}
# Where a profile key's value comes from when it is not given (older files).
FALLBACK: dict[str, str] = {
    "sales-channel": "channel",
    "marketing-channel": "channel",
    "channel": "sales-channel",
}


def profile_values(profile: Mapping[str, Any], key: str) -> frozenset[Any] | None:
    """Every value a profile key stands for, or None when the profile does not say."""
    raw = profile.get(key)
    if raw is None and key in FALLBACK:
        raw = profile.get(FALLBACK[key])
    if raw is None:
        return None
    values = set(raw) if isinstance(raw, (list, tuple)) else {raw}
    joined = BOTH.get(key, ())
    if "both" in values:
        values.update(joined)
    elif joined and values.issuperset(joined):
        values.add("both")
    return frozenset(values)


def evaluate(condition: Condition, facts: Facts) -> Truth:
    if "all" in condition:
        results = [evaluate(part, facts) for part in condition["all"]]
        if False in results:
            return False
        return None if None in results else True
    if "any" in condition:
        results = [evaluate(part, facts) for part in condition["any"]]
        if True in results:
            return True
        return None if None in results else False
    if "not" in condition:
        inner = evaluate(condition["not"], facts)
        return None if inner is None else not inner
    if "profile" in condition:
        return _profile(condition, facts)
    if "answer" in condition:
        return _answer(condition, facts)
    if "score" in condition:
        return _score(condition, facts)
    if "metric" in condition:
        return _metric(condition, facts)
    raise ValueError(f"unknown condition form: {sorted(condition)}")


def compiled(condition: Condition) -> Callable[[Facts], Truth]:
    """``evaluate`` for one condition, its form read once (rules are checked on every audit)."""
    if "all" in condition or "any" in condition:
        wanted = "all" in condition
        parts = [compiled(part) for part in condition["all" if wanted else "any"]]

        def combined(facts: Facts) -> Truth:
            results = [part(facts) for part in parts]
            if (not wanted) in results:
                return not wanted  # a False decides "all", a True decides "any"
            return None if None in results else wanted

        return combined
    if "not" in condition:
        inner = compiled(condition["not"])

        def negated(facts: Facts) -> Truth:
            truth = inner(facts)
            return None if truth is None else not truth

        return negated
    test = next((test for kind, test in _LEAF_TESTS if kind in condition), None)
    if test is None:
        return lambda facts: evaluate(condition, facts)  # raises, as evaluate does
    return lambda facts: test(condition, facts)


def leaves(condition: Condition) -> Iterator[tuple[tuple[str | int, ...], Condition]]:
    """Every single test in a condition, with its path inside the condition."""
    stack: list[tuple[tuple[str | int, ...], Condition]] = [((), condition)]
    while stack:
        path, node = stack.pop()
        if "all" in node or "any" in node:
            key = "all" if "all" in node else "any"
            for index, part in reversed(list(enumerate(node[key]))):
                stack.append(((*path, key, index), part))
        elif "not" in node:
            stack.append(((*path, "not"), node["not"]))
        else:
            yield path, node


def _profile(condition: Condition, facts: Facts) -> Truth:
    values = profile_values(facts.profile, condition["profile"])
    if values is None:
        return None
    if "is" in condition:
        return condition["is"] in values
    return not values.isdisjoint(condition["in"])


def _answer(condition: Condition, facts: Facts) -> Truth:
    state = facts.answers(condition["answer"])
    if "in" in condition:
        return state in condition["in"]
    if state not in facts.level_scores:
        return None  # unknown or N/A: neither below nor at least any level
    current = facts.level_scores[state]
    if "below" in condition:
        return current < facts.level_scores[condition["below"]]
    return current >= facts.level_scores[condition["at-least"]]


def _score(condition: Condition, facts: Facts) -> Truth:
    value = facts.scores.get(condition["score"])
    if value is None:
        return None
    if "minus" in condition:
        other = facts.scores.get(condition["minus"])
        if other is None:
            return None
        value -= other
    return _compare(value, condition)


def _metric(condition: Condition, facts: Facts) -> Truth:
    value = facts.metrics.get(condition["metric"])
    if condition.get("missing"):
        return value is None
    if condition.get("present"):
        return value is not None
    if value is None:
        return None
    return _compare(value, condition)


def _compare(value: float, condition: Condition) -> bool:
    if "below" in condition:
        return value < float(condition["below"])
    return value >= float(condition["at-least"])


_LEAF_TESTS: tuple[tuple[str, Callable[[Condition, Facts], Truth]], ...] = (
    ("profile", _profile),
    ("answer", _answer),
    ("score", _score),
    ("metric", _metric),
)
