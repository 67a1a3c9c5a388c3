"""Hints of the form "did you mean ...?": the right key or none at all."""

from __future__ import annotations

import pytest

from cycleaudit.formats.schemacheck import schema
from cycleaudit.formats.suggest import aliases_in, nearest

METRICS = schema("questionnaire")["properties"]["organisation"]["properties"]["metrics"]
KEYS = list(METRICS["properties"])
ALIASES = aliases_in(METRICS["properties"])

TABLE: list[tuple[str, str | None]] = [
    ("churn-rat", "churn-rate"),  # a typo
    ("churn", "churn-rate"),  # another name
    ("clv", "customer-lifetime-value"),
    ("LTV", "customer-lifetime-value"),
    ("cac", "acquisition-cost"),
    ("retention-rate", "repeat-purchase-rate"),
    ("margin", "gross-margin"),  # a whole part of one key
    ("Average_Order_Value", "average-order-value"),  # case and separators
    ("revenue", None),  # unrelated: no hint beats a wrong one
    ("rate", None),  # part of many keys: no single answer
    ("profit", None),
    ("x", None),
]


@pytest.mark.parametrize(("word", "expected"), TABLE)
def test_nearest_meaningful_key(word: str, expected: str | None) -> None:
    assert nearest(word, KEYS, ALIASES) == expected


def test_levels_and_ids() -> None:
    levels = ["none", "ad-hoc", "defined", "measured"]
    assert nearest("no", levels) == "none"
    assert nearest("adhoc", levels) == "ad-hoc"
    assert nearest("levle", ["level", "evidence", "note"]) == "level"
    assert nearest("definitely", levels) is None
