"""Load, merge and validate rubrics.

A rubric is a YAML file checked against ``schemas/rubric.schema.json``. A
consultant's rubric may ``extends:`` another (a built-in name or a path) and
override items by id: an item whose id exists gets the keys it gives
replaced, a new id is appended, ``remove:`` deletes by id. The merged result
is checked as a whole, and every problem points at the file, line and column
of the value that caused it, whichever file of the chain that is.
"""

from __future__ import annotations

import difflib
import os
import stat
from functools import cache
from pathlib import Path
from typing import Any

from cycleaudit.datafiles import builtin_real_path, builtin_rubrics
from cycleaudit.errors import InputError, Problem, shorten
from cycleaudit.formats import rubriccache, rubricchecks, rubricmerge, schemacheck
from cycleaudit.formats.evidence import evidence_settings, months
from cycleaudit.formats.yamlsource import DocPath, Document, load_file
from cycleaudit.model import (
    Asset,
    Balance,
    Capacity,
    Grade,
    Level,
    MoneyLever,
    PlanRules,
    Quadrant,
    Rubric,
    Rule,
    Source,
    Stage,
    Tactic,
)


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


def confined_reference_problem(ref: str, folder: Path) -> str:
    """Why a questionnaire may not use rubric file ``ref`` ("" when it may).

    Allowed: a regular file in or under the questionnaire's folder, or under
    the folder the command runs in (a consultant's ``clients/acme/q.yaml``
    naming ``../../rubrics/mine.yaml``), symlinks resolved. Not allowed:
    absolute paths, ``..`` climbing out of both, devices, FIFOs, /proc.
    """
    candidate = Path(ref)
    if candidate.is_absolute() or ref.startswith("~") or "\x00" in ref:
        return "is an absolute path; a questionnaire may only name a file in its own folder"
    real = Path(os.path.realpath(folder / candidate))
    roots = (Path(os.path.realpath(folder)), Path(os.path.realpath(Path.cwd())))
    if not any(real.is_relative_to(root) for root in roots):
        return "leads out of the questionnaire's folder"
    try:
        info = os.stat(real)
    except OSError:
        return ""  # missing: the loader says so, with the folder it looked in
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file"
    return ""


def load_rubric(ref: str | Path, *, relative_to: Path | None = None) -> Rubric:
    """Load a rubric by built-in name or path; raise ``InputError`` on any problem."""
    path = ref if isinstance(ref, Path) else resolve_reference(ref, relative_to, None, ())
    real = builtin_real_path(path) or path.resolve()
    try:
        info = os.stat(real)
    except OSError:
        info = None
    stamp = info.st_mtime_ns if info is not None and stat.S_ISREG(info.st_mode) else 0
    return _load_cached(real, stamp, display_name(path))


@cache
def _load_cached(real: Path, _stamp: int, display: str) -> Rubric:
    # Keyed by modification time so a batch reuses one rubric but an edit is seen.
    remembered = rubriccache.lookup(real)
    if remembered is not None:
        data, lineage, files = remembered
        try:
            return _build(Document(display, data), lineage, files)
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # an entry that does not build is a miss: load and check the files

    document, lineage, files = _load_chain(real, display, ())
    schemacheck.check(document, "rubric")
    problems = list(rubricchecks.semantic_problems(document))
    if problems:
        raise InputError(sorted(problems, key=Problem.sort_key))
    rubriccache.store(real, files, document.data, lineage)
    return _build(document, lineage, files)


def load_document(path: Path) -> Document:
    """The merged, schema-checked rubric document (used by ``rubric show`` and tests)."""
    document, _, _ = _load_chain(path.resolve(), display_name(path), ())
    schemacheck.check(document, "rubric")
    return document


def _rubric_file(real: Path, display: str) -> Document:
    """A file of a rubric chain; anything else is named, never quoted."""
    document = load_file(real, display)
    if "cycleaudit-rubric" not in document.data:
        # Its keys are not repeated in messages: the file may be anything
        # (/proc/self/status, someone's notes), so say only what it is not.
        raise InputError.single(
            display,
            1,
            1,
            "this file is not a cycleaudit rubric (no `cycleaudit-rubric: 1` line)",
            "check the path of the rubric",
        )
    # Checked before the schema, which would otherwise walk every item first.
    for key, value in document.data.items():
        if isinstance(value, list) and len(value) > MAX_ITEMS:
            raise InputError(
                [
                    document.problem(
                        (key,),
                        f"'{key}' holds {len(value):,} items; a rubric holds at most {MAX_ITEMS:,}",
                        "split the rubric or remove generated entries",
                        at_key=True,
                    )
                ]
            )
    return document


MAX_ITEMS = 2000  # the default rubric has about 60 tactics


MAX_EXTENDS = 20  # a consultant's chain is two or three files long


