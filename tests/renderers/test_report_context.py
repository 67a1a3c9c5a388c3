"""The report context: JSON-ready, schema-valid, plain words, no invented figures."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from tests.renderers.audits import RUBRIC, make_audit

from cycleaudit.report import FORMAT, build_context

SCHEMA = json.loads(
    (
        Path(__file__).resolve().parents[2]
        / "src"
        / "cycleaudit"
        / "formats"
        / "schemas"
        / "report.schema.json"
    ).read_text()
)


@pytest.fixture(scope="module")
def context():  # type: ignore[no-untyped-def]
    return build_context(make_audit())


def test_context_is_json_and_matches_its_schema(context) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(json.dumps(context))
    assert data == context
    assert data["format"] == FORMAT
    jsonschema.Draft202012Validator(SCHEMA).validate(data)


def test_no_money_page_without_metrics() -> None:
    context = build_context(make_audit(metrics=False))
    jsonschema.Draft202012Validator(SCHEMA).validate(context)
    assert context["money"] is None
    assert context["summary"]["money_headline"] == ""
    assert all(s["value"] is None for s in context["suggestions"])


def test_money_figures_come_with_formula(context) -> None:  # type: ignore[no-untyped-def]
    money = context["money"]
    assert money["lifetime_value"]["display"] == "EUR 129"
    assert "=" in money["lifetime_value"]["formula"]
    assert money["ratio_display"] == "4.3 : 1"
    for item in money["at_stake"]:
        assert item["display"].startswith("EUR ") and item["display"].endswith("a year")
        assert item["formula"].endswith(item["display"])


def test_summary_names_three_strongest_and_weakest_distinct(context) -> None:  # type: ignore[no-untyped-def]
    strongest = [a["title"] for a in context["summary"]["strongest"]]
    weakest = [a["title"] for a in context["summary"]["weakest"]]
    assert strongest[0] == "Define your prospects"
    assert len(strongest) == 3 and len(weakest) == 3
    assert not set(strongest) & set(weakest)
    assert context["summary"]["weakest_link"]["title"] == "Retention"
    assert [s["weakest"] for s in context["chart"]["stages"]] == [False] * 4 + [True]


def test_plan_never_puts_a_tactic_before_its_prerequisite(context) -> None:  # type: ignore[no-untyped-def]
    phase_of = {}
    for index, phase in enumerate(context["plan"]["phases"]):
        for action in phase["actions"]:
            phase_of[action["title"]] = index
    assert set(phase_of) == {s["title"] for s in context["suggestions"]}
    checked = 0
    for tactic in RUBRIC.tactics:
        for required in tactic.requires:
            title, needed = tactic.title, RUBRIC.tactic(required).title
            if title in phase_of and needed in phase_of:
                assert phase_of[needed] < phase_of[title], (title, needed)
                checked += 1
    assert checked >= 2


def test_matrix_places_every_suggestion_once(context) -> None:  # type: ignore[no-untyped-def]
    in_cells = [a["rank"] for cell in context["matrix"]["cells"] for a in cell["actions"]]
    assert sorted(in_cells) == [s["rank"] for s in context["suggestions"]]
    quick = next(q for q in context["matrix"]["quadrants"] if q["id"] == "quick-win")
    assert "Testimonials and case studies" in [a["title"] for a in quick["actions"]]


def test_appendix_lists_na_unknown_left_out_assets_sources(context) -> None:  # type: ignore[no-untyped-def]
    appendix = context["appendix"]
    assert [n["title"] for n in appendix["na"]] == ["A thank-you page that leads somewhere"]
    assert [u["title"] for u in appendix["unknown"]] == []  # every tactic answered or left out
    assert [x["title"] for x in appendix["left_out"]] == ["Webinars and education"]
    assert appendix["assets"][0]["title"] == "Testimonial request email"
    assert appendix["sources"][0]["citation"] == (
        "On-sales and off-sales — A. Writer, Small Biz Press, 2019"
    )
    assert appendix["methodology"]["example"].endswith("out of 100.")
    assert appendix["methodology"]["rubric"]["version"] == "1.2"


def test_prose_has_no_internal_ids(context) -> None:  # type: ignore[no-untyped-def]
    titles = " ".join(t.title.lower() for t in RUBRIC.tactics)
    # Ids that are also plain words of a title ("follow-ups") cannot be told apart.
    ids = {t.id for t in RUBRIC.tactics if "-" in t.id and t.id not in titles}
    ids |= {"customers-per-year", "repeat-purchase-rate", "average-order-value"}
    assert "define-prospects" in ids
    prose_keys = {
        "headline",
        "text",
        "saw",
        "coverage_text",
        "money_headline",
        "formula",
        "assumption",
        "paragraphs",
        "example",
        "capacity_note",
        "notes",
    }

    def walk(node, key=""):  # type: ignore[no-untyped-def]
        if isinstance(node, dict):
            for k, v in node.items():
                yield from walk(v, k)
        elif isinstance(node, list):
            for v in node:
                yield from walk(v, key)
        elif isinstance(node, str) and key in prose_keys:
            yield node

    texts = list(walk(context))
    assert len(texts) > 20
    for text in texts:
        for tactic_id in ids:
            assert not re.search(rf"\b{re.escape(tactic_id)}\b", text), (tactic_id, text)


def test_real_examples_render_a_valid_context() -> None:
    api = pytest.importorskip("cycleaudit.api")
    root = Path(__file__).resolve().parents[2]
    for name in ("online-shop", "b2b-subscription"):
        path = root / "examples" / f"{name}.yaml"
        if not path.exists():
            pytest.skip("examples not written yet")
        context = build_context(api.audit_file(path))
        jsonschema.Draft202012Validator(SCHEMA).validate(json.loads(json.dumps(context)))
        assert len(context["stages"]) == 5


def test_left_out_lists_only_practices_that_do_not_fit_the_business() -> None:
    from cycleaudit import api

    example = Path(__file__).resolve().parents[2] / "examples" / "online-shop.yaml"
    appendix = build_context(api.audit_file(example))["appendix"]
    left_out = {row["title"] for row in appendix["left_out"]}
    unknown = {row["title"] for row in appendix["unknown"]}
    na = {row["title"] for row in appendix["na"]}
    assert unknown and na, "the example has unanswered and N/A practices"
    assert not left_out & (unknown | na)
    assert all("Not answered" not in row["reason"] for row in appendix["left_out"])
