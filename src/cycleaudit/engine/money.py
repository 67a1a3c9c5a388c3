"""Money arithmetic from the client's own metrics, always with its formula.

Nothing here invents a figure: when a metric is missing the result is
``None`` and the caller says what to measure instead. Every amount comes
with the formula a client can redo by hand and the assumptions behind it.
Amounts are rounded once, here (whole units from 100 up, cents below), so
every output prints the same figure; a value that is not a finite number
never reaches a formula.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

from cycleaudit.model import MoneyLever, MoneySummary, ValueAtStake

# A customer relationship is counted for at most this many years: a churn
# near zero or a repeat rate of 1 would otherwise give an endless lifetime.
HORIZON_YEARS = 10.0

METRIC_LABELS: dict[str, str] = {
    "customers-per-year": "customers per year",
    "new-customers-per-year": "new customers per year",
    "prospects-per-year": "qualified prospects per year",
    "average-order-value": "average order value",
    "purchases-per-customer-per-year": "purchases per customer per year",
    "acquisition-cost": "cost to win one new customer",
    "repeat-purchase-rate": "share of customers who buy again within a year",
    "churn-rate": "share of customers lost each year",
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
RATE_METRICS = {
    "repeat-purchase-rate",
    "churn-rate",
    "conversion-rate",
    "referral-rate",
    "gross-margin",
}
REVENUE_DRIVERS = ("customers-per-year", "purchases-per-customer-per-year", "average-order-value")


def round_money(amount: float) -> float:
    """The one rounding of an amount: whole units from 100 up, cents below (half up)."""
    step = Decimal("1") if abs(amount) >= 100 else Decimal("0.01")
    return float(Decimal(repr(amount)).quantize(step, rounding=ROUND_HALF_UP))


def round_ratio(ratio: float) -> float:
    """Two decimals, half up: 2.245 is 2.25, never 2.2 or 2.24."""
    return float(Decimal(repr(ratio)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def format_money(amount: float, currency: str) -> str:
    decimals = 0 if abs(amount) >= 100 or float(amount).is_integer() else 2
    text = f"{amount:,.{decimals}f}"
    return f"{currency} {text}" if currency else text


def format_number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def format_ratio(ratio: float) -> str:
    """A ratio as "2.25 : 1": two decimals below 10, where a rule of 3 : 1 sits near."""
    if ratio >= 10:
        return f"{ratio:,.0f} : 1"
    text = f"{round_ratio(ratio):.2f}".rstrip("0").rstrip(".")
    return f"{text} : 1"


def format_metric(name: str, value: float, currency: str) -> str:
    if name in AMOUNT_METRICS:
        return format_money(value, currency)
    if name in RATE_METRICS:
        return f"{value * 100:.0f}%"
    if name == "lifetime-value-to-acquisition-cost":
        return format_ratio(value)
    if name == "customer-lifetime-years":
        return f"{format_number(value)} years"
    return format_number(value)


def clean(metrics: Mapping[str, float]) -> dict[str, float]:
    """Only the metrics that are finite numbers: anything else cannot size a gap."""
    out: dict[str, float] = {}
    for name, value in metrics.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        if math.isfinite(value) and value >= 0:
            out[name] = float(value)
    return out


def repeat_rate(metrics: Mapping[str, float]) -> float | None:
    """The share of customers still buying a year later: stated, or 1 − churn."""
    if "repeat-purchase-rate" in metrics:
        return min(metrics["repeat-purchase-rate"], 1.0)
    if "churn-rate" in metrics:
        return max(0.0, 1 - metrics["churn-rate"])
    return None


def annual_revenue(metrics: Mapping[str, float]) -> float | None:
    metrics = clean(metrics)
    if any(name not in metrics for name in REVENUE_DRIVERS):
        return None
    return round_money(
        metrics["customers-per-year"]
        * metrics["purchases-per-customer-per-year"]
        * metrics["average-order-value"]
    )


def lifetime_years(metrics: Mapping[str, float]) -> tuple[float | None, str]:
    """Years a customer keeps buying (capped at ``HORIZON_YEARS``) and how we got them."""
    metrics = clean(metrics)
    cap = f"we count at most {HORIZON_YEARS:g} years of any customer relationship"
    if "customer-lifetime-years" in metrics:
        years = metrics["customer-lifetime-years"]
        if years > HORIZON_YEARS:
            return HORIZON_YEARS, f"you gave {format_number(years)} years; {cap}"
        return years, "the number of years you gave"
    if "churn-rate" in metrics:
        churn = metrics["churn-rate"]
        if churn <= 1 / HORIZON_YEARS:
            return HORIZON_YEARS, f"you lose {churn * 100:.0f}% of customers a year; {cap}"
        years = 1 / churn
        return years, (
            f"a customer stays on average 1 ÷ {churn:.2f} = {years:.2f} years, "
            "from the share of customers you lose each year"
        )
    rate = metrics.get("repeat-purchase-rate")
    if rate is None:
        return None, ""
    if rate >= 1 - 1 / HORIZON_YEARS:
        return HORIZON_YEARS, (
            f"{min(rate, 1) * 100:.0f}% of your customers buy again within a year; {cap}"
        )
    years = 1 / (1 - rate)
    return years, (
        f"a customer stays on average 1 ÷ (1 − {rate:.2f}) = {years:.2f} years: we treat your "
        "repeat-purchase rate as the chance that a customer is still buying a year later"
    )


def lifetime_value(
    metrics: Mapping[str, float], currency: str
) -> tuple[float | None, str, tuple[str, ...]]:
    """Lifetime value, the formula that gives it, and the assumptions behind it."""
    metrics = clean(metrics)
    if "customer-lifetime-value" in metrics:
        value = round_money(metrics["customer-lifetime-value"])
        return value, f"{format_money(value, currency)}, as you stated it", ()
    years, why_years = lifetime_years(metrics)
    aov = metrics.get("average-order-value")
    per_year = metrics.get("purchases-per-customer-per-year")
    if years is None or aov is None or per_year is None:
        return None, "", ()
    raw = aov * per_year * years
    formula = (
        f"{format_money(aov, currency)} average order × {format_number(per_year)} purchases "
        f"a year × {years:.2f} years"
    )
    assumptions = [why_years]
    margin = metrics.get("gross-margin")
    if margin is not None:
        raw *= margin
        formula += f" × {margin * 100:.0f}% gross margin"
        assumptions.append("the value counts gross margin, not revenue, because you gave a margin")
    else:
        assumptions.append(
            "the value counts revenue, not profit: add gross-margin for a margin view"
        )
    value = round_money(raw)
    return value, f"{formula} = {format_money(value, currency)}", tuple(assumptions)


def ratio(value: float | None, cost: float | None) -> float | None:
    """Lifetime value per unit of acquisition cost, or None when it means nothing."""
    if value is None or cost is None or cost < 0.01:
        return None
    result = value / cost
    return round_ratio(result) if math.isfinite(result) else None


def derived(metrics: Mapping[str, float], currency: str) -> dict[str, float]:
    """The questionnaire's finite metrics plus the ones we can compute from them."""
    result = clean(metrics)
    revenue = annual_revenue(result)
    if revenue is not None:
        result["annual-revenue"] = revenue
    value, _, _ = lifetime_value(result, currency)
    if value is not None:
        result["lifetime-value"] = value
        share = ratio(value, result.get("acquisition-cost"))
        if share is not None:
            result["lifetime-value-to-acquisition-cost"] = share
    return result


