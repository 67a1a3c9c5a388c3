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
# Properties whose lengths set a font size, and the largest size allowed per unit.
SIZED_PROPERTIES = frozenset(("font-size", "font", "line-height"))
MAX_SIZE = {"px": 200.0, "pt": 150.0, "pc": 12.5, "mm": 53.0, "cm": 5.3, "in": 2.1, "q": 212.0}
MAX_RELATIVE = {"em": 12.0, "rem": 12.0, "ex": 24.0, "ch": 24.0, "%": 1200.0}

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
        # A stylesheet must not be able to close the <style> element it sits in.
        text = str(tinycss2.serialize(kept))
        return text.replace("</", "<\\/")

    def declarations(self, text: str) -> str:
        """A ``style`` attribute's declarations."""
        return str(tinycss2.serialize(self.tokens(tinycss2.parse_component_value_list(text))))

    def tokens(self, nodes: list[ast.Node]) -> list[ast.Node]:
        out: list[ast.Node] = []
        sized = False  # inside the value of a font-size-like declaration
        expect_colon: str | None = None
        for node in nodes:
            if isinstance(node, ast.IdentToken) and expect_colon is None and not sized:
                expect_colon = node.lower_value
            elif isinstance(node, ast.LiteralToken) and node.value == ":" and expect_colon:
                sized = expect_colon in SIZED_PROPERTIES
                expect_colon = None
            elif isinstance(node, ast.LiteralToken) and node.value == ";":
                sized, expect_colon = False, None
            elif not isinstance(node, ast.WhitespaceToken):
                expect_colon = None if not sized else expect_colon
            out.append(self.node(node, sized))
        return out

    def node(self, node: ast.Node, sized: bool) -> ast.Node:
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
        if sized and isinstance(node, ast.DimensionToken | ast.PercentageToken):
            return self.clamp(node)
        return node

    def clamp(self, node: ast.DimensionToken | ast.PercentageToken) -> ast.Node:
        unit = "%" if isinstance(node, ast.PercentageToken) else node.lower_unit
        limit = MAX_SIZE.get(unit) or MAX_RELATIVE.get(unit)
        if limit is None or node.value <= limit:
            return node
        self.warnings.append(
            f"{self.origin}:{node.source_line}: font size {node.value:g}{unit} is too large; "
            f"{limit:g}{unit} used"
        )
        if unit == "%":
            return ast.PercentageToken(
                node.source_line, node.source_column, limit, limit, f"{limit:g}"
            )
        return ast.DimensionToken(
            node.source_line, node.source_column, limit, limit, f"{limit:g}", node.unit
        )

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


def _none(node: ast.Node) -> ast.IdentToken:
    return ast.IdentToken(node.source_line, node.source_column, "none")


def clean_stylesheet(
    text: str, origin: str, folder: Path | None, local_url: LocalUrl, warnings: list[str]
) -> str:
    return CssCleaner(origin, folder, local_url, warnings).stylesheet(text)
