"""Markdown from untrusted files, converted so that nothing in it can act.

Notes and evidence come from a client's questionnaire; advice and assets from
a rubric someone else may have written. All of it goes through one parser
(markdown-it-py, CommonMark, raw HTML disabled so ``<img>`` or ``<style>`` are
shown as text), then through a token filter that:

* keeps a link only when its target is ``mailto:`` or ``http(s)`` to a public
  host (``links.allowed_link``); any other target (``file:``, ``javascript:``,
  relative paths such as ``../../secret``, ``localhost``, loopback, private,
  link-local, reserved or multicast addresses, numeric host forms) is dropped
  and its text stays;
* shows a heading as emphasised text, so a note cannot add a report heading;
* keeps at most ``MAX_ROWS`` rows and ``MAX_CELLS`` columns of a table and
  says how much was cut, and (for HTML and PDF) lets words longer than
  ``BREAK_EVERY`` characters break: a note made of one 19,000-character word
  or a 1,500-row table would otherwise keep WeasyPrint busy for minutes;
* replaces every image by its alt text, so nothing is ever fetched;
* for print (``links="print"``) turns kept links into text followed by the
  address in brackets, because a PDF should not carry live links to places
  the report's author never checked.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.token import Token

from cycleaudit.renderers.links import allowed_link

LinkMode = Literal["live", "print"]
ALLOWED_SCHEMES = ("http://", "https://", "mailto:")

MAX_ROWS = 30  # body rows of a table in client text
MAX_CELLS = 8  # columns of a table in client text
BREAK_EVERY = 30  # characters between break opportunities in a long word
_LONG_WORD = re.compile(rf"\S{{{BREAK_EVERY + 1},}}")
ZWSP = "\u200b"
# What a reader sees where a table was cut (the only report words built here:
# they depend on counts known only while converting).
CUT_ROWS = "… {count:,} more rows not shown"
CUT_CELLS = "… {count:,} more columns not shown"
CUT_TEXT = "… {count:,} more characters not shown"

FIELD_CHARS = 4_000  # characters of one Markdown field shown in HTML or PDF
REPORT_CHARS = 120_000  # characters of such fields in one report (~60 pages)


class TextBudget:
    """How much Markdown one report may still lay out.

    A valid questionnaire can carry about 1 MB of notes, evidence and
    reasons; printed in full that is over 700 pages and more than a minute
    of layout. Each field shows at most ``FIELD_CHARS`` characters and the
    whole report at most ``REPORT_CHARS``; what is cut is counted on the page.
    """

    def __init__(self, field: int = FIELD_CHARS, report: int = REPORT_CHARS) -> None:
        self.field = field
        self.remaining = report

    def take(self, text: str) -> tuple[str, int]:
        """The part of ``text`` to show and how many characters were left out."""
        allowed = min(self.field, max(self.remaining, 0))
        if len(text) <= allowed:
            self.remaining -= len(text)
            return text, 0
        if allowed < self.field // 5:  # a few words of a long note say nothing
            return "", len(text.strip())
        cut = text[:allowed]
        # End at a line or word boundary when there is one in the last fifth.
        boundary = max(cut.rfind("\n"), cut.rfind(" "))
        if boundary > allowed * 4 // 5 and not text[allowed].isspace():
            cut = cut[:boundary]
        cut = cut.rstrip()
        self.remaining -= len(cut)
        return cut, len(text[len(cut) :].lstrip())


def break_long_words(text: str, longer_than: int = BREAK_EVERY) -> str:
    """Text with an invisible break opportunity every ``BREAK_EVERY`` characters
    of each word longer than ``longer_than``."""
    if len(text) <= longer_than:
        return text
    pattern = _LONG_WORD if longer_than == BREAK_EVERY else re.compile(rf"\S{{{longer_than + 1},}}")
    return pattern.sub(
        lambda m: ZWSP.join(
            m.group(0)[i : i + BREAK_EVERY] for i in range(0, len(m.group(0)), BREAK_EVERY)
        ),
        text,
    )


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")  # assets ship schedules and checklists as tables
    # Parse every link so the filter below sees it; the filter decides, not the
    # parser, so refused links keep their text instead of turning into raw syntax.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _filter_inline(children: list[Token], links: LinkMode) -> list[Token]:
    result: list[Token] = []
    # Stack of what each open link became: its href to print after it, "" to
    # drop the close tag only, or None for a link kept live; with the index
    # where its label starts.
    opened: list[tuple[str | None, int]] = []
    for token in children:
        if token.type == "image":
            alt = "".join(child.content for child in token.children or ()) or token.content
            if alt:
                result.append(_text(alt))
            continue
        if token.type == "link_open":
            href = str(token.attrGet("href") or "")
            if not allowed_link(href):
                opened.append(("", len(result)))
                continue
            if links == "print":
                opened.append((href, len(result)))
                continue
            token.attrSet("rel", "noopener noreferrer nofollow")
            opened.append((None, len(result)))
            result.append(token)
            continue
        if token.type == "link_close":
            action, start = opened.pop() if opened else ("", len(result))
            if action is None:
                result.append(token)
            elif action:
                label = "".join(t.content for t in result[start:])
                if label.strip() not in (action, action.removeprefix("mailto:")):
                    result.append(_text(f" ({action.removeprefix('mailto:')})"))
            continue
        result.append(token)
    return result


def _paragraph(text: str) -> list[Token]:
    inline = Token("inline", "", 0)
    inline.children = [_text(text)]
    inline.content = text
    tokens = [Token("paragraph_open", "p", 1), inline, Token("paragraph_close", "p", -1)]
    tokens[0].block = tokens[2].block = True
    return tokens


def _filter_blocks(tokens: list[Token]) -> list[Token]:
    """Headings as emphasised paragraphs; tables cut to MAX_ROWS x MAX_CELLS."""
    result: list[Token] = []
    rows = cut_rows = cut_cells = column = 0
    in_body = skipping_row = skipping_cell = False
    for token in tokens:
        kind = token.type
        if kind in ("heading_open", "heading_close"):
            replaced = Token(kind.replace("heading", "paragraph"), "p", token.nesting)
            replaced.block = True
            result.append(replaced)
        elif kind == "table_open":
            rows = cut_rows = cut_cells = 0
            result.append(token)
        elif kind in ("tbody_open", "tbody_close"):
            in_body = kind == "tbody_open"
            result.append(token)
        elif kind == "tr_open":
            column = 0
            rows += in_body
            skipping_row = in_body and rows > MAX_ROWS
            cut_rows += skipping_row
            if not skipping_row:
                result.append(token)
        elif kind == "tr_close":
            if not skipping_row:
                result.append(token)
            skipping_row = False
        elif kind in ("th_open", "td_open"):
            column += 1
            skipping_cell = skipping_row or column > MAX_CELLS
            if column > MAX_CELLS:
                cut_cells = max(cut_cells, column - MAX_CELLS)
            if not skipping_cell:
                result.append(token)
        elif kind in ("th_close", "td_close"):
            if not skipping_cell:
                result.append(token)
            skipping_cell = False
        elif skipping_row or skipping_cell:
            continue
        elif kind == "table_close":
            result.append(token)
            if cut_rows:
                result += _paragraph(CUT_ROWS.format(count=cut_rows))
            if cut_cells:
                result += _paragraph(CUT_CELLS.format(count=cut_cells))
        else:
            result.append(token)
    return result


def _emphasise_headings(tokens: list[Token]) -> None:
    for before, token in itertools.pairwise(tokens):
        if before.type == "heading_open" and token.type == "inline" and token.children:
            token.children = [
                Token("strong_open", "strong", 1),
                *token.children,
                Token("strong_close", "strong", -1),
            ]


def _tokens(source: str, links: LinkMode) -> list[Token]:
    tokens = _parser().parse(source or "")
    for token in tokens:
        if token.type == "inline" and token.children is not None:
            token.children = _filter_inline(token.children, links)
    _emphasise_headings(tokens)
    return _filter_blocks(tokens)


def to_html(source: str, *, links: LinkMode = "live", budget: TextBudget | None = None) -> str:
    """Safe HTML for a Markdown fragment (empty string for empty input)."""
    if not source or not source.strip():
        return ""
    parser = _parser()
    left_out = 0
    if budget is not None:
        source, left_out = budget.take(source)
    tokens = _tokens(source, links)
    if left_out:
        tokens += _paragraph(CUT_TEXT.format(count=left_out))
    for token in tokens:
        if token.type in ("fence", "code_block"):
            token.content = break_long_words(token.content)
        for child in token.children or ():
            if child.type in ("text", "code_inline"):
                child.content = break_long_words(child.content)
    return str(parser.renderer.render(tokens, parser.options, {}))


def to_text(source: str) -> str:
    """Plain text for a Markdown fragment: paragraphs, bullets, links as "text (url)"."""
    if not source or not source.strip():
        return ""
    lines: list[str] = []
    prefix: list[str] = []
    numbers: list[int] = []
    row: list[str] | None = None
    for token in _tokens(source, "print"):
        if token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            lines.append(_indent(prefix) + " | ".join(row))
            row = None
        elif token.type == "table_close" and not prefix:
            lines.append("")
        elif row is not None and token.type == "inline":
            row.append(_inline_text(token.children or []))
        elif token.type == "bullet_list_open":
            prefix.append("- ")
            numbers.append(0)
        elif token.type == "ordered_list_open":
            prefix.append("1. ")
            numbers.append(int(token.attrGet("start") or 1) - 1)
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            prefix.pop()
            numbers.pop()
            if not prefix:
                lines.append("")
        elif token.type == "list_item_open" and numbers and prefix[-1] != "- ":
            numbers[-1] += 1
            prefix[-1] = f"{numbers[-1]}. "
        elif token.type == "inline":
            lines.append(_indent(prefix) + _inline_text(token.children or []))
        elif token.type in ("fence", "code_block"):
            lines.append(token.content.rstrip("\n"))
        elif token.type in ("paragraph_close", "heading_close") and not prefix:
            lines.append("")
    return "\n".join(lines).strip("\n")


_URL_TEXT = re.compile(r"(?i)\b((?:https?|ftp)):(//[^\s<>]*)")
_BACKTICKS = re.compile(r"`+")


def _defused(text: str) -> str:
    """Escaped text in which no address a viewer might autolink points at a non-public host."""

    def defuse(match: re.Match[str]) -> str:
        if allowed_link(match.group(0)):
            return match.group(0)
        # GFM viewers turn "http://host" in text into a link; a zero-width
        # space after the colon keeps it text.
        return f"{match.group(1)}:{ZWSP}{match.group(2)}"

    return escape_markdown(_URL_TEXT.sub(defuse, text))


def _code_span(code: str) -> str:
    fence = "`" * (max((len(run) for run in _BACKTICKS.findall(code)), default=0) + 1)
    pad = " " if code.startswith("`") or code.endswith("`") else ""
    return f"{fence}{pad}{code}{pad}{fence}"


def _md_inline(children: list[Token]) -> str:
    parts: list[str] = []
    hrefs: list[str] = []
    for child in children:
        if child.type == "text":
            parts.append(_defused(child.content))
        elif child.type == "code_inline":
            parts.append(_code_span(child.content))
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type in ("strong_open", "strong_close"):
            parts.append("**")
        elif child.type in ("em_open", "em_close"):
            parts.append("*")
        elif child.type == "link_open":
            hrefs.append(str(child.attrGet("href") or ""))
            parts.append("[")
        elif child.type == "link_close" and hrefs:
            href = re.sub(r"[\s()<>]", lambda m: f"%{ord(m.group(0)):02X}", hrefs.pop())
            parts.append(f"]({href})")
    return "".join(parts)


def to_markdown(source: str) -> str:
    """Client Markdown as inert GFM: paragraphs, lists and tables keep their shape.

    No raw HTML can come through (text is escaped), headings become bold
    lines, and only links the filter keeps stay links; any other address is
    kept from being autolinked by the viewer.
    """
    if not source or not source.strip():
        return ""
    blocks: list[str] = []
    prefix: list[str] = []  # list markers and quote marks of the open blocks
    numbers: list[int] = []
    row: list[str] | None = None
    rows: list[list[str]] = []
    fresh = False  # the next line is the first of a list item

    def lead(first: bool) -> str:
        # A list marker starts only the first line of its item; later lines
        # are indented to match; quote marks start every line.
        return "".join(
            marker
            if marker == "> " or (first and fresh and i == len(prefix) - 1)
            else " " * len(marker)
            for i, marker in enumerate(prefix)
        )

    def add(text: str) -> None:
        nonlocal fresh
        lines = text.split("\n")
        blocks.append(
            "\n".join(
                (lead(i == 0) + line) if line else lead(False).rstrip()
                for i, line in enumerate(lines)
            )
        )
        fresh = False

    for token in _tokens(source, "live"):
        kind = token.type
        if kind == "blockquote_open":
            prefix.append("> ")
        elif kind == "bullet_list_open":
            prefix.append("- ")
            numbers.append(0)
        elif kind == "ordered_list_open":
            prefix.append("1. ")
            numbers.append(int(token.attrGet("start") or 1) - 1)
        elif kind in ("blockquote_close", "bullet_list_close", "ordered_list_close"):
            prefix.pop()
            if kind != "blockquote_close":
                numbers.pop()
        elif kind == "list_item_open":
            if prefix[-1] != "- ":
                numbers[-1] += 1
                prefix[-1] = f"{numbers[-1]}. "
            fresh = True
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close" and row is not None:
            rows.append(row)
            row = None
        elif kind == "table_close":
            width = max(len(r) for r in rows)
            lines = ["| " + " | ".join(r + [""] * (width - len(r))) + " |" for r in rows]
            lines.insert(1, "|" + "---|" * width)
            add("\n".join(lines))
            rows = []
        elif kind == "inline":
            text = _md_inline(token.children or [])
            if row is not None:
                row.append(text or " ")
            else:
                add(text)
        elif kind in ("fence", "code_block"):
            code = token.content.rstrip("\n")
            fence = "`" * max(3, max((len(r) for r in _BACKTICKS.findall(code)), default=0) + 1)
            add(f"{fence}\n{code}\n{fence}")
        elif kind == "hr":
            add("***")
    # Items of one tight list stay together; everything else is a paragraph.
    return "\n\n".join(blocks)


def _indent(prefix: list[str]) -> str:
    if not prefix:
        return ""
    return "  " * (len(prefix) - 1) + prefix[-1]


def _inline_text(children: list[Token]) -> str:
    parts = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>!#|~{}])")
_MD_LINE_START = re.compile(r"^(\s*)([-+=>]|\d+[.)])", re.MULTILINE)


def escape_markdown(text: str) -> str:
    """Plain text made inert inside a Markdown document."""
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    # A backslash escapes punctuation only: "1." becomes "1\\." and "-" "\\-".
    return _MD_LINE_START.sub(
        lambda m: m.group(1) + (m.group(2)[:-1] + "\\" + m.group(2)[-1]), escaped
    )
