"""Render one report context as text, JSON, Markdown, HTML or PDF.

Each format lives in its own module with a ``render(context, options)``
function returning a ``Rendered`` (bytes plus warnings). The registry maps a
format name to its module and imports it only when asked, so importing this
package costs nothing: WeasyPrint (0.7 s to import) loads only for a PDF.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

Context = Mapping[str, Any]

# Format name -> module that renders it (imported on first use).
RENDERERS_BY_FORMAT: dict[str, str] = {
    "text": "cycleaudit.renderers.text",
    "json": "cycleaudit.renderers.jsonout",
    "md": "cycleaudit.renderers.markdown",
    "html": "cycleaudit.renderers.html",
    "pdf": "cycleaudit.renderers.pdf",
}
FORMATS = tuple(RENDERERS_BY_FORMAT)
FORMAT_BY_EXTENSION = {
    ".txt": "text",
    ".text": "text",
    ".json": "json",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}
PAPERS = ("a4", "letter")
# How much of the report to print: the short brief an owner reads in fifteen
# minutes (the default), or everything (per-practice tables, every finding,
# ready-to-use material, methodology, sources).
DETAILS = ("brief", "full")
# Every PDF flavour WeasyPrint 70 writes (weasyprint.pdf.VARIANTS but "debug"),
# listed here so checking an option does not import WeasyPrint: archival
# (PDF/A; "a" levels are tagged too), accessible (PDF/UA) and print (PDF/X).
PDF_VARIANTS = (
    "pdf/a-1b",
    "pdf/a-2b",
    "pdf/a-3b",
    "pdf/a-2u",
    "pdf/a-3u",
    "pdf/a-4u",
    "pdf/a-1a",
    "pdf/a-2a",
    "pdf/a-3a",
    "pdf/a-4e",
    "pdf/a-4f",
    "pdf/ua-1",
    "pdf/ua-2",
    "pdf/x-1a",
    "pdf/x-3",
    "pdf/x-4",
    "pdf/x-5g",
)


class RenderError(Exception):
    """The report could not be rendered (bad option, theme or template)."""


class RenderWarning(UserWarning):
    """Something was left out of a report (a refused file, a CSS problem)."""


@dataclass(frozen=True)
class RenderOptions:
    theme: str | Path | None = None
    paper: str = "a4"
    pdf_variant: str | None = None
    detail: str = "brief"


@dataclass(frozen=True)
class Rendered:
    data: bytes
    warnings: tuple[str, ...] = field(default=())


class Renderer(Protocol):
    def render(self, context: Context, options: RenderOptions) -> Rendered: ...


def format_for_path(path: str | Path) -> str | None:
    """The format an output file name asks for, from its extension."""
    return FORMAT_BY_EXTENSION.get(Path(path).suffix.lower())


def check_options(fmt: str, options: RenderOptions) -> None:
    if fmt not in RENDERERS_BY_FORMAT:
        raise RenderError(f"unknown format '{fmt}': use one of {', '.join(FORMATS)}")
    if options.paper not in PAPERS:
        raise RenderError(f"unknown paper size '{options.paper}': use one of {', '.join(PAPERS)}")
    if options.detail not in DETAILS:
        raise RenderError(f"unknown detail '{options.detail}': use one of {', '.join(DETAILS)}")
    if options.pdf_variant is not None:
        if fmt != "pdf":
            raise RenderError("a PDF variant only applies to the pdf format")
        if options.pdf_variant not in PDF_VARIANTS:
            raise RenderError(
                f"unknown PDF variant '{options.pdf_variant}': use one of {', '.join(PDF_VARIANTS)}"
            )


def render_full(
    context: Context,
    fmt: str,
    *,
    theme: str | Path | None = None,
    paper: str = "a4",
    pdf_variant: str | None = None,
    detail: str = "brief",
) -> Rendered:
    """Render and return the bytes with every warning, for callers that show them."""
    options = RenderOptions(theme=theme, paper=paper, pdf_variant=pdf_variant, detail=detail)
    check_options(fmt, options)
    module: Renderer = importlib.import_module(RENDERERS_BY_FORMAT[fmt])
    return module.render(context, options)


def render(
    context: Context,
    fmt: str,
    *,
    theme: str | Path | None = None,
    paper: str = "a4",
    pdf_variant: str | None = None,
    detail: str = "brief",
) -> bytes:
    """Render a report; problems that did not stop it are issued as ``RenderWarning``."""
    return warned(
        render_full(context, fmt, theme=theme, paper=paper, pdf_variant=pdf_variant, detail=detail)
    )


def warned(result: Rendered) -> bytes:
    """The bytes, with each problem that did not stop the render issued as ``RenderWarning``."""
    for message in result.warnings:
        warnings.warn(message, RenderWarning, stacklevel=3)
    return result.data
