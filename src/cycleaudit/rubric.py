"""Load, merge and validate rubrics.

A rubric is a YAML file checked against ``schemas/rubric.schema.json``. A
consultant's rubric may ``extends:`` another (a built-in name or a path) and
override items by id: an item whose id exists gets the keys it gives
replaced, a new id is appended, ``remove:`` deletes by id. The merged result
is checked as a whole, and every problem points at the file, line and column
of the value that caused it, whichever file of the chain that is.
"""

from __future__ import annotations

import copy
import difflib
import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from cycleaudit import conditions, money, schemacheck, validcache
from cycleaudit.datafiles import builtin_rubrics
from cycleaudit.errors import InputError, Problem, shorten
from cycleaudit.model import (
    Asset,
    Balance,
    Grade,
    Level,
    MoneyLever,
    Rubric,
    Rule,
    Source,
    Stage,
    Tactic,
)
from cycleaudit.yamlsource import DocPath, Document, load_file

LIST_SECTIONS = ("levels", "stages", "tactics", "sources", "grades", "rules")
SINGULAR = {
    "levels": "level",
    "stages": "stage",
    "tactics": "tactic",
    "sources": "source",
    "grades": "grade",
    "rules": "rule",
}
PROFILE_KEYS = ("model", "offering", "channel", "purchase", "team-size", "sector")
ANSWER_STATES = ("na", "unknown")


@cache
def known_metrics() -> tuple[str, ...]:
    metric_schema = schemacheck.schema("questionnaire")["properties"]["organisation"]
    names = [n for n in metric_schema["properties"]["metrics"]["properties"] if n != "currency"]
    return (*names, *money.DERIVED_METRICS)


def display_name(path: Path) -> str:
    """A path as the user gave it (tidied), so editors and terminals can open it."""
    return os.path.normpath(str(path))


def is_builtin_name(ref: str) -> bool:
    return "/" not in ref and "\\" not in ref and not ref.endswith((".yaml", ".yml"))


def resolve_reference(
    ref: str, relative_to: Path | None, document: Document | None, path: DocPath
) -> Path:
    """Turn ``default`` or ``../rubrics/mine.yaml`` into a file path, or explain why not."""
    if is_builtin_name(ref):
        builtins = builtin_rubrics()
        if ref in builtins:
            return builtins[ref]
        names = sorted(builtins)
        close = difflib.get_close_matches(ref, names, n=1)
        hint = (
            f"did you mean {shorten(close[0])}?"
            if close
            else ("built-in rubrics: " + ", ".join(names) + "; or give a path to a .yaml file")
        )
        message = f"unknown rubric {shorten(ref)}"
        if document is None:
            raise InputError.single(ref, 1, 1, message, hint)
        raise InputError([document.problem(path, message, hint)])
    candidate = Path(ref)
    if not candidate.is_absolute() and relative_to is not None:
        candidate = relative_to / candidate
    if not candidate.is_file():
        message = f"rubric file {shorten(ref)} not found"
        hint = f"the path is read relative to {display_name(relative_to)}" if relative_to else ""
        if document is None:
            raise InputError.single(ref, 1, 1, message, hint)
        raise InputError([document.problem(path, message, hint)])
    return candidate


def load_rubric(ref: str | Path, *, relative_to: Path | None = None) -> Rubric:
    """Load a rubric by built-in name or path; raise ``InputError`` on any problem."""
    path = ref if isinstance(ref, Path) else resolve_reference(ref, relative_to, None, ())
    real = path.resolve()
    stamp = real.stat().st_mtime_ns if real.is_file() else 0
    return _load_cached(real, stamp, display_name(path))


@cache
def _load_cached(real: Path, _stamp: int, display: str) -> Rubric:
    # Keyed by modification time so a batch reuses one rubric but an edit is seen.
    remembered = validcache.lookup(real)
    if remembered is not None:
        data, lineage = remembered
        return _build(Document(display, data), lineage)
    document, lineage, files = _load_chain(real, display, ())
    schemacheck.check(document, "rubric")
    problems = list(_semantic_problems(document))
    if problems:
        raise InputError(sorted(problems, key=Problem.sort_key))
    validcache.store(real, files, document.data, lineage)
    return _build(document, lineage)


def load_document(path: Path) -> Document:
    """The merged, schema-checked rubric document (used by ``rubric show`` and tests)."""
    document, _, _ = _load_chain(path.resolve(), display_name(path), ())
    schemacheck.check(document, "rubric")
    return document