def summary(metrics: Mapping[str, float], currency: str) -> MoneySummary | None:
    if not metrics:
        return None
    metrics = clean(metrics)
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
    to_measure = []
    for name in (*REVENUE_DRIVERS, "acquisition-cost", "repeat-purchase-rate"):
        if name in metrics:
            continue
        if name == "repeat-purchase-rate" and (value is not None or "churn-rate" in metrics):
            continue  # a stated lifetime value or churn already answers it
        to_measure.append(METRIC_LABELS[name])
    return MoneySummary(
        currency=currency,
        annual_revenue=revenue,
        revenue_formula=revenue_formula,
        lifetime_value=value,
        lifetime_value_formula=value_formula,
        lifetime_value_assumptions=assumptions,
        acquisition_cost=None if cost is None else round_money(cost),
        ratio=ratio(value, cost),
        to_measure=tuple(to_measure),
    )


# What each lever's formula reads, by the metric the lever moves. Conversion
# and referral levers win *new* customers, so they start from new customers,
# never from the whole customer base.
FORMULA_NEEDS: dict[str, tuple[str, ...]] = {
    "conversion-rate": (
        "new-customers-per-year",
        "purchases-per-customer-per-year",
        "average-order-value",
    ),
    "referral-rate": (
        "new-customers-per-year",
        "referral-rate",
        "purchases-per-customer-per-year",
        "average-order-value",
    ),
    "repeat-purchase-rate": REVENUE_DRIVERS,
    "customers-per-year": REVENUE_DRIVERS,
    "average-order-value": REVENUE_DRIVERS,
    "purchases-per-customer-per-year": REVENUE_DRIVERS,
}


