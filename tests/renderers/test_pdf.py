"""The PDF: content, pages, paper, reproducibility, themes, archival variant.

Each PDF is rendered once per module (WeasyPrint takes seconds) and read back
with pypdf.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

pytest.importorskip("weasyprint")
pypdf = pytest.importorskip("pypdf")

from tests.renderers.audits import make_audit  # noqa: E402
from tests.renderers.conftest import FIXTURES, ROOT  # noqa: E402

from cycleaudit.renderers import RenderError, render, render_full  # noqa: E402
from cycleaudit.report import build_context  # noqa: E402

A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)


def _text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


@pytest.fixture(scope="module")
def context():  # type: ignore[no-untyped-def]
    return build_context(make_audit())


@pytest.fixture(scope="module")
def default_pdf(context):  # type: ignore[no-untyped-def]
    """The default depth: the brief."""
    return render_full(context, "pdf")


@pytest.fixture(scope="module")
def full_pdf(context):  # type: ignore[no-untyped-def]
    return render_full(context, "pdf", detail="full")


@pytest.fixture(scope="module")
def example_pdf():  # type: ignore[no-untyped-def]
    path = ROOT / "examples" / "online-shop.yaml"
    from cycleaudit import api

    context = build_context(api.audit_file(path))
    return context, render_full(context, "pdf", detail="full")


def test_default_theme_renders_without_any_warning(default_pdf) -> None:  # type: ignore[no-untyped-def]
    assert default_pdf.warnings == ()
    assert default_pdf.data.startswith(b"%PDF-")


def test_brief_holds_each_chapter_and_the_selections(default_pdf, context) -> None:  # type: ignore[no-untyped-def]
    text = _text(default_pdf.data)
    for heading in ("Executive summary", "Key findings", "30/60/90-day plan", "The money"):
        assert heading in text
    for heading in ("Contents", "Action plan", "How the scores are computed", "Sources"):
        assert heading not in text
    for stage in context["stages"]:
        assert stage["title"] in text
        for suggestion in stage["top_suggestions"]:
            assert suggestion["title"] in text
    for finding in context["brief"]["findings"]:
        assert finding["title"] in text
    assert "This is the brief report." in text


def test_full_holds_every_stage_summary_and_plan(full_pdf, context) -> None:  # type: ignore[no-untyped-def]
    text = _text(full_pdf.data)
    for heading in (
        "Executive summary",
        "Key findings",
        "Action plan",
        "30/60/90-day plan",
        "The money",
        "How the scores are computed",
        "Sources",
        "Contents",
    ):
        assert heading in text
    for stage in context["stages"]:
        assert stage["title"] in text
    for suggestion in context["suggestions"]:
        assert suggestion["title"] in text
    assert "Harbour Tea Company" in text and "14 March 2025" in text
    assert "EUR 5,400 a year" in text
    assert "Page 2 of" in text


def test_page_count_and_size_are_sane(default_pdf) -> None:  # type: ignore[no-untyped-def]
    reader = pypdf.PdfReader(io.BytesIO(default_pdf.data))
    assert 8 <= len(reader.pages) <= 12
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width, 1), round(height, 1)) == (round(A4[0], 1), round(A4[1], 1))
    assert len(default_pdf.data) < 300_000
    assert reader.metadata.title == "Sales-cycle audit — Harbour Tea Company"


def test_letter_paper(context) -> None:  # type: ignore[no-untyped-def]
    data = render(context, "pdf", paper="letter")
    reader = pypdf.PdfReader(io.BytesIO(data))
    for page in reader.pages:
        width, height = (float(v) for v in page.mediabox.upper_right)
        assert (round(width, 1), round(height, 1)) == LETTER


def test_same_input_gives_identical_bytes(context, default_pdf, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    again = render(context, "pdf")
    assert again == default_pdf.data
    reader = pypdf.PdfReader(io.BytesIO(again))
    assert reader.metadata["/CreationDate"].startswith("D:20250314000000")
    assert reader.metadata["/ModDate"].startswith("D:20250314000000")


def test_source_date_epoch_sets_the_dates(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from cycleaudit.renderers.pdf import timestamp

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert timestamp("2025-03-14") == "2023-11-14T22:13:20Z"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert timestamp("2025-03-14") == "2025-03-14T00:00:00Z"


def test_mono_theme_renders_without_any_warning(context) -> None:  # type: ignore[no-untyped-def]
    result = render_full(context, "pdf", theme="mono")
    assert result.warnings == ()
    assert "Executive summary" in _text(result.data)


def test_custom_theme_overrides_a_block_and_adds_its_logo(context) -> None:  # type: ignore[no-untyped-def]
    result = render_full(context, "pdf", theme=FIXTURES / "custom-theme")
    assert result.warnings == ()
    text = _text(result.data)
    assert "Brightwater Consulting: growth audits since 2009" in text  # overridden block
    assert "YOUR CONSULTANT" in text.upper()  # wording override (a label in capitals)
    assert "Questions? Call Brightwater Consulting." in text
    assert "Executive summary" in text  # the other blocks are still the built-in ones
    assert "BRIGHTWATER" in text  # the theme's SVG logo, drawn on the cover
    html = render(context, "html", theme=FIXTURES / "custom-theme").decode()
    assert 'class="cover-logo" src="data:image/svg+xml;base64,' in html
    assert "--accent: #7a1f5c" in html


def test_pdf_a3b_variant(context) -> None:  # type: ignore[no-untyped-def]
    data = render(context, "pdf", pdf_variant="pdf/a-3b")
    reader = pypdf.PdfReader(io.BytesIO(data))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b"pdfaid:part" in xmp or b"<pdfaid:part>3" in xmp
    assert b'part="3"' in xmp or b"<pdfaid:part>3</pdfaid:part>" in xmp
    assert "/OutputIntents" in reader.trailer["/Root"]


def test_bad_options_are_refused_before_rendering(context) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RenderError, match="paper"):
        render(context, "pdf", paper="a5")
    with pytest.raises(RenderError, match="variant"):
        render(context, "pdf", pdf_variant="pdf/x-9")
    with pytest.raises(RenderError, match="unknown theme"):
        render(context, "pdf", theme="no-such-theme")


def test_real_example_reads_as_a_report(example_pdf) -> None:  # type: ignore[no-untyped-def]
    context, result = example_pdf
    assert result.warnings == ()
    reader = pypdf.PdfReader(io.BytesIO(result.data))
    assert 15 <= len(reader.pages) <= 30
    assert len(result.data) < 300_000
    text = _text(result.data)
    for stage in context["stages"]:
        assert stage["title"] in text
    for action in context["plan"]["phases"][0]["actions"]:
        assert action["title"] in text
    assert context["summary"]["overall_display"] in text


def test_fixture_theme_files_exist() -> None:
    assert (FIXTURES / "custom-theme" / "logo.svg").is_file()
    assert Path(FIXTURES / "custom-theme" / "report.html.j2").read_text().startswith("{% extends")


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_executive_summary_fits_one_page(paper: str) -> None:
    from cycleaudit import api

    context = build_context(api.audit_file(ROOT / "examples" / "b2b-subscription.yaml"))
    reader = pypdf.PdfReader(io.BytesIO(render(context, "pdf", paper=paper)))
    firsts = [(page.extract_text() or "").lstrip().split("\n", 1)[0] for page in reader.pages]
    summary = firsts.index("Executive summary")
    assert firsts[summary + 1] == "Key findings", firsts[summary + 1]


def test_no_copies_of_the_fonts_are_left_in_the_temporary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # WeasyPrint copies @font-face files into weasyprint-* folders (2.4 MB a
    # report); a workshop's batch left one behind per worker process.
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    kept = []  # the document stays alive, as it may in a worker until it exits
    for _ in range(2):
        kept.append(render(build_context(make_audit()), "pdf"))
    assert kept[0] == kept[1]
    assert list(tmp_path.glob("weasyprint-*")) == []
