"""The one plan: summary, Fix first, matrix, periods and JSON agree, for any answers.

Questionnaires are generated over the default rubric (answers at any level,
N/A or left out; any team size or none; any purchase pattern), scored, and
the plan is checked against the rules the methodology states.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import ROOT

from cycleaudit.engine import recommend
from cycleaudit.engine.result import audit_result
from cycleaudit.engine.scoring import score
from cycleaudit.formats.rubric import load_rubric
from cycleaudit.model import RATING_VALUES, Answer, Audit, Organisation, Questionnaire, Rubric
from cycleaudit.report.context import build_context

RUBRIC = load_rubric("default")
LEVELS = [level.id for level in RUBRIC.levels]
PHASE_ORDER = {"30": 0, "60": 1, "90": 2, "later": 3}


def _questionnaire(
    choices: dict[str, str | None], profile: dict[str, object], metrics: dict[str, float]
) -> Questionnaire:
    answers = {}
    for tactic in RUBRIC.tactics:
        choice = choices.get(tactic.id)
        if choice is None:
            continue  # left out: unanswered
        level = None if choice == "na" else choice
        answers[tactic.id] = Answer(
            tactic=tactic.id, stage=tactic.stage, level=level, na_reason="not for us"
        )
    return Questionnaire(
        version=1,
        rubric="default",
        organisation=Organisation(
            name="Generated",
            audited="2026-01-01",
            profile=profile,  # type: ignore[arg-type]
            currency="EUR",
            metrics=metrics,
        ),
        answers=answers,
    )


answer_choice = st.one_of(st.none(), st.just("na"), st.sampled_from(LEVELS))
questionnaires = st.builds(
    _questionnaire,
    st.fixed_dictionaries({t.id: answer_choice for t in RUBRIC.tactics}),
    st.fixed_dictionaries(
        {},
        optional={
            "team-size": st.integers(min_value=1, max_value=60),
            "purchase": st.sampled_from(
                ["one-off", "repeat", "subscription", ["one-off", "repeat"], ["subscription"]]
            ),
        },
    ),
    st.fixed_dictionaries(
        {},
        optional={
            "customers-per-year": st.integers(1, 10_000).map(float),
            "new-customers-per-year": st.integers(1, 5_000).map(float),
            "average-order-value": st.floats(1, 5_000),
            "purchases-per-customer-per-year": st.floats(0.5, 12),
            "referral-rate": st.floats(0, 0.9),
            "repeat-purchase-rate": st.floats(0, 1),
        },
    ),
)


def _check_plan(audit: Audit, rubric: Rubric) -> None:
    plan = audit.plan
    actions = plan.actions
    by_id = {a.gap.tactic.id: a for a in actions}
    result_of = {r.tactic.id: r for r in audit.tactics}
    assert [a.rank for a in actions] == list(range(1, len(actions) + 1))
    assert {a.gap.tactic.id for a in actions} == {g.tactic.id for g in audit.gaps}
    # Periods follow each other in the plan's order.
    phases = [PHASE_ORDER[a.phase] for a in actions]
    assert phases == sorted(phases)
    for action in actions:
        tactic = action.gap.tactic
        for required in tactic.requires:
            if required not in by_id:
                continue
            before = by_id[required]
            if recommend.in_place(result_of[required], rubric):
                # A prerequisite in place never holds an action back.
                assert required not in action.after
            else:
                # No action comes before a prerequisite that is not in place...
                assert before.rank < action.rank
                assert required in action.after
                # ...and a timed action starts in a period after it.
                if action.phase != "later":
                    assert PHASE_ORDER[before.phase] < PHASE_ORDER[action.phase]
        assert all(not recommend.in_place(result_of[r], rubric) for r in action.after)
    # Each timed period holds at most the team's capacity, or one oversized action.
    for phase in ("30", "60", "90"):
        load = [RATING_VALUES[a.gap.tactic.effort] for a in plan.in_phase(phase)]
        measures = [a for a in plan.in_phase(phase) if a.gap.tactic.measures]
        assert sum(load) <= plan.effort_per_phase or len(load) - len(measures) <= 1
    # Every Fix first item is in the first period.
    assert all(by_id[t].phase == "30" for t in plan.fix_first)
    assert plan.first_actions == tuple(a.gap.tactic.id for a in actions[: len(plan.first_actions)])
    # Only high impact for low effort is a quick win.
    for action in actions:
        quick = action.quadrant == "quick-win"
        assert quick == (action.gap.tactic.impact == "high" and action.gap.tactic.effort == "low")


def _check_outputs(audit: Audit) -> None:
    plan = audit.plan
    context = build_context(audit)
    summary = context["summary"]
    plan_titles = [a.gap.tactic.title for a in plan.actions]
    # The summary's first actions are the plan's first actions, in order.
    assert [a["title"] for a in summary["top_actions"]] == plan_titles[
        : len(summary["top_actions"])
    ]
    assert [a["rank"] for a in summary["top_actions"]] == list(
        range(1, len(summary["top_actions"]) + 1)
    )
    first_period = {
        a["title"] for p in context["plan"]["phases"] if p["id"] == "30" for a in p["actions"]
    }
    assert {a["title"] for a in summary["weakest"]} <= first_period
    assert [s["title"] for s in context["suggestions"]] == plan_titles
    listed = [a["title"] for p in context["plan"]["phases"] for a in p["actions"]]
    assert listed == plan_titles
    in_quadrants = sorted(a["rank"] for q in context["matrix"]["quadrants"] for a in q["actions"])
    assert in_quadrants == [a.rank for a in plan.actions]
    # score --format json carries the same plan, and is strict JSON.
    result = audit_result(audit)
    json.dumps(result, allow_nan=False)
    assert [s["tactic"] for s in result["suggestions"]] == [
        a["tactic"] for a in result["plan"]["actions"]
    ]
    assert [a["tactic"] for a in result["plan"]["actions"]] == [
        a.gap.tactic.id for a in plan.actions
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(questionnaires)
def test_generated_questionnaires_get_one_consistent_plan(questionnaire: Questionnaire) -> None:
    audit = score(questionnaire, RUBRIC)
    _check_plan(audit, RUBRIC)
    _check_outputs(audit)


@pytest.mark.parametrize(
    "path",
    sorted(
        p
        for p in [
            *(ROOT / "examples").glob("*.yaml"),
            *(ROOT / "tests/fixtures/businesses").glob("*.yaml"),
        ]
        if p.name != "consultant-overlay.yaml"  # a rubric, not a questionnaire
    ),
    ids=lambda p: p.stem,
)
def test_examples_and_businesses_get_one_consistent_plan(path) -> None:  # type: ignore[no-untyped-def]
    from cycleaudit import api

    audit = api.audit_file(path)
    _check_plan(audit, audit.rubric)
    _check_outputs(audit)


def _answers(**levels: str) -> dict[str, str | None]:
    return {t.id: levels.get(t.id, "measured") for t in RUBRIC.tactics}


def test_a_prerequisite_in_place_does_not_hold_back_the_first_action() -> None:
    # The case: a prerequisite at "Written down" (in place) must not push
    # the action that needs it into days 61 to 90.
    choices = _answers(**{"ask-for-referrals": "none", "feedback-survey": "defined"})
    audit = score(_questionnaire(choices, {"team-size": 4}, {}), RUBRIC)
    first = audit.plan.actions[0]
    assert first.gap.tactic.id == "ask-for-referrals"
    assert first.phase == "30" and first.after == ()


def test_a_prerequisite_not_in_place_comes_first_and_a_period_earlier() -> None:
    choices = _answers(**{"ask-for-referrals": "none", "feedback-survey": "ad-hoc"})
    audit = score(_questionnaire(choices, {"team-size": 4}, {}), RUBRIC)
    order = [a.gap.tactic.id for a in audit.plan.actions]
    assert order.index("feedback-survey") < order.index("ask-for-referrals")
    referrals = audit.plan.action("ask-for-referrals")
    assert referrals.after == ("feedback-survey",)
    assert audit.plan.action("feedback-survey").phase == "30" and referrals.phase == "60"


def test_capacity_follows_the_team_size() -> None:
    # Every practice at "Now and then": plenty of gaps to fill the periods.
    choices = {t.id: "ad-hoc" for t in RUBRIC.tactics}
    alone = score(_questionnaire(choices, {"team-size": 1}, {}), RUBRIC).plan
    team = score(_questionnaire(choices, {"team-size": 25}, {}), RUBRIC).plan
    unknown = score(_questionnaire(choices, {}, {}), RUBRIC).plan
    assert (alone.effort_per_phase, team.effort_per_phase) == (2, 8)
    assert len(alone.in_phase("30")) < len(team.in_phase("30"))
    assert unknown.team_size == RUBRIC.plan.assumed_team_size and not unknown.team_size_given


def test_a_measurement_comes_just_before_the_first_action_it_sizes() -> None:
    choices = {t.id: "ad-hoc" for t in RUBRIC.tactics}
    # No figures at all: measuring is not what holds any action back, so the
    # measurement practices no longer lead the plan.
    audit = score(_questionnaire(choices, {"team-size": 4}, {}), RUBRIC)
    order = [a.gap.tactic.id for a in audit.plan.actions]
    assert "know-lifetime-value" not in order[:10]
    # Revenue figures given, repeat rate not: counting returning customers is what
    # would size the "come back" actions, so it comes just before the first one.
    revenue = {
        "customers-per-year": 1000.0,
        "average-order-value": 50.0,
        "purchases-per-customer-per-year": 2.0,
    }
    reachable = {**choices, "capture-buyer-contact": "defined"}  # its prerequisite in place
    audit = score(_questionnaire(reachable, {"team-size": 4}, revenue), RUBRIC)
    order = [a.gap.tactic.id for a in audit.plan.actions]
    measure = audit.plan.action("track-repeat-rate")
    assert measure.enables
    first = min(order.index(t) for t in measure.enables)
    assert order.index("track-repeat-rate") == first - 1
    assert measure.phase == audit.plan.action(order[first]).phase
    # With every figure given it sizes nothing, so it comes after the other actions.
    figures = {
        **revenue,
        "new-customers-per-year": 400.0,
        "acquisition-cost": 30.0,
        "repeat-purchase-rate": 0.4,
        "referral-rate": 0.1,
        "customer-lifetime-value": 400.0,
    }
    audit = score(_questionnaire(choices, {"team-size": 4}, figures), RUBRIC)
    tail = [a.gap.tactic.id for a in audit.plan.actions][-3:]
    assert set(tail) == {"know-lifetime-value", "track-repeat-rate", "track-referral-source"}


def test_an_overlay_changes_the_plan_rules_it_names_and_keeps_the_rest() -> None:
    careful = load_rubric(ROOT / "tests/fixtures/rubrics/overlay-plan.yaml")
    assert careful.in_place_from == "measured"
    assert careful.plan.effort_per_phase(4) == 2 and careful.plan.effort_per_phase(40) == 3
    assert careful.plan.quadrants == RUBRIC.plan.quadrants  # kept from the default
    assert careful.balance.similar_ratio == 0.9
    assert careful.balance.threshold == RUBRIC.balance.threshold
    # "Written down" is no longer in place: the action waits for its prerequisite.
    choices = _answers(**{"ask-for-referrals": "none", "feedback-survey": "defined"})
    audit = score(_questionnaire(choices, {"team-size": 4}, {}), careful)
    assert audit.plan.action("ask-for-referrals").after == ("feedback-survey",)
    _check_plan(audit, careful)
