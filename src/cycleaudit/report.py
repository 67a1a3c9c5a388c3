"""Turn a scored ``Audit`` into one report context every renderer reads.

The context is plain JSON (dicts, lists, strings, numbers, booleans, null),
versioned by ``"format": "cycleaudit.report/1"`` and described by
``schemas/report.schema.json``. All wording, rounding and money formatting
happen here, once, so the text, Markdown, HTML and PDF reports can never
disagree about a number.

Text that came from people (evidence, notes, rubric advice, assets) stays raw
Markdown in the context; renderers convert it through their safe Markdown
converter. Prose written here never contains internal ids or field names,
and never a figure the audit did not compute: where data is missing it says
what to measure instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from cycleaudit.model import (
    RATING_VALUES,
    Audit,
    Finding,
    Gap,
    Grade,
    Rubric,
    Source,
    StageResult,
    Suggestion,
    Tactic,
    TacticResult,
)
from cycleaudit.money import METRIC_LABELS, format_metric, format_money

FORMAT = "cycleaudit.report/1"

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
    "channel": "Where the sale happens",
    "purchase": "How customers buy",
    "team-size": "Team size",
    "sector": "Sector",
}
PROFILE_VALUES = {
    "model": {"b2c": "Consumers", "b2b": "Businesses", "both": "Consumers and businesses"},
    "offering": {"product": "Products", "service": "Services", "both": "Products and services"},
    "channel": {"online": "Online", "offline": "In person", "both": "Online and in person"},
    "purchase": {
        "one-off": "Once",
        "repeat": "Again and again",
        "subscription": "On a subscription or contract",
    },
}

# Only the first suggestions get a full page-width finding; the rest are table
# rows with their first step, so a 30-gap audit stays a readable report.
DETAILED_SUGGESTIONS = 10
# A practice at or above this share of its top level is named as a strength.
STRENGTH_AT = 0.75
# How much effort (low=1, medium=2, high=3) a team can take on per 30 days.
# Two medium tasks or one high plus one low fit in a month alongside daily work.
PHASE_CAPACITY = 4
PHASES = (
    ("30", "First 30 days"),
    ("60", "Days 31 to 60"),
    ("90", "Days 61 to 90"),
    ("later", "After 90 days"),
)
QUADRANTS = {
    "quick-win": ("Quick wins", "High value for little effort: start here."),
    "big-bet": ("Big bets", "High value, real effort: plan these with care."),
    "fill-in": ("Fill-ins", "Small value, little effort: do them when you have a spare hour."),
    "reconsider": ("Reconsider", "Small value for a lot of effort: only if the others are done."),
}


# ------------------------------------------------------------------ format


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


def _plain(text: str) -> str:
    """Replace metric field names an engine message may carry by their labels."""
    for name in sorted(METRIC_LABELS, key=len, reverse=True):
        if name in text:
            text = text.replace(name, METRIC_LABELS[name])
    return text


# ------------------------------------------------------------------ pieces


def _grade_for(rubric: Rubric, score: float | None) -> Grade | None:
    if score is None:
        return None
    fitting = [grade for grade in rubric.grades if score >= grade.minimum]
    return max(fitting, key=lambda grade: grade.minimum) if fitting else None


def _source(source: Source) -> dict[str, str]:
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
    }


def _sources(rubric: Rubric, ids: Iterable[str]) -> list[dict[str, str]]:
    result = []
    for source_id in ids:
        try:
            result.append(_source(rubric.source(source_id)))
        except KeyError:
            continue  # a rubric validated by the loader names only known sources
    return result


def _level(audit: Audit, result: TacticResult) -> dict[str, Any]:
    """The client's answer for one practice, in words."""
    tactic = result.tactic
    answer = result.answer
    level_id = answer.level if answer is not None else None
    level_title = ""
    level_meaning = ""
    if result.status == "scored" and level_id is not None:
        try:
            level_title = audit.rubric.level(level_id).title
        except KeyError:
            level_title = level_id
        level_meaning = tactic.levels.get(level_id, "")
    status_label = {
        "scored": level_title,
        "na": "Does not apply to you",
        "unknown": "Not answered",
        "not-applicable": "Left out for your kind of business",
    }[result.status]
    return {
        "title": tactic.title,
        "question": tactic.question,
        "status": result.status,
        "status_label": status_label,
        "level": level_title,
        "level_meaning": level_meaning,
        "score": None if result.score is None else round(result.score * 100, 1),
        "score_display": score_display(None if result.score is None else result.score * 100),
        "strong": result.score is not None and result.score >= STRENGTH_AT,
        "evidence": answer.evidence if answer else "",
        "note": answer.note if answer else "",
        "owner": answer.owner if answer else "",
        "reason": result.reason or (answer.na_reason if answer else ""),
        "weight": tactic.weight,
    }


