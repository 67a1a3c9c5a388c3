"""The default rubric is the product's knowledge: check it is complete and well formed.

The coverage table below maps every concept the product brief (DESIGN.md,
"Concepts the default rubric must cover") asks for to the tactics or rules
that cover it. Renaming or deleting one of those ids fails here, so a concept
cannot silently drop out of the rubric.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from cycleaudit import api
from cycleaudit.model import Rubric

ROOT = Path(__file__).parent.parent
RUBRIC_FILE = ROOT / "rubrics" / "default.yaml"
KEBAB = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
LEVELS = ("none", "ad-hoc", "defined", "measured")
STAGES = ("prospecting", "conversion", "buying-experience", "thank-you", "retention")

# concept from DESIGN.md -> ids of the tactics and/or rules that cover it
COVERAGE: dict[str, tuple[str, ...]] = {
    # Prospecting
    "define who the prospects are": ("define-ideal-customer",),
    "sort prospects into buying groups (segments)": ("segment-prospects",),
    "qualify leads and focus on the likeliest": ("qualify-leads", "ads-without-qualification"),
    "lead warmth and engagement signals": ("track-lead-warmth",),
    "targeted advertising": ("targeted-advertising",),
    "collect contact details (mailing list)": ("build-mailing-list",),
    "ask prospects what they want, tailor the message": ("ask-what-prospects-want",),
    "referrals from existing customers as a source": ("track-referral-source",),
    # Conversion
    "consultative selling": ("consultative-selling",),
    "answering objections": ("handle-objections",),
    "demos": ("offer-demos",),
    "case studies, success stories, testimonials": ("show-customer-proof",),
    "free trials that lower the barrier": ("free-trial",),
    "urgency offers": ("urgency-offers",),
    "positioning against competitors": ("position-against-competitors",),
    "promise only what you can beat": ("promise-what-you-can-beat",),
    # Buying experience
    "related items at the point of sale": ("recommend-related-items",),
    "quality packaging": ("quality-packaging",),
    "a free extra in the order": ("free-extra-in-order",),
    "delivery faster than promised": ("deliver-faster-than-promised",),
    "instructions or tutorials": ("include-instructions",),
    "thank-you page that leads somewhere": ("thank-you-page-next-step", "thank-you-page-dead-end"),
    "remembering a client's preferences": ("remember-preferences",),
    "capturing the buyer's contact": ("capture-buyer-contact", "buyers-unreachable"),
    # Thank you
    "personal thank-you message": ("personal-thank-you",),
    "cards": ("thank-you-card",),
    "post-purchase email": ("post-purchase-email",),
    "gratitude gestures": ("gratitude-gestures",),
    "coupon or money off the next purchase": ("next-purchase-coupon",),
    "surprise discounts": ("surprise-discount",),
    "birthday messages": ("birthday-message",),
    # Retention
    "scheduled follow-ups": ("follow-up-schedule",),
    "fast, excellent support": ("fast-support",),
    "complaint handling": ("complaint-recovery",),
    "feedback loops and surveys": ("feedback-survey", "close-feedback-loop", "feedback-not-used"),
    "loyalty programmes and rewards": ("loyalty-programme",),
    "upselling and cross-selling": ("upsell-cross-sell",),
    "educating customers on the full range": ("educate-full-range",),
    "news of related new products and offers": ("new-product-news",),
    "email sequence for buyers (drip, autoresponder)": ("buyer-email-sequence",),
    "webinars and education": ("run-customer-education",),
    "remarketing": ("remarketing",),
    "renewing contracts and subscriptions": ("renew-contracts",),
    "referral asks": ("ask-for-referrals", "no-referral-engine"),
    "competitors supplying part of the needs (share of wallet)": (
        "watch-share-of-wallet",
        "competitors-inside-accounts",
    ),
    # Loops and measures
    "testimonials feeding new pitches": (
        "collect-testimonials",
        "show-customer-proof",
        "testimonials-cannot-feed-pitches",
    ),
    "customer lifetime value known": ("know-lifetime-value", "lifetime-value-unknown"),
    "lifetime value compared with acquisition cost": ("lifetime-value-too-low",),
    "repeat-purchase and retention rates": ("track-repeat-rate", "repeat-rate-unmeasured"),
    "turning customers into clients": ("customers-become-clients", "remember-preferences"),
    # The balance between the two sides is itself a finding
    "strong on-sales, weak off-sales": ("wins-then-loses",),
    "strong off-sales, weak on-sales": ("keeps-but-does-not-grow",),
}

# asset kinds the issue asks for, by the tactic that carries them
REQUIRED_ASSETS: dict[str, tuple[str, str]] = {
    "thank-you email": ("post-purchase-email", "email"),
    "post-purchase survey": ("feedback-survey", "survey"),
    "follow-up schedule": ("follow-up-schedule", "schedule"),
    "loyalty programme outline": ("loyalty-programme", "programme"),
    "testimonial request": ("collect-testimonials", "email"),
    "birthday message": ("birthday-message", "message"),
    "referral ask": ("ask-for-referrals", "message"),
}


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return api.load_rubric("default")


@pytest.fixture(scope="module")
def raw() -> dict:
    with RUBRIC_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def test_builtin_name_and_file_load_the_same_rubric(rubric: Rubric) -> None:
    from_file = api.load_rubric(RUBRIC_FILE)
    assert rubric.id == from_file.id == "default"
    assert [t.id for t in rubric.tactics] == [t.id for t in from_file.tactics]


@pytest.mark.parametrize("concept", sorted(COVERAGE))
def test_every_design_concept_is_covered(rubric: Rubric, concept: str) -> None:
    known = {t.id for t in rubric.tactics} | {r.id for r in rubric.rules}
    missing = [item for item in COVERAGE[concept] if item not in known]
    assert not missing, f"{concept!r}: {missing} not in the default rubric"


def test_every_tactic_is_claimed_by_some_concept(rubric: Rubric) -> None:
    claimed = {item for items in COVERAGE.values() for item in items}
    unclaimed = [t.id for t in rubric.tactics if t.id not in claimed]
    assert unclaimed == [], "add these tactics to the coverage table (or remove them)"


def test_levels_and_stages(rubric: Rubric) -> None:
    assert [level.id for level in rubric.levels] == list(LEVELS)
    assert [level.score for level in rubric.levels] == [0, 0.33, 0.67, 1.0]
    assert [stage.id for stage in rubric.stages] == list(STAGES)
    sides = {stage.id: stage.side for stage in rubric.stages}
    assert sides == {
        "prospecting": "on-sales",
        "conversion": "on-sales",
        "buying-experience": "sale",
        "thank-you": "off-sales",
        "retention": "off-sales",
    }


def test_size(rubric: Rubric) -> None:
    assert len(rubric.tactics) >= 45
    per_stage = Counter(t.stage for t in rubric.tactics)
    for stage in STAGES:
        assert per_stage[stage] >= 6, f"{stage} has only {per_stage[stage]} tactics"
    assert len(rubric.rules) >= 8


def test_ids_unique_and_kebab_case(rubric: Rubric) -> None:
    for group in (rubric.tactics, rubric.rules, rubric.sources, rubric.stages):
        ids = [item.id for item in group]
        assert len(ids) == len(set(ids)), Counter(ids).most_common(3)
        assert all(KEBAB.match(i) for i in ids), [i for i in ids if not KEBAB.match(i)]
    # tactic and rule ids share the coverage table: keep them apart
    assert not {t.id for t in rubric.tactics} & {r.id for r in rubric.rules}


def test_every_tactic_is_complete(rubric: Rubric) -> None:
    source_ids = {s.id for s in rubric.sources}
    for tactic in rubric.tactics:
        where = tactic.id
        assert tactic.question.strip().endswith("?"), where
        assert set(tactic.levels) == set(LEVELS), where
        assert all(len(text.strip()) > 20 for text in tactic.levels.values()), where
        assert len(set(tactic.levels.values())) == 4, f"{where}: two levels read the same"
        assert tactic.advice.strip() and tactic.first_step.strip(), where
        sentences = len(re.findall(r"[.!?](\s|$)", tactic.advice.strip()))
        assert 2 <= sentences <= 6, f"{where}: advice has {sentences} sentences"
        assert tactic.effort in {"low", "medium", "high"}, where
        assert tactic.impact in {"low", "medium", "high"}, where
        assert tactic.sources and set(tactic.sources) <= source_ids, where
        assert tactic.side in {"on-sales", "off-sales"}, where


def test_buying_experience_tactics_name_their_side(raw: dict) -> None:
    for tactic in raw["tactics"]:
        if tactic["stage"] == "buying-experience":
            assert tactic.get("side") in {"on-sales", "off-sales"}, tactic["id"]
        else:
            assert "side" not in tactic, f"{tactic['id']}: side comes from the stage"


def test_no_two_tactics_share_advice_or_first_step(rubric: Rubric) -> None:
    for attribute in ("advice", "first_step", "question", "title"):
        texts = Counter(" ".join(getattr(t, attribute).split()) for t in rubric.tactics)
        assert texts.most_common(1)[0][1] == 1, f"duplicate {attribute}"


def test_prose_has_no_internal_ids(rubric: Rubric) -> None:
    ids = {t.id for t in rubric.tactics if "-" in t.id} | {r.id for r in rubric.rules}
    for tactic in rubric.tactics:
        prose = " ".join(
            [tactic.question, tactic.advice, tactic.first_step, *tactic.levels.values()]
        )
        leaked = [i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", prose)]
        assert not leaked, f"{tactic.id} mentions {leaked}"


def test_requires_resolve_and_have_no_cycles(rubric: Rubric) -> None:
    requires = {t.id: t.requires for t in rubric.tactics}
    for tactic_id, needed in requires.items():
        assert set(needed) <= set(requires), tactic_id
        assert tactic_id not in needed

    def visit(node: str, path: tuple[str, ...]) -> None:
        assert node not in path, f"cycle: {' -> '.join((*path, node))}"
        for nxt in requires[node]:
            visit(nxt, (*path, node))

    for tactic_id in requires:
        visit(tactic_id, ())


def _condition_refs(condition: object) -> list[tuple[str, object]]:
    """Every (kind, value) leaf a condition refers to."""
    assert isinstance(condition, dict)
    if "all" in condition or "any" in condition:
        return [
            ref
            for part in condition.get("all", condition.get("any"))
            for ref in _condition_refs(part)
        ]
    if "not" in condition:
        return _condition_refs(condition["not"])
    for kind in ("answer", "profile", "score", "metric"):
        if kind in condition:
            return [(kind, condition)]
    raise AssertionError(f"unknown condition {condition}")


def test_conditions_refer_to_things_that_exist(rubric: Rubric) -> None:
    tactic_ids = {t.id for t in rubric.tactics}
    stage_ids = {s.id for s in rubric.stages}
    metrics = {
        "customers-per-year",
        "new-customers-per-year",
        "prospects-per-year",
        "average-order-value",
        "purchases-per-customer-per-year",
        "acquisition-cost",
        "repeat-purchase-rate",
        "conversion-rate",
        "referral-rate",
        "gross-margin",
        "customer-lifetime-years",
        "customer-lifetime-value",
        "annual-revenue",
        "lifetime-value",
        "lifetime-value-to-acquisition-cost",
    }
    profiles = {"model", "offering", "sales-channel", "marketing-channel", "channel", "purchase"}
    profiles |= {"team-size", "sector"}
    conditions = [t.applies_when for t in rubric.tactics if t.applies_when]
    conditions += [r.when for r in rubric.rules]
    for condition in conditions:
        for kind, leaf in _condition_refs(condition):
            assert isinstance(leaf, dict)
            if kind == "answer":
                assert leaf["answer"] in tactic_ids, leaf
                for key in ("below", "at-least"):
                    if key in leaf:
                        assert leaf[key] in LEVELS, leaf
                if "in" in leaf:
                    assert set(leaf["in"]) <= {*LEVELS, "na", "unknown"}, leaf
            elif kind == "profile":
                assert leaf["profile"] in profiles, leaf
            elif kind == "metric":
                assert leaf["metric"] in metrics, leaf
            else:
                for key in ("score", "minus"):
                    ref = leaf.get(key)
                    if isinstance(ref, str) and ref.startswith("stage:"):
                        assert ref.removeprefix("stage:") in stage_ids, leaf


def test_applies_when_has_a_note(rubric: Rubric) -> None:
    for tactic in rubric.tactics:
        if tactic.applies_when:
            assert tactic.applies_note.strip(), tactic.id


@pytest.mark.parametrize(
    ("tactic_id", "profile_key", "values"),
    [
        ("quality-packaging", "offering", ["product", "both"]),
        ("free-extra-in-order", "offering", ["product", "both"]),
        ("deliver-faster-than-promised", "offering", ["product", "both"]),
        ("renew-contracts", "purchase", "subscription"),
        ("birthday-message", "model", ["b2c", "both"]),
    ],
)
def test_honest_applies_when(
    rubric: Rubric, tactic_id: str, profile_key: str, values: object
) -> None:
    condition = rubric.tactic(tactic_id).applies_when
    assert condition is not None
    assert condition["profile"] == profile_key
    assert condition.get("in", condition.get("is")) == values


def test_rules_are_complete(rubric: Rubric) -> None:
    tactic_ids = {t.id for t in rubric.tactics}
    source_ids = {s.id for s in rubric.sources}
    kinds = Counter(rule.kind for rule in rubric.rules)
    assert kinds["risk"] >= 6 and kinds["strength"] >= 2
    for rule in rubric.rules:
        assert rule.message.strip() and rule.first_step.strip(), rule.id
        assert rule.tactics and set(rule.tactics) <= tactic_ids, rule.id
        assert rule.sources and set(rule.sources) <= source_ids, rule.id
        assert not re.search(r"\d", rule.message), f"{rule.id}: the engine shows the numbers"


def test_required_assets_exist(rubric: Rubric) -> None:
    for name, (tactic_id, kind) in REQUIRED_ASSETS.items():
        asset = rubric.tactic(tactic_id).asset
        assert asset is not None, name
        assert asset.kind == kind, name
        assert "[" in asset.body and "]" in asset.body, f"{name}: no [placeholders]"
    survey = rubric.tactic("feedback-survey").asset
    assert survey is not None
    questions = re.findall(r"^\d+\. ", survey.body, flags=re.MULTILINE)
    assert 3 <= len(questions) <= 5


def test_money_levers_are_modest(rubric: Rubric) -> None:
    for tactic in rubric.tactics:
        lever = tactic.lever
        if lever is None:
            continue
        assert 0.01 <= lever.change <= 0.10, tactic.id
        if lever.kind == "points":
            assert lever.metric.endswith("-rate"), tactic.id
        assert lever.assumption.strip().startswith("We assume"), tactic.id


def test_sources_catalogue(rubric: Rubric) -> None:
    assert len(rubric.sources) == 5
    used = {s for t in rubric.tactics for s in t.sources} | {
        s for r in rubric.rules for s in r.sources
    }
    assert used == {s.id for s in rubric.sources}, "every seed article is cited"
    for source in rubric.sources:
        assert source.title.strip()
        assert not source.year or re.fullmatch(r"\d{4}", source.year)


def test_grades_and_balance(rubric: Rubric) -> None:
    minimums = [grade.minimum for grade in rubric.grades]
    assert minimums == sorted(minimums, reverse=True)
    assert minimums[-1] == 0
    assert all(grade.label and grade.meaning for grade in rubric.grades)
    assert rubric.balance.threshold == 5
    assert rubric.balance.similar_ratio == 0.75
    assert rubric.balance.on_ahead and rubric.balance.off_ahead and rubric.balance.balanced
