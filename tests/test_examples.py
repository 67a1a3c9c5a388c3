"""The shipped examples load, score and tell two different stories."""

from __future__ import annotations

from pathlib import Path

import pytest

from cycleaudit import api
from cycleaudit.model import Audit, Rubric

EXAMPLES = Path(__file__).parent.parent / "examples"
SHOP = EXAMPLES / "online-shop.yaml"
B2B = EXAMPLES / "b2b-subscription.yaml"
OVERLAY = EXAMPLES / "consultant-overlay.yaml"
PHYSICAL_ONLY = ("quality-packaging", "free-extra-in-order", "deliver-faster-than-promised")


@pytest.fixture(scope="module")
def shop() -> Audit:
    return api.audit_file(SHOP)


@pytest.fixture(scope="module")
def b2b() -> Audit:
    return api.audit_file(B2B)


@pytest.fixture(scope="module")
def overlay() -> Rubric:
    return api.load_rubric(OVERLAY)


def _top(audit: Audit, n: int = 5) -> list[str]:
    return [suggestion.gap.tactic.id for suggestion in audit.suggestions[:n]]


@pytest.mark.parametrize("path", [SHOP, B2B], ids=["shop", "b2b"])
def test_example_loads_and_scores(path: Path) -> None:
    questionnaire = api.load_questionnaire(path)
    assert questionnaire.rubric == "default"
    assert questionnaire.organisation.audited.startswith("2026-")
    audit = api.audit_file(path)
    assert audit.overall is not None and 0 < audit.overall < 100
    assert audit.grade is not None
    assert all(result.score is not None for result in audit.stages)
    assert audit.suggestions, "an example with gaps gets suggestions"
    assert audit.money is not None and audit.money.lifetime_value is not None


def test_examples_answer_only_known_tactics() -> None:
    rubric = api.load_rubric("default")
    known = {t.id: t.stage for t in rubric.tactics}
    for path in (SHOP, B2B):
        questionnaire = api.load_questionnaire(path, rubric)
        for tactic_id, answer in questionnaire.answers.items():
            assert known[tactic_id] == answer.stage, (path.name, tactic_id)


def test_shop_has_na_and_unknown_answers(shop: Audit) -> None:
    statuses = {result.tactic.id: result.status for result in shop.tactics}
    assert sum(status == "na" for status in statuses.values()) >= 2
    assert sum(status == "unknown" for status in statuses.values()) >= 2
    assert statuses["renew-contracts"] == "not-applicable"  # the shop sells order by order


def test_examples_get_different_top_suggestions(shop: Audit, b2b: Audit) -> None:
    assert _top(shop) != _top(b2b)
    assert _top(shop, 1) != _top(b2b, 1)


def test_examples_have_opposite_profiles(shop: Audit, b2b: Audit) -> None:
    on = b2b.side_result("on-sales").score
    off = b2b.side_result("off-sales").score
    assert on is not None and off is not None and on - off >= 20
    assert b2b.balance.verdict == "on-sales-ahead"
    found = {finding.rule.id for finding in b2b.findings}
    assert "wins-then-loses" in found
    assert "competitors-inside-accounts" in found  # only for business buyers
    assert "competitors-inside-accounts" not in {finding.rule.id for finding in shop.findings}


def test_b2b_firm_is_never_offered_physical_product_tactics(b2b: Audit) -> None:
    suggested = {suggestion.gap.tactic.id for suggestion in b2b.suggestions}
    gaps = {gap.tactic.id for gap in b2b.gaps}
    excluded = {exclusion.tactic.id for exclusion in b2b.exclusions}
    for tactic_id in (*PHYSICAL_ONLY, "birthday-message", "next-purchase-coupon"):
        assert tactic_id not in suggested
        assert tactic_id not in gaps
        assert tactic_id in excluded, f"{tactic_id} should be listed as not applying"
    reasons = {exclusion.tactic.id: exclusion.reason for exclusion in b2b.exclusions}
    assert "physical products" in reasons["quality-packaging"]


def test_shop_gets_physical_product_tactics(shop: Audit) -> None:
    excluded = {exclusion.tactic.id for exclusion in shop.exclusions}
    assert not excluded & set(PHYSICAL_ONLY)
    assert "renew-contracts" in excluded


def test_overlay_extends_default(overlay: Rubric) -> None:
    default = api.load_rubric("default")
    assert overlay.id == "acme-consulting"
    assert "default" in overlay.lineage
    assert len(overlay.tactics) == len(default.tactics) + 1


def test_overlay_reweights_retention(overlay: Rubric) -> None:
    assert overlay.stage("retention").weight == 2
    assert (
        overlay.stage("prospecting").weight
        == api.load_rubric("default").stage("prospecting").weight
    )


def test_overlay_rewrites_advice_and_keeps_the_rest(overlay: Rubric) -> None:
    default = api.load_rubric("default").tactic("follow-up-schedule")
    changed = overlay.tactic("follow-up-schedule")
    assert changed.advice != default.advice
    assert "Monday meeting" in changed.advice
    assert changed.question == default.question
    assert changed.asset == default.asset
    assert changed.weight == default.weight


def test_overlay_adds_a_complete_tactic(overlay: Rubric) -> None:
    added = overlay.tactic("yearly-account-review")
    assert added.stage == "retention"
    assert set(added.levels) == {"none", "ad-hoc", "defined", "measured"}
    assert added.requires == ("follow-up-schedule",)
    assert added.asset is not None and added.asset.kind == "checklist"
    assert set(added.sources) <= {source.id for source in overlay.sources}


def test_overlay_changes_the_b2b_score(overlay: Rubric) -> None:
    plain = api.audit_file(B2B)
    weighted = api.audit_file(B2B, rubric=overlay)
    assert plain.overall is not None and weighted.overall is not None
    # keeping in touch is the firm's weak stage, so counting it double lowers the score
    assert weighted.overall < plain.overall
    unknown = {r.tactic.id for r in weighted.tactics if r.status == "unknown"}
    assert "yearly-account-review" in unknown  # applies to a B2B firm, not answered yet
