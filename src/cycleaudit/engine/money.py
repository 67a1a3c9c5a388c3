"""Money arithmetic from the client's own metrics, always with its formula.

Nothing here invents a figure: when a metric is missing the result is
``None`` and the caller says what to measure instead. Every amount comes
with the formula a client can redo by hand and the assumptions behind it.
"""

from __future__ import annotations

from collections.abc import Mapping

from cycleaudit.model import MoneyLever, MoneySummary, ValueAtStake

METRIC_LABELS: dict[str, str] = {
    "customers-per-year": "customers per year",
    "new-customers-per-year": "new customers per year",
    "prospects-per-year": "qualified prospects per year",
    "average-order-value": "average order value",
    "purchases-per-customer-per-year": "purchases per customer per year",
    "acquisition-cost": "cost to win one new customer",
    "repeat-purchase-rate": "share of customers who buy again within a year",
    "conversion-rate": "share of qualified prospects who buy",
    "referral-rate": "share of new customers who came through a referral",
    "gross-margin": "gross margin",
    "customer-lifetime-years": "years a customer keeps buying",
    "customer-lifetime-value": "customer lifetime value",
    "annual-revenue": "yearly revenue from customers",
    "lifetime-value": "customer lifetime value",
    "lifetime-value-to-acquisition-cost": "lifetime value per unit of acquisition cost",
}
DERIVED_METRICS = ("annual-revenue", "lifetime-value", "lifetime-value-to-acquisition-cost")
AMOUNT_METRICS = {
    "average-order-value",
    "acquisition-cost",
    "customer-lifetime-value",
    "annual-revenue",
    "lifetime-value",
}
RATE_METRICS = {"repeat-purchase-rate", "conversion-rate", "referral-rate", "gross-margin"}
REVENUE_DRIVERS = ("customers-per-year", "purchases-per-customer-per-year", "average-order-value")


def format_money(amount: float, currency: str) -> str:
    decimals = 0 if abs(amount) >= 100 or float(amount).is_integer() else 2
    text = f"{amount:,.{decimals}f}"
    return f"{currency} {text}" if currency else text


def format_number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def format_metric(name: str, value: float, currency: str) -> str:
    if name in AMOUNT_METRICS:
        return format_money(value, currency)
    if name in RATE_METRICS:
        return f"{value * 100:.0f}%"
    if name == "lifetime-value-to-acquisition-cost":
        return f"{value:.1f} to 1"
    return format_number(value)


def annual_revenue(metrics: Mapping[str, float]) -> float | None:
    if any(name not in metrics for name in REVENUE_DRIVERS):
        return None
    return (
        metrics["customers-per-year"]
        * metrics["purchases-per-customer-per-year"]
        * metrics["average-order-value"]
    )


def lifetime_years(metrics: Mapping[str, float]) -> tuple[float | None, str]:
    if "customer-lifetime-years" in metrics:
        return metrics["customer-lifetime-years"], "the number of years you gave"
    rate = metrics.get("repeat-purchase-rate")
    if rate is None or rate >= 1:
        return None, ""
    years = 1 / (1 - rate)
    return years, (
        f"a customer stays on average 1 ÷ (1 − {rate:.2f}) = {years:.2f} years: we treat your "
        "repeat-purchase rate as the chance that a customer is still buying a year later"
    )


def lifetime_value(
    metrics: Mapping[str, float], currency: str
) -> tuple[float | None, str, tuple[str, ...]]:
    """Lifetime value, the formula that gives it, and the assumptions behind it."""
    if "customer-lifetime-value" in metrics:
        value = metrics["customer-lifetime-value"]
        return value, f"{format_money(value, currency)}, as you stated it", ()
    years, why_years = lifetime_years(metrics)
    aov = metrics.get("average-order-value")
    per_year = metrics.get("purchases-per-customer-per-year")
    if years is None or aov is None or per_year is None:
        return None, "", ()
    value = aov * per_year * years
    formula = (
        f"{format_money(aov, currency)} average order × {format_number(per_year)} purchases "
        f"a year × {years:.2f} years"
    )
    assumptions = [why_years]
    margin = metrics.get("gross-margin")
    if margin is not None:
        value *= margin
        formula += f" × {margin * 100:.0f}% gross margin"
        assumptions.append("the value counts gross margin, not revenue, because you gave a margin")
    else:
        assumptions.append(
            "the value counts revenue, not profit: add gross-margin for a margin view"
        )
    return value, f"{formula} = {format_money(value, currency)}", tuple(assumptions)


