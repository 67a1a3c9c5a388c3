"""The HTML report, rebuilt through an allow-list whatever the templates said.

Themes are shared like any download, and a theme may override templates, so
the self-contained HTML report is not trusted as the templates produce it:
it is parsed again and written back with only the tags and attributes a
report needs. Scripts, frames, objects, forms, ``<link>``, ``<base>``, event
handlers and any address that would load something (``src`` other than a
``data:`` image, ``url()`` other than ``#fragment``) are removed, each with a
warning naming what was removed. ``<style>`` content and ``style``
attributes go through the CSS cleaner. Our own templates produce nothing
that is removed (a test holds this).
"""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser

from cycleaudit.renderers.sanitize_css import CssCleaner, data_uri

HTML_TAGS = frozenset(
    [
        "html",
        "head",
        "body",
        "title",
        "meta",
        "style",
        "section",
        "nav",
        "header",
        "footer",
        "main",
        "article",
        "aside",
        "div",
        "span",
        "p",
        "br",
        "hr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "strong",
        "em",
        "b",
        "i",
        "u",
        "s",
        "small",
        "sub",
        "sup",
        "code",
        "pre",
        "kbd",
        "blockquote",
        "q",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "caption",
        "colgroup",
        "col",
        "figure",
        "figcaption",
        "img",
        "a",
        "abbr",
        "cite",
        "mark",
        "del",
        "ins",
        "time",
    ]
)
SVG_TAGS = frozenset(
    [
        "svg",
        "g",
        "defs",
        "marker",
        "path",
        "rect",
        "circle",
        "ellipse",
        "line",
        "polyline",
        "polygon",
        "text",
        "tspan",
        "title",
        "desc",
    ]
)
# Removed together with everything inside them.
DROP_WITH_CONTENT = frozenset(
    [
        "script",
        "iframe",
        "object",
        "embed",
        "applet",
        "noscript",
        "noembed",
        "noframes",
        "frame",
        "frameset",
        "template",
        "textarea",
        "select",
        "math",
        "xmp",
        "plaintext",
    ]
)
GLOBAL_ATTRIBUTES = frozenset(
    [
        "class",
        "id",
        "lang",
        "dir",
        "title",
        "role",
        "aria-label",
        "aria-hidden",
        "aria-describedby",
        # The PDF's bookmark label (read by CSS attr()): plain text, never a reference.
        "data-bookmark",
    ]
)
TAG_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset(("href", "rel")),
    "img": frozenset(("src", "alt", "width", "height")),
    "meta": frozenset(("charset", "name", "content")),
    "td": frozenset(("colspan", "rowspan")),
    "th": frozenset(("colspan", "rowspan", "scope")),
    "col": frozenset(("span", "style")),
    "ol": frozenset(("start", "reversed")),
    "time": frozenset(("datetime",)),
}
SVG_ATTRIBUTES = frozenset(
    [
        "xmlns",
        "viewbox",
        "width",
        "height",
        "x",
        "y",
        "x1",
        "y1",
        "x2",
        "y2",
        "cx",
        "cy",
        "r",
        "rx",
        "ry",
        "d",
        "points",
        "dx",
        "dy",
        "transform",
        "fill",
        "fill-opacity",
        "stroke",
        "stroke-width",
        "stroke-dasharray",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-opacity",
        "opacity",
        "font-family",
        "font-size",
        "font-weight",
        "font-style",
        "text-anchor",
        "dominant-baseline",
        "marker-start",
        "marker-mid",
        "marker-end",
        "refx",
        "refy",
        "markerwidth",
        "markerheight",
        "orient",
        "preserveaspectratio",
    ]
)
# The HTML parser lowers attribute names; SVG needs some back in camel case.
SVG_CASE = {
    name.lower(): name
    for name in ("viewBox", "refX", "refY", "markerWidth", "markerHeight", "preserveAspectRatio")
}
LINK_SCHEMES = ("http://", "https://", "mailto:", "#")
IMAGE_DATA = (
    "data:image/png;",
    "data:image/jpeg;",
    "data:image/gif;",
    "data:image/webp;",
    "data:image/svg+xml;",  # an SVG shown as an image loads nothing itself
)
# Elements without content or end tag (dropped ones included: never wait for their end).
VOID = frozenset(
    [
        "meta",
        "br",
        "hr",
        "img",
        "col",
        "embed",
        "frame",
        "link",
        "base",
        "input",
        "wbr",
        "source",
        "track",
        "param",
        "area",
        "keygen",
    ]
)


