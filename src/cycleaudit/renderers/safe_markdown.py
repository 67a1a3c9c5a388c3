"""Markdown from untrusted files, converted so that nothing in it can act.

Notes and evidence come from a client's questionnaire; advice and assets from
a rubric someone else may have written. All of it goes through one parser
(markdown-it-py, CommonMark, raw HTML disabled so ``<img>`` or ``<style>`` are
shown as text), then through a token filter that:

* keeps a link only when its target is ``http:``, ``https:`` or ``mailto:``;
  any other target (``file:``, ``javascript:``, relative paths such as
  ``../../secret``) is dropped and its text stays;
* replaces every image by its alt text, so nothing is ever fetched;
* for print (``links="print"``) turns kept links into text followed by the
  address in brackets, because a PDF should not carry live links to places
  the report's author never checked.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.token import Token

LinkMode = Literal["live", "print"]
ALLOWED_SCHEMES = ("http://", "https://", "mailto:")
_SPACE = re.compile(r"[\x00-\x20\x7f]+")


def allowed_link(url: str) -> bool:
    """Whether a link target may survive: absolute http(s) or mailto only."""
    cleaned = _SPACE.sub("", url).lower()
    return cleaned.startswith(ALLOWED_SCHEMES) and len(cleaned) > len("mailto:")


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


def _tokens(source: str, links: LinkMode) -> list[Token]:
    tokens = _parser().parse(source or "")
    for token in tokens:
        if token.type == "inline" and token.children is not None:
            token.children = _filter_inline(token.children, links)
    return tokens


def to_html(source: str, *, links: LinkMode = "live") -> str:
    """Safe HTML for a Markdown fragment (empty string for empty input)."""
    if not source or not source.strip():
        return ""
    parser = _parser()
    return str(parser.renderer.render(_tokens(source, links), parser.options, {}))


def to_text(source: str) -> str:
    """Plain text for a Markdown fragment: paragraphs, bullets, links as "text (url)"."""
    if not source or not source.strip():
        return ""
    lines: list[str] = []
    prefix: list[str] = []
    numbers: list[int] = []
    for token in _tokens(source, "print"):
        if token.type == "bullet_list_open":
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
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)
