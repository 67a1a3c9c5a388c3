"""A commented blank questionnaire, generated from a rubric (``cycleaudit init``).

Every tactic appears as a commented-out line with its question and what each
level looks like, so the file validates as it is and an owner fills it in by
removing a ``#`` and choosing a level.
"""

from __future__ import annotations

import json
import textwrap
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


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML scalar


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


def _keys(section: str, indent: str) -> list[str]:
    """Every profile or metric key, commented, with an example, its meaning and unit."""
    organisation = schemacheck.schema("questionnaire")["properties"]["organisation"]
    out: list[str] = []
    for key, spec in organisation["properties"][section]["properties"].items():
        if spec.get("deprecated"):
            continue  # still read in older files, never suggested
        example = _scalar(spec["examples"][0]) if spec.get("examples") else ""
        out.append(f"{indent}# {key}: {example}".rstrip())
        choices = _choices(spec)
        meaning = spec.get("description", "")
        if choices:
            meaning += f" One of: {choices}."
        out.extend(_comment(meaning, indent, "#   ", hang=""))
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


def blank_questionnaire(rubric: Rubric, rubric_ref: str, organisation: str, audited: str) -> str:
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
        f"rubric: {_quote(rubric_ref)}",
        "organisation:",
        f"  name: {_quote(organisation)}",
        f"  audited: {_quote(audited)}  # YYYY-MM-DD",
        '  # auditor: "Who ran the audit"',
        '  respondents: []  # who answered, e.g. ["Maria Lopez (owner)"]',
        "  profile:",
        "    # Used to leave out tactics that do not fit you (packaging for a service firm...).",
        "    # Remove the `# ` in front of each key that describes you and change the example.",
        *_keys("profile", "    "),
        "  metrics:",
        "    # All optional, from the last 12 months: they put money figures on the findings.",
        *_keys("metrics", "    "),
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
            out.append(f"    # {tactic.id}: ")
    out.append("")
    out.append("# Anything else you do to win or keep customers, in your own words:")
    out.append("other-tactics: []")
    return "\n".join(out) + "\n"
