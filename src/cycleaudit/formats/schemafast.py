"""A yes/no check compiled once from a shipped JSON Schema, for files that are valid.

jsonschema words every problem well, but walking even a valid questionnaire
costs it about a tenth of a millisecond, and a batch of 10,000 files is
nearly all valid. ``compile_schema`` turns the schema's keywords into plain
Python tests that answer one question: is the value valid? It follows
jsonschema's Draft 2020-12 rules where it answers yes; wherever it is not
sure (a keyword it does not know, a value it cannot judge) it answers no,
and the caller lets jsonschema check the file and word its problems. So a
yes is always jsonschema's yes, and the messages users see never change.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]

# Python types that stand for each JSON type (exact types: a subclass is "not sure").
_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "null": (type(None),),
    "boolean": (bool,),
    "number": (int, float),
    "integer": (int,),
}
_ANNOTATIONS = frozenset(
    {"$schema", "$id", "$comment", "$defs", "title", "description", "examples", "default"}
    | {"deprecated", "readOnly", "writeOnly"}
)
_KEYWORDS = frozenset(
    {"type", "enum", "const", "minLength", "maxLength", "pattern"}
    | {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"}
    | {"required", "properties", "additionalProperties", "minProperties", "maxProperties"}
    | {"items", "minItems", "maxItems", "uniqueItems"}
    | {"anyOf", "allOf", "oneOf", "not", "$ref"}
)


class Unsupported(Exception):
    """The schema uses something this compiler does not follow: use jsonschema alone."""


def compile_schema(root: dict[str, Any]) -> Check:
    return _Compiler(root).node(root)


def _valid(_value: Any) -> bool:
    return True


def _invalid(_value: Any) -> bool:
    return False


def _every(checks: list[Check]) -> Check:
    if not checks:
        return _valid
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda value: first(value) and second(value)
    return lambda value: all(check(value) for check in checks)


class _Compiler:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.resolving: set[str] = set()

    def node(self, schema: Any) -> Check:
        if schema is True:
            return _valid
        if schema is False:
            return _invalid
        if not isinstance(schema, dict):
            raise Unsupported(f"schema {schema!r}")
        for keyword in schema:
            known = keyword in _KEYWORDS or keyword in _ANNOTATIONS or keyword.startswith("x-")
            if not known:
                raise Unsupported(keyword)
        checks: list[Check] = []
        if "type" in schema:
            checks.append(_type(schema["type"]))
        if "enum" in schema:
            checks.append(_enum(schema["enum"]))
        if "const" in schema:
            checks.append(_const(schema["const"]))
        checks += _text(schema) + _number(schema) + self._object(schema) + self._array(schema)
        for keyword in ("anyOf", "allOf", "oneOf"):
            if keyword in schema:
                checks.append(_combined(keyword, [self.node(s) for s in schema[keyword]]))
        if "not" in schema:
            inner = self.node(schema["not"])
            checks.append(lambda value: not inner(value))
        if "$ref" in schema:
            checks.append(self._ref(schema["$ref"]))
        return _every(checks)

    def _ref(self, pointer: Any) -> Check:
        if not isinstance(pointer, str) or not pointer.startswith("#"):
            raise Unsupported(f"$ref {pointer!r}")
        if pointer in self.resolving:
            raise Unsupported(f"recursive $ref {pointer}")
        target: Any = self.root
        for part in pointer[1:].split("/")[1:]:
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, dict) or part not in target:
                raise Unsupported(f"$ref {pointer}")
            target = target[part]
        self.resolving.add(pointer)
        try:
            return self.node(target)
        finally:
            self.resolving.discard(pointer)

    def _object(self, schema: dict[str, Any]) -> list[Check]:
        keywords = ("required", "properties", "additionalProperties")
        if not any(k in schema for k in (*keywords, "minProperties", "maxProperties")):
            return []
        if "patternProperties" in schema:
            raise Unsupported("patternProperties")
        required = tuple(schema.get("required", ()))
        fewest = schema.get("minProperties", 0)
        most = schema.get("maxProperties", float("inf"))
        known = {name: self.node(s) for name, s in schema.get("properties", {}).items()}
        extra = schema.get("additionalProperties", True)
        other = None if extra is True else self.node(extra)

        def check_object(value: Any) -> bool:
            if not isinstance(value, dict):
                return True
            if not fewest <= len(value) <= most:
                return False
            for name in required:
                if name not in value:
                    return False
            for key, item in value.items():
                check = known.get(key)
                if check is None:
                    check = other
                    if check is None:
                        continue
                if not check(item):
                    return False
            return True

        return [check_object]

    def _array(self, schema: dict[str, Any]) -> list[Check]:
        if not any(k in schema for k in ("items", "minItems", "maxItems", "uniqueItems")):
            return []
        fewest = schema.get("minItems", 0)
        most = schema.get("maxItems", float("inf"))
        each = self.node(schema["items"]) if "items" in schema else None
        unique = schema.get("uniqueItems", False) is True

        def check_array(value: Any) -> bool:
            if not isinstance(value, list):
                return True
            if not fewest <= len(value) <= most:
                return False
            if each is not None:
                for item in value:
                    if not each(item):
                        return False
            if unique:
                # Only lists of text are judged: jsonschema's equality of other values differs.
                if not all(type(item) is str for item in value):
                    return False
                return len(set(value)) == len(value)
            return True

        return [check_array]


def _type(names: Any) -> Check:
    listed = [names] if isinstance(names, str) else list(names)
    exact: set[type] = set()
    for name in listed:
        if name not in _TYPES:
            raise Unsupported(f"type {name!r}")
        exact.update(_TYPES[name])
    allowed = frozenset(exact)
    if "integer" in listed and float not in allowed:
        # Draft 2020-12: 3.0 is an integer.
        return lambda value: type(value) in allowed or (type(value) is float and value.is_integer())
    return lambda value: type(value) in allowed


def _enum(options: Any) -> Check:
    if not isinstance(options, list) or not all(type(o) is str for o in options):
        raise Unsupported("enum of other values than text")
    allowed = frozenset(options)
    return lambda value: type(value) is str and value in allowed


def _const(expected: Any) -> Check:
    if type(expected) is str:
        return lambda value: type(value) is str and value == expected
    if type(expected) in (int, float):
        return lambda value: type(value) in (int, float) and value == expected
    raise Unsupported(f"const {expected!r}")


def _text(schema: dict[str, Any]) -> list[Check]:
    if not any(k in schema for k in ("minLength", "maxLength", "pattern")):
        return []
    shortest = schema.get("minLength", 0)
    longest = schema.get("maxLength", float("inf"))
    search = re.compile(schema["pattern"]).search if "pattern" in schema else None

    def check_text(value: Any) -> bool:
        if not isinstance(value, str):
            return True
        if not shortest <= len(value) <= longest:
            return False
        return search is None or search(value) is not None

    return [check_text]


def _number(schema: dict[str, Any]) -> list[Check]:
    bounds = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
    if not any(k in schema for k in bounds):
        return []
    low, high = schema.get("minimum"), schema.get("maximum")
    above, below = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")

    def check_number(value: Any) -> bool:
        if type(value) not in (int, float):
            # Not a number to these keywords (text, true), or one we are not sure of (a Decimal).
            return isinstance(value, bool) or not isinstance(value, numbers.Number)
        if low is not None and value < low:
            return False
        if high is not None and value > high:
            return False
        if above is not None and value <= above:
            return False
        return below is None or value < below

    return [check_number]


def _combined(keyword: str, branches: list[Check]) -> Check:
    if keyword == "anyOf":
        return lambda value: any(branch(value) for branch in branches)
    if keyword == "allOf":
        return _every(branches)
    return lambda value: sum(1 for branch in branches if branch(value)) == 1
