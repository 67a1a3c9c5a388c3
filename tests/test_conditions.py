"""The condition language and its three-valued logic."""

from __future__ import annotations

from typing import Any

import pytest

from cycleaudit.engine.conditions import Facts, compiled, evaluate, leaves

FACTS = Facts(
    profile={"offering": "product", "team-size": 4},
    answers=lambda tactic: {"a": "defined", "b": "none", "c": "na"}.get(tactic, "unknown"),
    level_scores={"none": 0, "ad-hoc": 0.33, "defined": 0.67, "measured": 1},
    scores={"overall": 55, "side:on-sales": 70, "side:off-sales": 40, "stage:retention": None},
    metrics={"lifetime-value": 900, "acquisition-cost": 450},
)

TABLE: list[tuple[dict[str, Any], bool | None]] = [
    ({"profile": "offering", "in": ["product", "both"]}, True),
    ({"profile": "offering", "is": "service"}, False),
    ({"profile": "model", "is": "b2b"}, None),  # not given: unknown
    ({"not": {"profile": "model", "is": "b2b"}}, None),  # not of unknown stays unknown
    ({"profile": "team-size", "is": 4}, True),
    ({"answer": "a", "at-least": "defined"}, True),
    ({"answer": "a", "below": "measured"}, True),
    ({"answer": "b", "below": "ad-hoc"}, True),
    ({"answer": "c", "below": "ad-hoc"}, None),  # N/A is neither below nor at least
    ({"answer": "z", "in": ["unknown"]}, True),
    ({"answer": "c", "in": ["na"]}, True),
    ({"score": "overall", "below": 60}, True),
    ({"score": "side:on-sales", "minus": "side:off-sales", "at-least": 30}, True),
    ({"score": "side:on-sales", "minus": "side:off-sales", "at-least": 31}, False),
    ({"score": "stage:retention", "below": 50}, None),
    ({"metric": "lifetime-value", "present": True}, True),
    ({"metric": "conversion-rate", "missing": True}, True),
    ({"metric": "conversion-rate", "below": 0.1}, None),
    ({"metric": "acquisition-cost", "at-least": 450}, True),
    ({"all": [{"score": "overall", "below": 60}, {"metric": "x", "below": 1}]}, None),
    ({"all": [{"score": "overall", "below": 50}, {"metric": "x", "below": 1}]}, False),
    ({"any": [{"score": "overall", "below": 60}, {"metric": "x", "below": 1}]}, True),
    ({"any": [{"score": "overall", "below": 50}, {"metric": "x", "below": 1}]}, None),
    ({"not": {"answer": "a", "in": ["defined"]}}, False),
]


@pytest.mark.parametrize(("condition", "expected"), TABLE)
def test_evaluate(condition: dict[str, Any], expected: bool | None) -> None:
    assert evaluate(condition, FACTS) is expected
    assert compiled(condition)(FACTS) is expected  # the form read once, as scoring does


def test_leaves_lists_every_test_with_its_path() -> None:
    condition = {
        "all": [
            {"metric": "a", "missing": True},
            {"not": {"any": [{"answer": "x", "in": ["none"]}, {"score": "overall", "below": 3}]}},
        ]
    }
    assert [path for path, _ in leaves(condition)] == [
        ("all", 0),
        ("all", 1, "not", "any", 0),
        ("all", 1, "not", "any", 1),
    ]


# Profiles with several values, "both", and the older `channel` key.
PROFILE_TABLE: list[tuple[dict[str, Any], dict[str, Any], bool | None]] = [
    ({"purchase": ("one-off", "repeat")}, {"profile": "purchase", "is": "repeat"}, True),
    ({"purchase": ("one-off", "repeat")}, {"profile": "purchase", "is": "subscription"}, False),
    ({"purchase": ["one-off"]}, {"profile": "purchase", "in": ["repeat", "subscription"]}, False),
    ({"offering": "digital"}, {"profile": "offering", "in": ["product", "both"]}, False),
    ({"offering": "both"}, {"profile": "offering", "is": "service"}, True),
    ({"offering": ["product", "service"]}, {"profile": "offering", "is": "both"}, True),
    ({"offering": ["digital", "service"]}, {"profile": "offering", "is": "both"}, False),
    ({"channel": "online"}, {"profile": "marketing-channel", "is": "online"}, True),
    ({"channel": "offline"}, {"profile": "sales-channel", "in": ["online", "both"]}, False),
    ({"sales-channel": "offline"}, {"profile": "channel", "is": "offline"}, True),
    ({"sales-channel": "offline"}, {"profile": "marketing-channel", "is": "online"}, None),
    (
        {"sales-channel": "offline", "marketing-channel": "online"},
        {"profile": "marketing-channel", "in": ["online", "both"]},
        True,
    ),
    ({"sales-channel": "both"}, {"profile": "sales-channel", "is": "online"}, True),
]


@pytest.mark.parametrize(("profile", "condition", "expected"), PROFILE_TABLE)
def test_profile_values_lists_both_and_older_channel(
    profile: dict[str, Any], condition: dict[str, Any], expected: bool | None
) -> None:
    assert evaluate(condition, Facts(profile=profile)) is expected
    assert compiled(condition)(Facts(profile=profile)) is expected
