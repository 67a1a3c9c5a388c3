"""A commented questionnaire, generated from a rubric (``cycleaudit init``, ``interview``).

Every tactic appears as a commented-out line with its question and what each
level looks like, so the file validates as it is and an owner fills it in by
removing a ``#`` and choosing a level. The interview writes the same file with
the answers given so far filled in (``Filled``); the rest stay commented.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cycleaudit.formats import schemacheck
from cycleaudit.model import Rubric

WIDTH = 88


def _comment(text: str, indent: str, prefix: str = "# ", hang: str = "") -> list[str]:
    """Wrap text into comment lines; ``hang`` indents continuation lines."""
    lines: list[str] = []
    for paragraph in text.strip().splitlines() or [""]:
        wrapped = textwrap.wrap(
            paragraph,
            WIDTH - len(indent) - len(prefix),
            subsequent_indent=hang,
            break_on_hyphens=False,  # keep ids such as one-off whole
        ) or [""]
        lines.extend(f"{indent}{prefix}{line}".rstrip() for line in wrapped)
    return lines


# Characters YAML may not carry raw in a double-quoted scalar, or that PyYAML
# reads as line breaks (NEL, LINE and PARAGRAPH SEPARATOR), or that editors
# show misleadingly (BOM, lone surrogates, non-characters).
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")


def quote(text: str) -> str:
    """Any text as a double-quoted YAML scalar the strict loader reads back unchanged."""
    quoted = json.dumps(text, ensure_ascii=False)  # escapes quotes, backslashes, C0 controls
    return _UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", quoted)


def value_text(value: Any) -> str:
    """A profile, metric or answer value as YAML: text quoted, numbers bare, lists in flow."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(value_text(item) for item in value) + "]"
    return quote(str(value))


@dataclass
class Filled:
    """What the interview has collected so far; anything missing stays a comment."""

    auditor: str = ""
    respondents: list[str] = field(default_factory=list)
    profile: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)
    # stage id -> tactic id -> answer mapping (level or na, evidence, note, ...)
    answers: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    other_tactics: list[str] = field(default_factory=list)


def _answer_text(answer: Mapping[str, Any]) -> str:
    if set(answer) == {"level"}:
        return str(answer["level"])
    return "{" + ", ".join(f"{key}: {value_text(value)}" for key, value in answer.items()) + "}"


def _limits() -> list[str]:
    """The length limits a client meets, read from the schema so they cannot drift."""
    schema = schemacheck.schema("questionnaire")
    answer = schema["$defs"]["answer"]["anyOf"][1]["properties"]
    organisation = schema["properties"]["organisation"]["properties"]
    return [
        f"# Limits: a note up to {answer['note']['maxLength']:,} characters, evidence up to "
        f"{answer['evidence']['maxLength']:,},",
        f"#   a not-applicable reason up to {answer['na']['maxLength']:,}, an owner up to "
        f"{answer['owner']['maxLength']:,}, names up to {organisation['name']['maxLength']:,}.",
    ]


def _keys(section: str, indent: str, given: Mapping[str, Any] | None = None) -> list[str]:
    """Every profile or metric key with its meaning and unit: given ones set, the rest commented."""
    organisation = schemacheck.schema("questionnaire")["properties"]["organisation"]
    given = given or {}
    out: list[str] = []
    specs = organisation["properties"][section]["properties"]
    for key, spec in specs.items():
        if key in given:
            out.append(f"{indent}{key}: {value_text(given[key])}")
        elif spec.get("deprecated"):
            continue  # still read in older files, never suggested
        else:
            example = _scalar(spec["examples"][0]) if spec.get("examples") else ""
            out.append(f"{indent}# {key}: {example}".rstrip())
        choices = _choices(spec)
        meaning = spec.get("description", "")
        if choices:
            meaning += f" One of: {choices}."
        out.extend(_comment(meaning, indent, "#   ", hang=""))
    out.extend(
        f"{indent}{key}: {value_text(value)}" for key, value in given.items() if key not in specs
    )
    return out


