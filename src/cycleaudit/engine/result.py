"""The scored audit as a versioned, JSON-ready result (``cycleaudit score --format json``).

The shape is documented by ``schemas/result.schema.json`` (``cycleaudit
schema result``). Scores are 0–100 and rounded to one decimal; ``null``
means "cannot be computed from the answers given", never zero.
"""

from __future__ import annotations

from typing import Any

from cycleaudit.engine.money import HORIZON_YEARS
from cycleaudit.engine.prepared import Prepared, prepared
from cycleaudit.model import Audit, Gap
from cycleaudit.plans import Plan

RESULT_FORMAT = "cycleaudit.result/2"


def rounded(value: float | None, digits: int = 1) -> float | None:
    """A score as the result gives it (one decimal); money with ``digits=2``."""
    return None if value is None else round(value, digits)


def _gap(gap: Gap, tables: Prepared) -> dict[str, Any]:
    return {
        "tactic": gap.tactic.id,
        "title": gap.tactic.title,
        "stage": gap.tactic.stage,
        "score": tables.percents.get(gap.score) or round(gap.score * 100, 1),
        "gain": tables.rounded_gains.get(gap.gain) or round(gap.gain, 3),
        "gain-formula": gap.gain_formula,
        "value-at-stake": None
        if gap.value is None
        else {
            "amount": round(gap.value.amount, 2),
            "formula": gap.value.formula,
            "assumption": gap.value.assumption,
        },
        "to-measure": [*gap.value_needs],
    }


def _plan(plan: Plan) -> dict[str, Any]:
    return {
        "team-size": plan.team_size,
        "team-size-given": plan.team_size_given,
        "effort-per-phase": plan.effort_per_phase,
        "actions": [
            {
                "rank": a.rank,
                "tactic": a.gap.tactic.id,
                "phase": a.phase,
                "quadrant": a.quadrant,
                "effort": a.gap.tactic.effort,
                "impact": a.gap.tactic.impact,
                "after": [*a.after],
                "enables": [*a.enables],
            }
            for a in plan.actions
        ],
        "first-actions": list(plan.first_actions),
        "fix-first": list(plan.fix_first),
    }


def audit_result(audit: Audit) -> dict[str, Any]:
    q = audit.questionnaire
    org = q.organisation
    money = audit.money
    # Audit.first_step, without looking each tactic up in the whole list.
    level_of = {r.tactic.id: None if r.answer is None else r.answer.level for r in audit.tactics}
    tables = prepared(audit.rubric)
    first_step, percents = tables.first_step, tables.percents

    return {
        "format": RESULT_FORMAT,
        "questionnaire": q.origin,
        "organisation": {"name": org.name, "audited": org.audited, "auditor": org.auditor or None},
        "rubric": {
            "id": audit.rubric.id,
            "version": audit.rubric.version,
            "extends": list(audit.rubric.lineage),
        },
        "overall": rounded(audit.overall),
        "grade": None
        if audit.grade is None
        else {"id": audit.grade.id, "label": audit.grade.label, "meaning": audit.grade.meaning},
        "coverage": round(audit.coverage, 3),
        "sides": {side.side: rounded(side.score) for side in audit.sides},
        "balance": {
            "verdict": audit.balance.verdict,
            "difference": rounded(audit.balance.difference),
            "text": audit.balance.text,
        },
        "stages": [
            {
                "id": s.stage.id,
                "title": s.stage.title,
                "side": s.stage.side,
                "weight": s.stage.weight,
                "score": rounded(s.score),
                "coverage": round(s.coverage, 3),
                "scored": s.scored,
                "na": s.na,
                "unknown": s.unknown,
                "not-applicable": s.not_applicable,
            }
            for s in audit.stages
        ],
        "tactics": [
            {
                "id": r.tactic.id,
                "stage": r.tactic.stage,
                "side": r.tactic.side,
                "status": r.status,
                "level": None if r.answer is None else r.answer.level,
                "score": None
                if r.score is None
                else percents.get(r.score) or round(r.score * 100, 1),
                "reason": r.reason or None,
            }
            for r in audit.tactics
        ],
        "gaps": [_gap(gap, tables) for gap in audit.gaps],
        "plan": _plan(audit.plan),
        "suggestions": [
            {
                "rank": s.rank,
                "tactic": s.gap.tactic.id,
                "title": s.gap.tactic.title,
                "first-step": first_step(s.gap.tactic, level_of[s.gap.tactic.id]),
                "why": [*s.why],
            }
            for s in audit.suggestions
        ],
        "excluded": [{"tactic": e.tactic.id, "reason": e.reason} for e in audit.exclusions],
        "findings": [
            {
                "rule": f.rule.id,
                "title": f.rule.title,
                "kind": f.rule.kind,
                "severity": f.rule.severity,
                "message": f.rule.message,
                "first-step": f.rule.first_step,
                "evidence": [{"label": e.label, "value": e.value} for e in f.evidence],
                "tactics": list(f.rule.tactics),
            }
            for f in audit.findings
        ],
        "money": None
        if money is None
        else {
            "currency": money.currency or None,
            "annual-revenue": rounded(money.annual_revenue, 2),
            "annual-revenue-formula": money.revenue_formula or None,
            "lifetime-value": rounded(money.lifetime_value, 2),
            "lifetime-value-formula": money.lifetime_value_formula or None,
            "assumptions": list(money.lifetime_value_assumptions),
            "acquisition-cost": money.acquisition_cost,
            "lifetime-horizon-years": HORIZON_YEARS,
            "lifetime-value-to-acquisition-cost": rounded(money.ratio, 2),
            "to-measure": list(money.to_measure),
        },
    }
