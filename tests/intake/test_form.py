"""The HTML form in a real browser: filled as an owner would, downloaded, scored, loaded back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cycleaudit import api
from cycleaudit.cli import main
from cycleaudit.intake.form import applicable

RUBRIC = api.load_rubric("default")
HOSTILE = 'Rosa\'s "Bäckerei": #1 {{ name }} </script> \u202eRTL\u202c مرحبا 🎂'
NOTE = 'line one\nline two: "quoted" # not a comment\n\u2028- dash {% x %}'


@pytest.fixture(scope="module")
def form_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("form") / "form.html"
    result = CliRunner().invoke(main, ["form", "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path


def expect(locator: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def open_form(browser: Any, page_path: Path) -> tuple[Any, Any, list[str]]:
    context = browser.new_context(accept_downloads=True, viewport={"width": 390, "height": 844})
    page = context.new_page()
    outside: list[str] = []
    own = page_path.as_uri()

    def guard(route: Any) -> None:
        url = route.request.url
        if url == own or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    page.goto(own)
    return context, page, outside


@pytest.fixture(scope="module")
def downloaded(browser: Any, form_page: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    context, page, outside = open_form(browser, form_page)
    page.fill("#org-name", HOSTILE)
    page.check("input[name='profile-offering'][value='service']")
    page.fill("#metrics-currency", "EUR")
    page.fill("#metrics-average-order-value", "38")
    asked = applicable(RUBRIC, {"offering": "service"})
    for number, tactic in enumerate(asked):
        if number == 2:
            page.check(f"#level-{tactic.id}-na")
            page.fill(f"#na-{tactic.id}", "we only sell to shops")
            continue
        level = RUBRIC.levels[number % len(RUBRIC.levels)].id
        page.keyboard.press("Tab")  # keyboard reaches the controls too
        page.check(f"#level-{tactic.id}-{level}")
        if number == 0:
            page.fill(f"#evidence-{tactic.id}", HOSTILE)
            page.fill(f"#note-{tactic.id}", NOTE)
    hidden = [t for t in RUBRIC.tactics if t not in asked]
    assert hidden and all(not page.is_visible(f"#q-{t.id}") for t in hidden)
    assert f"{len(asked)} of {len(asked)}" in page.inner_text("#progress-text")
    with page.expect_download() as info:
        page.click("#download")
    target = tmp_path_factory.mktemp("dl") / "questionnaire.yaml"
    info.value.save_as(target)
    # A reload keeps every answer (autosave in the browser).
    page.reload()
    assert page.input_value("#org-name") == HOSTILE
    assert outside == []
    context.close()
    return target


def test_the_downloaded_file_validates_scores_and_renders(downloaded: Path) -> None:
    asked = applicable(RUBRIC, {"offering": "service"})
    questionnaire = api.load_questionnaire(downloaded)
    assert questionnaire.organisation.name == HOSTILE
    assert questionnaire.organisation.profile["offering"] in ("service", ("service",), ["service"])
    assert questionnaire.organisation.metrics["average-order-value"] == 38
    assert len(questionnaire.answers) == len(asked)
    first = questionnaire.answers[asked[0].id]
    assert first.evidence == HOSTILE and first.note == NOTE
    assert questionnaire.answers[asked[2].id].na_reason == "we only sell to shops"
    audit = api.audit_file(downloaded)
    assert audit.overall is not None
    assert "Bäckerei".encode() in api.render_report(audit, "text")


def test_a_downloaded_file_loads_back_with_every_answer(
    browser: Any, form_page: Path, downloaded: Path
) -> None:
    context, page, outside = open_form(browser, form_page)
    page.click("#clear")
    page.set_input_files("#load", str(downloaded))
    expect(page.locator("#message")).to_contain_text("Loaded questionnaire.yaml")
    questionnaire = api.load_questionnaire(downloaded)
    assert page.input_value("#org-name") == HOSTILE
    assert page.is_checked("input[name='profile-offering'][value='service']")
    assert page.input_value("#metrics-average-order-value") == "38"
    for tactic_id, answer in questionnaire.answers.items():
        value = answer.level or "na"
        assert page.is_checked(f"#level-{tactic_id}-{value}"), tactic_id
        assert page.input_value(f"#evidence-{tactic_id}") == answer.evidence
        assert page.input_value(f"#note-{tactic_id}") == answer.note
    assert outside == []
    context.close()


def test_init_and_interview_files_load_and_a_broken_file_is_refused(
    browser: Any, form_page: Path, tmp_path: Path
) -> None:
    interviewed = tmp_path / "interviewed.yaml"
    lines = ["Shop"] + [""] * 40
    CliRunner().invoke(main, ["interview", "-o", str(interviewed)], input="\n".join(lines))
    broken = tmp_path / "broken.yaml"
    broken.write_text("organisation:\n  name: [unclosed\n", encoding="utf-8")
    context, page, _ = open_form(browser, form_page)
    page.set_input_files("#load", str(interviewed))
    expect(page.locator("#message")).to_contain_text("Loaded interviewed.yaml")
    assert page.input_value("#org-name") == "Shop"
    initialised = tmp_path / "rosas-bakery.yaml"
    CliRunner().invoke(main, ["init", "-o", str(initialised)])
    page.set_input_files("#load", str(initialised))
    expect(page.locator("#message")).to_contain_text("Loaded rosas-bakery.yaml: 0 answers")
    assert page.input_value("#org-name") == "Rosas Bakery"
    page.set_input_files("#load", str(broken))
    expect(page.locator("#message")).to_contain_text("cannot be read here")
    assert page.input_value("#org-name") == "Rosas Bakery"
    context.close()
