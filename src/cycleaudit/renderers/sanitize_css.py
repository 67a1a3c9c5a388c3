"""Theme CSS made safe by parsing it, never by patterns.

A stylesheet can make a browser fetch things in many disguises: ``url()``
written with escapes (``u\\72l(``), ``image-set("http://…" 1x)``,
``@import``, a ``@font-face`` ``src``. tinycss2 (which WeasyPrint already
brings) undoes the escapes, so every one of these is seen as what it is.
What survives:

- ``data:`` images and fonts, as written;
- files of the theme folder itself (regular files, symlinks resolved and
  checked), inlined as ``data:`` URIs for the HTML report or given as
  ``file:`` URIs for the PDF (where the safe fetcher checks them again);
- ``url(#id)`` fragment references.

Everything else is replaced by ``none`` with a warning naming the file and
line. Absurd font sizes (``font-size: 1000px``) make WeasyPrint lay out for
minutes, so sizes are clamped to a generous maximum, with a warning.
"""

from __future__ import annotations

import base64
import os
import stat
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

import tinycss2
from tinycss2 import ast

# Resources a theme may inline, by extension.
RESOURCE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
}
DATA_PREFIXES = ("data:image/", "data:font/", "data:application/font-", "data:application/x-font")
MAX_RESOURCE_BYTES = 2 * 1024 * 1024
# Functions whose arguments name resources without url(): refused outright.
RESOURCE_FUNCTIONS = frozenset(
    ("image-set", "-webkit-image-set", "image", "cross-fade", "element", "-moz-element", "paint")
)
DROPPED_AT_RULES = frozenset(("import", "namespace", "charset"))
# Sizes that make WeasyPrint lay out for minutes are clamped. Absolute units in
# CSS pixels: any length at most a page and a half, a font at most 48 px (the
# report's largest heading is 37 px), a line at most 96 px.
PX_PER_UNIT = {"px": 1.0, "pt": 4 / 3, "pc": 16.0, "in": 96.0, "cm": 37.8, "mm": 3.78, "q": 0.945}
MAX_LENGTH_PX = 1600.0
MAX_FONT_PX = 48.0
MAX_LINE_PX = 96.0
MAX_FONT_REM = 3.0
MAX_LINE_FACTOR = 3.0
# Font sizes relative to the parent multiply at every nesting level (``* { font-size:
# 3em }`` grows 3^10 times ten levels down): above 1 they are made relative to the root.
PARENT_RELATIVE = {"em": 1.0, "%": 100.0, "ex": 2.0, "ch": 2.0}
FONT_PROPERTIES = frozenset(("font-size", "font"))

BLOCKS = (ast.SquareBracketsBlock, ast.ParenthesesBlock, ast.CurlyBracketsBlock)
LocalUrl = Callable[[Path, bytes], str]


def data_uri(path: Path, data: bytes) -> str:
    kind = RESOURCE_TYPES[path.suffix.lower()]
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def file_uri(path: Path, _data: bytes) -> str:
    return path.as_uri()


