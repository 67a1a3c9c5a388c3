"""The checks a rubric must pass beyond its schema: unique ids, references, conditions, circles."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from cycleaudit.engine import conditions, money
from cycleaudit.errors import Problem, shorten
from cycleaudit.formats import schemacheck
from cycleaudit.formats import suggest as suggestions
from cycleaudit.formats.yamlsource import DocPath, Document

LIST_SECTIONS = ("levels", "stages", "tactics", "sources", "grades", "rules")
SINGULAR = {
    "levels": "level",
    "stages": "stage",
    "tactics": "tactic",
    "sources": "source",
    "grades": "grade",
    "rules": "rule",
}
ANSWER_STATES = ("na", "unknown")


def _organisation_schema() -> dict[str, Any]:
    found: dict[str, Any] = schemacheck.schema("questionnaire")["properties"]["organisation"]
    return found


@cache
def known_metrics() -> tuple[str, ...]:
    names = [
        n for n in _organisation_schema()["properties"]["metrics"]["properties"] if n != "currency"
    ]
    return (*names, *money.DERIVED_METRICS)


@cache
def profile_choices() -> dict[str, tuple[str, ...]]:
    """Profile keys (from the questionnaire schema) and their fixed values, if any."""
    out: dict[str, tuple[str, ...]] = {}
    for key, spec in _organisation_schema()["properties"]["profile"]["properties"].items():
        enum: list[str] = spec.get("enum") or next(
            (branch["enum"] for branch in spec.get("anyOf", []) if "enum" in branch), []
        )
        out[key] = tuple(enum)
    return out


def suggest(word: str, options: Iterable[Any]) -> str:
    return suggestions.did_you_mean(str(word), [str(o) for o in options if o])


# ----------------------------------------------------------- semantic checks


def semantic_problems(document: Document) -> Iterable[Problem]:
    data = document.data
    ids: dict[str, dict[str, int]] = {}
    for section in LIST_SECTIONS:
        ids[section] = {}
        for index, item in enumerate(data.get(section, [])):
            item_id = item["id"]
            if item_id in ids[section]:
                first = document.position((section, ids[section][item_id], "id"))
                yield document.problem(
                    (section, index, "id"),
                    f"duplicate {SINGULAR[section]} id {shorten(item_id)} "
                    f"(first used on line {first[0]})",
                    "give each one its own id",
                )
            else:
                ids[section][item_id] = index
    levels = ids["levels"]
    stages = {stage["id"]: stage for stage in data["stages"]}
    level_scores = {level["id"]: level["score"] for level in data["levels"]}

    def ref(path: DocPath, value: str, section: str, what: str) -> Iterable[Problem]:
        if value not in ids[section]:
            yield document.problem(
                path,
                f"unknown {what} {shorten(value)}",
                suggest(value, ids[section])
                or f"it must be the id of one of the rubric's {section}",
            )

    for index, tactic in enumerate(data["tactics"]):
        base: DocPath = ("tactics", index)
        yield from ref((*base, "stage"), tactic["stage"], "stages", "stage")
        stage = stages.get(tactic["stage"])
        if stage is not None and stage["side"] == "sale" and "side" not in tactic:
            yield document.problem(
                base,
                f"tactic {shorten(tactic['id'])} needs a side",
                "its stage bridges both sides: add `side: on-sales` or `side: off-sales`",
                at_key=True,
            )
        for level_id in tactic["levels"]:
            if level_id not in levels:
                yield document.problem(
                    (*base, "levels", level_id),
                    f"unknown level {shorten(level_id)}",
                    suggest(level_id, levels),
                    at_key=True,
                )
        for level_id in levels:
            if level_id not in tactic["levels"]:
                yield document.problem(
                    (*base, "levels"),
                    f"no description of level {shorten(level_id)} for this tactic",
                    f"add `{level_id}: ...` saying what that level looks like",
                    at_key=True,
                )
        steps = tactic["first-step"]
        for level_id in steps if isinstance(steps, dict) else ():
            if level_id not in levels:
                yield document.problem(
                    (*base, "first-step", level_id),
                    f"first step for unknown level {shorten(level_id)}",
                    suggest(level_id, levels) or "use one of: " + ", ".join(levels),
                    at_key=True,
                )
        for r, required in enumerate(tactic.get("requires", [])):
            yield from ref((*base, "requires", r), required, "tactics", "tactic")
            if required == tactic["id"]:
                yield document.problem((*base, "requires", r), "a tactic cannot require itself")
        for s, source in enumerate(tactic.get("sources", [])):
            yield from ref((*base, "sources", s), source, "sources", "source")
        if "applies-when" in tactic:
            yield from _condition_problems(
                document, (*base, "applies-when"), tactic["applies-when"], ids, level_scores
            )
        lever = tactic.get("money")
        if lever and lever["kind"] == "points" and lever["metric"] not in money.RATE_METRICS:
            yield document.problem(
                (*base, "money", "kind"),
                f"{lever['metric']} is not a rate, so it cannot move by points",
                "use `kind: relative`",
            )
    for index, rule in enumerate(data.get("rules", [])):
        base = ("rules", index)
        yield from _condition_problems(document, (*base, "when"), rule["when"], ids, level_scores)
        for t, tactic_id in enumerate(rule.get("tactics", [])):
            yield from ref((*base, "tactics", t), tactic_id, "tactics", "tactic")
        for s, source in enumerate(rule.get("sources", [])):
            yield from ref((*base, "sources", s), source, "sources", "source")
    if data["grades"] and min(grade["min"] for grade in data["grades"]) > 0:
        yield document.problem(
            ("grades",),
            "no grade covers a score of 0",
            "give the lowest grade `min: 0`",
            at_key=True,
        )
    if "in-place-from" in data:
        yield from ref(("in-place-from",), data["in-place-from"], "levels", "level")
    yield from _plan_problems(document, data.get("plan"))
    yield from _cycle_problems(document, data["tactics"])


def _plan_problems(document: Document, plan: dict[str, Any] | None) -> Iterable[Problem]:
    """Every impact-by-effort cell of the matrix needs a quadrant."""
    if not plan or "quadrants" not in plan:
        return
    ratings = ("low", "medium", "high")
    uncovered = [
        f"{impact} impact with {effort} effort"
        for impact in ratings
        for effort in ratings
        if not any(impact in q["impact"] and effort in q["effort"] for q in plan["quadrants"])
    ]
    if uncovered:
        yield document.problem(
            ("plan", "quadrants"),
            "no quadrant holds " + ", ".join(uncovered),
            "list each impact and effort in one of the quadrants",
            at_key=True,
        )


def _condition_problems(
    document: Document,
    path: DocPath,
    condition: dict[str, Any],
    ids: dict[str, dict[str, int]],
    level_scores: dict[str, float],
) -> Iterable[Problem]:
    metrics = known_metrics()
    for leaf_path, leaf in conditions.leaves(condition):
        at: DocPath = (*path, *leaf_path)
        if "profile" in leaf:
            yield from _profile_leaf_problems(document, at, leaf)
        if "answer" in leaf:
            if leaf["answer"] not in ids["tactics"]:
                yield document.problem(
                    (*at, "answer"),
                    f"unknown tactic {shorten(leaf['answer'])}",
                    suggest(leaf["answer"], ids["tactics"]),
                )
            allowed = (*level_scores, *ANSWER_STATES) if "in" in leaf else tuple(level_scores)
            values = leaf.get("in", [leaf.get("below"), leaf.get("at-least")])
            key = "in" if "in" in leaf else ("below" if "below" in leaf else "at-least")
            for v, value in enumerate(values):
                if value is not None and value not in allowed:
                    where = (*at, key, v) if key == "in" else (*at, key)
                    yield document.problem(
                        where,
                        f"unknown level {shorten(value)}",
                        suggest(value, allowed) or "use one of: " + ", ".join(allowed),
                    )
        if "score" in leaf:
            for key in ("score", "minus"):
                target = leaf.get(key)
                if (
                    isinstance(target, str)
                    and target.startswith("stage:")
                    and target[6:] not in ids["stages"]
                ):
                    yield document.problem(
                        (*at, key),
                        f"unknown stage {shorten(target[6:])}",
                        suggest(target[6:], ids["stages"]),
                    )
        if "metric" in leaf and leaf["metric"] not in metrics:
            yield document.problem(
                (*at, "metric"),
                f"unknown metric {shorten(leaf['metric'])}",
                suggest(leaf["metric"], metrics),
            )


def _profile_leaf_problems(
    document: Document, at: DocPath, leaf: Mapping[str, Any]
) -> Iterable[Problem]:
    choices = profile_choices()
    key = leaf["profile"]
    if key not in choices:
        yield document.problem(
            (*at, "profile"),
            f"unknown profile key {shorten(key)}",
            suggest(key, choices) or "use one of: " + ", ".join(choices),
        )
        return
    allowed = choices[key]
    if not allowed:
        return  # free values (team-size, sector)
    tested: list[tuple[DocPath, Any]] = [(("in", i), v) for i, v in enumerate(leaf.get("in", []))]
    if "is" in leaf:
        tested.append((("is",), leaf["is"]))
    for where, value in tested:
        if value not in allowed:
            yield document.problem(
                (*at, *where),
                f"{shorten(value)} is not a value of the profile key {key}",
                suggest(str(value), allowed) or "use one of: " + ", ".join(allowed),
            )


def _cycle_problems(document: Document, tactics: list[dict[str, Any]]) -> Iterable[Problem]:
    index = {t["id"]: i for i, t in enumerate(tactics)}
    requires = {t["id"]: [r for r in t.get("requires", []) if r in index] for t in tactics}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    reported: set[frozenset[str]] = set()
    for start in requires:
        if state.get(start):
            continue
        # Iterative depth-first search: a long chain must not hit the recursion limit.
        stack: list[tuple[str, int]] = [(start, 0)]
        trail: list[str] = [start]
        state[start] = 1
        while stack:
            node, next_child = stack[-1]
            children = requires[node]
            if next_child >= len(children):
                stack.pop()
                trail.pop()
                state[node] = 2
                continue
            stack[-1] = (node, next_child + 1)
            child = children[next_child]
            if state.get(child) == 1:
                loop = trail[trail.index(child) :]
                key = frozenset(loop)
                if key not in reported:
                    reported.add(key)
                    position = tactics[index[node]]["requires"].index(child)
                    names = " → ".join([*loop, child])
                    yield document.problem(
                        ("tactics", index[node], "requires", position),
                        f"tactics require each other in a circle: {names}",
                        "remove one of these `requires` entries",
                    )
            elif not state.get(child):
                state[child] = 1
                stack.append((child, 0))
                trail.append(child)


# ---------------------------------------------------------------- building
