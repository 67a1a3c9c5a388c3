"""Client Markdown keeps its shape inside its cell, and links reach only public hosts.

The note in tests/fixtures/report/client-markdown.md has a heading, paragraphs,
a nested list, a table, one public link and fifteen links to places a report
must never point at (loopback, private, link-local, reserved, multicast,
6to4 and IPv4-mapped forms of loopback, numeric hosts, local names, files,
paths). Each format is checked as its reader gets it.
"""

from __future__ import annotations

import io
import itertools
import re

import pytest
from markdown_it import MarkdownIt
from tests.renderers.audits import make_audit
from tests.renderers.conftest import FIXTURES

from cycleaudit.renderers import render
from cycleaudit.renderers.links import allowed_link
from cycleaudit.renderers.safe_markdown import (
    TextBudget,
    break_long_words,
    to_html,
    to_markdown,
    to_text,
)
from cycleaudit.report import build_context

NOTE = (FIXTURES / "client-markdown.md").read_text(encoding="utf-8")
PUBLIC = "https://example.com/guide"
# The addresses behind labelled links: none may appear anywhere. The note's
# bare autolink <http://127.0.0.1:9/auto> stays as its own text, never a link.
REFUSED = (
    "127.0.0.1:9/admin",
    "localhost:8080",
    "192.168.1.10",
    "10.1.2.3",
    "169.254.169.254",
    "[::1]",
    "2130706433",
    "240.0.0.1",
    "224.0.0.1",
    "2002:7f00:1::",
    "::ffff:7f00:1",
    "//intranet",
    "printer.local",
    "/etc/passwd",
    "/etc/shadow",
    "../../secret",
)


@pytest.fixture(scope="module")
def context():  # type: ignore[no-untyped-def]
    return build_context(make_audit(note=NOTE))


def _flat(markdown: str) -> list:  # type: ignore[type-arg]
    # html=True so any raw HTML in the output would show up as html tokens.
    parser = MarkdownIt("commonmark", {"html": True}).enable("table")
    tokens = []
    for token in parser.parse(markdown):
        tokens += [token, *(token.children or [])]
    return tokens


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/",
        "http://127.1/",
        "http://0x7f.1/",
        "http://0177.0.0.1/",
        "http://0/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:7f00:1]/",  # the same, written in hex
        "http://[fe80::1]/",
        "http://100.64.0.1/",
        "http://0.0.0.0/",
        "http://[::]/",
        # Multicast: a group of machines on the reader's network, never a web page.
        "http://224.0.0.1/",
        "http://239.255.255.250:1900/",
        "http://[ff02::1]/",
        "http://[ff0e::1]/",
        # IPv6 forms that carry an IPv4 address are judged by that address.
        "http://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
        "http://[2002:c0a8:101::1]/",  # 6to4 of 192.168.1.1
        "http://[64:ff9b::7f00:1]/",  # NAT64 of 127.0.0.1
        "http://[64:ff9b::a01:203]/",  # NAT64 of 10.1.2.3
        "http://[::127.0.0.1]/",  # IPv4-compatible, deprecated
        # Relayed to a place the address does not show.
        "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",  # Teredo
        "http://[64:ff9b:1::5db8:d70e]/",  # local-use NAT64
        "https://LOCALHOST./",
        "http://a.localhost/",
        "http://router.home.arpa/",
        "http://[::1/",
        "https:///etc/passwd",
        "ftp://example.com/",
    ],
)
def test_links_to_non_public_hosts_are_refused(url: str) -> None:
    assert not allowed_link(url)


def test_links_to_public_hosts_and_mail_are_kept() -> None:
    for url in (
        PUBLIC,
        "http://93.184.215.14/",
        "https://[2606:4700::1]/",
        # Forms that carry a public IPv4 address reach that public host.
        "http://[::ffff:93.184.215.14]/",
        "http://[2002:5db8:d70e::1]/",
        "http://[64:ff9b::5db8:d70e]/",
        "mailto:a@b.org",
    ):
        assert allowed_link(url), url


def test_html_keeps_the_shape_and_turns_headings_into_emphasis() -> None:
    html = to_html(NOTE)
    assert not re.search(r"<h[1-6]", html)
    assert "<p><strong>Our follow-up routine</strong></p>" in html
    assert html.count("<ul>") == 2 and html.count("<li>") == 3
    assert "<table>" in html and '<td style="text-align:right">52</td>' in html
    assert html.count("href=") == 1 and f'href="{PUBLIC}"' in html
    assert "http://127.0.0.1:9/auto" in html  # as text
    for host in REFUSED:
        assert host not in html, host


def test_every_format_keeps_only_the_public_link(context) -> None:  # type: ignore[no-untyped-def]
    html = render(context, "html", detail="full").decode()
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert PUBLIC in hrefs
    assert all(h.startswith("#") or h == PUBLIC for h in hrefs), hrefs
    text = render(context, "text", detail="full").decode()
    markdown = render(context, "md", detail="full").decode()
    assert "our public guide (https://example.com/guide)" in text
    for output in (html, text, markdown):
        for host in REFUSED:
            assert host not in output, host
    # GFM viewers autolink "http://host" in text: the bare address is defused.
    assert "http://127.0.0.1:9/auto" not in markdown
    assert "http:\u200b//127.0.0.1:9/auto" in markdown
    links = [t.attrGet("href") for t in _flat(markdown) if t.type == "link_open"]
    assert PUBLIC in links
    assert all(str(h).startswith("#") or h == PUBLIC for h in links), links


