"""Validate a loaded document against a shipped JSON Schema, with positions.

jsonschema's own messages speak of Python values; these speak of the file:
"expected a number, got the text 'twelve'" at the line and column of the
value, "unknown key 'evidance' (did you mean 'evidence'?)" at the key.
"""

from __future__ import annotations

import itertools
import json
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError, relevance

from cycleaudit.errors import InputError, Problem, shorten
from cycleaudit.formats import suggest
from cycleaudit.formats.yamlsource import DocPath, Document

SCHEMA_NAMES = ("questionnaire", "rubric")
# A 1 MB file can hold tens of thousands of mistakes; explaining each costs
# time and memory (jsonschema keeps every failed branch). The first ones are
# what a person fixes first, so checking stops after this many.
MAX_ERRORS = 100
MAX_SUGGESTED_KEYS = 20  # "did you mean" for the first unknown keys of a mapping only

_TYPE_WORDS = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "object": "a mapping of keys to values",
    "array": "a list",
    "null": "nothing",
}


def schema_text(name: str) -> str:
    return (
        resources.files("cycleaudit.formats.schemas")
        .joinpath(f"{name}.schema.json")
        .read_text("utf-8")
    )


@cache
def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(schema_text(name))
    return loaded


@cache
def validator(name: str) -> jsonschema.Draft202012Validator:
    # Built once: a reused validator is several times faster than validate().
    return jsonschema.Draft202012Validator(schema(name))


def check(document: Document, schema_name: str) -> None:
    """Raise ``InputError`` listing every schema problem, the most relevant first."""
    problems = problems_for(document, validator(schema_name))
    if problems:
        raise InputError(problems)


def check_with(document: Document, validator: jsonschema.Draft202012Validator) -> None:
    problems = problems_for(document, validator)
    if problems:
        raise InputError(problems)


def problems_for(document: Document, validator: jsonschema.Draft202012Validator) -> list[Problem]:
    errors = list(itertools.islice(validator.iter_errors(document.data), MAX_ERRORS + 1))
    if not errors:
        return []
    beyond = errors[MAX_ERRORS] if len(errors) > MAX_ERRORS else None
    errors = errors[:MAX_ERRORS]
    best = jsonschema.exceptions.best_match(errors)
    ordered = sorted(errors, key=lambda e: document.position(tuple(e.absolute_path)))
    if best is not None:
        # best_match may descend into an anyOf branch, so it need not be in the list.
        ordered = [best, *(error for error in ordered if error is not best)]
    problems: list[Problem] = []
    seen: set[tuple[int, int, str]] = set()
    for error in ordered:
        for problem in _describe(document, _leaf(error)):
            key = (problem.line, problem.column, problem.message)
            if key not in seen:
                seen.add(key)
                problems.append(problem)
    if beyond is not None:
        problems.append(
            document.problem(
                tuple(beyond.absolute_path),
                f"more problems not shown: checking stopped after the first {MAX_ERRORS}",
                "fix these and run again",
            )
        )
    return problems


def _leaf(error: ValidationError) -> ValidationError:
    """For anyOf/oneOf, explain the one branch the value was evidently meant to take.

    A branch is "meant" when it is the only one whose type fits the value, or,
    for mappings, the only one whose required keys the value has. When no
    single branch stands out, the alternatives error itself is explained.
    """
    while error.validator in ("anyOf", "oneOf") and error.context:
        branches: dict[int, list[ValidationError]] = {}
        for sub in error.context:
            branches.setdefault(int(sub.relative_schema_path[0]), []).append(sub)
        options: Any = error.validator_value
        meant = [i for i in branches if _fits_type(options[i], error.instance)]
        if len(meant) > 1 and isinstance(error.instance, dict):
            keyed = [i for i in meant if _has_required(options[i], error.instance)]
            meant = keyed or meant
        if len(meant) != 1:
            break
        error = sorted(branches[meant[0]], key=relevance)[-1]
    return error


def _fits_type(branch: Any, value: Any) -> bool:
    expected = branch.get("type") if isinstance(branch, dict) else None
    if expected is None:
        return True
    types = expected if isinstance(expected, list) else [expected]
    kind = _kind(value)
    return kind in types or (kind == "integer" and "number" in types)


def _has_required(branch: Any, value: dict[str, Any]) -> bool:
    required = branch.get("required", []) if isinstance(branch, dict) else []
    return bool(required) and all(key in value for key in required)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    return "null"


