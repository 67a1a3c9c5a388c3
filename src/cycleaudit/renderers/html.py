"""The HTML report: one self-contained file, and the page the PDF is printed from.

``build_document`` fills the Jinja2 templates for either target. For the HTML
file every stylesheet is inlined, charts are inline SVG and the logo is a
``data:`` URI, so it opens offline and loads nothing. For the PDF the
stylesheets and fonts are linked as files and fetched through the safe
fetcher (see ``pdf.py``).
"""

from __future__ import annotations

import base64
import contextvars
import functools
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from jinja2 import BaseLoader, StrictUndefined, TemplateError, TemplateNotFound
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from cycleaudit.renderers import Context, Rendered, RenderError, RenderOptions, svg
from cycleaudit.renderers.budget import OverBudget, time_budget
from cycleaudit.renderers.budget import seconds as budget_seconds
from cycleaudit.renderers.glyphs import visible_controls
from cycleaudit.renderers.links import allowed_link
from cycleaudit.renderers.safe_markdown import (
    CUT_TEXT,
    LinkMode,
    TextBudget,
    break_long_words,
    to_html,
)
from cycleaudit.renderers.sanitize_css import LocalUrl, clean_stylesheet, data_uri, file_uri
from cycleaudit.renderers.sanitize_html import clean_html
from cycleaudit.renderers.templatecache import TemplateCache
from cycleaudit.renderers.themes import Theme, ThemeError, load_theme, templates_dir

Target = Literal["html", "pdf"]
PAGE_SIZES = {"a4": "A4", "letter": "letter"}
LOGO_TYPES = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
MAX_TEMPLATE_BYTES = 512 * 1024
MAX_CSS_BYTES = 1024 * 1024


class ConfinedLoader(BaseLoader):
    """Templates from a few folders only: no absolute or ``..`` names, no symlinks out."""

    def __init__(self, folders: tuple[Path, ...]) -> None:
        self.folders = tuple(Path(os.path.realpath(folder)) for folder in folders)

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
        parts = template.split("/")
        if (
            not template
            or template.startswith("/")
            or "\\" in template
            or "\x00" in template
            or any(part in ("", ".", "..") for part in parts)
        ):
            raise TemplateNotFound(f"{template} (only names inside the theme folder are allowed)")
        for folder in self.folders:
            real = Path(os.path.realpath(folder.joinpath(*parts)))
            if not real.is_relative_to(folder):
                continue  # a symlink leading out of the folder is not a template
            try:
                info = real.stat()
            except OSError:
                continue
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_TEMPLATE_BYTES:
                continue
            source = real.read_text(encoding="utf-8")
            return source, str(real), functools.partial(_unchanged, real, info.st_mtime_ns)
        raise TemplateNotFound(template)


def _unchanged(path: Path, mtime: int) -> bool:
    try:
        return path.stat().st_mtime_ns == mtime
    except OSError:
        return False


class _ReportSandbox(ImmutableSandboxedEnvironment):
    """Jinja's sandbox, plus no giant values: ``'x' * 10**10`` or ``9 ** 9 ** 9``."""

    intercepted_binops = frozenset(("*", "**"))

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        sizes = [len(v) for v in (left, right) if isinstance(v, str | list | tuple)]
        numbers = [abs(v) for v in (left, right) if isinstance(v, int | float)]
        if operator == "*" and sizes and numbers and sizes[0] * numbers[0] > MAX_PRODUCT:
            raise SecurityError("a template may not build values this large")
        if operator == "**" and isinstance(right, int | float) and abs(right) > 64:
            raise SecurityError("a template may not raise to powers this large")
        return super().call_binop(context, operator, left, right)


MAX_PRODUCT = 1_000_000


# How much client text the report being rendered may still lay out (see
# TextBudget); the environment is shared between reports, the budget is not.
_BUDGET: contextvars.ContextVar[TextBudget] = contextvars.ContextVar("text_budget")
# Plain (not Markup) values printed by a template are client or rubric text:
# a word this long gets break opportunities so layout stays fast (a
# 19,000-character word took WeasyPrint minutes). Ids and anchors stay shorter.
_LONG_PLAIN_WORD = 80
_LONG_PLAIN_TEXT = 600  # plain fields (an N/A reason) longer than this count against the budget


def _budget() -> TextBudget:
    try:
        return _BUDGET.get()
    except LookupError:  # rendered outside build_document: a budget of its own
        budget = TextBudget()
        _BUDGET.set(budget)
        return budget


def _finalize(value: object) -> object:
    if not isinstance(value, str) or isinstance(value, Markup):
        return value
    if len(value) > _LONG_PLAIN_TEXT:
        shown, left_out = _budget().take(value)
        if left_out:
            value = f"{shown} {CUT_TEXT.format(count=left_out)}"
    return break_long_words(value, _LONG_PLAIN_WORD)


@functools.lru_cache(maxsize=8)
def _environment(template_dirs: tuple[Path, ...], target: Target) -> _ReportSandbox:
    """Built once per theme and target, so templates are compiled once per process."""
    # Sandboxed: a theme's template cannot reach Python internals (``cycler.__init__
    # .__globals__``) nor change the data it is given. autoescape=True, not
    # select_autoescape: that one misses the .j2 extension.
    env = _ReportSandbox(
        loader=ConfinedLoader(template_dirs),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_finalize,
        # Same settings for every theme and target: one cache salt covers them.
        bytecode_cache=TemplateCache("report-sandbox"),
    )
    links: LinkMode = "print" if target == "pdf" else "live"
    env.filters["md"] = lambda text: Markup(to_html(str(text), links=links, budget=_budget()))
    # A rubric's source address is linked only when public, like links in client notes.
    env.tests["public_link"] = lambda url: bool(url) and allowed_link(str(url))
    return env


