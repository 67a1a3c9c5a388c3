"""Six businesses nobody tuned for: their reports fit what their profiles say.

The fixtures under ``tests/fixtures/businesses/`` were written as a new user
would write them. These tests read the reports a client would get and check
that the advice fits the business: nothing it rules out is mentioned, the
tactics that do not fit are left out with their reason, first steps start from
where the client stands.
"""

from __future__ import annotations

import dataclasses
import re
from functools import cache
from pathlib import Path

import pytest

from cycleaudit import api
from cycleaudit.engine import conditions
from cycleaudit.model import Audit, Questionnaire
from cycleaudit.report import build_context

BUSINESSES = Path(__file__).parent / "fixtures" / "businesses"
FILES = sorted(BUSINESSES.glob("*.yaml"))

# Words that only make sense for a way of selling; a profile that rules the
# way out must never meet them in our text. Keyed by (profile key, value).
ONLY_FOR: dict[tuple[str, str], tuple[str, ...]] = {
    ("offering", "product"): (
        "parcel",
        "packaging",
        "packing",
        "packed",
        "unboxing",
        "unpacking",
        "shipped",
    ),
    ("sales-channel", "online"): ("checkout", "basket", "shopping cart", "web shop"),
    ("sales-channel", "offline"): ("till", "counter", "shop floor"),
    ("model", "b2c"): ("birthday",),
}


def ruled_out_words(profile: dict[str, object]) -> set[str]:
    words: set[str] = set()
    for (key, value), only in ONLY_FOR.items():
        values = conditions.profile_values(profile, key)
        if values is not None and value not in values:
            words.update(only)
    return words


def without_client_text(questionnaire: Questionnaire) -> Questionnaire:
    """The same answers with the client's own words removed: we check our words only."""
    answers = {
        tactic: dataclasses.replace(answer, evidence="", note="", owner="", na_reason="")
        for tactic, answer in questionnaire.answers.items()
    }
    organisation = dataclasses.replace(
        questionnaire.organisation,
        name="Client",
        auditor="",
        respondents=(),
        profile={
            key: value
            for key, value in questionnaire.organisation.profile.items()
            if key != "sector"
        },
    )
    return dataclasses.replace(
        questionnaire, answers=answers, organisation=organisation, other_tactics=()
    )


@cache
def audit_of(name: str) -> Audit:
    return api.audit_file(BUSINESSES / f"{name}.yaml")


@cache
def rendered_without_client_text(path: Path) -> tuple[dict[str, object], str]:
    rubric = api.load_rubric("default")
    questionnaire = without_client_text(api.load_questionnaire(path, rubric))
    audit = api.audit(questionnaire, rubric)
    text = b"\n".join(api.render_report(audit, fmt) for fmt in ("text", "md")).decode()
    return dict(questionnaire.organisation.profile), text


def test_there_are_six_businesses() -> None:
    assert len(FILES) == 6


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_report_never_names_what_the_profile_rules_out(path: Path) -> None:
    profile, text = rendered_without_client_text(path)
    found = sorted(
        word
        for word in ruled_out_words(profile)
        if re.search(rf"\b{re.escape(word)}\b", text, flags=re.IGNORECASE)
    )
    assert not found, f"{path.stem}: {found}"


def test_the_word_check_can_fail() -> None:
    # The bookkeeper sells a service by contract, in person: a till is fine,
    # a checkout or a parcel is not.
    words = ruled_out_words({"offering": "service", "sales-channel": "offline", "model": "b2b"})
    assert {"checkout", "parcel", "birthday"} <= words
    assert "till" not in words


def test_digital_offering_leaves_out_physical_tactics_with_the_reason() -> None:
    audit = audit_of("online-course-creator")
    left_out = {r.tactic.id: r.reason for r in audit.tactics if r.status == "not-applicable"}
    for tactic in ("quality-packaging", "free-extra-in-order", "deliver-faster-than-promised"):
        assert "digital goods and services have nothing to pack" in left_out[tactic]
        # The client answered "none" to packaging; the answer is not counted.
        assert tactic not in {g.tactic.id for g in audit.gaps}
    appendix = build_context(audit)["appendix"]
    assert isinstance(appendix, dict)
    reasons = {row["title"]: row["reason"] for row in appendix["left_out"]}
    assert any("nothing to pack or ship" in reason for reason in reasons.values())


def test_dealer_selling_in_person_and_marketing_online_keeps_remarketing() -> None:
    audit = audit_of("car-dealership")
    status = {r.tactic.id: r.status for r in audit.tactics}
    assert status["remarketing"] == "scored"  # marketing happens online
    assert status["thank-you-page-next-step"] == "not-applicable"  # the sale does not
    # Cars one-off and servicing on repeat: repeat-purchase tactics apply,
    # contract renewals do not.
    assert status["next-purchase-coupon"] == "scored"
    assert status["track-repeat-rate"] == "scored"
    assert status["renew-contracts"] == "not-applicable"
    assert "remarketing" in {g.tactic.id for g in audit.gaps}


def test_one_off_bakery_is_not_asked_for_lifetime_value() -> None:
    audit = audit_of("wedding-cake-bakery")
    status = {r.tactic.id: r.status for r in audit.tactics}
    assert status["know-lifetime-value"] == "not-applicable"
    assert status["track-repeat-rate"] == "not-applicable"
    assert "lifetime-value-unknown" not in {f.rule.id for f in audit.findings}
    suggested = {s.gap.tactic.id for s in audit.suggestions}
    assert "know-lifetime-value" not in suggested


def test_first_step_starts_from_the_current_level() -> None:
    audit = audit_of("car-dealership")
    context = build_context(audit)
    steps = {}
    for stage in context["stages"]:  # type: ignore[union-attr]
        for suggestion in stage["suggestions"]:
            steps[suggestion["title"]] = suggestion["first_step"]
    rubric = audit.rubric
    # Answered "ad-hoc": make it routine, not start from nothing.
    ideal = rubric.tactic("define-ideal-customer")
    assert steps[ideal.title] == ideal.first_steps["ad-hoc"]
    assert steps[ideal.title] != ideal.first_step
    # Answered "defined": the step is to measure it.
    segment = rubric.tactic("qualify-leads")
    assert steps[segment.title] == segment.first_steps["defined"]
    # Answered "none": start from nothing.
    remarketing = rubric.tactic("remarketing")
    assert steps[remarketing.title] == remarketing.first_step == remarketing.first_steps["none"]


def test_stated_churn_and_lifetime_value_are_read() -> None:
    audit = audit_of("dental-saas")
    metrics = audit.questionnaire.organisation.metrics
    assert metrics["churn-rate"] == 0.18
    assert metrics["customer-lifetime-value"] == 9000
    assert audit.money is not None and audit.money.lifetime_value == 9000
    assert "lifetime-value-unknown" not in {f.rule.id for f in audit.findings}


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_every_business_gets_every_report_but_pdf(path: Path) -> None:
    audit = api.audit_file(path)
    for fmt in ("text", "md", "html", "json"):
        assert api.render_report(audit, fmt)
