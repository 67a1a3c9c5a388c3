"""Questionnaire × rubric → Audit. Pure: no files, no YAML, no rendering.

The arithmetic, in the words the report's methodology uses:
- a tactic scores its level's score (0 to 1);
- a stage scores the weighted mean of its answered, applicable tactics that
  are not marked N/A, times 100; unanswered tactics are left out and count
  against coverage instead of counting as zero;
- a side (on-sales, off-sales) scores the weighted mean of its tactics, each
  weighted by its own weight times its stage's weight;
- the overall score is the weighted mean of the stage scores by stage weight;
- the sides are balanced when the weaker scores at least the rubric's
  ``balance.similar-ratio`` of the stronger, or they differ by less than
  ``balance.threshold`` points.
"""

from __future__ import annotations

from cycleaudit.engine import conditions, evidence, money, plan, recommend
from cycleaudit.engine.prepared import Prepared, prepared
from cycleaudit.model import (
    SIDES,
    Audit,
    BalanceVerdict,
    Condition,
    Evidence,
    Finding,
    Grade,
    Questionnaire,
    Rubric,
    SideResult,
    Stage,
    StageResult,
    Tactic,
    TacticResult,
)


def score(questionnaire: Questionnaire, rubric: Rubric) -> Audit:
    org = questionnaire.organisation
    tables = prepared(rubric)
    level_scores = tables.level_scores
    profile_facts = conditions.Facts(profile=org.profile)
    answers = questionnaire.answers
    stage_weight = tables.stage_weight
    listed: list[TacticResult] = []
    # Per stage and side, in rubric order: (score × 100, weight) of each scored tactic.
    stage_scored: dict[str, list[tuple[float, float]]] = {stage.id: [] for stage in rubric.stages}
    side_scored: dict[str, list[tuple[float, float]]] = {side: [] for side in SIDES}
    stage_statuses: dict[str, list[str]] = {stage.id: [] for stage in rubric.stages}
    states: dict[str, str] = {}  # each answer as the condition language sees it
    for tactic in rubric.tactics:
        answer = answers.get(tactic.id)
        if tactic.applies_when is None and answer is not None and answer.level is not None:
            # Most tactics: applicable and answered with a level (no waiver to expire).
            result = TacticResult(tactic, "scored", level_scores[answer.level], answer, "")
        else:
            result = _tactic_result(questionnaire, tactic, tables, profile_facts)
        listed.append(result)
        status = result.status
        stage_statuses[tactic.stage].append(status)
        if result.score is not None:
            stage_scored[tactic.stage].append((result.score * 100, tactic.weight))
            if tactic.side in side_scored:
                weight = tactic.weight * stage_weight[tactic.stage]
                side_scored[tactic.side].append((result.score * 100, weight))
        if status == "scored" and result.answer and result.answer.level:
            states[tactic.id] = result.answer.level
        else:
            states[tactic.id] = "na" if status in ("na", "not-applicable") else "unknown"
    results = tuple(listed)
    stages = tuple(
        _stage_result(rubric.stage(stage.id), stage_scored[stage.id], stage_statuses[stage.id])
        for stage in rubric.stages
    )
    sides = tuple(
        SideResult(side, _weighted_mean(side_scored[side]), len(side_scored[side]))
        for side in SIDES
    )
    overall = _weighted_mean([(r.score, r.stage.weight) for r in stages if r.score is not None])
    applicable = sum(r.applicable for r in stages)
    coverage = 1.0 if applicable == 0 else sum(r.scored + r.na for r in stages) / applicable
    metrics = money.derived(org.metrics, org.currency)
    scores: dict[str, float | None] = {"overall": overall}
    scores.update({f"stage:{r.stage.id}": r.score for r in stages})
    scores.update({f"side:{r.side}": r.score for r in sides})
    facts = conditions.Facts(
        profile=org.profile,
        answers=lambda tactic_id: states.get(tactic_id, "unknown"),
        level_scores=level_scores,
        scores=scores,
        metrics=metrics,
    )
    findings = tuple(
        Finding(rule, _evidence(leaves, facts, rubric, org.currency))
        for rule, holds, leaves in tables.rules
        if holds(facts) is True
    )
    findings += evidence.findings(questionnaire, rubric)
    ranked = recommend.gaps(results, rubric, org.metrics, org.currency, org.profile)
    the_plan = plan.build(ranked, results, rubric, org.profile)
    return Audit(
        questionnaire=questionnaire,
        rubric=rubric,
        tactics=results,
        stages=stages,
        sides=sides,
        overall=overall,
        grade=grade_for(rubric, overall),
        coverage=coverage,
        balance=_balance(rubric, sides),
        gaps=ranked,
        suggestions=plan.suggestions(the_plan, results, rubric),
        exclusions=recommend.exclusions(results),
        findings=findings,
        money=money.summary(org.metrics, org.currency),
        plan=the_plan,
    )