def lever_needs(lever: MoneyLever) -> tuple[str, ...]:
    """Every metric the lever needs: the formula's inputs and the rubric's ``needs``."""
    needs = list(FORMULA_NEEDS.get(lever.metric, REVENUE_DRIVERS))
    needs += [name for name in lever.needs if name not in needs]
    return tuple(needs)


def purchase_patterns(profile: Mapping[str, object]) -> tuple[str, ...]:
    """The profile's ``purchase`` as a tuple, whether written as one value or a list."""
    value = profile.get("purchase")
    if isinstance(value, str):
        return (value,)
    if isinstance(value, (list, tuple)):
        return tuple(str(v) for v in value)
    return ()


def lever_fits(lever: MoneyLever, profile: Mapping[str, object]) -> bool:
    """False when the profile says the lever's effect cannot happen (a fixed frequency)."""
    return lever_fits_patterns(lever, purchase_patterns(profile))


def lever_fits_patterns(lever: MoneyLever, patterns: tuple[str, ...]) -> bool:
    """``lever_fits`` for the profile's ``purchase_patterns``."""
    if not lever.purchase or not patterns:
        return True
    return any(pattern in lever.purchase for pattern in patterns)


def missing_for(lever: MoneyLever, metrics: Mapping[str, float]) -> tuple[str, ...]:
    return missing_in(lever_needs(lever), clean(metrics))


def missing_in(needs: tuple[str, ...], known: Mapping[str, float]) -> tuple[str, ...]:
    """The needed metrics that ``known`` (already ``clean``) lacks; churn gives the repeat rate."""
    if not known:
        return needs  # no figures given: every one is missing
    churn = "churn-rate" in known
    return tuple(
        name
        for name in needs
        if name not in known and not (churn and name == "repeat-purchase-rate")
    )


_POINT_WORDS = {
    "repeat-purchase-rate": "customers buying again",
    "referral-rate": "new customers coming through a referral",
}


def value_at_stake(
    tactic_id: str, lever: MoneyLever, score: float, metrics: Mapping[str, float], currency: str
) -> ValueAtStake | None:
    """Yearly revenue the gap leaves on the table if the lever's assumption holds.

    The full effect of the lever is scaled by how far the tactic is from its
    top level, so a half-done tactic has half its effect still at stake.
    """
    metrics = clean(metrics)
    if missing_for(lever, metrics):
        return None
    return value_from(tactic_id, lever, score, metrics, currency)


def value_from(
    tactic_id: str, lever: MoneyLever, score: float, metrics: Mapping[str, float], currency: str
) -> ValueAtStake | None:
    """``value_at_stake`` for metrics already ``clean`` that hold all the lever needs."""
    per_year = metrics["purchases-per-customer-per-year"]
    aov = metrics["average-order-value"]
    label = METRIC_LABELS[lever.metric]
    if lever.metric == "conversion-rate":
        new = metrics["new-customers-per-year"]
        extra = new * lever.change
        full = extra * per_year * aov
        formula = (
            f"{format_number(new)} new customers a year × {lever.change * 100:g}% more "
            f"prospects buying × {format_number(per_year)} purchases × "
            f"{format_money(aov, currency)}"
        )
    elif lever.kind == "points" and lever.metric in _POINT_WORDS:
        if lever.metric == "referral-rate":
            base, base_words = metrics["new-customers-per-year"], "new customers a year"
            room = 1 - metrics["referral-rate"]
        else:
            base, base_words = metrics["customers-per-year"], "customers"
            rate = repeat_rate(metrics)
            room = 1 - (rate if rate is not None else 0.0)
        # Points cannot lift a share past 100%.
        points = max(0.0, min(lever.change, room))
        full = base * points * per_year * aov
        formula = (
            f"{format_number(base)} {base_words} × {points * 100:g} more in every 100 "
            f"{_POINT_WORDS[lever.metric]} × {format_number(per_year)} purchases × "
            f"{format_money(aov, currency)}"
        )
    else:
        revenue = metrics["customers-per-year"] * per_year * aov
        full = revenue * lever.change
        formula = (
            f"{format_money(round_money(revenue), currency)} yearly revenue × "
            f"{lever.change * 100:g}% more {label}"
        )
    raw = full * (1 - score)
    if not math.isfinite(raw):
        return None
    amount = round_money(raw)
    still_to_go = f"{(1 - score) * 100:.0f}% of the way still to go"
    formula += f" × {still_to_go} = {format_money(amount, currency)} a year"
    return ValueAtStake(
        tactic=tactic_id, amount=amount, formula=formula, assumption=lever.assumption
    )


def labels(names: Iterable[str]) -> list[str]:
    return [METRIC_LABELS.get(name, name) for name in names]
