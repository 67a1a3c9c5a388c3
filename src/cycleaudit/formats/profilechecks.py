"""Checks on the profile and metrics that JSON Schema cannot express.

The schema bounds each figure on its own; these checks catch figures that
contradict each other, at the line and column of the one to correct:

- ``channel`` (the older key) together with ``sales-channel`` or
  ``marketing-channel``: one description of the channels, not two.
- ``churn-rate`` and ``repeat-purchase-rate``: a customer who buys again
  within the year has not been lost that year, so the two cannot add up to
  much more than 1 (0.9 buying again and 0.3 lost is a contradiction). A sum
  well below 1 is not: customers who buy less than once a year (a car every
  four years, a service every eighteen months) neither buy again within 12
  months nor leave. When both are given, lifetime follows ``churn-rate``.
- ``churn-rate`` and ``customer-lifetime-years``: a customer stays about
  1 ÷ churn years; a factor of two either way is a contradiction.
- ``new-customers-per-year`` cannot exceed ``customers-per-year``, which
  counts every buyer of the year, new ones included.

A stated ``customer-lifetime-value`` is never checked against the other
figures: it takes precedence over any value computed from them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from cycleaudit.errors import Problem
from cycleaudit.formats.yamlsource import Document

# How far churn + repeat-purchase rate may exceed 1 before they contradict.
CHURN_REPEAT_SLACK = 0.15
# How far stated lifetime years may stray from 1 / churn (as a factor).
LIFETIME_FACTOR = 2.0

PROFILE = ("organisation", "profile")
METRICS = ("organisation", "metrics")


def problems(document: Document, organisation: Mapping[str, Any]) -> Iterable[Problem]:
    profile = organisation.get("profile")
    if isinstance(profile, dict) and "channel" in profile:
        newer = [key for key in ("sales-channel", "marketing-channel") if key in profile]
        if newer:
            yield document.problem(
                (*PROFILE, "channel"),
                f"`channel` and `{newer[0]}` both describe your channels",
                "`channel` is the older key for both: keep `sales-channel` and "
                "`marketing-channel`, remove `channel`",
                at_key=True,
            )
    metrics = organisation.get("metrics")
    if isinstance(metrics, dict):
        yield from _metric_problems(document, metrics)


def _number(metrics: Mapping[str, Any], key: str, low: float, high: float) -> float | None:
    value = metrics.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if low <= value <= high else None  # the schema reports the rest


def _metric_problems(document: Document, metrics: Mapping[str, Any]) -> Iterable[Problem]:
    churn = _number(metrics, "churn-rate", 0, 1)
    repeat = _number(metrics, "repeat-purchase-rate", 0, 1)
    if churn is not None and repeat is not None:
        total = churn + repeat
        if total > 1 + CHURN_REPEAT_SLACK:
            yield document.problem(
                (*METRICS, "churn-rate"),
                f"churn-rate {churn:g} and repeat-purchase-rate {repeat:g} disagree: customers "
                f"lost in a year and customers who buy again within it cannot add up to "
                f"{total:.2f}, more than all your customers",
                f"give one of them, or correct the other: 1 − churn-rate is {1 - churn:.2f}",
            )
    years = _number(metrics, "customer-lifetime-years", 0, float("inf"))
    if churn and years:
        implied = 1 / churn
        if not implied / LIFETIME_FACTOR <= years <= implied * LIFETIME_FACTOR:
            yield document.problem(
                (*METRICS, "customer-lifetime-years"),
                f"customer-lifetime-years {years:g} and churn-rate {churn:g} disagree: losing "
                f"{churn * 100:.0f}% of customers a year means they stay about "
                f"{implied:.1f} years",
                f"give one of them, or correct the other: 1 ÷ churn-rate is {implied:.1f}",
            )
    customers = _number(metrics, "customers-per-year", 0, float("inf"))
    new = _number(metrics, "new-customers-per-year", 0, float("inf"))
    if customers is not None and new is not None and new > customers:
        yield document.problem(
            (*METRICS, "new-customers-per-year"),
            f"{new:g} new customers is more than the {customers:g} customers of the year",
            "customers-per-year counts everyone who bought in the year, new customers included",
        )