def _load_chain(
    real: Path, display: str, chain: tuple[tuple[Path, Document], ...]
) -> tuple[Document, tuple[str, ...], tuple[Path, ...]]:
    """The merged document, the ids it extends (nearest first) and every file read."""
    document = load_file(real, display)
    if not isinstance(document.data.get("extends"), str):
        return document, (), (real,)
    schemacheck.check_with(document, _overlay_validator())
    base_path = resolve_reference(document.data["extends"], real.parent, document, ("extends",))
    base_real = base_path.resolve()
    links = [*chain, (real, document)]
    seen = [path for path, _ in links]
    if base_real in seen:
        # Point at the extends line where the circle starts: the file the user asked about.
        start = seen.index(base_real)
        names = " → ".join(display_name(p) for p in [*seen[start:], base_real])
        raise InputError(
            [
                links[start][1].problem(
                    ("extends",),
                    f"rubrics extend each other in a circle: {names}",
                    "remove one of the `extends:` lines",
                )
            ]
        )
    base, lineage, files = _load_chain(
        base_real, display_name(base_path), (*chain, (real, document))
    )
    base_id = str(base.data.get("id", base_path.stem))
    return merge(base, document), (base_id, *lineage), (real, *files)


@cache
def _overlay_validator() -> jsonschema.Draft202012Validator:
    """The rubric schema, loosened so an overlay item needs only its id."""
    loose = copy.deepcopy(schemacheck.schema("rubric"))
    loose["required"] = ["cycleaudit-rubric", "id", "version", "extends"]
    for section in LIST_SECTIONS:
        loose["properties"][section].pop("minItems", None)
        loose["$defs"][SINGULAR[section]]["required"] = ["id"]
    loose["$defs"]["balance"]["required"] = []
    return jsonschema.Draft202012Validator(loose)


def merge(base: Document, overlay: Document) -> Document:
    """Apply an overlay's items, by id, to a base rubric; keep every value's position."""
    data: dict[str, Any] = {}
    out = Document(file=overlay.file, data=data, path=overlay.path)
    problems: list[Problem] = []
    # For each section: old index in base -> new index, and overlay index -> new index.
    base_moves: dict[str, dict[int, int]] = {}
    overlay_moves: dict[str, dict[int, int]] = {}
    overridden: dict[tuple[str, int], set[str]] = {}
    removals: dict[str, Any] = overlay.data.get("remove", {}) or {}

    for key in base.data:
        if key not in overlay.data and key not in LIST_SECTIONS:
            data[key] = copy.deepcopy(base.data[key])
    for key, value in overlay.data.items():
        if key in LIST_SECTIONS or key == "balance":
            continue
        data[key] = copy.deepcopy(value)
    if "balance" in base.data or "balance" in overlay.data:
        data["balance"] = {**base.data.get("balance", {}), **overlay.data.get("balance", {})}

    for section in LIST_SECTIONS:
        items: list[dict[str, Any]] = copy.deepcopy(base.data.get(section, []))
        index_of = {item.get("id"): i for i, item in enumerate(items)}
        keep = list(range(len(items)))
        for r, removed in enumerate(removals.get(section, [])):
            if removed not in index_of:
                problems.append(
                    overlay.problem(
                        ("remove", section, r),
                        f"cannot remove {SINGULAR[section]} {shorten(removed)}: "
                        "the base rubric has none",
                        _suggest(removed, index_of),
                    )
                )
            else:
                keep.remove(index_of[removed])
        merged = [items[i] for i in keep]
        base_moves[section] = {old: new for new, old in enumerate(keep)}
        overlay_moves[section] = {}
        position_of = {item.get("id"): i for i, item in enumerate(merged)}
        for j, patch in enumerate(overlay.data.get(section, [])):
            item_id = patch.get("id")
            if item_id in position_of:
                target = position_of[item_id]
                merged[target] = {**merged[target], **copy.deepcopy(patch)}
                old = _old_index(base_moves[section], target)
                overridden.setdefault((section, old), set()).update(patch)
            else:
                target = len(merged)
                merged.append(copy.deepcopy(patch))
                position_of[item_id] = target
            overlay_moves[section][j] = target
        if section in base.data or section in overlay.data:
            data[section] = merged
    data.pop("extends", None)
    data.pop("remove", None)
    if problems:
        raise InputError(problems)

    def base_target(path: DocPath) -> DocPath | None:
        if not path:
            return path
        head = path[0]
        if head in LIST_SECTIONS and len(path) >= 2:
            assert isinstance(head, str) and isinstance(path[1], int)
            new = base_moves[head].get(path[1])
            if new is None:
                return None
            if len(path) >= 3 and path[2] in overridden.get((head, path[1]), set()):
                return None
            return (head, new, *path[2:])
        if head == "balance" and len(path) >= 2 and path[1] in overlay.data.get("balance", {}):
            return None
        if head in overlay.data and head not in LIST_SECTIONS and head != "balance":
            return None
        return path

    def overlay_target(path: DocPath) -> DocPath | None:
        if len(path) >= 2 and path[0] in LIST_SECTIONS:
            head = path[0]
            assert isinstance(head, str) and isinstance(path[1], int)
            return (head, overlay_moves[head][path[1]], *path[2:])
        if path and path[0] in LIST_SECTIONS:
            return None  # keep the base's position for the list itself
        return path

    _relocate(base, base_target, out)
    _relocate(overlay, overlay_target, out)
    return out


