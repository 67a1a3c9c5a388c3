"""Wording and formatting shared by every section of the report context."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from cycleaudit.engine.money import METRIC_LABELS
from cycleaudit.model import (
    Grade,
    Rubric,
    Source,
)

Context = dict[str, Any]


SIDE_LABELS = {
    "on-sales": "On-sales (before the purchase)",
    "off-sales": "Off-sales (after the purchase)",
    "sale": "The sale itself",
}


SIDE_SHORT = {"on-sales": "on-sales", "off-sales": "off-sales", "sale": "the sale"}


RATING_LABELS = {"low": "Low", "medium": "Medium", "high": "High"}


SEVERITY_LABELS = {"high": "High priority", "medium": "Medium priority", "low": "Low priority"}


PROFILE_LABELS = {
    "model": "Who buys",
    "offering": "What you sell",
    "channel": "Where you sell and market",
    "sales-channel": "Where the sale happens",
    "marketing-channel": "Where people find you",
    "purchase": "How customers buy",
    "team-size": "Team size",
    "sector": "Sector",
}


PROFILE_VALUES = {
    "model": {"b2c": "Consumers", "b2b": "Businesses", "both": "Consumers and businesses"},
    "offering": {
        "product": "Products",
        "service": "Services",
        "digital": "Digital goods",
        "both": "Products and services",
    },
    "channel": {"online": "Online", "offline": "In person", "both": "Online and in person"},
    "sales-channel": {"online": "Online", "offline": "In person", "both": "Online and in person"},
    "marketing-channel": {
        "online": "Online",
        "offline": "Offline (word of mouth, print, events)",
        "both": "Online and offline",
    },
    "purchase": {
        "one-off": "One-off purchases",
        "repeat": "Repeat purchases",
        "subscription": "Subscriptions or contracts",
    },
}


# A practice at or above this share of its top level is named as a strength.
STRENGTH_AT = 0.75


def score_text(score: float | None) -> str:
    """A 0..100 score as a client reads it: whole numbers unless a half matters."""
    if score is None:
        return "not scored"
    rounded = round(float(score), 1)
    if rounded.is_integer():
        return f"{int(rounded)}"
    return f"{rounded:.1f}"


def score_display(score: float | None) -> str:
    return "not scored" if score is None else f"{score_text(score)} / 100"


def percent(share: float) -> str:
    return f"{share * 100:.0f}%"


def date_display(iso: str) -> str:
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.day} {day.strftime('%B')} {day.year}"


def join_words(items: Sequence[str]) -> str:
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def plain(text: str) -> str:
    """Replace metric field names an engine message may carry by their labels."""
    for name in sorted(METRIC_LABELS, key=len, reverse=True):
        if name in text:
            text = text.replace(name, METRIC_LABELS[name])
    return text


def grade_for(rubric: Rubric, score: float | None) -> Grade | None:
    if score is None:
        return None
    fitting = [grade for grade in rubric.grades if score >= grade.minimum]
    return max(fitting, key=lambda grade: grade.minimum) if fitting else None


def source_item(source: Source) -> dict[str, str]:
    by = ", ".join(part for part in (source.author, source.publisher) if part)
    citation = source.title
    if by:
        citation += f" — {by}"
    if source.year:
        citation += f", {source.year}"
    return {
        "title": source.title,
        "author": source.author,
        "publisher": source.publisher,
        "year": source.year,
        "note": source.note,
        "citation": citation,
        "url": source.url,
    }


def source_items(rubric: Rubric, ids: Iterable[str]) -> list[dict[str, str]]:
    result = []
    for source_id in ids:
        try:
            result.append(source_item(rubric.source(source_id)))
        except KeyError:
            continue  # a rubric validated by the loader names only known sources
    return result


def is_known_tactic(rubric: Rubric, tactic_id: str) -> bool:
    try:
        rubric.tactic(tactic_id)
    except KeyError:
        return False
    return True
