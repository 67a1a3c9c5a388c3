"""The HTML report: one self-contained file, and the page the PDF is printed from.

``build_document`` fills the Jinja2 templates for either target. For the HTML
file every stylesheet is inlined, charts are inline SVG and the logo is a
``data:`` URI, so it opens offline and loads nothing. For the PDF the
stylesheets and fonts are linked as files and fetched through the safe
fetcher (see ``pdf.py``).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import Any, Literal

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
)
from markupsafe import Markup

from cycleaudit.renderers import Context, Rendered, RenderError, RenderOptions, svg
from cycleaudit.renderers.safe_markdown import LinkMode, to_html
from cycleaudit.renderers.themes import Theme, ThemeError, load_theme, templates_dir

Target = Literal["html", "pdf"]
PAGE_SIZES = {"a4": "A4", "letter": "letter"}
LOGO_TYPES = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
_IMPORT = re.compile(r"@import[^;]*;?", re.IGNORECASE)
_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)


def _environment(theme: Theme, target: Target) -> Environment:
    loader = ChoiceLoader([FileSystemLoader(str(folder)) for folder in theme.template_dirs])
    # autoescape=True, not select_autoescape: that one misses the .j2 extension.
    env = Environment(
        loader=loader,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    links: LinkMode = "print" if target == "pdf" else "live"
    env.filters["md"] = lambda text: Markup(to_html(str(text), links=links))
    return env


def _inline_css(text: str, origin: str, warnings: list[str]) -> str:
    """CSS made safe to inline in a file that must load nothing when opened."""

    def drop_import(match: re.Match[str]) -> str:
        warnings.append(
            f"{origin}: removed {match.group(0).strip()[:80]} (the HTML report "
            "loads nothing from outside)"
        )
        return ""

    def drop_url(match: re.Match[str]) -> str:
        target = match.group(2).strip()
        if target.lower().startswith("data:image/"):
            return match.group(0)
        warnings.append(
            f"{origin}: removed url({target[:80]}) (the HTML report loads nothing from outside)"
        )
        return "none"

    text = _IMPORT.sub(drop_import, text)
    text = _URL.sub(drop_url, text)
    # A stylesheet must not be able to close the <style> element it sits in.
    return text.replace("</", "<\\/")


def _page_css(theme: Theme, paper: str) -> str:
    palette = theme.palette
    variables = "".join(f"--{key.replace('_', '-')}: {value}; " for key, value in palette.items())
    return (
        f":root {{ {variables}}}\n"
        f"@page {{ size: {PAGE_SIZES[paper]}; "
        f"@top-left {{ color: {palette['muted']}; }} "
        f"@top-right {{ color: {palette['muted']}; }} }}"
    )


def _logo_src(theme: Theme, target: Target) -> str:
    logo = theme.logo
    if logo is None:
        return ""
    if target == "pdf":
        return logo.as_uri()
    kind = LOGO_TYPES.get(logo.suffix.lower())
    if kind is None:
        return ""
    return f"data:{kind};base64,{base64.b64encode(logo.read_bytes()).decode('ascii')}"


def _toc(context: Context) -> list[dict[str, Any]]:
    toc: list[dict[str, Any]] = [{"title": "Executive summary", "anchor": "summary", "sub": False}]
    if context["findings"] or context["strengths"]:
        toc.append({"title": "Key findings", "anchor": "findings", "sub": False})
    toc.append({"title": "Your sales cycle at a glance", "anchor": "cycle", "sub": False})
    toc.append({"title": "On-sales and off-sales balance", "anchor": "balance", "sub": True})
    for stage in context["stages"]:
        toc.append(
            {
                "title": f"{stage['number']}. {stage['title']}",
                "anchor": stage["anchor"],
                "sub": False,
            }
        )
    if context["suggestions"]:
        toc.append({"title": "Action plan", "anchor": "plan", "sub": False})
        toc.append({"title": "Quick wins: impact against effort", "anchor": "matrix", "sub": True})
        toc.append({"title": "Your 30/60/90-day plan", "anchor": "plan-90", "sub": True})
    if context["money"]:
        toc.append({"title": "The money", "anchor": "money", "sub": False})
    toc.append({"title": "Appendix", "anchor": "appendix", "sub": False})
    appendix = context["appendix"]
    for key, title, anchor in (
        ("assets", "Ready-to-use material", "assets"),
        ("unknown", "Questions still open", "open-questions"),
        ("na", "Marked as not applicable by you", "not-applicable"),
        ("left_out", "Left out for your kind of business", "left-out"),
    ):
        if appendix[key]:
            toc.append({"title": title, "anchor": anchor, "sub": True})
    toc.append({"title": "How the scores are computed", "anchor": "methodology", "sub": True})
    if appendix["sources"]:
        toc.append({"title": "Sources", "anchor": "sources", "sub": True})
    return toc


Chart = Callable[[str], Markup]


def _charts(context: Context, theme: Theme) -> dict[str, Chart]:
    """Each chart drawn on demand, with the alternative text the template writes.

    The alternative text (the SVG's title, which WeasyPrint's tagged PDF uses
    as the figure's /Alt) lives in the template with the report's other words;
    a chart the chosen depth does not print is never drawn.
    """
    palette = theme.palette
    stages = context["chart"]["stages"]
    sides = [
        {
            "label": side["label"].split(" (")[0],
            "score": side["score"],
            "display": side["display"] if side["score"] is not None else "not answered",
        }
        for side in context["summary"]["balance"]["sides"]
    ]
    cells = context["matrix"]["cells"]

    def plain(alt: str) -> str:
        # A {% set %} block arrives as escaped Markup; the SVG escapes it again.
        return Markup(alt).striptags()

    return {
        "cycle": lambda alt: Markup(svg.cycle(stages, palette, title=plain(alt))),
        "sides": lambda alt: Markup(svg.bars(sides, palette, title=plain(alt))),
        "matrix": lambda alt: Markup(svg.matrix(cells, palette, title=plain(alt))),
    }


def build_document(
    context: Context, options: RenderOptions, target: Target
) -> tuple[str, Theme, list[str]]:
    """The report as an HTML string, the theme used, and warnings so far."""
    try:
        theme = load_theme(options.theme)
    except ThemeError as error:
        raise RenderError(str(error)) from None
    warnings = list(theme.warnings)
    report_dir = templates_dir() / "report"
    stylesheet_urls: list[str] = []
    inline_css = ""
    if target == "pdf":
        files = [templates_dir() / "fonts" / "fonts.css", *theme.css_files, report_dir / "pdf.css"]
        stylesheet_urls = [path.as_uri() for path in files]
    else:
        parts = []
        for path in (theme.css_files[0], report_dir / "screen.css", *theme.css_files[1:]):
            parts.append(_inline_css(path.read_text(encoding="utf-8"), path.name, warnings))
        inline_css = "\n".join(parts)
    wording = dict(theme.wording)
    name = str(context["organisation"]["name"])
    env = _environment(theme, target)
    try:
        template = env.get_template("report.html.j2")
        html = template.render(
            r=context,
            target=target,
            detail=options.detail,
            wording=wording,
            confidential=wording["confidential"].replace("{organisation}", name),
            stylesheet_urls=stylesheet_urls,
            inline_css=Markup(inline_css),
            page_css=Markup(_page_css(theme, options.paper)),
            logo_src=_logo_src(theme, target),
            charts=_charts(context, theme),
            toc=_toc(context),
        )
    except TemplateError as error:
        lineno = getattr(error, "lineno", None)
        where = f" ({getattr(error, 'filename', '')}:{lineno})" if lineno else ""
        raise RenderError(f"report template problem{where}: {error}") from error
    return html, theme, warnings


def render(context: Context, options: RenderOptions) -> Rendered:
    html, _, warnings = build_document(context, options, "html")
    return Rendered(html.encode("utf-8"), tuple(warnings))