def grade_for(rubric: Rubric, overall: float | None) -> Grade | None:
    if overall is None:
        return None
    for grade in rubric.grades:  # highest minimum first
        if overall >= grade.minimum - 1e-9:
            return grade
    return None


def _tactic_result(
    questionnaire: Questionnaire,
    tactic: Tactic,
    tables: Prepared,
    profile_facts: conditions.Facts,
) -> TacticResult:
    answer = questionnaire.answers.get(tactic.id)
    note = ""
    if tactic.applies_when is not None:
        applies = tables.applies[tactic.id](profile_facts)
        if applies is False:
            reason = tactic.applies_note or "It does not fit the business profile you described."
            if answer is not None:
                reason += " Your answer to it was not counted."
            return TacticResult(tactic, "not-applicable", None, answer, reason)
        if applies is None:
            unsaid = tables.unsaid[tactic.id]
            note = f"Assumed to fit your business: your profile does not say {unsaid}."
    if answer is not None and evidence.waiver_expired(answer, questionnaire.organisation.audited):
        answer = None  # the waiver has run out: asked again, counted as unanswered
    if answer is None:
        return TacticResult(tactic, "unknown", None, None, note)
    if answer.level is None:
        return TacticResult(tactic, "na", None, answer, answer.na_reason)
    return TacticResult(tactic, "scored", tables.level_scores[answer.level], answer, note)


def _weighted_mean(pairs: list[tuple[float, float]]) -> float | None:
    # Lists rather than generators: the same additions in the same order, with less overhead.
    total = sum([weight for _, weight in pairs])
    if total == 0:
        return None
    return sum([value * weight for value, weight in pairs]) / total


def _stage_result(
    stage: Stage, scored: list[tuple[float, float]], statuses: list[str]
) -> StageResult:
    return StageResult(
        stage=stage,
        score=_weighted_mean(scored),
        scored=len(scored),
        na=statuses.count("na"),
        unknown=statuses.count("unknown"),
        not_applicable=statuses.count("not-applicable"),
    )


def _balance(rubric: Rubric, sides: tuple[SideResult, ...]) -> BalanceVerdict:
    on = next(s.score for s in sides if s.side == "on-sales")
    off = next(s.score for s in sides if s.side == "off-sales")
    if on is None or off is None:
        return BalanceVerdict(
            "unknown",
            None,
            "There are not enough answers on both sides of the sale to compare them.",
        )
    difference = on - off
    rule = rubric.balance
    # Relative: the weaker side at three quarters of the stronger is similar,
    # at half it is not, whatever the points; a tiny gap is always similar.
    if abs(difference) < rule.threshold or min(on, off) >= rule.similar_ratio * max(on, off):
        return BalanceVerdict("balanced", difference, rule.balanced)
    if difference > 0:
        return BalanceVerdict("on-sales-ahead", difference, rule.on_ahead)
    return BalanceVerdict("off-sales-ahead", difference, rule.off_ahead)


def _evidence(
    leaves: list[Condition], facts: conditions.Facts, rubric: Rubric, currency: str
) -> tuple[Evidence, ...]:
    """What we saw: the value of every fact the rule's condition (these tests) looked at."""
    out: list[Evidence] = []
    seen: set[str] = set()
    level_titles = prepared(rubric).level_titles
    for leaf in leaves:
        if "answer" in leaf and leaf["answer"] not in seen:
            seen.add(leaf["answer"])
            tactic = rubric.tactic(leaf["answer"])
            state = facts.answers(tactic.id)
            shown = (
                level_titles.get(state)
                or {"na": "not applicable", "unknown": "not answered"}[state]
            )
            out.append(Evidence(tactic.title, shown))
        for key in ("score", "minus"):
            ref = leaf.get(key)
            if isinstance(ref, str) and ref not in seen:
                seen.add(ref)
                value = facts.scores.get(ref)
                out.append(
                    Evidence(
                        score_label(rubric, ref),
                        "not enough answers" if value is None else f"{value:.0f} / 100",
                    )
                )
        if "metric" in leaf and leaf["metric"] not in seen:
            name = leaf["metric"]
            seen.add(name)
            value = facts.metrics.get(name)
            out.append(
                Evidence(
                    str(money.METRIC_LABELS.get(name, name)).capitalize(),
                    "not measured" if value is None else money.format_metric(name, value, currency),
                )
            )
        if "profile" in leaf and f"profile:{leaf['profile']}" not in seen:
            seen.add(f"profile:{leaf['profile']}")
            value = facts.profile.get(leaf["profile"])
            out.append(
                Evidence(
                    f"Your business ({leaf['profile']})",
                    "not given" if value is None else str(value),
                )
            )
    return tuple(out)


def score_label(rubric: Rubric, ref: str) -> str:
    if ref == "overall":
        return "Overall score"
    kind, _, name = ref.partition(":")
    if kind == "stage":
        return f"{rubric.stage(name).title} score"
    return (
        "Before-the-sale (on-sales) score"
        if name == "on-sales"
        else "After-the-sale (off-sales) score"
    )
