"""Load and validate a team's questionnaire against its rubric.

The schema checks the shape; this module checks what only the rubric knows
(stage and tactic ids, maturity levels) and what JSON Schema cannot (that
the audit date is a real date), each at the line and column of the value.
"""

from __future__ import annotations

import copy
import datetime
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from cycleaudit.engine.prepared import prepared
from cycleaudit.errors import InputError, Problem, capped, shorten
from cycleaudit.formats import evidence, profilechecks, schemacheck, schemafast, suggest
from cycleaudit.formats.rubric import (
    confined_reference_problem,
    display_name,
    is_builtin_name,
    load_rubric,
    resolve_reference,
)
from cycleaudit.formats.yamlsource import DocPath, Document, load_file
from cycleaudit.model import Answer, Organisation, Position, Questionnaire, Rubric

FORMAT_VERSION = 1
MAX_PROBLEMS = 200  # collected per file; the CLI shows 20 unless --all
MAX_SUGGESTIONS = 50
DATE_FORM = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _schema_problems(document: Document) -> list[Problem]:
    # jsonschema spends most of its time on the dozens of small answers; when
    # every answer is plainly well formed, the rest of the file is checked by a
    # validator that skips them. Any doubt falls back to the full schema, whose
    # messages are the ones users see.
    answers = document.data.get("answers")
    if isinstance(answers, dict) and all(
        stage is None or (isinstance(stage, dict) and all(map(answer_is_valid, stage.values())))
        for stage in answers.values()
    ):
        outline_is_valid = _outline_check()
        if outline_is_valid is not None and outline_is_valid(document.data):
            return []  # what jsonschema would find too: nothing
        return schemacheck.problems_for(document, _outline_validator())
    return schemacheck.problems_for(document, schemacheck.validator("questionnaire"))


def answer_is_valid(value: Any) -> bool:
    """Whether one answer meets the schema's ``$defs/answer`` (limits read from the schema)."""
    shortest, fields = _answer_limits()
    if isinstance(value, str):
        return len(value) >= shortest
    if not isinstance(value, dict) or not value:
        return False
    for key, text in value.items():
        limits = fields.get(key)
        if limits is None or not isinstance(text, str):
            return False
        if not limits[0] <= len(text) <= limits[1]:
            return False
    return ("level" in value) != ("na" in value)


@cache
def _answer_limits() -> tuple[int, dict[str, tuple[int, float]]]:
    as_text, as_mapping = schemacheck.schema("questionnaire")["$defs"]["answer"]["anyOf"]
    fields = {
        key: (spec.get("minLength", 0), spec.get("maxLength", float("inf")))
        for key, spec in as_mapping["properties"].items()
    }
    return as_text["minLength"], fields


@cache
def _outline() -> dict[str, Any]:
    outline = copy.deepcopy(schemacheck.schema("questionnaire"))
    outline["properties"]["answers"]["additionalProperties"] = {"type": ["object", "null"]}
    return outline


@cache
def _outline_validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(_outline())


@cache
def _outline_check() -> schemafast.Check | None:
    try:
        return schemafast.compile_schema(_outline())
    except schemafast.Unsupported:
        return None  # jsonschema checks every file


def rubric_for(document: Document) -> Rubric:
    ref = document.data.get("rubric", "default")
    base = document.path.parent if document.path else Path.cwd()
    if not is_builtin_name(ref):
        # A questionnaire comes from a client: it may name a file next to it or
        # below it, nothing else (not /proc, a device, or a file up the tree).
        why = confined_reference_problem(ref, base)
        if why:
            raise InputError(
                [
                    document.problem(
                        ("rubric",),
                        f"rubric {shorten(ref)} {why}",
                        "name a built-in rubric, put the rubric file beside the "
                        "questionnaire, or give it with --rubric",
                    )
                ]
            )
    rubric_path = resolve_reference(ref, base, document, ("rubric",))
    return load_rubric(rubric_path)


def load_questionnaire(path: Path, rubric: Rubric | None = None) -> tuple[Questionnaire, Rubric]:
    """Load, validate and check a questionnaire; use its own rubric unless one is given."""
    # Report every problem in one pass, from the YAML itself to what only the
    # rubric knows, so a user fixes the file once.
    document = load_file(path, display_name(path), keep_going=True)
    if "cycleaudit-rubric" in document.data and "answers" not in document.data:
        # Eleven "unknown key" errors would hide the one mistake: the wrong kind of file.
        line, column = document.key_position(("cycleaudit-rubric",))
        raise InputError.single(
            document.file,
            line,
            column,
            "this file is a rubric, not a questionnaire",
            "give it with --rubric, or in a questionnaire's `rubric:` key",
        )
    problems = list(document.problems)
    problems += _unless_already_there(_schema_problems(document), problems)
    if rubric is None:
        if problems and not isinstance(document.data.get("rubric", "default"), str):
            raise InputError(capped(problems, MAX_PROBLEMS))
        try:
            rubric = rubric_for(document)
        except InputError as error:
            raise InputError([*problems, *error.problems]) from None
    later = sorted(
        [*_rubric_problems(document, rubric), *evidence.date_problems(document)],
        key=Problem.sort_key,
    )
    problems += _unless_already_there(later, problems)
    if problems:
        raise InputError(capped(problems, MAX_PROBLEMS))
    return _build(document, rubric), rubric


def _unless_already_there(new: list[Problem], known: list[Problem]) -> list[Problem]:
    """Drop follow-on problems at a place already explained (an alias read as empty)."""
    taken = {(p.line, p.column) for p in known}
    return [p for p in new if (p.line, p.column) not in taken]


