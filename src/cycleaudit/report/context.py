"""Turn a scored ``Audit`` into one report context every renderer reads.

The context is plain JSON (dicts, lists, strings, numbers, booleans, null),
versioned by ``"format": "cycleaudit.report/2"`` and described by
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

from typing import Any

from cycleaudit.model import (
    Audit,
)
from cycleaudit.report.brief import BRIEF_GAPS_PER_STAGE, brief_section, practices_by_level
from cycleaudit.report.common import (
    SIDE_LABELS,
    Context,
    date_display,
    grade_for,
    percent,
    score_display,
    source_item,
)
from cycleaudit.report.cycle import (
    balance_section,
    headline,
    profile_rows,
    stage_chart,
    weakest_stage,
)
from cycleaudit.report.findings import (
    finding_item,
    gap_item,
    practice_row,
    strong_and_weak_areas,
    suggestion_item,
)
from cycleaudit.report.methodology import methodology_section
from cycleaudit.report.money import money_headline, money_section
from cycleaudit.report.plan import matrix_section, plan_section

FORMAT = "cycleaudit.report/2"


def build_context(audit: Audit) -> Context:
    """Everything a renderer needs, as JSON-ready data."""
    questionnaire = audit.questionnaire
    organisation = questionnaire.organisation
    rubric = audit.rubric
    currency = (audit.money.currency if audit.money else "") or organisation.currency

    asset_titles = {s.gap.tactic.asset.title for s in audit.suggestions if s.gap.tactic.asset}
    suggestions = [
        suggestion_item(audit, s, currency, asset_titles)
        for s in sorted(audit.suggestions, key=lambda s: s.rank)
    ]
    suggestion_by_title = {s["title"]: s for s in suggestions}
    by_rank = {item["rank"]: item for item in suggestions}
    by_tactic = {s.gap.tactic.id: by_rank[s.rank] for s in audit.suggestions}
    weakest = weakest_stage(audit)
    strongest_areas, _ = strong_and_weak_areas(audit)
    # "Fix first" and the first actions are the engine plan's, never re-derived here.
    fix_first = [
        {
            "title": by_tactic[t]["title"],
            "stage": by_tactic[t]["stage"],
            "level": by_tactic[t]["level"],
            "score_display": by_tactic[t]["score_display"],
            "evidence": by_tactic[t]["evidence"],
            "rank": by_tactic[t]["rank"],
            "anchor": by_tactic[t]["anchor"],
        }
        for t in audit.plan.fix_first
    ]
    findings = [finding_item(audit, f) for f in audit.findings]
    money = money_section(audit, suggestions)

    stages: list[dict[str, Any]] = []
    for result in audit.stages:
        stage = result.stage
        rows = [practice_row(audit, r) for r in audit.tactics if r.tactic.stage == stage.id]
        practices = [row for row in rows if row["status"] != "not-applicable"]
        stage_gaps = [
            gap_item(audit, g, currency) for g in audit.gaps if g.tactic.stage == stage.id
        ]
        grade = grade_for(rubric, result.score)
        stage_suggestions = [
            suggestion_by_title[g["title"]] for g in stage_gaps if g["title"] in suggestion_by_title
        ]
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
                "practices": practices,
                "practices_by_level": practices_by_level(practices),
                "strengths": [row["title"] for row in rows if row["strong"]],
                "suggestions": stage_suggestions,
                # The brief shows the highest-ranked few; the full report all of them.
                "top_suggestions": sorted(stage_suggestions, key=lambda item: item["rank"])[
                    :BRIEF_GAPS_PER_STAGE
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
    sources = [source_item(s) for s in rubric.sources]
    risks = [f for f in findings if f["kind"] == "risk"]
    plan = plan_section(audit, suggestions)

    return {
        "format": FORMAT,
        "title": "Sales-cycle audit",
        "organisation": {
            "name": organisation.name,
            "audited": organisation.audited,
            "audited_display": date_display(organisation.audited),
            "auditor": organisation.auditor,
            "respondents": list(organisation.respondents),
            "profile": profile_rows(organisation.profile),
        },
        "rubric": {"title": rubric.title, "version": rubric.version},
        "summary": {
            "headline": headline(audit),
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
            "weakest": fix_first,
            "weakest_link": weakest_link,
            "balance": balance_section(audit),
            "money_headline": money_headline(money),
            "top_actions": [
                {
                    "rank": s["rank"],
                    "title": s["title"],
                    "first_step": s["first_step"],
                    "anchor": s["anchor"],
                }
                for s in (by_tactic[t] for t in audit.plan.first_actions)
            ],
        },
        "chart": {"stages": stage_chart(audit, weakest.stage.id if weakest else None)},
        "findings": risks,
        "strengths": [f for f in findings if f["kind"] == "strength"],
        "stages": stages,
        "suggestions": suggestions,
        "gaps": [gap_item(audit, g, currency) for g in audit.gaps],
        "matrix": matrix_section(audit),
        "plan": plan,
        "money": money,
        "brief": brief_section(risks, money, plan, stages),
        "appendix": {
            "assets": assets,
            "na": na,
            "unknown": unknown,
            "left_out": left_out,
            "methodology": methodology_section(audit),
            "sources": sources,
        },
    }