def _money_or_missing(gap: Gap, currency: str) -> dict[str, Any] | None:
    if gap.value is None:
        return None
    return {
        "amount": round(gap.value.amount, 2),
        "display": f"{format_money(gap.value.amount, currency)} a year",
        "formula": _plain(gap.value.formula),
        "assumption": gap.value.assumption,
    }


def _gap(audit: Audit, gap: Gap, currency: str) -> dict[str, Any]:
    tactic = gap.tactic
    result = audit.tactic_result(tactic.id)
    seen = _level(audit, result)
    return {
        "title": tactic.title,
        "stage": audit.rubric.stage(tactic.stage).title,
        "level": seen["status_label"],
        "level_meaning": seen["level_meaning"],
        "score_display": score_display(gap.score * 100),
        "evidence": seen["evidence"],
        "note": seen["note"],
        "gain": round(gap.gain, 4),
        "value": _money_or_missing(gap, currency),
        "value_missing": _plain(gap.value_missing),
    }


def _what_we_saw(audit: Audit, tactic: Tactic) -> str:
    """First step of a finding: their answer, in a sentence."""
    result = audit.tactic_result(tactic.id)
    seen = _level(audit, result)
    if result.status == "unknown":
        return f"You did not answer the question “{tactic.question}”."
    if result.status == "scored" and seen["level"]:
        text = f"You rated this practice “{seen['level']}”"
        if seen["level_meaning"]:
            text += f": {seen['level_meaning'].rstrip('.')}"
        return text + "."
    return str(seen["status_label"]) + "."


def _suggestion(
    audit: Audit, suggestion: Suggestion, currency: str, asset_titles: set[str]
) -> dict[str, Any]:
    gap = suggestion.gap
    tactic = gap.tactic
    base = _gap(audit, gap, currency)
    return {
        **base,
        "rank": suggestion.rank,
        "anchor": f"action-{suggestion.rank}",
        "detailed": suggestion.rank <= DETAILED_SUGGESTIONS,
        "stage_side": SIDE_SHORT[audit.rubric.stage(tactic.stage).side],
        "saw": _what_we_saw(audit, tactic),
        "why": tactic.advice,
        "first_step": tactic.first_step,
        "effort": tactic.effort,
        "effort_label": RATING_LABELS[tactic.effort],
        "impact": tactic.impact,
        "impact_label": RATING_LABELS[tactic.impact],
        "quadrant": _quadrant(tactic),
        "read_more": _sources(audit.rubric, tactic.sources),
        "trace": [_plain(line) for line in suggestion.why],
        "requires": [
            audit.rubric.tactic(t).title for t in tactic.requires if _known(audit.rubric, t)
        ],
        "asset": tactic.asset.title if tactic.asset and tactic.asset.title in asset_titles else "",
    }


def _known(rubric: Rubric, tactic_id: str) -> bool:
    try:
        rubric.tactic(tactic_id)
    except KeyError:
        return False
    return True


