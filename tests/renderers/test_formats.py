"""Every format tells the same story as the JSON context; the package imports cheaply."""

from __future__ import annotations

import html as html_module
import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests.renderers.audits import make_audit

from cycleaudit.renderers import RENDERERS_BY_FORMAT, format_for_path, render
from cycleaudit.report import build_context


@pytest.fixture(scope="module")
def outputs():  # type: ignore[no-untyped-def]
    """Each format at full depth (keyed by format) and brief (keyed "fmt-brief")."""
    context = build_context(make_audit())
    shown = {
        fmt: render(context, fmt, detail="full").decode() for fmt in ("json", "md", "html", "text")
    }
    for fmt in ("md", "html", "text"):
        shown[f"{fmt}-brief"] = render(context, fmt).decode()
    return shown


def test_json_is_the_context(outputs) -> None:  # type: ignore[no-untyped-def]
    assert json.loads(outputs["json"]) == build_context(make_audit())


@pytest.mark.parametrize("fmt", ["md", "html", "text"])
def test_same_findings_and_suggestions_as_json(outputs, fmt: str) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(outputs["json"])
    shown = html_module.unescape(outputs[fmt]) if fmt == "html" else outputs[fmt]
    titles = [f["title"] for f in data["findings"] + data["strengths"]]
    titles += [s["title"] for s in data["suggestions"]]
    titles += [st["title"] for st in data["stages"]]
    assert len(titles) > 10
    for title in titles:
        assert title in shown, (fmt, title)
    assert data["summary"]["overall_display"] in shown


@pytest.mark.parametrize("fmt", ["md", "html", "text"])
def test_brief_keeps_the_selection_and_leaves_the_rest(outputs, fmt: str) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(outputs["json"])
    brief = outputs[f"{fmt}-brief"]
    shown = html_module.unescape(brief) if fmt == "html" else brief
    kept = [f["title"] for f in data["brief"]["findings"] + data["strengths"]]
    kept += [st["title"] for st in data["stages"]]
    kept += [g["title"] for st in data["stages"] for g in st["top_suggestions"]]
    for title in kept:
        assert title in shown, (fmt, title)
    # The full report's appendix (methodology, sources) is not in the brief.
    methodology = "How the scores are computed"
    assert methodology in outputs[fmt] and methodology not in shown
    assert len(brief) < len(outputs[fmt])


def test_html_is_self_contained(outputs) -> None:  # type: ignore[no-untyped-def]
    page = outputs["html"]
    assert "<link" not in page and "<script" not in page
    assert 'src="http' not in page and "url(http" not in page
    assert page.count("<svg") == 3  # cycle, balance, matrix (the stage table has the rest)
    assert outputs["html-brief"].count("<svg") == 1  # the cycle; its table says the rest
    assert "@font-face" not in page  # fonts are for the PDF only


def test_format_follows_the_extension() -> None:
    assert format_for_path("r.PDF") == "pdf"
    assert format_for_path("r.htm") == "html"
    assert format_for_path("r.md") == "md"
    assert format_for_path("r.json") == "json"
    assert format_for_path("r.txt") == "text"
    assert format_for_path("r.docx") is None
    assert set(RENDERERS_BY_FORMAT) == {"text", "json", "md", "html", "pdf"}


def test_importing_renderers_does_not_import_weasyprint() -> None:
    code = (
        "import sys, cycleaudit.renderers, cycleaudit.report; "
        "from cycleaudit.renderers import render; "
        "print('weasyprint' in sys.modules, 'jinja2' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["False", "False"]


def test_a_quadrant_with_one_action_says_action_not_actions() -> None:
    from cycleaudit import api

    fixture = Path(__file__).parents[1] / "fixtures" / "questionnaires" / "every-script.yaml"
    page = api.render_report(api.audit_file(fixture), "html", detail="full").decode()
    assert "<p>Action 4</p>" in page and "<p>Actions 1, 2, 3</p>" in page
