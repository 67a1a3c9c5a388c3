"""Hand-built ``Audit`` objects for renderer tests.

They do not go through the loader or the scorer, so the renderers can be
tested on exact, hostile or edge-case content (empty stages, no metrics,
notes full of HTML) without writing a questionnaire for each case.
"""

from __future__ import annotations

from dataclasses import replace

from cycleaudit.engine import money
from cycleaudit.engine import plan as engine_plan
from cycleaudit.formats.rubric import DEFAULT_PLAN_RULES
from cycleaudit.model import (
    Answer,
    Asset,
    Audit,
    Balance,
    BalanceVerdict,
    Evidence,
    Exclusion,
    Finding,
    Gap,
    Grade,
    Level,
    MoneyLever,
    Organisation,
    Questionnaire,
    Rubric,
    Rule,
    SideResult,
    Source,
    Stage,
    StageResult,
    Suggestion,
    Tactic,
    TacticResult,
)

LEVELS = (
    Level("none", "Not in place", 0.0, "You do not do this."),
    Level("basic", "Started", 1 / 3, "You do it now and then."),
    Level("good", "In place", 2 / 3, "You do it reliably."),
    Level("excellent", "Excellent", 1.0, "You do it, measure it and improve it."),
)
STAGES = (
    Stage("prospecting", "Prospecting", "on-sales", 1.0, "Finding and sorting prospects."),
    Stage("conversion", "Conversion", "on-sales", 1.0, "Raising demand, lowering the barrier."),
    Stage("buying-experience", "Buying experience", "sale", 1.0, "The point of sale."),
    Stage("thank-you", "Thank you", "off-sales", 1.0, "Saying thank you."),
    Stage("retention", "Retention", "off-sales", 1.0, "Keeping in touch."),
)
SOURCES = (
    Source("s000", "On-sales and off-sales", "A. Writer", "Small Biz Press", "2019"),
    Source("s001", "Keeping customers", "B. Author", "", "2021"),
)
GRADES = (
    Grade("weak", 0, "Weak", "Most of the cycle is left to chance."),
    Grade("fair", 40, "Fair", "The basics are there; several stages leak customers."),
    Grade("good", 65, "Good", "A working cycle with a few clear gaps."),
    Grade("strong", 85, "Strong", "A cycle to keep and fine-tune."),
)


def _tactic(
    tid: str,
    stage: str,
    title: str,
    *,
    effort: str = "medium",
    impact: str = "medium",
    requires: tuple[str, ...] = (),
    asset: Asset | None = None,
    lever: MoneyLever | None = None,
) -> Tactic:
    side = "off-sales" if stage in ("thank-you", "retention") else "on-sales"
    return Tactic(
        id=tid,
        stage=stage,
        side=side,
        title=title,  # type: ignore[arg-type]
        question=f"How do you handle {title.lower()}?",
        levels={
            "none": "Nothing yet.",
            "basic": "Sometimes.",
            "good": "Always.",
            "excellent": "Always, and measured.",
        },
        advice=f"**{title}** matters because customers notice it. See the [guide](https://example.com/guide).",
        first_step=f"Write down how {title.lower()} works today, in one page.",
        effort=effort,
        impact=impact,
        weight=1.0,
        sources=("s000",),
        requires=requires,
        asset=asset,
        lever=lever,
    )


