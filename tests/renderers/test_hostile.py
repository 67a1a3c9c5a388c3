"""Hostile questionnaires and themes: nothing embedded, nothing read, nothing requested."""

from __future__ import annotations

import io

import pytest

pytest.importorskip("weasyprint")
pypdf = pytest.importorskip("pypdf")

from tests.renderers.audits import make_audit  # noqa: E402
from tests.renderers.conftest import FIXTURES  # noqa: E402

from cycleaudit.renderers import RenderWarning, render, render_full  # noqa: E402
from cycleaudit.report import build_context  # noqa: E402

PASSWD_LINE = open("/etc/passwd").readline().strip()  # noqa: SIM115 - one line at import


def _attachments(reader: pypdf.PdfReader) -> list[str]:
    found = []
    names = reader.trailer["/Root"].get("/Names")
    if names is not None and "/EmbeddedFiles" in names.get_object():
        found.append("EmbeddedFiles")
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            if annot.get_object().get("/Subtype") == "/FileAttachment":
                found.append("FileAttachment")
    return found


@pytest.fixture(scope="module")
def hostile_pdf(hostile_text: str, server):  # type: ignore[no-untyped-def]
    context = build_context(
        make_audit(
            note=hostile_text, evidence=hostile_text, name="Evil <script>alert(1)</script> Ltd"
        )
    )
    before = len(server.requests)
    # Full depth: the brief does not print evidence and notes at all.
    result = render_full(context, "pdf", detail="full")
    return result, server.requests[before:]


def test_hostile_notes_embed_nothing_and_request_nothing(hostile_pdf) -> None:  # type: ignore[no-untyped-def]
    result, requests = hostile_pdf
    assert requests == []
    reader = pypdf.PdfReader(io.BytesIO(result.data))
    assert _attachments(reader) == []
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert PASSWD_LINE not in text
    assert "root:x:0:0" not in text
    # The notes are shown as text, so the reader sees what the client wrote.
    assert "We do follow up." in text
    assert "ok link (https://example.com/ok)" in text
    assert "Evil <script>alert(1)</script> Ltd" in text
    assert result.warnings == ()  # nothing was even attempted


def test_hostile_notes_in_html_and_markdown_stay_inert(hostile_text: str, server) -> None:  # type: ignore[no-untyped-def]
    context = build_context(make_audit(note=hostile_text, evidence=hostile_text))
    html = render(context, "html", detail="full").decode()
    for bad in (
        "<img",
        "<style>@import",
        "<iframe",
        'href="file:',
        'href="javascript:',
        'href="../',
        '<link rel="attachment"',
        'rel="attachment" href',
    ):
        assert bad not in html, bad
    assert '<a href="https://example.com/ok" rel="noopener noreferrer nofollow">' in html
    markdown = render(context, "md", detail="full").decode()
    # What a permissive viewer (raw HTML on) makes of the Markdown report.
    from markdown_it import MarkdownIt

    viewed = MarkdownIt("commonmark", {"html": True}).render(markdown)
    for bad in (
        "<img",
        "<style",
        "<iframe",
        "<link",
        'href="file:',
        'href="javascript:',
        'href="../',
    ):
        assert bad not in viewed, bad
    assert "We do follow up." in viewed
    text = render(context, "text", detail="full").decode()
    assert "javascript:" not in text


def _live_theme(tmp_path, server):  # type: ignore[no-untyped-def]
    """The hostile theme fixture, pointed at the live counting server."""
    theme = tmp_path / "live-theme"
    theme.mkdir()
    css = (FIXTURES / "hostile-theme" / "theme.css").read_text()
    assert "PORT" in css
    (theme / "theme.css").write_text(css.replace("PORT", str(server.port)))
    return theme


def test_hostile_theme_is_refused_and_reported(tmp_path, server) -> None:  # type: ignore[no-untyped-def]
    theme = _live_theme(tmp_path, server)
    context = build_context(make_audit())
    before = len(server.requests)
    result = render_full(context, "pdf", theme=theme)
    assert server.requests[before:] == []
    # The theme's CSS is cleaned before WeasyPrint sees it: each refusal names file and line.
    refused = [w for w in result.warnings if w.startswith("theme.css:")]
    assert any(w.startswith("theme.css:2: removed @import") for w in refused)
    assert any("theme.css:4: removed url(http://127.0.0.1" in w for w in refused)
    assert any("theme.css:6: removed url(file:///dev/zero)" in w for w in refused)
    assert any("etc/passwd" in w and "only files inside" in w for w in refused)
    reader = pypdf.PdfReader(io.BytesIO(result.data))
    assert _attachments(reader) == []
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert PASSWD_LINE not in text
    with pytest.warns(RenderWarning, match="removed"):
        render(context, "html", theme=theme)


def test_hostile_theme_against_a_live_server(tmp_path, server) -> None:  # type: ignore[no-untyped-def]
    theme = _live_theme(tmp_path, server)
    context = build_context(make_audit())
    before = len(server.requests)
    result = render_full(context, "html", theme=theme)
    assert server.requests[before:] == []
    assert "127.0.0.1" not in result.data.decode()
    assert any("removed" in w for w in result.warnings)