def _stylesheets(theme: Theme, target: Target, warnings: list[str]) -> tuple[list[str], str]:
    """Linked stylesheet URLs (PDF: our own files) and the cleaned CSS to inline."""
    report_dir = templates_dir() / "report"
    custom = [path for path in theme.css_files if not path.is_relative_to(templates_dir())]
    ours = [path for path in theme.css_files if path not in custom]
    local: LocalUrl
    if target == "pdf":
        files = [templates_dir() / "fonts" / "fonts.css", *ours, report_dir / "pdf.css"]
        inlined, local = custom, file_uri
        urls = [path.as_uri() for path in files]
    else:
        inlined, local = [ours[0], report_dir / "screen.css", *ours[1:], *custom], data_uri
        urls = []
    parts = []
    for path in inlined:
        if path.stat().st_size > MAX_CSS_BYTES:
            warnings.append(f"{path.name}: larger than 1 MB; not used")
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        parts.append(clean_stylesheet(text, path.name, path.parent, local, warnings))
    return urls, "\n".join(parts)


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


def _theme(theme_ref: str | Path | None) -> tuple[Theme, list[str]]:
    """The theme and its warnings so far; RenderError for one that cannot be used."""
    try:
        theme = load_theme(theme_ref)
    except ThemeError as error:
        raise RenderError(str(error)) from None
    return theme, list(theme.warnings)


def build_document(
    context: Context, options: RenderOptions, target: Target
) -> tuple[str, Theme, list[str]]:
    """The report as an HTML string, the theme used, and warnings so far."""
    theme, warnings = _theme(options.theme)
    stylesheet_urls, inline_css = _stylesheets(theme, target, warnings)
    wording = dict(theme.wording)
    name = str(context["organisation"]["name"])
    env = _environment(theme.template_dirs, target)
    try:
        template = env.get_template("report.html.j2")
        token = _BUDGET.set(TextBudget())
        with time_budget(budget_seconds()):  # loops in a theme's template end too
            html = template.render(
                r=context,
                target=target,
                detail=options.detail,
                wording=wording,
                confidential=wording["confidential"].replace("{organisation}", name),
                # Addresses made here, not text: never broken or cut by _finalize.
                stylesheet_urls=[Markup.escape(url) for url in stylesheet_urls],
                inline_css=Markup(inline_css),
                page_css=Markup(_page_css(theme, options.paper)),
                logo_src=Markup.escape(_logo_src(theme, target)),
                charts=_charts(context, theme),
                toc=_toc(context),
            )
        _BUDGET.reset(token)
    except OverBudget as error:
        raise RenderError(f"report template problem: {error}") from None
    except SecurityError as error:
        raise RenderError(f"report template refused: {error} (themes may not reach code)") from None
    except TemplateError as error:
        lineno = getattr(error, "lineno", None)
        where = f" ({getattr(error, 'filename', '')}:{lineno})" if lineno else ""
        raise RenderError(f"report template problem{where}: {error}") from None
    except RecursionError:
        raise RenderError(
            "report template problem: a template includes, imports or extends itself "
            "(or nests too deeply)"
        ) from None
    if target == "html" and theme.custom is not None:
        # A consultant's theme may override templates: its output is rebuilt through
        # the allow-list. The built-in templates are ours (a test holds that the
        # allow-list removes nothing from them), so their reports skip the 30 ms.
        html = clean_html(html, warnings)
    return visible_controls(html), theme, warnings


def theme_warnings(theme_ref: str | Path | None, target: Target) -> list[str]:
    """What every report in this theme warns about: its settings, logo and stylesheets.

    Raises ``RenderError`` for a theme that cannot be used at all.
    """
    theme, warnings = _theme(theme_ref)
    _stylesheets(theme, target, warnings)
    return warnings


def warm_up_page(target: Target) -> tuple[str, Theme]:
    """A short page in the default theme's stylesheets, its report templates loaded first.

    Printing the page pays what a process pays once, before its first report:
    the templates (compiled or read from the cache), the fonts, the PDF
    writer's first use. A batch does it before forking its workers, so that
    every worker starts warm.
    """
    theme = load_theme(None)
    env = _environment(theme.template_dirs, target)
    for folder in theme.template_dirs:
        for path in sorted(folder.glob("*.html.j2")):
            env.get_template(path.name)
    urls, inline_css = _stylesheets(theme, target, [])
    links = "".join(f'<link rel="stylesheet" href="{Markup.escape(url)}">' for url in urls)
    page = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>-</title>{links}'
        f"<style>{inline_css}</style></head><body><h1>Warm-up</h1>"
        "<p>A <strong>short</strong> <em>page</em>.</p></body></html>"
    )
    return page, theme


def render(context: Context, options: RenderOptions) -> Rendered:
    html, _, warnings = build_document(context, options, "html")
    return Rendered(html.encode("utf-8"), tuple(warnings))
