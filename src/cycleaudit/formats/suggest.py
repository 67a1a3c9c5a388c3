"""Hints of the form "did you mean ...?" that are right or absent.

A wrong hint costs more than none: "churn-rate, did you mean
conversion-rate?" sends a user to change a figure that means something
else. So a hint is given only when the word is

- a known other name for exactly one option (the schema's ``x-also-called``
  lists: ``clv`` for customer-lifetime-value, ``churn`` for churn-rate), or
- a near-spelling of one option (a typo: ``churn-rat``, ``evidance``), with
  a strict similarity cut-off, or
- a whole dash-separated part of exactly one option (``team`` for
  team-size, ``margin`` for gross-margin), or the start of exactly one
  option, at least half of it (``no`` for none).

Otherwise the caller lists what is allowed instead.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

from cycleaudit.errors import shorten

# Similarity (difflib ratio) a typo must reach: "churn-rat"/"churn-rate" is 0.95,
# "levle"/"level" 0.8, while unrelated words that share letters
# ("churn-rate"/"conversion-rate" 0.64, "revenue"/"evidence" 0.67) stay below.
CUTOFF = 0.8
# Comparing a word against very many options is slow and its hints are poor.
MAX_OPTIONS = 2000


def nearest(
    word: str, options: Iterable[str], aliases: Mapping[str, Iterable[str]] | None = None
) -> str | None:
    """The one option ``word`` most plausibly meant, or None."""
    choices = [str(option) for option in options if option]
    if not word or not choices or len(choices) > MAX_OPTIONS:
        return None
    folded = word.strip().lower().replace("_", "-").replace(" ", "-")
    if folded in choices:
        return folded  # a difference of case or separators only
    named = {option for option, names in (aliases or {}).items() if folded in set(names)}
    if len(named) == 1:
        return named.pop()
    close = difflib.get_close_matches(folded, choices, n=2, cutoff=CUTOFF)
    if close:
        return close[0]
    parts = set(folded.split("-"))
    containing = [
        option for option in choices if len(folded) >= 3 and parts <= set(option.split("-"))
    ]
    if len(containing) == 1:
        return containing[0]
    starting = [
        option
        for option in choices
        if len(folded) >= 2 and option.startswith(folded) and 2 * len(folded) >= len(option)
    ]
    return starting[0] if len(starting) == 1 else None


def did_you_mean(
    word: str, options: Iterable[str], aliases: Mapping[str, Iterable[str]] | None = None
) -> str:
    found = nearest(word, options, aliases)
    return f"did you mean {shorten(found)}?" if found else ""


def aliases_in(properties: Mapping[str, object]) -> dict[str, list[str]]:
    """The ``x-also-called`` names of a schema's properties, by property name."""
    out: dict[str, list[str]] = {}
    for name, spec in properties.items():
        if isinstance(spec, Mapping):
            names = spec.get("x-also-called")
            if isinstance(names, list):
                out[name] = [str(n) for n in names]
    return out
