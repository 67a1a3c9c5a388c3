"""The PDF a screen reader and a PDF viewer's sidebar see: tags, alt text, bookmarks, variants."""

from __future__ import annotations

import io
from typing import Any

import pytest

pytest.importorskip("weasyprint")
pypdf = pytest.importorskip("pypdf")

from tests.renderers.audits import make_audit  # noqa: E402
from tests.renderers.pdfcheck import outline_titles  # noqa: E402

from cycleaudit.renderers import PDF_VARIANTS, render, render_full  # noqa: E402
from cycleaudit.report import build_context  # noqa: E402

SUB_HEADINGS = ("What we saw", "Why it matters", "What to do first", "How to keep it")


@pytest.fixture(scope="module")
def context():  # type: ignore[no-untyped-def]
    return build_context(make_audit())


@pytest.fixture(scope="module")
def pdfs(context):  # type: ignore[no-untyped-def]
    return {detail: render_full(context, "pdf", detail=detail).data for detail in ("brief", "full")}


def _structure(reader: pypdf.PdfReader) -> list[dict[str, Any]]:
    """Every structure element of the tag tree, depth first."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        node = node.get_object()
        if isinstance(node, pypdf.generic.DictionaryObject):
            if node.get("/Type") == "/StructElem":
                found.append(node)
            kids = node.get("/K")
            if kids is not None:
                walk(kids)
        elif isinstance(node, pypdf.generic.ArrayObject):
            for kid in node:
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


@pytest.mark.parametrize("detail", ["brief", "full"])
def test_default_pdf_is_tagged_with_language_and_alt_text(pdfs, context, detail: str) -> None:  # type: ignore[no-untyped-def]
    reader = pypdf.PdfReader(io.BytesIO(pdfs[detail]))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] in (True, "true", pypdf.generic.BooleanObject(True))
    assert root["/Lang"] == "en"
    elements = _structure(reader)
    kinds = {str(e["/S"]) for e in elements}
    assert {"/H1", "/P", "/Table", "/TH", "/TD", "/Figure"} <= kinds
    figures = [e for e in elements if e["/S"] == "/Figure"]
    # Every chart says what it shows, in words and numbers.
    for figure in figures:
        assert "/Alt" in figure, figure
    cycle_alt = str(figures[0]["/Alt"])
    for stage in context["stages"]:
        assert f"{stage['title']} {stage['score_display']}" in cycle_alt


@pytest.mark.parametrize("detail", ["brief", "full"])
def test_bookmarks_are_titles_only(pdfs, context, detail: str) -> None:  # type: ignore[no-untyped-def]
    entries = outline_titles(pdfs[detail])
    titles = [title for _, title in entries]
    for title in titles:
        assert "priority" not in title.lower(), title
        assert not title[:1].isdigit(), title  # no rank or number run into a title
        assert title not in SUB_HEADINGS, title
    assert len(titles) == len(set(titles)), titles
    chapters = [title for depth, title in entries if depth == 0]
    assert [c for c in chapters if c != "Contents"][:2] == ["Executive summary", "Key findings"]
    for stage in context["stages"]:
        assert stage["title"] in chapters
    for finding in context["brief"]["findings"]:
        assert finding["title"] in titles
    if detail == "full":
        assert "Contents" in chapters and "Appendix" in chapters
        for finding in context["findings"]:
            assert finding["title"] in titles


def test_every_weasyprint_variant_is_offered() -> None:
    from weasyprint.pdf import VARIANTS

    assert set(PDF_VARIANTS) == set(VARIANTS) - {"debug"}


@pytest.mark.parametrize("variant", ["pdf/a-3a", "pdf/ua-2"])
def test_archival_and_accessible_variants_render_tagged(context, variant: str) -> None:  # type: ignore[no-untyped-def]
    reader = pypdf.PdfReader(io.BytesIO(render(context, "pdf", pdf_variant=variant)))
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    family, level = variant.split("/")[1].split("-")  # "a", "3a" or "ua", "2"
    assert f'pdf{family}id:part="{level[0]}"'.encode() in xmp