def _quadrant(tactic: Tactic) -> str:
    """Place a practice in the impact-versus-effort matrix."""
    if tactic.impact_value >= 2:
        return "quick-win" if tactic.effort_value < tactic.impact_value else "big-bet"
    return "fill-in" if tactic.effort == "low" else "reconsider"


def _finding(audit: Audit, finding: Finding) -> dict[str, Any]:
    rule = finding.rule
    return {
        "title": rule.title,
        "kind": rule.kind,
        "kind_label": "Strength to keep" if rule.kind == "strength" else "Risk",
        "severity": rule.severity,
        "severity_label": SEVERITY_LABELS[rule.severity],
        "saw": [{"label": e.label, "value": e.value} for e in finding.evidence],
        "why": rule.message,
        "first_step": rule.first_step,
        "practices": [
            audit.rubric.tactic(t).title for t in rule.tactics if _known(audit.rubric, t)
        ],
        "read_more": _sources(audit.rubric, rule.sources),
    }


# ------------------------------------------------------------------ summary


def _areas(audit: Audit) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Three strongest and three weakest answered practices, never the same one twice."""
    scored = [r for r in audit.tactics if r.status == "scored" and r.score is not None]
    order = {r.tactic.id: i for i, r in enumerate(audit.tactics)}

    def strong_key(r: TacticResult) -> tuple[float, float, int]:
        return (-(r.score or 0.0), -r.tactic.weight, order[r.tactic.id])

    def weak_key(r: TacticResult) -> tuple[float, float, int]:
        return ((r.score or 0.0), -r.tactic.weight, order[r.tactic.id])

    strongest = [r for r in sorted(scored, key=strong_key) if (r.score or 0) >= 0.5][:3]
    taken = {r.tactic.id for r in strongest}
    weakest = [
        r for r in sorted(scored, key=weak_key) if r.tactic.id not in taken and (r.score or 0) < 1
    ][:3]

    def area(r: TacticResult) -> dict[str, Any]:
        seen = _level(audit, r)
        return {
            "title": r.tactic.title,
            "stage": audit.rubric.stage(r.tactic.stage).title,
            "level": seen["level"],
            "score_display": seen["score_display"],
            "evidence": seen["evidence"],
        }

    return [area(r) for r in strongest], [area(r) for r in weakest]


def _stage_chart(audit: Audit, weakest_id: str | None) -> list[dict[str, Any]]:
    return [
        {
            "label": r.stage.title,
            "side": r.stage.side,
            "score": None if r.score is None else round(r.score, 1),
            "display": score_text(r.score) if r.score is not None else "not answered",
            "weakest": r.stage.id == weakest_id,
        }
        for r in audit.stages
    ]


def _weakest_stage(audit: Audit) -> StageResult | None:
    scored = [r for r in audit.stages if r.score is not None]
    if len(scored) < 2:
        return None
    return min(scored, key=lambda r: r.score if r.score is not None else 0.0)


def _balance(audit: Audit) -> dict[str, Any]:
    sides = []
    for side in ("on-sales", "off-sales"):
        try:
            result = audit.side_result(side)
        except KeyError:
            continue
        stages = [r.stage.title for r in audit.stages if r.stage.side == side]
        sides.append(
            {
                "label": SIDE_LABELS[side],
                "stages": join_words(stages),
                "score": None if result.score is None else round(result.score, 1),
                "display": score_display(result.score),
            }
        )
    difference = audit.balance.difference
    verdict_title = {
        "balanced": "Balanced",
        "on-sales-ahead": "On-sales far ahead",
        "off-sales-ahead": "Off-sales far ahead",
        "unknown": "Not enough answers to judge",
    }[audit.balance.verdict]
    return {
        "verdict": audit.balance.verdict,
        "title": verdict_title,
        "difference": None if difference is None else round(difference, 1),
        "difference_display": "" if difference is None else f"{score_text(abs(difference))} points",
        "threshold_display": f"{score_text(audit.rubric.balance.threshold)} points",
        "text": audit.balance.text,
        "sides": sides,
    }


# ------------------------------------------------------------------ plan


def _plan(audit: Audit, suggestions: list[dict[str, Any]]) -> dict[str, Any]:
    """Spread the ranked suggestions over 30/60/90 days.

    Rank order is kept, each phase takes at most ``PHASE_CAPACITY`` effort,
    and a practice is never planned before (or in the same phase as) a
    prerequisite that is itself still a gap: it moves to the next phase.
    """
    by_id = {s.gap.tactic.id: s for s in audit.suggestions}
    gap_ids = {g.tactic.id for g in audit.gaps}
    placed: dict[str, int] = {}
    load = [0] * len(PHASES)
    items: list[list[dict[str, Any]]] = [[] for _ in PHASES]
    by_rank = {s["rank"]: s for s in suggestions}
    notes: list[str] = []

    def place(tactic_id: str, chain: tuple[str, ...]) -> int:
        if tactic_id in placed:
            return placed[tactic_id]
        tactic = audit.rubric.tactic(tactic_id)
        earliest = 0
        after = []
        for required in tactic.requires:
            if required in chain or not _known(audit.rubric, required):
                continue
            if required in gap_ids and required in by_id:
                earliest = max(earliest, place(required, (*chain, tactic_id)) + 1)
                after.append(audit.rubric.tactic(required).title)
            elif required in gap_ids:
                notes.append(
                    f"“{tactic.title}” builds on “{audit.rubric.tactic(required).title}”, "
                    "which is still a gap: get the basics of that in place first."
                )
        cost = RATING_VALUES[tactic.effort]
        phase = min(earliest, len(PHASES) - 1)
        while phase < len(PHASES) - 1 and load[phase] + cost > PHASE_CAPACITY and load[phase]:
            phase += 1
        load[phase] += cost
        placed[tactic_id] = phase
        suggestion = by_rank[by_id[tactic_id].rank]
        items[phase].append(
            {
                "rank": suggestion["rank"],
                "anchor": suggestion["anchor"],
                "title": suggestion["title"],
                "stage": suggestion["stage"],
                "first_step": suggestion["first_step"],
                "effort_label": suggestion["effort_label"],
                "impact_label": suggestion["impact_label"],
                "after": after,
            }
        )
        return phase

    for suggestion in sorted(audit.suggestions, key=lambda s: s.rank):
        place(suggestion.gap.tactic.id, ())
    phases: list[dict[str, Any]] = [
        {"id": pid, "title": title, "actions": sorted(items[i], key=lambda item: item["rank"])}
        for i, (pid, title) in enumerate(PHASES)
    ]
    return {
        "phases": [p for p in phases if p["actions"] or p["id"] != "later"],
        "capacity_note": (
            "Each month holds about two medium-effort actions (or one large and one small) "
            "next to daily work. An action that builds on another starts in the month after it."
        ),
        "notes": sorted(set(notes)),
    }


def _matrix(suggestions: list[dict[str, Any]]) -> dict[str, Any]:
    cells = []
    for impact in ("high", "medium", "low"):
        for effort in ("low", "medium", "high"):
            cells.append(
                {
                    "impact": impact,
                    "effort": effort,
                    "actions": [
                        {"rank": s["rank"], "title": s["title"]}
                        for s in suggestions
                        if s["impact"] == impact and s["effort"] == effort
                    ],
                }
            )
    quadrants = []
    for key, (title, text) in QUADRANTS.items():
        quadrants.append(
            {
                "id": key,
                "title": title,
                "text": text,
                "actions": [
                    {"rank": s["rank"], "title": s["title"], "anchor": s["anchor"]}
                    for s in suggestions
                    if s["quadrant"] == key
                ],
            }
        )
    return {"cells": cells, "quadrants": quadrants}


# ------------------------------------------------------------------ money


def _money(audit: Audit, suggestions: list[dict[str, Any]]) -> dict[str, Any] | None:
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
        for name, value in organisation.metrics.items()
        if name != "currency"
    ]
    at_stake = [
        {"rank": s["rank"], "title": s["title"], **s["value"]}
        for s in suggestions
        if s["value"] is not None
    ]
    unsized = [
        {"rank": s["rank"], "title": s["title"], "missing": s["value_missing"]}
        for s in suggestions
        if s["value"] is None and s["value_missing"]
    ]
    ratio_text = ""
    if money.ratio is not None:
        ratio_text = f"Each customer brings in {money.ratio:.1f} times what it costs to win one."
        if money.ratio < 3:
            ratio_text += (
                " Below about 3 to 1, winning customers barely pays for itself: "
                "keeping the ones you have is the cheaper lever."
            )
    return {
        "currency": currency,
        "figures": figures,
        "annual_revenue": None
        if money.annual_revenue is None
        else {
            "display": f"{format_money(money.annual_revenue, currency)} a year",
            "formula": _plain(money.revenue_formula),
        },
        "lifetime_value": None
        if money.lifetime_value is None
        else {
            "display": format_money(money.lifetime_value, currency),
            "formula": _plain(money.lifetime_value_formula),
            "assumptions": [_plain(a) for a in money.lifetime_value_assumptions],
        },
        "acquisition_cost": None
        if money.acquisition_cost is None
        else format_money(money.acquisition_cost, currency),
        "ratio": None if money.ratio is None else round(money.ratio, 2),
        "ratio_display": "" if money.ratio is None else f"{money.ratio:.1f} to 1",
        "ratio_text": ratio_text,
        "at_stake": at_stake,
        "unsized": unsized,
        "to_measure": list(money.to_measure),
    }


def _money_headline(money: dict[str, Any] | None) -> str:
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


# ------------------------------------------------------------------ methodology


def _worked_example(audit: Audit) -> str:
    """A stage score recomputed by hand, shown only if it matches the engine's."""
    # The smallest stage with at least two answers keeps the sum short enough to redo.
    for stage in sorted(audit.stages, key=lambda r: r.scored):
        if stage.score is None or stage.scored < 2:
            continue
        rows = [
            r
            for r in audit.tactics
            if r.tactic.stage == stage.stage.id and r.status == "scored" and r.score is not None
        ]
        total_weight = sum(r.tactic.weight for r in rows)
        if not total_weight:
            continue
        value = sum((r.score or 0.0) * r.tactic.weight for r in rows) / total_weight * 100
        if abs(value - stage.score) > 0.05:
            return ""  # the engine weighs differently: never print arithmetic that is off
        terms = " + ".join(
            f"{score_text((r.score or 0) * 100)} × {r.tactic.weight:g}" for r in rows
        )
        weights = " + ".join(f"{r.tactic.weight:g}" for r in rows)
        return (
            f"For example, {stage.stage.title}: ({terms}) ÷ ({weights}) = "
            f"{score_text(value)} out of 100."
        )
    return ""


