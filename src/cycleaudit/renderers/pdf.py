"""The PDF report, printed by WeasyPrint from the HTML report's page.

Safety: WeasyPrint reads every stylesheet, font and image through
``SafeFetcher``, which serves only regular files of the templates and the
chosen theme. WeasyPrint logs CSS and resource problems instead of raising;
they are captured here and returned as warnings, together with every fetch
the fetcher refused, so nothing fails silently.

Reproducibility: the creation and modification dates are the audit date (or
``SOURCE_DATE_EPOCH`` when set), so the same input gives the same bytes.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from cycleaudit.renderers import Context, Rendered, RenderError, RenderOptions
from cycleaudit.renderers.budget import OverBudget, time_budget
from cycleaudit.renderers.budget import seconds as budget_seconds
from cycleaudit.renderers.glyphs import MissingGlyphs
from cycleaudit.renderers.html import build_document
from cycleaudit.renderers.themes import templates_dir


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []
        self.missing = MissingGlyphs()  # one line per report, not one per glyph

    def emit(self, record: logging.LogRecord) -> None:
        if not self.missing.take(record):
            self.messages.append(record.getMessage())


def timestamp(audited: str) -> str:
    """W3C date-time for the PDF metadata: SOURCE_DATE_EPOCH, else the audit date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        # Reproducible-builds spec: whole seconds since 1970; anything else is a mistake to name.
        try:
            moment = datetime.fromtimestamp(int(epoch, 10), tz=UTC)
            if moment.year > 9999 or int(epoch) < 0:
                raise ValueError
        except (ValueError, OverflowError, OSError):
            raise RenderError(
                f"SOURCE_DATE_EPOCH={epoch[:40]!r} is not a date: give whole seconds since "
                "1970-01-01 (for example 1767225600), or unset it"
            ) from None
    else:
        try:
            day = date.fromisoformat(audited)
        except ValueError:
            day = date(1970, 1, 1)
        moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def render(context: Context, options: RenderOptions) -> Rendered:
    stamp = timestamp(str(context["organisation"]["audited"]))  # a bad value stops before work
    html, theme, warnings = build_document(context, options, "pdf")
    return print_html(html, theme.folders, stamp, warnings, options.pdf_variant)


def print_html(
    html: str,
    folders: tuple[Path, ...],
    stamp: str,
    warnings: list[str],
    pdf_variant: str | None = None,
) -> Rendered:
    """Lay out and write a document of ours: safe fetcher, time budget, tagged, dated ``stamp``.

    WeasyPrint's own messages are collected into the returned warnings
    instead of being printed.
    """
    from cycleaudit.renderers.weasyload import import_weasyprint

    # First, before anything else imports it: 0.4 s, only when a PDF is asked for.
    weasyprint = import_weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    from cycleaudit.renderers.fetcher import SafeFetcher
    from cycleaudit.renderers.pdffonts import tidy_fonts

    fetcher = SafeFetcher([templates_dir(), *folders])
    fonts = FontConfiguration()
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False  # reported to the caller instead of printed
    try:
        with time_budget(budget_seconds()):
            document = weasyprint.HTML(
                string=html,
                base_url=(templates_dir() / "report").as_uri() + "/",
                url_fetcher=fetcher,
            ).render(font_config=fonts)
            document.metadata.created = stamp
            document.metadata.modified = stamp
            # Tagged by default (structure, reading order, alternative text): a
            # screen reader reads the default PDF, not only the PDF/UA variant.
            data = document.write_pdf(pdf_variant=pdf_variant, pdf_tags=True, finisher=tidy_fonts)
    except OverBudget as error:
        raise RenderError(
            f"{error}: look for very large sizes in the theme or very long client text "
            "(CYCLEAUDIT_RENDER_SECONDS sets the limit)"
        ) from None
    except Exception as error:  # WeasyPrint raises many types on broken templates
        raise RenderError(f"could not print the PDF: {type(error).__name__}: {error}") from error
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
        _remove_font_files(fonts)
    warnings = [*warnings, *fetcher.refused]
    # A refused fetch is also logged by WeasyPrint as a failed load: say it once.
    warnings.extend(m for m in handler.messages if "FetchRefused" not in m)
    if missing := handler.missing.warning():
        warnings.append(missing)
    return Rendered(bytes(data), tuple(warnings))


def _remove_font_files(fonts: Any) -> None:
    """Remove the copies of our fonts WeasyPrint made for this document.

    WeasyPrint copies each ``@font-face`` file (2.4 MB for the report's) into
    a ``weasyprint-*`` folder under the temporary directory and removes it
    only when its font configuration is garbage-collected, which may never
    happen before the process exits: a batch or a worksheet left one folder
    per process behind.
    """
    folder = getattr(fonts, "_folder", None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
        fonts._folder = None  # nothing left for its __del__ to remove


def preload() -> None:
    """Pay a PDF's one-time costs now: WeasyPrint's import, the templates, the fonts.

    For a process about to render many PDFs, e.g. a batch's parent before it
    forks its workers. A page that fails to print here is ignored: the reports
    that follow say what is wrong.
    """
    from cycleaudit.renderers.html import warm_up_page

    page, theme = warm_up_page("pdf")
    with contextlib.suppress(RenderError):
        print_html(page, theme.folders, "1970-01-01T00:00:00Z", [])