def _scalar(value: Any) -> str:
    """An example as a person writes it: bare words and numbers, quotes only when needed."""
    text = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and all(part.isalnum() for part in value.replace("-", " ").split()):
        return value
    return text


def _choices(spec: dict[str, Any]) -> str:
    for branch in [spec, *spec.get("anyOf", [])]:
        if "enum" in branch:
            return ", ".join(str(value) for value in branch["enum"])
    return ""


def blank_questionnaire(
    rubric: Rubric,
    rubric_ref: str,
    organisation: str,
    audited: str,
    filled: Filled | None = None,
) -> str:
    filled = filled or Filled()
    levels = ", ".join(level.id for level in rubric.levels)
    schema_file = f"questionnaire-{rubric.id}.schema.json"
    out = [
        f"# yaml-language-server: $schema=./{schema_file}",
        "# cycleaudit questionnaire",
        "# For completion and hover help in editors (yaml-language-server), save the schema",
        "# named above beside this file:",
        f"#   cycleaudit schema questionnaire --rubric {rubric_ref} > {schema_file}",
        f"# Rubric: {rubric.title} ({rubric.id} {rubric.version})",
        "#",
        "# How to fill it in:",
        "# - Under `answers`, each tactic is a commented line. Remove the `# ` in front",
        f"#   of it and write the level that fits today: {levels}.",
        "# - To add evidence or notes, write the answer as a mapping:",
        '#     tactic-id: {level: defined, evidence: "what shows it", note: "free notes"}',
        "# - If a tactic does not apply to your business, say why:",
        '#     tactic-id: {na: "we sell only to other businesses"}',
        "# - Leave a line commented if you do not know: it is reported as unanswered,",
        "#   not as zero.",
        *_limits(),
        "# Check the file at any time with: cycleaudit validate <this file>",
        "",
        "cycleaudit: 1",
        f"rubric: {quote(rubric_ref)}",
        "organisation:",
        f"  name: {quote(organisation)}",
        f"  audited: {quote(audited)}  # YYYY-MM-DD",
        f"  auditor: {quote(filled.auditor)}"
        if filled.auditor
        else '  # auditor: "Who ran the audit"',
        f"  respondents: {value_text(filled.respondents)}  # who answered, e.g. "
        '["Maria Lopez (owner)"]',
        "  profile:",
        "    # Used to leave out tactics that do not fit you (packaging for a service firm...).",
        "    # Remove the `# ` in front of each key that describes you and change the example.",
        *_keys("profile", "    ", filled.profile),
        "  metrics:",
        "    # All optional, from the last 12 months: they put money figures on the findings.",
        *_keys("metrics", "    ", filled.metrics),
        "answers:",
    ]
    for stage in rubric.stages:
        out.append("")
        out.extend(_comment(f"{stage.title.upper()}: {stage.summary}", "  "))
        out.append(f"  {stage.id}:")
        for tactic in rubric.tactics_in(stage.id):
            out.append("")
            out.extend(_comment(f"{tactic.title}. {tactic.question}", "    "))
            if tactic.applies_note:
                out.extend(_comment(f"({tactic.applies_note})", "    "))
            for level in rubric.levels:
                described = tactic.levels.get(level.id, level.description)
                out.extend(_comment(f"{level.id}: {described}", "    ", "#   ", hang="    "))
            answer = filled.answers.get(stage.id, {}).get(tactic.id)
            if answer:
                out.append(f"    {tactic.id}: {_answer_text(answer)}")
            else:
                out.append(f"    # {tactic.id}: ")
    out.append("")
    out.append("# Anything else you do to win or keep customers, in your own words:")
    out.append(f"other-tactics: {value_text(filled.other_tactics)}")
    return "\n".join(out) + "\n"