TACTICS = (
    _tactic(
        "define-prospects", "prospecting", "Define your prospects", effort="low", impact="high"
    ),
    _tactic(
        "segments",
        "prospecting",
        "Sort prospects into buying groups",
        requires=("define-prospects",),
    ),
    _tactic(
        "testimonials",
        "conversion",
        "Testimonials and case studies",
        effort="low",
        impact="high",
        asset=Asset(
            "Testimonial request email",
            "email",
            "Subject: A quick favour\n\nHi {name},\n\n"
            "* what did you like?\n* would you tell a friend?",
        ),
    ),
    _tactic("free-trial", "conversion", "Free trial", effort="high", impact="high"),
    _tactic("packaging", "buying-experience", "Quality packaging", effort="medium", impact="low"),
    _tactic(
        "thank-you-page",
        "buying-experience",
        "A thank-you page that leads somewhere",
        effort="low",
        impact="medium",
    ),
    _tactic(
        "thank-you-note", "thank-you", "Personal thank-you message", effort="low", impact="high"
    ),
    _tactic(
        "coupon",
        "thank-you",
        "Coupon for the next purchase",
        effort="low",
        impact="medium",
        lever=MoneyLever(
            "repeat-purchase-rate",
            0.1,
            "relative",
            "A coupon brings back one in ten customers who would not return.",
        ),
    ),
    _tactic(
        "follow-ups",
        "retention",
        "Scheduled follow-ups",
        effort="medium",
        impact="high",
        lever=MoneyLever(
            "repeat-purchase-rate",
            0.05,
            "points",
            "Regular follow-ups win back 5 in 100 customers a year.",
        ),
    ),
    _tactic(
        "loyalty",
        "retention",
        "Loyalty programme",
        effort="high",
        impact="medium",
        requires=("follow-ups",),
    ),
    _tactic(
        "drip",
        "retention",
        "Email sequence for buyers",
        effort="medium",
        impact="medium",
        requires=("follow-ups",),
    ),
    _tactic("webinars", "retention", "Webinars and education", effort="high", impact="low"),
)

RULES = (
    Rule(
        "no-off-sales",
        "You win customers and then go quiet",
        "risk",
        "high",
        {"all": []},
        "Customers who hear nothing after buying **rarely come back**.",
        "Send every customer from last month a short personal thank-you.",
        tactics=("thank-you-note", "follow-ups"),
        sources=("s001",),
    ),
    Rule(
        "prospects-known",
        "You know who you sell to",
        "strength",
        "low",
        {"all": []},
        "A clear picture of the buyer makes every message sharper.",
        "Keep the description up to date each quarter.",
    ),
)

RUBRIC = Rubric(
    id="test",
    version="1.2",
    title="Test rubric",
    description="A rubric for renderer tests.",
    levels=LEVELS,
    stages=STAGES,
    tactics=TACTICS,
    sources=SOURCES,
    grades=GRADES,
    rules=RULES,
    balance=Balance(15, 1, "On-sales ahead.", "Off-sales ahead.", "Balanced."),
    plan=DEFAULT_PLAN_RULES,
)

ANSWERS = {
    "define-prospects": ("excellent", "We keep a one-page profile of our buyers."),
    "segments": ("good", "Three groups in the CRM."),
    "testimonials": ("none", ""),
    "free-trial": ("basic", "Trial on request only."),
    "packaging": ("good", "Branded boxes."),
    "thank-you-page": (None, ""),
    "thank-you-note": ("none", ""),
    "coupon": ("basic", "A coupon at Christmas."),
    "follow-ups": ("none", "We never call back."),
    "loyalty": ("none", ""),
    "drip": ("basic", ""),
}
METRICS = {
    "customers-per-year": 1200.0,
    "purchases-per-customer-per-year": 2.0,
    "average-order-value": 45.0,
    "acquisition-cost": 30.0,
    "repeat-purchase-rate": 0.3,
}


