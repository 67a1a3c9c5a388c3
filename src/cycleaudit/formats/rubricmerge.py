"""Merge a rubric overlay onto its base by id, keeping every value's file and position.

An item whose id exists gets the keys it gives replaced, a new id is
appended, ``remove:`` deletes by id; every merged value remembers which file
of the chain it came from, so problems point at the right file.
"""

from __future__ import annotations

import copy
from typing import Any

import jsonschema

from cycleaudit.errors import InputError, Problem, shorten
from cycleaudit.formats import schemacheck
from cycleaudit.formats.rubricchecks import LIST_SECTIONS, SINGULAR, suggest
from cycleaudit.formats.yamlsource import DocPath, Document

# Top-level mappings an overlay patches key by key (the rest it replaces whole).
MAPPING_SECTIONS = ("balance", "plan")


def overlay_validator() -> jsonschema.Draft202012Validator:
    """The shipped rubric schema: with `extends` it asks only for ids in item patches.

    The schema says so itself (``if``/``then`` on ``extends``), so editors and
    check-jsonschema accept an overlay exactly as the loader does.
    """
    return schemacheck.validator("rubric")


def _repeated_ids(overlay: Document) -> list[Problem]:
    """An overlay lists each id once per section: a second patch is a mistake, not a merge."""
    problems = []
    for section in LIST_SECTIONS:
        first: dict[Any, int] = {}
        for j, patch in enumerate(overlay.data.get(section, [])):
            item_id = patch.get("id")
            if item_id in first:
                line = overlay.position((section, first[item_id], "id"))[0]
                problems.append(
                    overlay.problem(
                        (section, j, "id"),
                        f"{SINGULAR[section]} {shorten(item_id)} is listed twice in this "
                        f"overlay (first on line {line})",
                        "put all its changes in one entry",
                    )
                )
            else:
                first[item_id] = j
    return problems


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
    repeated = _repeated_ids(overlay)
    if repeated:
        raise InputError(repeated)

    for key in base.data:
        if key not in overlay.data and key not in LIST_SECTIONS:
            data[key] = copy.deepcopy(base.data[key])
    for key, value in overlay.data.items():
        if key in LIST_SECTIONS or key in MAPPING_SECTIONS:
            continue
        data[key] = copy.deepcopy(value)
    for section in MAPPING_SECTIONS:
        if section in base.data or section in overlay.data:
            data[section] = {**base.data.get(section, {}), **overlay.data.get(section, {})}

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
                        suggest(removed, index_of),
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
        if (
            head in MAPPING_SECTIONS
            and len(path) >= 2
            and path[1] in overlay.data.get(str(head), {})
        ):
            return None
        if head in overlay.data and head not in LIST_SECTIONS and head not in MAPPING_SECTIONS:
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