class _Rebuild(HTMLParser):
    def __init__(self, warnings: list[str]) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.warnings = warnings
        self.reported: set[str] = set()
        self.skipping: list[str] = []  # open elements dropped with their content
        self.in_svg = 0
        self.style: list[str] | None = None
        self.css = CssCleaner("report style", None, data_uri, warnings)

    def removed(self, what: str) -> None:
        if what not in self.reported:
            self.reported.add(what)
            self.warnings.append(f"HTML report: removed {what} (not allowed in a report)")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.start(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.start(tag, attrs, closed=True)

    def start(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        if self.skipping:
            if tag == self.skipping[-1] and not closed:
                self.skipping.append(tag)
            return
        # Inside SVG a browser parses <style> content as markup, not as CSS: a
        # "stylesheet" there could smuggle elements past this parser. Dropped.
        if tag in DROP_WITH_CONTENT or (tag == "style" and self.in_svg):
            self.removed(f"<{tag}>")
            if not closed and tag not in VOID:
                self.skipping.append(tag)
            return
        svg = tag in SVG_TAGS and (self.in_svg > 0 or tag == "svg")
        if not svg and tag not in HTML_TAGS:
            self.removed(f"<{tag}>")
            return
        if tag == "meta" and any(name == "http-equiv" for name, _ in attrs):
            self.removed("<meta http-equiv> (it can redirect or load)")
            return
        if tag == "svg" and not closed:
            self.in_svg += 1
        kept = [self.attribute(tag, name, value, svg) for name, value in attrs]
        text = "".join(item for item in kept if item)
        self.out.append(f"<{tag}{text}{' /' if closed and svg else ''}>")
        if tag == "style" and not closed:
            self.style = []

    def attribute(self, tag: str, name: str, value: str | None, svg: bool) -> str:
        value = value or ""
        allowed = name in GLOBAL_ATTRIBUTES or name in TAG_ATTRIBUTES.get(tag, ())
        if svg:
            allowed = allowed or name in SVG_ATTRIBUTES
        if not allowed:
            self.removed(f"the {name} attribute of <{tag}>")
            return ""
        lowered = value.strip().lower()
        if "url(" in lowered.replace(" ", "") and not lowered.replace(" ", "").startswith("url(#"):
            self.removed(f"an address in the {name} attribute of <{tag}>")
            return ""
        if name == "href" and not lowered.startswith(LINK_SCHEMES):
            self.removed(f"the address of a <{tag}> link")
            return ""
        if name == "src" and not lowered.startswith(IMAGE_DATA):
            self.removed(f"the source of an <{tag}> that is not embedded in the report")
            return ""
        if name == "style":
            value = self.css.declarations(value)
        shown = SVG_CASE.get(name, name) if svg else name
        return f' {shown}="{escape(value, quote=True)}"'

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        svg = tag in SVG_TAGS and self.in_svg > 0
        if (not svg and tag not in HTML_TAGS) or tag in VOID:
            return
        if tag == "style" and self.style is not None:
            self.out.append(self.css.stylesheet("".join(self.style)))
            self.style = None
        if tag == "svg":
            self.in_svg -= 1
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.style is not None:
            self.style.append(data)
            return
        self.out.append(data.replace("<", "&lt;").replace(">", "&gt;"))

    def handle_entityref(self, name: str) -> None:
        if not self.skipping:
            (self.style if self.style is not None else self.out).append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        if not self.skipping:
            (self.style if self.style is not None else self.out).append(f"&#{name};")

    def handle_decl(self, decl: str) -> None:
        if decl.lower() == "doctype html":
            self.out.append("<!DOCTYPE html>")

    def handle_comment(self, data: str) -> None:
        """Comments are dropped: old browsers read conditional comments as markup."""

    def unknown_decl(self, data: str) -> None:
        self.removed("a <![...]> section")


def clean_html(html: str, warnings: list[str]) -> str:
    """The report with only allowed tags and attributes; what was removed is warned about."""
    parser = _Rebuild(warnings)
    parser.feed(html)
    parser.close()
    return "".join(parser.out)