def make_audit(
    *, note: str = "", evidence: str = "", metrics: bool = True, name: str = "Harbour Tea Company"
) -> Audit:
    """An audit with realistic spread: strengths, gaps, N/A, unknown, one left out."""
    answers = {}
    for tid, (level, ev) in ANSWERS.items():
        tactic = RUBRIC.tactic(tid)
        answers[tid] = Answer(
            tactic=tid,
            stage=tactic.stage,
            level=level,
            na_reason="We only sell in person." if level is None else "",
            evidence=(evidence or ev) if tid in ("follow-ups", "testimonials") else ev,
            note=note if tid in ("follow-ups", "coupon") else "",
            owner="Sam" if tid == "follow-ups" else "",
        )
    organisation = Organisation(
        name=name,
        audited="2025-03-14",
        auditor="Jo Consultant",
        respondents=("Ann", "Ben"),
        profile={"model": "b2c", "offering": "product", "team-size": 6},
        currency="EUR",
        metrics=dict(METRICS) if metrics else {},
    )
    questionnaire = Questionnaire(1, "test", organisation, answers)
    results = []
    for tactic in TACTICS:
        answer = answers.get(tactic.id)
        if tactic.id == "webinars":
            results.append(
                TacticResult(
                    tactic,
                    "not-applicable",
                    None,
                    None,
                    "Webinars suit businesses with a longer sale.",
                )
            )
        elif answer is None:
            results.append(TacticResult(tactic, "unknown", None, None))
        elif answer.level is None:
            results.append(TacticResult(tactic, "na", None, answer, answer.na_reason))
        else:
            results.append(TacticResult(tactic, "scored", RUBRIC.level(answer.level).score, answer))
    stage_results = []
    for stage in STAGES:
        rows = [r for r in results if r.tactic.stage == stage.id]
        scored = [r for r in rows if r.status == "scored"]
        score = (sum(r.score or 0 for r in scored) / len(scored) * 100) if scored else None
        stage_results.append(
            StageResult(
                stage,
                score,
                len(scored),
                sum(r.status == "na" for r in rows),
                sum(r.status == "unknown" for r in rows),
                sum(r.status == "not-applicable" for r in rows),
            )
        )
    on = [s.score for s in stage_results[:2] if s.score is not None]
    off = [s.score for s in stage_results[3:] if s.score is not None]
    on_score = sum(on) / len(on)
    off_score = sum(off) / len(off)
    overall = sum(s.score for s in stage_results if s.score is not None) / 5
    currency = "EUR"
    metric_values = organisation.metrics
    gaps = []
    for r in results:
        if r.status != "scored" or (r.score or 0) >= 1:
            continue
        value = None
        missing: tuple[str, ...] = ()
        if r.tactic.lever is not None:
            value = money.value_at_stake(
                r.tactic.id, r.tactic.lever, r.score or 0, metric_values, currency
            )
            if value is None:
                missing = money.missing_for(r.tactic.lever, metric_values)
        gaps.append(
            Gap(
                r.tactic,
                r.score or 0,
                (1 - (r.score or 0)) * r.tactic.impact_value,
                "(1 − score) × impact",
                value,
                missing,
            )
        )
    gaps.sort(key=lambda g: -g.gain)
    the_plan = engine_plan.build(tuple(gaps[:7]), tuple(results), RUBRIC, organisation.profile)
    suggestions = tuple(
        Suggestion(
            a.rank,
            a.gap,
            (
                f"Impact {a.gap.tactic.impact}, effort {a.gap.tactic.effort}.",
                f"Gain {a.gap.gain:.2f} points.",
            ),
        )
        for a in the_plan.actions
    )
    return Audit(
        questionnaire=questionnaire,
        rubric=RUBRIC,
        tactics=tuple(results),
        stages=tuple(stage_results),
        sides=(SideResult("on-sales", on_score, 4), SideResult("off-sales", off_score, 5)),
        overall=overall,
        grade=max((g for g in GRADES if overall >= g.minimum), key=lambda g: g.minimum),
        coverage=10 / 11,
        balance=BalanceVerdict(
            "on-sales-ahead", on_score - off_score, "You win customers, then lose touch with them."
        ),
        gaps=tuple(gaps),
        suggestions=suggestions,
        exclusions=(
            Exclusion(RUBRIC.tactic("webinars"), "Webinars suit businesses with a longer sale."),
        ),
        findings=(
            Finding(
                RULES[0],
                (
                    Evidence("Personal thank-you message", "Not in place"),
                    Evidence("Scheduled follow-ups", "Not in place"),
                ),
            ),
            Finding(RULES[1], (Evidence("Define your prospects", "Excellent"),)),
        ),
        money=money.summary(metric_values, currency) if metrics else None,
        plan=the_plan,
    )


def with_name(audit: Audit, name: str) -> Audit:
    organisation = replace(audit.questionnaire.organisation, name=name)
    return replace(audit, questionnaire=replace(audit.questionnaire, organisation=organisation))
