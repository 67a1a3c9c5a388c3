"""The offline HTML form: one self-contained page generated from the rubric.

Which tactics a profile rules out is decided here, by the engine, for every
combination of the profile values a tactic's ``applies-when`` mentions; the
page only looks the answer up, so the rule language lives in one place.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

from cycleaudit.datafiles import data_dir
from cycleaudit.engine import conditions
from cycleaudit.intake.questions import KeyQuestion, key_questions
from cycleaudit.model import Rubric, Tactic

UNSET = ""
MAX_SEVERAL = 6


def _options(field: KeyQuestion) -> list[str | tuple[str, ...]]:
    if not field.several:
        return [UNSET, *field.choices]
    choices = field.choices
    return [
        subset
        for size in range(len(choices) + 1)
        for subset in itertools.combinations(choices, size)
    ]


def _field(field: KeyQuestion) -> dict[str, Any]:
    return {
        "key": field.key,
        "description": field.meaning,
        "choices": list(field.choices),
        "many": field.several,
        "numeric": field.kind in ("integer", "number"),
        "example": field.example,
    }


def applicable(rubric: Rubric, profile: dict[str, Any]) -> list[Tactic]:
    """Tactics a profile does not rule out, decided as scoring decides it."""
    facts = conditions.Facts(profile=profile)
    return [
        tactic
        for tactic in rubric.tactics
        if tactic.applies_when is None
        or conditions.evaluate(tactic.applies_when, facts) is not False
    ]


def _ruled_out(tactic: Tactic, profile_fields: dict[str, KeyQuestion]) -> dict[str, Any] | None:
    """The profile keys a tactic depends on, and each combination that rules it out."""
    if tactic.applies_when is None:
        return None
    keys = sorted(
        {
            str(leaf["profile"])
            for _, leaf in conditions.leaves(tactic.applies_when)
            if "profile" in leaf and str(leaf["profile"]) in profile_fields
        }
    )
    # A key taking a list of values is tried with every subset of its choices
    # (written "a+b" in choice order); more than MAX_SEVERAL choices: always shown.
    keys = [
        key
        for key in keys
        if profile_fields[key].choices
        and (not profile_fields[key].several or len(profile_fields[key].choices) <= MAX_SEVERAL)
    ]
    out = []
    options = [_options(profile_fields[key]) for key in keys]
    for combination in itertools.product(*options):
        profile: dict[str, Any] = {
            key: list(value) if isinstance(value, tuple) else value
            for key, value in zip(keys, combination, strict=True)
            if value
        }
        if conditions.evaluate(tactic.applies_when, conditions.Facts(profile=profile)) is False:
            out.append("|".join("+".join(v) if isinstance(v, tuple) else v for v in combination))
    return {"keys": keys, "out": out} if out else None


def form_data(rubric: Rubric, rubric_ref: str, today: str) -> dict[str, Any]:
    profile_fields = {field.key: field for field in key_questions("profile")}
    return {
        "rubric": rubric_ref,
        "rubricTitle": rubric.title,
        "today": today,
        "levels": [{"id": level.id, "title": level.title} for level in rubric.levels],
        "profile": [_field(field) for field in profile_fields.values()],
        "metrics": [_field(field) for field in key_questions("metrics")],
        "stages": [
            {
                "id": stage.id,
                "title": stage.title,
                "summary": stage.summary,
                "tactics": [
                    {
                        "id": tactic.id,
                        "title": tactic.title,
                        "question": tactic.question,
                        "advice": tactic.advice,
                        "note": tactic.applies_note,
                        "levels": {
                            level.id: tactic.levels.get(level.id, level.description)
                            for level in rubric.levels
                        },
                        "rule": _ruled_out(tactic, profile_fields),
                    }
                    for tactic in rubric.tactics_in(stage.id)
                ],
            }
            for stage in rubric.stages
        ],
    }


def script_json(value: Any) -> str:
    """JSON that cannot end the <script> element it sits in, nor break a JS parser."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


def render_form(rubric: Rubric, rubric_ref: str, today: str) -> bytes:
    """The page, through the renderers' sandboxed environment (templates/form/)."""
    from cycleaudit.renderers.workshop import render_document

    script = (data_dir("templates") / "form" / "form.js").read_text(encoding="utf-8")
    context = {
        "title": rubric.title,
        "audited": today,
        # Both are marked safe in the template: the JSON cannot close its element
        # (script_json) and the script is our own file.
        "data_json": script_json(form_data(rubric, rubric_ref, today)),
        "script": script.replace("</", "<\\/"),
    }
    return render_document("form", context, "html").data
