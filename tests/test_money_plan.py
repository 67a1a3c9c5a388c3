"""Money a consultant would sign: finite, rounded once, sized only from given figures."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest
from tests.conftest import ROOT

from cycleaudit.engine import money
from cycleaudit.engine.result import audit_result
from cycleaudit.engine.scoring import score
from cycleaudit.formats.rubric import load_rubric
from cycleaudit.model import Answer, Organisation, Questionnaire
from cycleaudit.report.context import build_context
from cycleaudit.report.methodology import methodology_section

RUBRIC = load_rubric("default")
REVENUE = {
    "customers-per-year": 1000.0,
    "average-order-value": 50.0,
    "purchases-per-customer-per-year": 2.0,
}


def _audit(
    metrics: dict[str, float], profile: dict[str, object] | None = None, level: str = "none"
):  # type: ignore[no-untyped-def]
    answers = {t.id: Answer(tactic=t.id, stage=t.stage, level=level) for t in RUBRIC.tactics}
    questionnaire = Questionnaire(
        version=1,
        rubric="default",
        organisation=Organisation(
            name="Test",
            audited="2026-01-01",
            profile=profile or {},  # type: ignore[arg-type]
            currency="EUR",
            metrics=metrics,
        ),
        answers=answers,
    )
    return score(questionnaire, RUBRIC)


def test_non_finite_metrics_never_reach_money() -> None:
    metrics = {**REVENUE, "average-order-value": math.inf, "acquisition-cost": math.nan}
    audit = _audit({**metrics, "repeat-purchase-rate": 0.5})
    result = audit_result(audit)
    text = json.dumps(result, allow_nan=False)  # raises on Infinity or NaN
    assert "Infinity" not in text and "NaN" not in text
    assert audit.money is not None and audit.money.lifetime_value is None
    assert all(g.value is None for g in audit.gaps)


def test_repeat_rate_of_one_gets_a_capped_lifetime_not_none() -> None:
    value, formula, assumptions = money.lifetime_value(
        {**REVENUE, "repeat-purchase-rate": 1}, "EUR"
    )
    assert value == 50 * 2 * money.HORIZON_YEARS
    assert "10.00 years" in formula
    assert any("at most 10 years" in a for a in assumptions)
    nearly, _, _ = money.lifetime_value({**REVENUE, "repeat-purchase-rate": 0.999999999}, "EUR")
    assert nearly == value


def test_churn_gives_the_lifetime_and_a_stated_value_is_used_as_is() -> None:
    value, formula, assumptions = money.lifetime_value({**REVENUE, "churn-rate": 0.25}, "EUR")
    assert value == 50 * 2 * 4 and "4.00 years" in formula
    assert "1 ÷ 0.25" in assumptions[0]
    stated = money.summary({**REVENUE, "customer-lifetime-value": 9000, "churn-rate": 0.2}, "EUR")
    assert stated is not None and stated.lifetime_value == 9000
    assert "customer lifetime value" not in " ".join(stated.to_measure)
    assert "share of customers who buy again within a year" not in stated.to_measure


def test_a_figure_is_rounded_once() -> None:
    # 63.75 × 2 = 127.5: every output prints EUR 128, never EUR 127 beside it.
    metrics = {**REVENUE, "average-order-value": 63.75, "customer-lifetime-years": 1}
    summary = money.summary(metrics, "EUR")
    assert summary is not None and summary.lifetime_value == 128
    assert summary.lifetime_value_formula.endswith("EUR 128")


def test_ratios_near_a_threshold_keep_two_decimals() -> None:
    assert money.format_ratio(2.25) == "2.25 : 1"
    assert money.format_ratio(2.245) == "2.25 : 1"
    assert money.format_ratio(3.0) == "3 : 1"
    assert money.ratio(9000, 4000) == 2.25
    assert money.ratio(100, 1e-300) is None


def test_referral_lever_needs_a_referral_figure_and_new_customers() -> None:
    unsized = _audit(REVENUE)
    referral = next(g for g in unsized.gaps if g.tactic.id == "ask-for-referrals")
    assert referral.value is None
    assert set(referral.value_needs) == {"new-customers-per-year", "referral-rate"}
    sized = _audit({**REVENUE, "new-customers-per-year": 400, "referral-rate": 0.1})
    referral = next(g for g in sized.gaps if g.tactic.id == "ask-for-referrals")
    assert referral.value is not None
    # 400 new customers × 3 in every 100 × 2 purchases × EUR 50: never the whole base.
    assert referral.value.amount == 400 * 0.03 * 2 * 50
    assert "400 new customers a year" in referral.value.formula


@pytest.mark.parametrize("purchase", ["subscription", ["subscription"], "one-off"])
def test_frequency_levers_do_not_apply_where_frequency_is_fixed(purchase: object) -> None:
    audit = _audit(REVENUE, {"purchase": purchase})
    loyalty = next(g for g in audit.gaps if g.tactic.id == "loyalty-programme")
    assert loyalty.value is None and loyalty.value_needs == ()
    repeat = _audit(REVENUE, {"purchase": ["one-off", "repeat"]})
    assert next(g for g in repeat.gaps if g.tactic.id == "loyalty-programme").value is not None


def test_each_money_sentence_appears_once() -> None:
    audit = _audit({"customers-per-year": 1000.0})
    context = build_context(audit)
    lines = context["money"]["to_measure"]
    assert len(lines) == len(set(lines))
    labels = [line.split(" (")[0] for line in lines]
    assert len(labels) == len(set(labels))
    text = json.dumps(context)
    assert "to put a figure on this gap" not in text


def test_balance_is_relative() -> None:
    from cycleaudit.engine.scoring import _balance
    from cycleaudit.model import SideResult

    def verdict(on: float, off: float) -> str:
        sides = (SideResult("on-sales", on, 1), SideResult("off-sales", off, 1))
        return _balance(RUBRIC, sides).verdict

    assert verdict(36.9, 19.9) == "on-sales-ahead"  # the case: about half
    assert verdict(80, 72) == "balanced"
    assert verdict(4, 8) == "balanced"  # under the 5-point floor
    assert verdict(20, 40) == "off-sales-ahead"


def test_methodology_names_the_engines_rules() -> None:
    audit = _audit(REVENUE, {"team-size": 4}, level="ad-hoc")
    section = methodology_section(audit)
    text = " ".join(section["paragraphs"])
    for level in RUBRIC.levels:
        assert any(row["title"] == level.title for row in section["levels"])
    assert [row["weight"] for row in section["stage_weights"]] == [
        f"{s.weight:g}" for s in RUBRIC.stages
    ]
    # The purchase stage is split by its tactics' sides, with the rubric's counts.
    bridge = next(s for s in RUBRIC.stages if s.side == "sale")
    tactics = RUBRIC.tactics_in(bridge.id)
    on = sum(t.side == "on-sales" for t in tactics)
    assert f"{bridge.title} is split by practice" in text
    assert f"{on} that lead up to the purchase count on-sales" in text
    in_place = RUBRIC.level(RUBRIC.in_place_from)
    assert f"“{in_place.title}” ({in_place.score * 100:.0f} points)" in text
    for entry in RUBRIC.plan.capacity:
        assert f": {entry.effort_per_phase}" in text
    assert f"assume {RUBRIC.plan.assumed_team_size} people" in text
    assert f"at least {RUBRIC.balance.similar_ratio * 100:.0f}% of the stronger" in text
    assert f"at most {money.HORIZON_YEARS:g} years" in text
    for quadrant in RUBRIC.plan.quadrants:
        assert quadrant.title in text
    assert "The on-sales score averages the stages before the purchase" not in text


def test_score_json_is_strict_for_the_examples() -> None:
    for name in ("online-shop", "b2b-subscription"):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "cycleaudit",
                "score",
                str(ROOT / "examples" / f"{name}.yaml"),
                "-f",
                "json",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        result = json.loads(done.stdout, parse_constant=lambda c: pytest.fail(f"{c} in JSON"))
        assert result["format"] == "cycleaudit.result/2"
        assert [a["tactic"] for a in result["plan"]["actions"]] == [
            s["tactic"] for s in result["suggestions"]
        ]


def test_come_back_levers_do_not_apply_to_one_off_sales() -> None:
    figures = {**REVENUE, "repeat-purchase-rate": 0.1}
    one_off = _audit(figures, {"purchase": "one-off"})
    assert next(g for g in one_off.gaps if g.tactic.id == "follow-up-schedule").value is None
    renewing = _audit(figures, {"purchase": "subscription"})
    assert next(g for g in renewing.gaps if g.tactic.id == "follow-up-schedule").value is not None


def test_a_report_names_each_figure_to_measure_once() -> None:
    from cycleaudit import api
    from cycleaudit.renderers import RenderOptions, markdown

    path = ROOT / "tests/fixtures/businesses/wedding-cake-bakery.yaml"
    if not path.exists():
        path = ROOT / "examples/b2b-subscription.yaml"
    audit = api.audit_file(path)
    context = build_context(audit)
    text = markdown.render(context, RenderOptions(detail="full")).data.decode()
    assert "to put a figure on this gap" not in text.lower()
    assert text.count("Measure these to size the gaps") <= 1
    for item in context["money"]["to_measure"] if context["money"] else []:
        label = item.split(" (")[0]
        assert text.lower().count(label.lower()) >= 1
        assert text.count(item[:1].upper() + item[1:]) == 1


def test_score_json_never_writes_infinity_or_nan() -> None:
    path = ROOT / "tests/fixtures/questionnaires/money-extremes.yaml"
    done = subprocess.run(
        [sys.executable, "-m", "cycleaudit", "score", str(path), "-f", "json"],
        capture_output=True,
        text=True,
    )
    if done.returncode == 2:  # the questionnaire schema bounds the metrics: refused, positioned
        assert f"{path}:" in done.stderr or "money-extremes.yaml:" in done.stderr
        return
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout, parse_constant=lambda c: pytest.fail(f"{c} in JSON"))
    assert result["money"]["lifetime-value-to-acquisition-cost"] is None


def test_a_ratio_near_the_rule_prints_with_two_decimals_everywhere() -> None:
    # The dental firm states a lifetime value of 9,000 against 4,000 to win a client.
    path = ROOT / "tests/fixtures/businesses/dental-saas.yaml"
    done = subprocess.run(
        [sys.executable, "-m", "cycleaudit", "score", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "(2.25 : 1)" in done.stdout
    assert "2.2 " not in done.stdout and "2.2 to 1" not in done.stdout
