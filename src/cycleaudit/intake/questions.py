"""The interview's questions about the business, read from the shipped questionnaire schema.

The profile and metric keys, their meanings, allowed values, examples and
bounds live in ``questionnaire.schema.json``; reading them here means a new
key or value there is asked about without a change to this code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from cycleaudit.formats import schemacheck


@dataclass(frozen=True)
class KeyQuestion:
    """One profile or metric key, as the interview asks it."""

    key: str
    meaning: str
    kind: str  # "choice", "integer", "number", "text"
    choices: tuple[str, ...] = ()
    several: bool = False  # a list of choices is allowed
    example: str = ""
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    max_length: int | None = None
    pattern: str = ""

    def parse(self, raw: str) -> tuple[Any, str]:
        """The value typed, or ``(None, why)`` when it does not fit."""
        text = raw.strip()
        if self.kind == "choice":
            return self._choice(text)
        if self.kind in ("integer", "number"):
            return self._number(text)
        if self.max_length is not None and len(text) > self.max_length:
            return None, f"at most {self.max_length:,} characters, please"
        if self.pattern == "^[A-Z]{3}$":
            text = text.upper()
            if not (len(text) == 3 and text.isalpha() and text.isascii()):
                return None, "a three-letter currency code such as EUR, USD or GBP"
        return text, ""

    def _choice(self, text: str) -> tuple[Any, str]:
        parts = [part.strip() for part in text.replace(" and ", ",").split(",") if part.strip()]
        if not self.several and len(parts) > 1:
            return None, "one choice only"
        chosen: list[str] = []
        for part in parts:
            if part.isdigit() and 1 <= int(part) <= len(self.choices):
                value = self.choices[int(part) - 1]
            elif part.lower() in self.choices:
                value = part.lower()
            else:
                numbers = f"1 to {len(self.choices)}"
                return None, f"choose {numbers} or one of: {', '.join(self.choices)}"
            if value not in chosen:
                chosen.append(value)
        if self.several and len(chosen) > 1:
            return chosen, ""
        return chosen[0], ""

    def _number(self, text: str) -> tuple[Any, str]:
        cleaned = text.replace(",", "").replace("_", "").replace(" ", "")
        percent = cleaned.endswith("%")
        if percent:
            cleaned = cleaned[:-1]
        try:
            value = float(cleaned)
        except ValueError:
            return None, f"a number, for example {self.example or 12}"
        if not math.isfinite(value):
            return None, "a finite number"
        if percent or (self.maximum == 1 and 1 < value <= 100 and text.endswith("%")):
            value /= 100
        if self.maximum == 1 and 1 < value <= 100:
            return None, f"a share from 0 to 1: {value:g} % is written {value / 100:g}"
        if self.kind == "integer":
            if not value.is_integer():
                return None, "a whole number"
            number: float | int = int(value)
        else:
            number = int(value) if value.is_integer() and abs(value) < 1e15 else value
        if self.minimum is not None and (
            number < self.minimum or (self.exclusive_minimum and number == self.minimum)
        ):
            above = "more than" if self.exclusive_minimum else "at least"
            return None, f"{above} {self.minimum:g}"
        if self.maximum is not None and number > self.maximum:
            return None, f"at most {self.maximum:,g}"
        return number, ""

    def hint(self) -> str:
        """What to type, in a few words."""
        if self.kind == "choice":
            listed = ", ".join(f"{n}) {choice}" for n, choice in enumerate(self.choices, 1))
            several = "; several allowed, separated by commas" if self.several else ""
            return f"{listed}{several}"
        if self.kind in ("integer", "number"):
            return f"a number, e.g. {self.example}" if self.example else "a number"
        return f"e.g. {self.example}" if self.example else "text"


def _enum(spec: dict[str, Any]) -> tuple[tuple[str, ...], bool]:
    if "enum" in spec:
        return tuple(str(value) for value in spec["enum"]), False
    choices: tuple[str, ...] = ()
    several = False
    for branch in spec.get("anyOf", []):
        if "enum" in branch:
            choices = tuple(str(value) for value in branch["enum"])
        if branch.get("type") == "array":
            several = True
            choices = choices or tuple(str(v) for v in branch.get("items", {}).get("enum", []))
    return choices, several


def _question(key: str, spec: dict[str, Any]) -> KeyQuestion:
    choices, several = _enum(spec)
    kind = (
        "choice"
        if choices
        else {"integer": "integer", "number": "number"}.get(str(spec.get("type")), "text")
    )
    minimum = spec.get("minimum", spec.get("exclusiveMinimum"))
    return KeyQuestion(
        key=key,
        meaning=str(spec.get("description", "")),
        kind=kind,
        choices=choices,
        several=several,
        example=str(spec["examples"][0]) if spec.get("examples") else "",
        minimum=None if minimum is None else float(minimum),
        maximum=None if spec.get("maximum") is None else float(spec["maximum"]),
        exclusive_minimum="exclusiveMinimum" in spec,
        max_length=spec.get("maxLength"),
        pattern=str(spec.get("pattern", "")),
    )


def key_questions(section: str) -> list[KeyQuestion]:
    """The ``profile`` or ``metrics`` questions, in the schema's order, deprecated keys left out."""
    organisation = schemacheck.schema("questionnaire")["properties"]["organisation"]
    specs = organisation["properties"][section]["properties"]
    return [_question(key, spec) for key, spec in specs.items() if not spec.get("deprecated")]


def text_limits() -> dict[str, int]:
    """Length limits of the free-text fields of an answer and of names."""
    schema = schemacheck.schema("questionnaire")
    answer = schema["$defs"]["answer"]["anyOf"][1]["properties"]
    organisation = schema["properties"]["organisation"]["properties"]
    return {
        "note": int(answer["note"]["maxLength"]),
        "evidence": int(answer["evidence"]["maxLength"]),
        "na": int(answer["na"]["maxLength"]),
        "name": int(organisation["name"]["maxLength"]),
    }