def _describe(document: Document, error: ValidationError) -> list[Problem]:
    path: DocPath = tuple(error.absolute_path)
    value: Any = error.instance
    validator = error.validator
    branch: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    spec: Any = error.validator_value

    if validator == "additionalProperties" and isinstance(value, dict):
        allowed = sorted(branch.get("properties", {}))
        aliases = suggest.aliases_in(branch.get("properties", {}))
        extra = [key for key in value if key not in allowed]
        problems = []
        for number, key in enumerate(extra[:MAX_ERRORS]):
            hint = (
                suggest.did_you_mean(key, allowed, aliases) if number < MAX_SUGGESTED_KEYS else ""
            )
            if not hint and allowed:
                hint = "allowed here: " + ", ".join(allowed)
            problems.append(
                document.problem((*path, key), f"unknown key {shorten(key)}", hint, at_key=True)
            )
        return problems
    if validator == "required":
        missing = [key for key in spec if key not in value]
        where = _where(path)
        return [
            document.problem(
                path, f"missing required key {shorten(key)}{where}", f"add `{key}:`", at_key=True
            )
            for key in missing
        ]
    if validator == "type":
        expected = spec if isinstance(spec, list) else [spec]
        words = " or ".join(_TYPE_WORDS.get(str(t), str(t)) for t in expected)
        got = _describe_value(value)
        hint = ""
        if "boolean" in expected and isinstance(value, str):
            hint = "write true or false"
        elif isinstance(value, str) and ("number" in expected or "integer" in expected):
            hint = "write digits only, without units or currency signs"
        return [document.problem(path, f"expected {words}{_where(path)}, got {got}", hint)]
    if validator == "enum":
        options = [str(option) for option in spec]
        hint = _did_you_mean(str(value), options) or "use one of: " + ", ".join(options)
        return [document.problem(path, f"{shorten(value)} is not allowed{_where(path)}", hint)]
    if validator == "const":
        return [
            document.problem(
                path, f"{shorten(value)} is not supported{_where(path)}", f"use {json.dumps(spec)}"
            )
        ]
    if validator == "pattern":
        hint = _pattern_hint(path, spec)
        return [
            document.problem(
                path, f"{shorten(value)} is not in the expected form{_where(path)}", hint
            )
        ]
    if validator in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        relation = {
            "minimum": "at least",
            "exclusiveMinimum": "more than",
            "maximum": "at most",
            "exclusiveMaximum": "less than",
        }[validator]
        return [
            document.problem(
                path,
                f"{shorten(value)} is out of range{_where(path)}",
                f"it must be {relation} {_number(spec)}",
            )
        ]
    if validator in ("minLength", "minItems", "minProperties"):
        return [
            document.problem(path, f"this value is empty or too short{_where(path)}", "fill it in")
        ]
    if validator in ("maxLength", "maxItems", "maxProperties"):
        return [
            document.problem(
                path, f"this value is too long{_where(path)} (limit {spec})", "shorten it"
            )
        ]
    if validator == "uniqueItems":
        return [
            document.problem(
                path, f"the list repeats an item{_where(path)}", "remove the repeated entry"
            )
        ]
    if validator in ("oneOf", "anyOf") or validator == "not":
        return [
            document.problem(
                path, f"this value does not have an accepted form{_where(path)}", _form_hint(error)
            )
        ]
    return [document.problem(path, f"{error.message}{_where(path)}")]


def _where(path: DocPath) -> str:
    return f" at {'.'.join(str(p) for p in path)}" if path else ""


def _describe_value(value: Any) -> str:
    kind = _kind(value)
    if kind == "string":
        return f"the text {shorten(value)}"
    if kind in ("object", "array"):
        return _TYPE_WORDS[kind]
    if kind == "null":
        return "an empty value"
    return shorten(value)


def _did_you_mean(word: str, options: list[str]) -> str:
    return suggest.did_you_mean(word, options)


def _number(limit: Any) -> str:
    # 1e12 reads as 1,000,000,000,000 rather than 1000000000000.0.
    if isinstance(limit, float) and limit.is_integer():
        return f"{int(limit):,}"
    return f"{limit:,}" if isinstance(limit, int) and abs(limit) >= 10000 else str(limit)


def _pattern_hint(path: DocPath, pattern: str) -> str:
    if path and path[-1] == "audited":
        return "write the date as YYYY-MM-DD, for example 2026-11-20"
    if path and path[-1] == "currency":
        return "use a three-letter currency code such as EUR, USD or GBP"
    if "a-z" in pattern:
        return "use lower-case letters, digits and dashes, for example follow-up-schedule"
    if path and path[-1] == "year":
        return "write the year with four digits, in quotes"
    if path and path[-1] == "url":
        return "give a web address starting with https:// or http://, with no spaces"
    return f"it must match {pattern}"


def _form_hint(error: ValidationError) -> str:
    description = error.schema.get("description") if isinstance(error.schema, dict) else None
    return str(description) if description else "see `cycleaudit schema` for the accepted forms"
