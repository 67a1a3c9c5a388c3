"""Readable views of a rubric (``cycleaudit rubric show``)."""

from __future__ import annotations

from pathlib import Path

import yaml

from cycleaudit.formats import rubric as rubric_module
from cycleaudit.model import Rubric


def outline(rubric: Rubric) -> str:
    lines = [f"{rubric.title} ({rubric.id} {rubric.version})"]
    if rubric.lineage:
        lines.append("extends: " + " → ".join(rubric.lineage))
    if rubric.description:
        lines.append(rubric.description.strip())
    lines.append("")
    lines.append("Levels: " + ", ".join(f"{lv.id} ({lv.score:g})" for lv in rubric.levels))
    for stage in rubric.stages:
        lines.append("")
        lines.append(f"{stage.title} [{stage.id}, {stage.side}, weight {stage.weight:g}]")
        for tactic in rubric.tactics_in(stage.id):
            extra = f", applies: {tactic.applies_note}" if tactic.applies_note else ""
            requires = f", requires {', '.join(tactic.requires)}" if tactic.requires else ""
            lines.append(
                f"  - {tactic.id}: {tactic.title} (weight {tactic.weight:g}, impact "
                f"{tactic.impact}, effort {tactic.effort}{requires}{extra})"
            )
    if rubric.rules:
        lines.append("")
        lines.append("Rules:")
        lines.extend(
            f"  - {rule.id}: {rule.title} ({rule.kind}, {rule.severity})" for rule in rubric.rules
        )
    lines.append("")
    lines.append("Grades: " + ", ".join(f"{g.id} ≥ {g.minimum:g} {g.label}" for g in rubric.grades))
    lines.append("Sources:")
    lines.extend(
        f"  - {s.id}: {s.title}"
        + (f", {s.author or s.publisher}" if s.author or s.publisher else "")
        + (f" ({s.year})" if s.year else "")
        for s in rubric.sources
    )
    return "\n".join(lines) + "\n"


def merged_yaml(ref: str) -> str:
    """The rubric after ``extends`` and overrides are applied, as YAML."""
    if rubric_module.is_builtin_name(ref):
        path = rubric_module.resolve_reference(ref, None, None, ())
    else:
        path = rubric_module.resolve_reference(ref, Path.cwd(), None, ())
    rubric_module.load_rubric(path)  # full validation first
    document = rubric_module.load_document(path)
    return yaml.safe_dump(document.data, sort_keys=False, allow_unicode=True, width=100)
