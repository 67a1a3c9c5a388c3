"""The money page of the report: lifetime value and value at stake."""

from __future__ import annotations

from typing import Any

from cycleaudit.engine.money import (
    METRIC_LABELS,
    clean,
    format_metric,
    format_money,
    format_ratio,
)
from cycleaudit.model import (
    Audit,
)
from cycleaudit.report.common import join_words, plain


def money_section(audit: Audit, suggestions: list[dict[str, Any]]) -> dict[str, Any] | None:
    organisation = audit.questionnaire.organisation
    money = audit.money
    if money is None or not organisation.metrics:
        return None
    currency = money.currency or organisation.currency
    figures = [
        {
            "label": METRIC_LABELS.get(name, name.replace("-", " ")).capitalize(),
            "value": format_metric(name, value, currency),
        }
        for name, value in clean(organisation.metrics).items()
    ]
    at_stake = [
        {"rank": s["rank"], "title": s["title"], **s["value"]}
        for s in suggestions
        if s["value"] is not None
    ]
    ratio_text = ""
    if money.ratio is not None:
        ratio_text = (
            f"Each customer brings in {format_ratio(money.ratio).removesuffix(' : 1')} times "
            "what it costs to win one."
        )
        if money.ratio < 3:
            ratio_text += (
                " Below about 3 : 1, winning customers barely pays for itself: "
                "keeping the ones you have is the cheaper lever."
            )
    return {
        "currency": currency,
        "figures": figures,
        "annual_revenue": None
        if money.annual_revenue is None
        else {
            "display": f"{format_money(money.annual_revenue, currency)} a year",
            "formula": plain(money.revenue_formula),
        },
        "lifetime_value": None
        if money.lifetime_value is None
        else {
            "display": format_money(money.lifetime_value, currency),
            "formula": plain(money.lifetime_value_formula),
            "assumptions": [plain(a) for a in money.lifetime_value_assumptions],
        },
        "acquisition_cost": None
        if money.acquisition_cost is None
        else format_money(money.acquisition_cost, currency),
        "ratio": money.ratio,
        "ratio_display": "" if money.ratio is None else format_ratio(money.ratio),
        "ratio_text": ratio_text,
        "at_stake": at_stake,
        "to_measure": to_measure(audit),
    }


def to_measure(audit: Audit) -> list[str]:
    """Each metric to measure, once, with the actions it would put a figure on."""
    money = audit.money
    ranks: dict[str, list[int]] = {}
    for label in money.to_measure if money else ():
        ranks.setdefault(label, [])
    for action in audit.plan.actions:
        for name in action.gap.value_needs:
            ranks.setdefault(METRIC_LABELS.get(name, name), []).append(action.rank)
    out = []
    for label, numbers in ranks.items():
        if not numbers:
            out.append(label)
            continue
        which = join_words([str(n) for n in sorted(numbers)])
        noun = "action" if len(numbers) == 1 else "actions"
        out.append(f"{label} (to size {noun} {which})")
    return out


def money_headline(money: dict[str, Any] | None) -> str:
    if money is None:
        return ""
    parts = []
    if money["lifetime_value"] and money["acquisition_cost"]:
        parts.append(
            f"On your figures a customer is worth {money['lifetime_value']['display']} over "
            f"their lifetime against {money['acquisition_cost']} to win one "
            f"({money['ratio_display']})."
        )
    elif money["lifetime_value"]:
        parts.append(
            f"On your figures a customer is worth {money['lifetime_value']['display']} "
            "over their lifetime."
        )
    if money["at_stake"]:
        top = max(money["at_stake"], key=lambda item: item["amount"])
        parts.append(
            f"The largest single gap, “{top['title']}”, leaves about {top['display']} "
            "on the table (see the money page for the formula)."
        )
    if not parts and money["to_measure"]:
        parts.append(
            "We cannot put a money figure on the gaps yet: measure "
            f"{join_words(money['to_measure'])}."
        )
    return " ".join(parts)