def _old_index(moves: dict[int, int], new: int) -> int:
    for old, target in moves.items():
        if target == new:
            return old
    return -1  # an item added by an earlier overlay patch: nothing in base to hide


def _relocate(source: Document, target: Any, out: Document) -> None:
    for table, out_table in (
        (source.positions, out.positions),
        (source.key_positions, out.key_positions),
    ):
        for path, position in table.items():
            new = target(path)
            if new is None:
                continue
            out_table[new] = position
            out.files[new] = source.file_for(path)


def _suggest(word: str, options: Iterable[Any]) -> str:
    close = difflib.get_close_matches(str(word), [str(o) for o in options if o], n=1)
    return f"did you mean {shorten(close[0])}?" if close else ""


# ----------------------------------------------------------- semantic checks


def _semantic_problems(document: Document) -> Iterable[Problem]:
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
                _suggest(value, ids[section])
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
                    _suggest(level_id, levels),
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
    yield from _cycle_problems(document, data["tactics"])


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
        if "profile" in leaf and leaf["profile"] not in PROFILE_KEYS:
            yield document.problem(
                (*at, "profile"),
                f"unknown profile key {shorten(leaf['profile'])}",
                _suggest(leaf["profile"], PROFILE_KEYS) or "use one of: " + ", ".join(PROFILE_KEYS),
            )
        if "answer" in leaf:
            if leaf["answer"] not in ids["tactics"]:
                yield document.problem(
                    (*at, "answer"),
                    f"unknown tactic {shorten(leaf['answer'])}",
                    _suggest(leaf["answer"], ids["tactics"]),
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
                        _suggest(value, allowed) or "use one of: " + ", ".join(allowed),
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
                        _suggest(target[6:], ids["stages"]),
                    )
        if "metric" in leaf and leaf["metric"] not in metrics:
            yield document.problem(
                (*at, "metric"),
                f"unknown metric {shorten(leaf['metric'])}",
                _suggest(leaf["metric"], metrics),
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


def _build(document: Document, lineage: tuple[str, ...]) -> Rubric:
    data = document.data
    stages = tuple(
        Stage(
            id=s["id"],
            title=s["title"],
            side=s["side"],
            weight=float(s.get("weight", 1)),
            summary=s["summary"],
        )
        for s in data["stages"]
    )
    stage_side = {stage.id: stage.side for stage in stages}
    levels = tuple(
        Level(
            id=lv["id"], title=lv["title"], score=float(lv["score"]), description=lv["description"]
        )
        for lv in sorted(data["levels"], key=lambda lv: lv["score"])
    )
    tactics = tuple(_tactic(t, stage_side[t["stage"]]) for t in data["tactics"])
    sources = tuple(
        Source(
            id=s["id"],
            title=s["title"],
            author=s.get("author", ""),
            publisher=s.get("publisher", ""),
            year=s.get("year", ""),
            note=s.get("note", ""),
        )
        for s in data.get("sources", [])
    )
    grades = tuple(
        Grade(id=g["id"], minimum=float(g["min"]), label=g["label"], meaning=g["meaning"])
        for g in sorted(data["grades"], key=lambda g: -g["min"])
    )
    rules = tuple(
        Rule(
            id=r["id"],
            title=r["title"],
            kind=r.get("kind", "risk"),
            severity=r.get("severity", "medium"),
            when=r["when"],
            message=r["message"],
            first_step=r["first-step"],
            tactics=tuple(r.get("tactics", [])),
            sources=tuple(r.get("sources", [])),
        )
        for r in data.get("rules", [])
    )
    b = data["balance"]
    balance = Balance(
        threshold=float(b["threshold"]),
        on_ahead=b["on-ahead"],
        off_ahead=b["off-ahead"],
        balanced=b["balanced"],
    )
    return Rubric(
        id=data["id"],
        version=data["version"],
        title=data["title"],
        description=data.get("description", ""),
        levels=levels,
        stages=stages,
        tactics=tactics,
        sources=sources,
        grades=grades,
        rules=rules,
        balance=balance,
        origin=document.file,
        lineage=lineage,
    )


def _tactic(t: dict[str, Any], stage_side: str) -> Tactic:
    side = t.get("side", stage_side)
    asset = t.get("asset")
    lever = t.get("money")
    return Tactic(
        id=t["id"],
        stage=t["stage"],
        side=side,
        title=t["title"],
        question=t["question"],
        levels=dict(t["levels"]),
        advice=t["advice"],
        first_step=t["first-step"],
        effort=t["effort"],
        impact=t["impact"],
        weight=float(t.get("weight", 1)),
        sources=tuple(t["sources"]),
        requires=tuple(t.get("requires", [])),
        applies_when=t.get("applies-when"),
        applies_note=t.get("applies-note", ""),
        asset=Asset(title=asset["title"], kind=asset["kind"], body=asset["body"])
        if asset
        else None,
        lever=MoneyLever(
            metric=lever["metric"],
            change=float(lever["change"]),
            kind=lever["kind"],
            assumption=lever["assumption"],
        )
        if lever
        else None,
    )