def test_pdf_prints_only_the_public_address(context) -> None:  # type: ignore[no-untyped-def]
    pypdf = pytest.importorskip("pypdf")
    pytest.importorskip("weasyprint")
    reader = pypdf.PdfReader(io.BytesIO(render(context, "pdf", detail="full")))
    text = "".join(page.extract_text() for page in reader.pages).replace("\u200b", "")
    assert "(https://example.com/guide)" in text.replace("\n", "")
    for host in REFUSED:
        assert host not in text, host
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A") or {}
            assert "/URI" not in action  # printed links are text, never live


def test_markdown_report_is_gfm_without_raw_html(context) -> None:  # type: ignore[no-untyped-def]
    hostile = build_context(
        make_audit(
            note=(FIXTURES / "hostile-notes.md").read_text(),
            name="<b>Evil</b> `Co` # Ltd",
        )
    )
    for ctx, detail in ((context, "full"), (hostile, "full"), (context, "brief")):
        markdown = render(ctx, "md", detail=detail).decode()
        tokens = _flat(markdown)
        levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
        assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), detail
        assert not [t for t in tokens if t.type.startswith("html")]
        assert "<sub>" not in markdown
        # Every contents link reaches a heading that exists.
        hrefs = {str(t.attrGet("href")) for t in tokens if t.type == "link_open"}
        anchors = {h[1:] for h in hrefs if h.startswith("#")}
        headings = [
            _slug(tokens[i + 1].content)
            for i, t in enumerate(tokens)
            if t.type == "heading_open" and t.tag == "h2"
        ]
        assert anchors and anchors <= set(headings), anchors - set(headings)


def _slug(heading: str) -> str:
    kept = "".join(c for c in heading.lower() if c.isalnum() or c in " -_")
    return kept.replace(" ", "-")


def test_a_note_keeps_its_list_and_table_outside_the_report_tables(context) -> None:  # type: ignore[no-untyped-def]
    markdown = render(context, "md", detail="full").decode()
    tokens = _flat(markdown)
    quoted_tables = 0
    depth = 0
    for token in tokens:
        depth += {"blockquote_open": 1, "blockquote_close": -1}.get(token.type, 0)
        if token.type == "table_open" and depth:
            quoted_tables += 1
        if token.type == "heading_open" and depth:
            pytest.fail("a note became a heading")
    assert quoted_tables == 2  # the note appears under two practices
    assert "> - a call after seven days" in markdown
    assert ">   - and a second one after a month" in markdown
    assert "> **Our follow-up routine**" in markdown


def test_text_keeps_rows_and_bullets() -> None:
    text = to_text(NOTE)
    assert "Month | Calls | Replies\nMarch | 40 | 12" in text
    assert "- a thank-you card" in text and "  - and a second one after a month" in text


def test_a_huge_table_is_cut_and_says_so() -> None:
    rows = "".join(f"| {i} | {'x' * 5} | c |\n" for i in range(1500))
    wide = "| " + " | ".join(f"h{i}" for i in range(20)) + " |\n" + "|---" * 20 + "|\n"
    note = "| n | x | c |\n|---|---|---|\n" + rows + "\n" + wide + "| 1 |" * 1 + "\n"
    html = to_html(note)
    assert html.count("<tr>") == 30 + 1 + 2  # 30 body rows and the header; the wide table
    assert "… 1,470 more rows not shown" in html
    assert "… 12 more columns not shown" in html
    assert "<th>h7</th>" in html and "h8" not in html
    assert "… 1,470 more rows not shown" in to_text(note)
    assert "… 1,470 more rows not shown" in to_markdown(note)


def test_long_words_get_break_opportunities_in_html_only() -> None:
    word = "w" * 19_000
    html = to_html(f"{word} and `{word}` [{word}](https://example.com/{word})")
    visible = re.sub(r"<[^>]*>", " ", html)
    assert max(len(run) for run in re.split(r"[\s\u200b]", visible)) <= 30
    assert f'href="https://example.com/{word}"' in html  # addresses are never altered
    assert word in to_text(word)  # a terminal or email wraps on its own
    assert break_long_words("short words stay") == "short words stay"


def test_long_words_in_plain_fields_break_in_the_html_report() -> None:
    name = "N" * 300
    word = "e" * 4000
    html = render(build_context(make_audit(name=name, evidence=word)), "html").decode()
    body = html[html.index("<body") :]
    visible = re.sub(r"<svg.*?</svg>|<[^>]*>", " ", body, flags=re.DOTALL)
    assert max(len(run) for run in re.split(r"[\s\u200b]", visible)) <= 80
    assert name not in body and word not in body
    assert visible.replace("\u200b", "").count(name) >= 1


def test_a_report_lays_out_a_bounded_amount_of_client_text() -> None:
    budget = TextBudget(field=100, report=210)
    words = ("word " * 60).strip()  # 299 characters
    first = to_html(words, budget=budget)
    assert first.count("word") == 20  # cut at the end of a word
    assert "… 199 more characters not shown" in first
    to_html(words, budget=budget)
    third = to_html(words, budget=budget)  # the report's budget is spent
    assert third == "<p>… 299 more characters not shown</p>\n"
    assert to_html(words).count("word") == 60  # without a budget nothing is cut


def test_a_huge_note_is_cut_in_the_html_report_and_says_so() -> None:
    note = "A long note. " * 1500  # 19,500 characters
    html = render(build_context(make_audit(note=note)), "html", detail="full").decode()
    # The template shortens a note, the text budget bounds every field: either
    # way the page says so and holds a few pages of it, not 1,500 sentences.
    assert "not shown" in html or "Shortened here" in html
    assert html.count("A long note.") < 2 * 400
    text = render(build_context(make_audit(note=note)), "text", detail="full").decode()
    assert text.count("A long note.") >= 1500  # plain text keeps every word
