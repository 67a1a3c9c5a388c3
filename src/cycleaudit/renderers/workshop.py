"""Workshop documents (a comparison, a team summary) and the report's "since" section.

Every word lives in the templates under ``templates/<kind>/`` (and
``templates/report/since.*.j2``); this module only picks the template, the
escaping and the output. HTML and PDF use the same autoescaping, strict
Jinja2 environment as the report, the same themes and fonts, and WeasyPrint
reads files only through the ``SafeFetcher``. Markdown escapes every text
from people; plain text prints them as they are.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from cycleaudit.errors import printable_lines
from cycleaudit.renderers import Context, Rendered, RenderError
from cycleaudit.renderers.budget import OverBudget, time_budget
from cycleaudit.renderers.budget import seconds as budget_seconds
from cycleaudit.renderers.glyphs import visible_controls
from cycleaudit.renderers.html import Target, _environment, _page_css, _stylesheets, _theme
from cycleaudit.renderers.safe_markdown import escape_markdown
from cycleaudit.renderers.sanitize_css import clean_stylesheet, data_uri
from cycleaudit.renderers.sanitize_html import clean_html
from cycleaudit.renderers.themes import templates_dir

DOCUMENT_FORMATS = ("pdf", "html", "md", "json", "text")
# Markdown and plain text share one template each; `markdown` tells them apart.
_TEXT_FORMATS = ("md", "text")


def _loader(kind: str) -> ChoiceLoader:
    base = templates_dir()
    folders = [base / kind, base / "report"]
    return ChoiceLoader([FileSystemLoader(str(folder)) for folder in folders])


def _text_environment(kind: str) -> ImmutableSandboxedEnvironment:
    # Sandboxed like the report's, though only our own templates are read here.
    env = ImmutableSandboxedEnvironment(
        loader=_loader(kind),
        autoescape=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["mdx"] = lambda text: escape_markdown(str(text))
    env.filters["signed"] = _signed
    return env


def _signed(value: float | None) -> str:
    return "" if value is None else f"{value:+.1f}"


def since_text(since: Context, fmt: str, *, heading: bool = True) -> str:
    """The report's "since your last audit" section as Markdown or plain text.

    ``heading=False`` leaves out the section's own heading, for a report that
    numbers and lists its headings itself.
    """
    env = _text_environment("report")
    template = env.get_template("since.md.j2")
    return template.render(c=since, markdown=fmt == "md", heading=heading)


def render_document(
    kind: str, context: Context, fmt: str, *, theme: str | Path | None = None, paper: str = "a4"
) -> Rendered:
    """``kind`` is ``compare`` or ``summary``; ``fmt`` one of ``DOCUMENT_FORMATS``."""
    if fmt not in DOCUMENT_FORMATS:
        raise RenderError(f"unknown format '{fmt}': use one of {', '.join(DOCUMENT_FORMATS)}")
    if fmt == "json":
        from cycleaudit.renderers.jsonout import json_bytes

        # The encoder's bytes as they are: a summary of thousands is hundreds of MB.
        return Rendered(json_bytes(context))
    try:
        if fmt in _TEXT_FORMATS:
            env = _text_environment(kind)
            template = env.get_template(f"{kind}.md.j2")
            text = template.render(c=context, markdown=fmt == "md")
            if fmt == "text":  # names from questionnaires must not drive the terminal
                text = printable_lines(text)
            return Rendered(text.encode("utf-8"))
        return _render_page(kind, context, fmt, theme, paper)
    except TemplateError as error:
        lineno = getattr(error, "lineno", None)
        where = f" ({getattr(error, 'filename', '')}:{lineno})" if lineno else ""
        raise RenderError(f"{kind} template problem{where}: {error}") from error


def _render_page(
    kind: str, context: Context, fmt: str, theme_ref: str | Path | None, paper: str
) -> Rendered:
    target: Target = "pdf" if fmt == "pdf" else "html"
    theme, warnings = _theme(theme_ref)
    # The report's own sandboxed environment, searching this kind's templates first.
    env = _environment((templates_dir() / kind, *theme.template_dirs), target)
    urls, inline_css = _stylesheets(theme, target, warnings)
    own_css = templates_dir() / kind / f"{kind}.css"
    if target == "pdf":
        urls.append(own_css.as_uri())
    else:
        text = own_css.read_text(encoding="utf-8")
        inline_css += "\n" + clean_stylesheet(
            text, own_css.name, own_css.parent, data_uri, warnings
        )
    try:
        with time_budget(budget_seconds()):
            html = env.get_template(f"{kind}.html.j2").render(
                c=context,
                target=target,
                wording=dict(theme.wording),
                page_css=Markup(_page_css(theme, paper)),
                stylesheet_urls=urls,
                inline_css=Markup(inline_css),
            )
    except (OverBudget, SecurityError) as error:
        raise RenderError(f"{kind} template problem: {error}") from None
    if target == "html" and theme.custom is not None:
        html = clean_html(html, warnings)  # a consultant's templates: through the allow-list
    html = visible_controls(html)
    if target == "html":
        return Rendered(html.encode("utf-8"), tuple(warnings))
    return _print(html, theme.folders, str(context.get("audited", "")), warnings)


def _print(html: str, folders: tuple[Path, ...], audited: str, warnings: list[str]) -> Rendered:
    from cycleaudit.renderers.pdf import print_html, timestamp

    return print_html(html, folders, timestamp(audited), warnings)