def _methodology(audit: Audit) -> dict[str, Any]:
    rubric = audit.rubric
    levels = [
        {
            "title": level.title,
            "points": score_text(level.score * 100),
            "description": level.description,
        }
        for level in rubric.levels
    ]
    stage_weights = [
        {"title": s.title, "weight": f"{s.weight:g}", "side": SIDE_LABELS[s.side]}
        for s in rubric.stages
    ]
    grades = [
        {"label": g.label, "minimum": score_text(g.minimum), "meaning": g.meaning}
        for g in sorted(rubric.grades, key=lambda g: -g.minimum)
    ]
    paragraphs = [
        "Each practice in this audit was answered at one of the levels below, and each level is "
        "worth a fixed number of points out of 100.",
        "A stage's score is the average of its practices' points, where a more important practice "
        "counts more: multiply each practice's points by its weight, add them up, and divide by "
        "the sum of the weights.",
        "Practices that do not apply to your business, or that you marked as not applicable with "
        "a reason, are left out of the average instead of counting as zero. Practices you did not "
        "answer are left out too, but they lower the coverage figure, so a high score on few "
        "answers is visible as such.",
        "The overall score is the average of the stage scores, weighted by the stage weights "
        "below. The on-sales score averages the stages before the purchase, the off-sales score "
        "the stages after it; when the two differ by more than "
        f"{score_text(rubric.balance.threshold)} points we call the cycle unbalanced.",
        "Suggested actions are ranked by the points they would add if brought to the top level, "
        "weighed by how much they matter and how much effort they take. Money figures use only "
        "the numbers you gave us, with the formula next to each one.",
    ]
    return {
        "paragraphs": paragraphs,
        "example": _worked_example(audit),
        "levels": levels,
        "stage_weights": stage_weights,
        "grades": grades,
        "rubric": {
            "title": rubric.title,
            "version": rubric.version,
            "description": rubric.description,
        },
    }


