"""A commented blank questionnaire, generated from a rubric (``cycleaudit init``).

Every tactic appears as a commented-out line with its question and what each
level looks like, so the file validates as it is and an owner fills it in by
removing a ``#`` and choosing a level.
"""

from __future__ import annotations

import json
import textwrap

from cycleaudit.model import Rubric

WIDTH = 88


def _comment(text: str, indent: str, prefix: str = "# ", hang: str = "") -> list[str]:
    """Wrap text into comment lines; ``hang`` indents continuation lines."""
    lines: list[str] = []
    for paragraph in text.strip().splitlines() or [""]:
        wrapped = textwrap.wrap(
            paragraph, WIDTH - len(indent) - len(prefix), subsequent_indent=hang
        ) or [""]
        lines.extend(f"{indent}{prefix}{line}".rstrip() for line in wrapped)
    return lines


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def blank_questionnaire(rubric: Rubric, rubric_ref: str, organisation: str, audited: str) -> str:
    levels = ", ".join(level.id for level in rubric.levels)
    out = [
        "# cycleaudit questionnaire",
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
        "    # model: b2c        # b2c (consumers), b2b (businesses) or both",
        "    # offering: product # product, service or both",
        "    # channel: online   # online, offline or both",
        "    # purchase: repeat  # one-off, repeat or subscription",
        "    # team-size: 4",
        "  metrics:",
        "    # All optional: they put money figures on the findings.",
        "    # currency: EUR",
        "    # customers-per-year: 1200",
        "    # average-order-value: 38",
        "    # purchases-per-customer-per-year: 2.1",
        "    # acquisition-cost: 22                 # cost to win one new customer",
        "    # repeat-purchase-rate: 0.28           # share buying again within a year, 0 to 1",
        "    # conversion-rate: 0.05                # share of qualified prospects who buy",
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
