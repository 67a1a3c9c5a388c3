"""A terminal summary of a score result (``cycleaudit score``)."""

from __future__ import annotations

from typing import Any

from cycleaudit.engine.money import format_money, format_ratio
from cycleaudit.errors import printable_lines

BAR_WIDTH = 20


def _bar(score: float | None) -> str:
    if score is None:
        return "·" * BAR_WIDTH
    filled = round(score / 100 * BAR_WIDTH)
    return "█" * filled + "░" * (BAR_WIDTH - filled)


def _score(score: float | None) -> str:
    return "  n/a" if score is None else f"{score:5.1f}"


def format_summary(result: dict[str, Any], top: int = 5) -> str:
    org = result["organisation"]
    lines = [
        f"{org['name']} — sales-cycle audit of {org['audited']}"
        f" (rubric {result['rubric']['id']} {result['rubric']['version']})",
        "",
    ]
    grade = result["grade"]
    overall = result["overall"]
    headline = (
        "Overall: not enough answers to score"
        if overall is None
        else (
            f"Overall: {overall:.1f} / 100"
            + (f", grade {grade['id']} ({grade['label']})" if grade else "")
        )
    )
    lines.append(headline)
    if grade:
        lines.append(f"  {grade['meaning']}")
    lines.append(f"Answered: {result['coverage'] * 100:.0f}% of the tactics that apply to you")
    lines.append("")
    width = max(len(stage["title"]) for stage in result["stages"])
    lines.append(f"{'Stage':<{width}}  Score  {'':<{BAR_WIDTH}}  Answered")
    for stage in result["stages"]:
        answered = stage["scored"] + stage["na"]
        total = answered + stage["unknown"]
        lines.append(
            f"{stage['title']:<{width}}  {_score(stage['score'])}  "
            f"{_bar(stage['score'])}  {answered}/{total}"
        )
    lines.append("")
    sides = result["sides"]
    lines.append(
        f"Before the sale (on-sales): {_score(sides['on-sales']).strip()}   "
        f"After the sale (off-sales): {_score(sides['off-sales']).strip()}"
    )
    lines.append(f"  {result['balance']['text']}")
    if result["findings"]:
        lines.append("")
        lines.append("Findings:")
        for finding in result["findings"]:
            marker = "+" if finding["kind"] == "strength" else "!"
            seen = "; ".join(f"{e['label']}: {e['value']}" for e in finding["evidence"])
            lines.append(f"  {marker} {finding['title']}" + (f" ({seen})" if seen else ""))
    money = result["money"]
    if money and money["lifetime-value"] is not None:
        currency = money["currency"] or ""
        text = f"Customer lifetime value: {format_money(money['lifetime-value'], currency)}"
        if money["lifetime-value-to-acquisition-cost"] is not None:
            ratio = format_ratio(money["lifetime-value-to-acquisition-cost"])
            text += f" against what it costs to win a customer ({ratio})"
        lines.extend(["", text])
    if result["suggestions"]:
        lines.append("")
        lines.append(f"Top suggestions (of {len(result['suggestions'])}):")
        gaps = {gap["tactic"]: gap for gap in result["gaps"]}
        for suggestion in result["suggestions"][:top]:
            gap = gaps[suggestion["tactic"]]
            value = gap["value-at-stake"]
            extra = ""
            if value and money:
                extra = (
                    f"  [~{format_money(value['amount'], money['currency'] or '')} a year at stake]"
                )
            lines.append(f"  {suggestion['rank']}. {suggestion['title']}{extra}")
            lines.append(f"     First step: {suggestion['first-step']}")
    # Client values (an organisation name) must not drive the terminal.
    return printable_lines("\n".join(lines) + "\n")