class CssCleaner:
    """Clean one stylesheet; ``folder`` is where its own resources may come from."""

    def __init__(
        self, origin: str, folder: Path | None, local_url: LocalUrl, warnings: list[str]
    ) -> None:
        self.origin = origin
        self.folder = Path(os.path.realpath(folder)) if folder is not None else None
        self.local_url = local_url
        self.warnings = warnings

    def warn(self, node: ast.Node, what: str, why: str) -> None:
        shown = what if len(what) <= 80 else what[:77] + "..."
        self.warnings.append(f"{self.origin}:{node.source_line}: removed {shown} ({why})")

    def stylesheet(self, text: str) -> str:
        rules = tinycss2.parse_stylesheet(text, skip_comments=True)
        kept: list[ast.Node] = []
        for rule in rules:
            if isinstance(rule, ast.AtRule) and rule.lower_at_keyword in DROPPED_AT_RULES:
                self.warn(rule, f"@{rule.lower_at_keyword}", "a report loads no other stylesheet")
                continue
            if isinstance(rule, ast.ParseError):
                continue
            if isinstance(rule, ast.QualifiedRule | ast.AtRule):
                rule.prelude = self.tokens(rule.prelude)
                if rule.content is not None:
                    rule.content = self.tokens(rule.content)
            kept.append(rule)
        # A stylesheet must not be able to close or confuse the <style> element it sits
        # in: "<" is written as the CSS escape \\3c, which means the same to CSS.
        return str(tinycss2.serialize(kept)).replace("<", "\\3c ")

    def declarations(self, text: str) -> str:
        """A ``style`` attribute's declarations."""
        return str(tinycss2.serialize(self.tokens(tinycss2.parse_component_value_list(text))))

    def tokens(self, nodes: list[ast.Node]) -> list[ast.Node]:
        out: list[ast.Node] = []
        prop = ""  # the property whose value is being read ("" between declarations)
        name: str | None = None  # an identifier that may be a property name
        for node in nodes:
            if isinstance(node, ast.LiteralToken) and node.value == ";":
                prop, name = "", None
            elif isinstance(node, ast.LiteralToken) and node.value == ":" and name and not prop:
                prop = name
            elif isinstance(node, ast.LiteralToken) and node.value == "/" and prop == "font":
                prop = "line-height"  # font: bold 12pt/1.4 serif
            elif isinstance(node, ast.IdentToken) and not prop:
                name = node.lower_value
            elif not isinstance(node, ast.WhitespaceToken) and not prop:
                name = None
            out.append(self.node(node, prop))
        return out

    def node(self, node: ast.Node, prop: str) -> ast.Node:
        if isinstance(node, ast.URLToken):
            return self.url(node, node.value)
        if isinstance(node, ast.FunctionBlock):
            if node.lower_name in ("url", "src"):
                strings = [a for a in node.arguments if isinstance(a, ast.StringToken)]
                return self.url(node, strings[0].value if strings else "")
            if node.lower_name in RESOURCE_FUNCTIONS:
                self.warn(node, f"{node.lower_name}()", "a report loads nothing from outside")
                return _none(node)
            node.arguments = self.tokens(node.arguments)
            return node
        if isinstance(node, BLOCKS):
            node.content = self.tokens(node.content)
            return node
        if isinstance(node, ast.DimensionToken | ast.PercentageToken | ast.NumberToken):
            return self.clamp(node, prop)
        return node

    def clamp(
        self, node: ast.DimensionToken | ast.PercentageToken | ast.NumberToken, prop: str
    ) -> ast.Node:
        if isinstance(node, ast.NumberToken):
            if prop == "line-height" and node.value > MAX_LINE_FACTOR:
                return self.resize(node, MAX_LINE_FACTOR, "")
            return node
        unit = "%" if isinstance(node, ast.PercentageToken) else node.lower_unit
        font = prop in FONT_PROPERTIES
        if unit in PX_PER_UNIT:
            px = node.value * PX_PER_UNIT[unit]
            limit = MAX_FONT_PX if font else MAX_LINE_PX if prop == "line-height" else MAX_LENGTH_PX
            if px > limit:
                return self.resize(node, limit, "px")
        elif font and unit in PARENT_RELATIVE and node.value > PARENT_RELATIVE[unit]:
            rem = min(node.value / PARENT_RELATIVE[unit], MAX_FONT_REM)
            return self.resize(node, rem, "rem")
        elif prop == "line-height" and unit in ("em", "rem", "%"):
            limit = MAX_LINE_FACTOR * (100.0 if unit == "%" else 1.0)
            if node.value > limit:
                return self.resize(node, limit, unit)
        elif font and unit == "rem" and node.value > MAX_FONT_REM:
            return self.resize(node, MAX_FONT_REM, "rem")
        return node

    def resize(self, node: ast.Node, value: float, unit: str) -> ast.Node:
        shown = f"{value:.4g}"
        self.warnings.append(
            f"{self.origin}:{node.source_line}: size {ast_text(node)} is too large or "
            f"grows with nesting; {shown}{unit} used"
        )
        if not unit:
            return ast.NumberToken(node.source_line, node.source_column, value, None, shown)
        if unit == "%":
            return ast.PercentageToken(node.source_line, node.source_column, value, None, shown)
        return ast.DimensionToken(node.source_line, node.source_column, value, None, shown, unit)

    def url(self, node: ast.Node, target: str) -> ast.Node:
        value = target.strip()
        lowered = value.lower()
        if lowered.startswith("#"):
            return node
        if lowered.startswith(DATA_PREFIXES):
            return node
        if lowered.startswith("data:"):
            self.warn(node, f"url({value[:40]})", "only data: images and fonts are allowed")
            return _none(node)
        local = self.local(value)
        if isinstance(local, str):
            self.warn(node, f"url({value})", local)
            return _none(node)
        path, data = local
        address = self.local_url(path, data)  # base64 or percent-encoded: no quotes
        return ast.URLToken(node.source_line, node.source_column, address, f'url("{address}")')

    def local(self, value: str) -> tuple[Path, bytes] | str:
        """The theme file a relative address names and its bytes, or why it is refused."""
        parts = urlsplit(value)
        if parts.scheme or parts.netloc or value.startswith(("/", "\\")):
            return "a report loads nothing from outside; use a file of the theme folder"
        if self.folder is None:
            return "only data: addresses are allowed here"
        name = unquote(parts.path)
        if not name or "\\" in name or "\x00" in name or ".." in Path(name).parts:
            return "only files inside the theme folder may be used"
        real = Path(os.path.realpath(self.folder / name))
        if not real.is_relative_to(self.folder):
            return "it leads outside the theme folder"
        if real.suffix.lower() not in RESOURCE_TYPES:
            return "only images and fonts may be used"
        try:
            fd = os.open(real, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | os.O_NONBLOCK)
        except OSError:
            return "the file does not exist"
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                return "not a regular file"
            data = handle.read(MAX_RESOURCE_BYTES + 1)
        if len(data) > MAX_RESOURCE_BYTES:
            return f"larger than {MAX_RESOURCE_BYTES // (1024 * 1024)} MB"
        return real, data


def ast_text(node: ast.Node) -> str:
    return str(tinycss2.serialize([node]))


def _none(node: ast.Node) -> ast.IdentToken:
    return ast.IdentToken(node.source_line, node.source_column, "none")


def clean_stylesheet(
    text: str, origin: str, folder: Path | None, local_url: LocalUrl, warnings: list[str]
) -> str:
    return CssCleaner(origin, folder, local_url, warnings).stylesheet(text)