# ------------------------------------------------------------------ main


def _profile(profile: Mapping[str, Any]) -> list[dict[str, str]]:
    rows = []
    for key, value in profile.items():
        label = PROFILE_LABELS.get(key, key.replace("-", " ").capitalize())
        shown = PROFILE_VALUES.get(key, {}).get(str(value), str(value))
        rows.append({"label": label, "value": shown})
    return rows


def _headline(audit: Audit) -> str:
    if audit.overall is None:
        return (
            "There are not enough answers to score your sales cycle yet: answer the open "
            "questions in the appendix and run the audit again."
        )
    text = f"Your sales cycle scores {score_text(audit.overall)} out of 100"
    if audit.grade is not None:
        text += f": {audit.grade.label.lower()}. {audit.grade.meaning}"
    else:
        text += "."
    return text


def build_context(audit: Audit) -> Context:
    """Everything a renderer needs, as JSON-ready data."""
    questionnaire = audit.questionnaire
    organisation = questionnaire.organisation
    rubric = audit.rubric
    currency = (audit.money.currency if audit.money else "") or organisation.currency

    asset_titles = {s.gap.tactic.asset.title for s in audit.suggestions if s.gap.tactic.asset}
    suggestions = [
        _suggestion(audit, s, currency, asset_titles)
        for s in sorted(audit.suggestions, key=lambda s: s.rank)
    ]
    suggestion_by_title = {s["title"]: s for s in suggestions}
    weakest = _weakest_stage(audit)
    strongest_areas, weakest_areas = _areas(audit)
    findings = [_finding(audit, f) for f in audit.findings]
    money = _money(audit, suggestions)

    stages: list[dict[str, Any]] = []
    for result in audit.stages:
        stage = result.stage
        rows = [_level(audit, r) for r in audit.tactics if r.tactic.stage == stage.id]
        stage_gaps = [_gap(audit, g, currency) for g in audit.gaps if g.tactic.stage == stage.id]
        grade = _grade_for(rubric, result.score)
        stages.append(
            {
                "anchor": f"stage-{len(stages) + 1}",
                "number": len(stages) + 1,
                "title": stage.title,
                "side": stage.side,
                "side_label": SIDE_LABELS[stage.side],
                "summary": stage.summary,
                "score": None if result.score is None else round(result.score, 1),
                "score_display": score_display(result.score),
                "grade": grade.label if grade else "",
                "weakest": weakest is not None and stage.id == weakest.stage.id,
                "counts": {
                    "scored": result.scored,
                    "na": result.na,
                    "unknown": result.unknown,
                    "left_out": result.not_applicable,
                },
                "coverage_display": percent(result.coverage),
                "practices": [row for row in rows if row["status"] != "not-applicable"],
                "strengths": [row["title"] for row in rows if row["strong"]],
                "suggestions": [
                    suggestion_by_title[g["title"]]
                    for g in stage_gaps
                    if g["title"] in suggestion_by_title
                ],
                "other_gaps": [g for g in stage_gaps if g["title"] not in suggestion_by_title],
            }
        )

    weakest_link = None
    if weakest is not None:
        weakest_link = {
            "title": weakest.stage.title,
            "score_display": score_display(weakest.score),
            "text": (
                f"{weakest.stage.title} is the weakest link of your cycle at "
                f"{score_display(weakest.score)}: a chain is only as strong as this stage, "
                "so effort here pays off across the whole cycle."
            ),
        }

    overall_grade = audit.grade
    assets = [
        {
            "title": s.gap.tactic.asset.title,
            "kind": s.gap.tactic.asset.kind,
            "body": s.gap.tactic.asset.body,
            "for": s.gap.tactic.title,
            "rank": s.rank,
        }
        for s in sorted(audit.suggestions, key=lambda s: s.rank)
        if s.gap.tactic.asset
    ]
    na = [
        {
            "title": r.tactic.title,
            "stage": rubric.stage(r.tactic.stage).title,
            "reason": r.reason or (r.answer.na_reason if r.answer else ""),
        }
        for r in audit.tactics
        if r.status == "na"
    ]
    unknown = [
        {
            "title": r.tactic.title,
            "stage": rubric.stage(r.tactic.stage).title,
            "question": r.tactic.question,
        }
        for r in audit.tactics
        if r.status == "unknown"
    ]
    # N/A and unanswered practices have their own lists above; here only the
    # ones the rubric leaves out because they do not fit the business.
    left_out = [
        {
            "title": r.tactic.title,
            "stage": rubric.stage(r.tactic.stage).title,
            "reason": r.reason or r.tactic.applies_note,
        }
        for r in audit.tactics
        if r.status == "not-applicable"
    ]
    sources = [_source(s) for s in rubric.sources]

    return {
        "format": FORMAT,
        "title": "Sales-cycle audit",
        "organisation": {
            "name": organisation.name,
            "audited": organisation.audited,
            "audited_display": date_display(organisation.audited),
            "auditor": organisation.auditor,
            "respondents": list(organisation.respondents),
            "profile": _profile(organisation.profile),
        },
        "rubric": {"title": rubric.title, "version": rubric.version},
        "summary": {
            "headline": _headline(audit),
            "overall": None if audit.overall is None else round(audit.overall, 1),
            "overall_display": score_display(audit.overall),
            "grade": None
            if overall_grade is None
            else {"label": overall_grade.label, "meaning": overall_grade.meaning},
            "coverage": round(audit.coverage, 4),
            "coverage_display": percent(audit.coverage),
            "coverage_text": (
                f"You answered {percent(audit.coverage)} of the questions that apply to you."
                + (
                    ""
                    if audit.coverage >= 0.999
                    else " The open ones are listed in the appendix: answering them makes the "
                    "score more reliable."
                )
            ),
            "strongest": strongest_areas,
            "weakest": weakest_areas,
            "weakest_link": weakest_link,
            "balance": _balance(audit),
            "money_headline": _money_headline(money),
            "top_actions": [
                {
                    "rank": s["rank"],
                    "title": s["title"],
                    "first_step": s["first_step"],
                    "anchor": s["anchor"],
                }
                for s in suggestions[:3]
            ],
        },
        "chart": {"stages": _stage_chart(audit, weakest.stage.id if weakest else None)},
        "findings": [f for f in findings if f["kind"] == "risk"],
        "strengths": [f for f in findings if f["kind"] == "strength"],
        "stages": stages,
        "suggestions": suggestions,
        "gaps": [_gap(audit, g, currency) for g in audit.gaps],
        "matrix": _matrix(suggestions),
        "plan": _plan(audit, suggestions),
        "money": money,
        "appendix": {
            "assets": assets,
            "na": na,
            "unknown": unknown,
            "left_out": left_out,
            "methodology": _methodology(audit),
            "sources": sources,
        },
    }
