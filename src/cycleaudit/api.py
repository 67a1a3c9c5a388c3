"""The library API: what the CLI calls, and what a notebook or web app can call.

Every function raises ``cycleaudit.errors.InputError`` on bad input, with
positioned problems, and never prints.
"""

from __future__ import annotations

from pathlib import Path

from cycleaudit.engine import scoring
from cycleaudit.formats import questionnaire as questionnaire_module
from cycleaudit.formats import rubric as rubric_module
from cycleaudit.model import Audit, Questionnaire, Rubric


def load_rubric(ref: str | Path) -> Rubric:
    """A built-in rubric by name (``default``) or a rubric file by path."""
    if isinstance(ref, str) and not rubric_module.is_builtin_name(ref):
        ref = Path(ref)
    return rubric_module.load_rubric(ref)


def load_questionnaire(path: str | Path, rubric: Rubric | None = None) -> Questionnaire:
    questionnaire, _ = questionnaire_module.load_questionnaire(Path(path), rubric)
    return questionnaire


def audit(questionnaire: Questionnaire, rubric: Rubric) -> Audit:
    return scoring.score(questionnaire, rubric)


def audit_file(path: str | Path, rubric: str | Path | Rubric | None = None) -> Audit:
    """Load, validate and score one questionnaire (with its own rubric unless one is given)."""
    chosen = rubric if isinstance(rubric, Rubric) or rubric is None else load_rubric(rubric)
    path = path if isinstance(path, Path) else Path(path)
    questionnaire, used = questionnaire_module.load_questionnaire(path, chosen)
    return scoring.score(questionnaire, used)


def render_report(
    audit: Audit,
    fmt: str,
    *,
    theme: str | Path | None = None,
    paper: str = "a4",
    pdf_variant: str | None = None,
    detail: str = "brief",
) -> bytes:
    """The audit's report as bytes: ``pdf``, ``html``, ``md``, ``json`` or ``text``.

    ``detail`` is ``"brief"`` (the default: the short report an owner reads in
    fifteen minutes) or ``"full"`` (every table, finding, asset and source).
    JSON is the whole report context either way.

    Problems that did not stop the report (a refused theme file, a CSS
    mistake) are issued as ``cycleaudit.renderers.RenderWarning``; a bad
    format, paper, theme or template raises ``cycleaudit.renderers.RenderError``.
    """
    from cycleaudit.renderers import render
    from cycleaudit.report import build_context

    return render(
        build_context(audit),
        fmt,
        theme=theme,
        paper=paper,
        pdf_variant=pdf_variant,
        detail=detail,
    )
