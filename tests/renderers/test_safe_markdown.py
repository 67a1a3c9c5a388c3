"""Untrusted Markdown: raw HTML shown as text, only http(s)/mailto links, no images."""

from __future__ import annotations

import pytest

from cycleaudit.renderers.safe_markdown import allowed_link, escape_markdown, to_html, to_text


@pytest.mark.parametrize(
    "source",
    [
        '<a rel="attachment" href="file:///etc/passwd">x</a>',
        "<img src=http://127.0.0.1:9/>",
        "<style>@import url(http://127.0.0.1:9/x.css)</style>",
        "<script>alert(1)</script>",
    ],
)
def test_raw_html_is_text(source: str) -> None:
    html = to_html(source)
    assert "<a " not in html and "<img" not in html and "<style" not in html
    assert "<script" not in html
    assert "&lt;" in html


@pytest.mark.parametrize(
    "source, text",
    [
        ("[a](file:///etc/passwd)", "a"),
        ("[b](../../secret)", "b"),
        ("[c](javascript:alert(1))", "c"),
        ("[d]( JaVaScRiPt:alert(1))", "d"),
        ("[e](data:text/html;base64,PHNjcmlwdD4=)", "e"),
        ("[f](//evil.example/x)", "f"),
    ],
)
def test_refused_links_keep_only_their_text(source: str, text: str) -> None:
    html = to_html(source)
    assert "href" not in html
    assert f"<p>{text}</p>" in html


def test_allowed_links_are_live_in_html_and_printed_in_pdf() -> None:
    source = "[guide](https://example.com/g) and [mail](mailto:a@example.com)"
    live = to_html(source)
    assert '<a href="https://example.com/g" rel="noopener noreferrer nofollow">guide</a>' in live
    printed = to_html(source, links="print")
    assert "href" not in printed
    assert "guide (https://example.com/g)" in printed and "mail (a@example.com)" in printed


def test_images_become_alt_text_and_are_never_referenced() -> None:
    for source in ("![x](/etc/passwd)", "![logo](http://127.0.0.1:9/a.png)"):
        html = to_html(source)
        assert "<img" not in html and "/etc/passwd" not in html and "127.0.0.1" not in html
    assert to_html("![logo](http://127.0.0.1:9/a.png)") == "<p>logo</p>\n"


def test_allowed_link_rules() -> None:
    assert allowed_link("https://x.org") and allowed_link("http://x.org")
    assert allowed_link("mailto:a@b.c")
    assert not allowed_link("file:///etc/passwd")
    assert not allowed_link("java\nscript:alert(1)")
    assert not allowed_link("mailto:")
    assert not allowed_link("/etc/passwd")


def test_text_and_markdown_escape() -> None:
    assert to_text("**bold** [a](https://a.org)\n\n- one\n- two") == (
        "bold a (https://a.org)\n\n- one\n- two"
    )
    escaped = escape_markdown("<img src=x> [a](javascript:x) # title")
    assert escaped == "\\<img src=x\\> \\[a\\](javascript:x) \\# title"
    assert to_html(escaped).count("<") == 2  # only <p> and </p>