def _load_chain(
    real: Path, display: str, chain: tuple[tuple[Path, Document], ...]
) -> tuple[Document, tuple[str, ...], tuple[Path, ...]]:
    """The merged document, the ids it extends (nearest first) and every file read.

    Walked with a loop, not recursion, and capped: a chain of a thousand files
    must end in a positioned message, not a crash.
    """
    links = list(chain)
    document = _rubric_file(real, display)
    while isinstance(document.data.get("extends"), str):
        schemacheck.check_with(document, rubricmerge.overlay_validator())
        base_path = resolve_reference(document.data["extends"], real.parent, document, ("extends",))
        base_real = base_path.resolve()
        links.append((real, document))
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
        if len(links) >= MAX_EXTENDS:
            raise InputError(
                [
                    document.problem(
                        ("extends",),
                        f"rubrics extend each other more than {MAX_EXTENDS} levels deep",
                        "extend a rubric nearer the built-in one",
                    )
                ]
            )
        real, document = base_real, _rubric_file(base_real, display_name(base_path))
    merged = document
    lineage: tuple[str, ...] = ()
    files: tuple[Path, ...] = (real,)
    for path, overlay in reversed(links[len(chain) :]):
        base_id = str(merged.data.get("id", real.stem))
        merged = rubricmerge.merge(merged, overlay)
        lineage, files = (base_id, *lineage), (path, *files)
        real = path
    return merged, lineage, files


def _build(document: Document, lineage: tuple[str, ...], files: tuple[Path, ...]) -> Rubric:
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
    tactics = tuple(_tactic(t, stage_side[t["stage"]], levels[0].id) for t in data["tactics"])
    sources = tuple(
        Source(
            id=s["id"],
            title=s["title"],
            author=s.get("author", ""),
            publisher=s.get("publisher", ""),
            year=s.get("year", ""),
            note=s.get("note", ""),
            url=s.get("url", ""),
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
        similar_ratio=float(b.get("similar-ratio", 1)),
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
        in_place_from=data.get("in-place-from", ""),
        plan=_plan_rules(data.get("plan")),
        files=tuple(str(path) for path in files),
        **evidence_settings(data.get("evidence")),
    )


# For a rubric without ``plan:`` (the schema leaves it optional): the default
# rubric's rules, so older rubrics keep working.
DEFAULT_PLAN_RULES = PlanRules(
    capacity=(
        Capacity(1, 2),
        Capacity(5, 4),
        Capacity(20, 6),
        Capacity(None, 8),
    ),
    assumed_team_size=3,
    first_actions=3,
    fix_first=3,
    quadrants=(
        Quadrant("quick-win", "Quick wins", "High value for little effort.", ("high",), ("low",)),
        Quadrant(
            "big-bet", "Big bets", "High value for real effort.", ("high",), ("medium", "high")
        ),
        Quadrant(
            "steady", "Steady gains", "Some value for some effort.", ("medium",), ("low", "medium")
        ),
        Quadrant("fill-in", "Fill-ins", "Small value for little effort.", ("low",), ("low",)),
        Quadrant(
            "reconsider",
            "Reconsider",
            "Little value for the effort.",
            ("low", "medium"),
            ("medium", "high"),
        ),
    ),
)


def _plan_rules(p: dict[str, Any] | None) -> PlanRules:
    if not p:
        return DEFAULT_PLAN_RULES
    return PlanRules(
        capacity=tuple(
            Capacity(up_to_team=c.get("up-to-team"), effort_per_phase=int(c["effort-per-phase"]))
            for c in p["capacity"]
        ),
        assumed_team_size=int(p["assumed-team-size"]),
        first_actions=int(p["first-actions"]),
        fix_first=int(p["fix-first"]),
        quadrants=tuple(
            Quadrant(
                id=q["id"],
                title=q["title"],
                text=q["text"],
                impact=tuple(q["impact"]),
                effort=tuple(q["effort"]),
            )
            for q in p["quadrants"]
        ),
    )


def _tactic(t: dict[str, Any], stage_side: str, lowest_level: str) -> Tactic:
    side = t.get("side", stage_side)
    asset = t.get("asset")
    lever = t.get("money")
    # `first-step` is one text or a text per current level; the step from
    # nothing is the lowest level's (or the first one given).
    steps = t["first-step"]
    by_level: dict[str, str] = dict(steps) if isinstance(steps, dict) else {}
    plain = steps if isinstance(steps, str) else steps.get(lowest_level, next(iter(steps.values())))
    return Tactic(
        evidence_valid_months=months(t.get("evidence-valid-for")),
        id=t["id"],
        stage=t["stage"],
        side=side,
        title=t["title"],
        question=t["question"],
        levels=dict(t["levels"]),
        advice=t["advice"],
        first_step=plain,
        first_steps=by_level,
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
            needs=tuple(lever.get("needs", [])),
            purchase=tuple(lever.get("purchase", [])),
        )
        if lever
        else None,
        measures=tuple(t.get("measures", [])),
    )