def derived(metrics: Mapping[str, float], currency: str) -> dict[str, float]:
    """The questionnaire's metrics plus the ones we can compute from them."""
    result = dict(metrics)
    revenue = annual_revenue(metrics)
    if revenue is not None:
        result["annual-revenue"] = revenue
    value, _, _ = lifetime_value(metrics, currency)
    if value is not None:
        result["lifetime-value"] = value
        cost = metrics.get("acquisition-cost")
        if cost:
            result["lifetime-value-to-acquisition-cost"] = value / cost
    return result


def summary(metrics: Mapping[str, float], currency: str) -> MoneySummary | None:
    if not metrics:
        return None
    revenue = annual_revenue(metrics)
    revenue_formula = ""
    if revenue is not None:
        revenue_formula = (
            f"{format_number(metrics['customers-per-year'])} customers × "
            f"{format_number(metrics['purchases-per-customer-per-year'])} purchases a year × "
            f"{format_money(metrics['average-order-value'], currency)} = "
            f"{format_money(revenue, currency)} a year"
        )
    value, value_formula, assumptions = lifetime_value(metrics, currency)
    cost = metrics.get("acquisition-cost")
    ratio = value / cost if value is not None and cost else None
    to_measure = []
    for name in (*REVENUE_DRIVERS, "acquisition-cost", "repeat-purchase-rate"):
        if name not in metrics and not (name == "repeat-purchase-rate" and value is not None):
            to_measure.append(METRIC_LABELS[name])
    return MoneySummary(
        currency=currency,
        annual_revenue=revenue,
        revenue_formula=revenue_formula,
        lifetime_value=value,
        lifetime_value_formula=value_formula,
        lifetime_value_assumptions=assumptions,
        acquisition_cost=cost,
        ratio=ratio,
        to_measure=tuple(to_measure),
    )


_POINT_WORDS = {
    "repeat-purchase-rate": "customers buying again",
    "referral-rate": "customers coming through a referral",
    "conversion-rate": "prospects buying",
}


def lever_needs(lever: MoneyLever) -> tuple[str, ...]:
    needs = list(REVENUE_DRIVERS)
    if lever.kind == "relative" and lever.metric in RATE_METRICS:
        needs.append(lever.metric)
    return tuple(needs)


def value_at_stake(
    tactic_id: str, lever: MoneyLever, score: float, metrics: Mapping[str, float], currency: str
) -> ValueAtStake | None:
    """Yearly revenue the gap leaves on the table if the lever's assumption holds.

    The full effect of the lever is scaled by how far the tactic is from its
    top level, so a half-done tactic has half its effect still at stake.
    """
    if any(name not in metrics for name in lever_needs(lever)):
        return None
    customers = metrics["customers-per-year"]
    per_year = metrics["purchases-per-customer-per-year"]
    aov = metrics["average-order-value"]
    yearly_per_customer = per_year * aov
    label = METRIC_LABELS[lever.metric]
    if lever.metric in ("repeat-purchase-rate", "referral-rate", "conversion-rate"):
        if lever.kind == "points":
            extra_share = lever.change
            step = f"{lever.change * 100:g} more in every 100 {_POINT_WORDS[lever.metric]}"
        else:
            extra_share = metrics[lever.metric] * lever.change
            step = f"{label} up by {lever.change * 100:.0f}% of {metrics[lever.metric] * 100:.0f}%"
        full = customers * extra_share * yearly_per_customer
        formula = (
            f"{format_number(customers)} customers × {extra_share * 100:.1f}% ({step}) × "
            f"{format_number(per_year)} purchases × {format_money(aov, currency)}"
        )
    else:
        revenue = customers * yearly_per_customer
        full = revenue * lever.change
        formula = (
            f"{format_money(revenue, currency)} yearly revenue × "
            f"{lever.change * 100:.0f}% more {label}"
        )
    amount = full * (1 - score)
    still_to_go = f"{(1 - score) * 100:.0f}% of the way still to go"
    formula += f" × {still_to_go} = {format_money(amount, currency)} a year"
    return ValueAtStake(
        tactic=tactic_id, amount=amount, formula=formula, assumption=lever.assumption
    )