class _Suggester:
    """ "did you mean" for the first unknown words only: each costs a difflib
    pass, and 20,000 unknown ids would take minutes for hints nobody reads."""

    def __init__(self, budget: int = MAX_SUGGESTIONS) -> None:
        self.budget = budget

    def __call__(self, word: str, options: Iterable[str]) -> str:
        if self.budget <= 0 or len(word) > 100:
            return ""
        self.budget -= 1
        return suggest.did_you_mean(word, options)


def _rubric_problems(document: Document, rubric: Rubric) -> Iterable[Problem]:
    _suggest = _Suggester()
    data = document.data
    organisation = data.get("organisation")
    audited = organisation.get("audited") if isinstance(organisation, dict) else None
    if isinstance(audited, str) and DATE_FORM.match(audited):
        try:
            datetime.date.fromisoformat(audited)
        except ValueError:
            yield document.problem(
                ("organisation", "audited"),
                f"{shorten(audited)} is not a real date",
                "check the month and day",
            )
    if isinstance(organisation, dict):
        yield from profilechecks.problems(document, organisation)
    answers_by_stage = data.get("answers")
    if not isinstance(answers_by_stage, dict):
        return
    tables = prepared(rubric)  # the rubric's ids, gathered once per rubric
    stage_ids, level_ids, tactic_stage = tables.stage_ids, tables.level_order, tables.tactic_stage
    level_set = tables.level_scores  # level ids, for membership
    in_stage_of: dict[str, list[str]] = {}
    for stage_id, answers in answers_by_stage.items():
        if stage_id not in stage_ids:
            yield document.problem(
                ("answers", stage_id),
                f"unknown stage {shorten(stage_id)}",
                _suggest(stage_id, stage_ids) or "stages: " + ", ".join(stage_ids),
                at_key=True,
            )
            continue
        if not isinstance(answers, dict):
            continue
        for tactic_id, answer in answers.items():
            if (
                type(answer) is str
                and answer in level_set
                and tactic_stage.get(tactic_id) == stage_id
            ):
                continue  # most answers: a known tactic in its stage, at a known level
            path: DocPath = ("answers", stage_id, tactic_id)
            if tactic_id not in tactic_stage:
                if stage_id not in in_stage_of:
                    in_stage_of[stage_id] = [t.id for t in rubric.tactics_in(stage_id)]
                in_stage = in_stage_of[stage_id]
                yield document.problem(
                    path,
                    f"unknown tactic {shorten(tactic_id)} in stage {stage_id}",
                    _suggest(tactic_id, in_stage)
                    or _suggest(tactic_id, tactic_stage)
                    or "run `cycleaudit init` to see every tactic",
                    at_key=True,
                )
                continue
            if tactic_stage[tactic_id] != stage_id:
                yield document.problem(
                    path,
                    f"tactic {shorten(tactic_id)} belongs to stage "
                    f"{tactic_stage[tactic_id]}, not {stage_id}",
                    f"move it under `{tactic_stage[tactic_id]}:`",
                    at_key=True,
                )
            level, level_path = _level_of(answer, path)
            if level is not None and level not in level_ids:
                hint = _suggest(level, level_ids) or "use one of: " + ", ".join(level_ids)
                if level.lower() in ("na", "n/a", "not applicable"):
                    hint = 'write `{na: "the reason it does not apply"}`'
                yield document.problem(level_path, f"unknown level {shorten(level)}", hint)


def _level_of(answer: Any, path: DocPath) -> tuple[str | None, DocPath]:
    if isinstance(answer, str):
        return answer, path
    if isinstance(answer, dict) and isinstance(answer.get("level"), str):
        return answer["level"], (*path, "level")
    return None, path


def _build(document: Document, rubric: Rubric) -> Questionnaire:
    data = document.data
    org = data["organisation"]
    metrics = dict(org.get("metrics") or {})
    currency = str(metrics.pop("currency", ""))
    answers: dict[str, Answer] = {}
    file, positions = document.file, document.positions
    for stage_id, stage_answers in (data.get("answers") or {}).items():
        for tactic_id, raw in (stage_answers or {}).items():
            path = ("answers", stage_id, tactic_id)
            line, column = positions.get(path) or document.position(path)
            position = Position(file, line, column)
            if isinstance(raw, str):
                answers[tactic_id] = Answer(tactic_id, stage_id, raw, position=position)
                continue
            answers[tactic_id] = Answer(
                tactic=tactic_id,
                stage=stage_id,
                level=raw.get("level"),
                na_reason=raw.get("na", ""),
                evidence=raw.get("evidence", ""),
                note=raw.get("note", ""),
                owner=raw.get("owner", ""),
                position=position,
                checked=raw.get("checked", ""),
                until=raw.get("until", ""),
            )
    organisation = Organisation(
        name=org["name"],
        audited=org["audited"],
        auditor=org.get("auditor", ""),
        respondents=tuple(org.get("respondents", [])),
        profile={
            key: tuple(value) if isinstance(value, list) else value
            for key, value in (org.get("profile") or {}).items()
        },
        currency=currency,
        metrics={k: float(v) for k, v in metrics.items()},
        team=org.get("team", ""),
        respondent=org.get("respondent", ""),
        role=org.get("role", "self"),
    )
    return Questionnaire(
        version=data["cycleaudit"],
        rubric=data.get("rubric", "default"),
        organisation=organisation,
        answers=answers,
        other_tactics=tuple(data.get("other-tactics", [])),
        origin=document.file,
    )
