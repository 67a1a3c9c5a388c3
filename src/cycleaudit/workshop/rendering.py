"""Load and render workshop documents: comparisons and a report that knows the last audit."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from cycleaudit import api
from cycleaudit.errors import InputError, Problem
from cycleaudit.model import Audit
from cycleaudit.workshop.compare import compare_context

if TYPE_CHECKING:
    from cycleaudit.workshop.members import Member, Source


def load_audits(paths: Sequence[Path]) -> list[Audit]:
    """Every file loaded and scored; the problems of all bad files raised together."""
    audits: list[Audit] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            audits.append(api.audit_file(path))
        except InputError as error:
            problems.extend(error.problems)
    if problems:
        raise InputError(problems)
    return audits


def check_same_business(audits: Sequence[Audit]) -> None:
    names = {a.questionnaire.organisation.name for a in audits}
    if len(names) > 1:
        first = audits[-1].questionnaire
        raise InputError.single(
            first.origin,
            1,
            1,
            "these audits are of different organisations: " + ", ".join(sorted(names)),
            "compare audits of one business; use `cycleaudit summary` for several",
        )


def report_with_previous(
    audit: Audit,
    previous: Sequence[Audit],
    fmt: str,
    *,
    theme: str | Path | None = None,
    paper: str = "a4",
    pdf_variant: str | None = None,
    detail: str = "brief",
) -> bytes:
    """The usual report plus a "Since your last audit" section (context key ``since``)."""
    from cycleaudit.renderers import render
    from cycleaudit.report import build_context

    check_same_business([*previous, audit])
    context = dict(build_context(audit))
    context["since"] = compare_context([*previous, audit])
    return render(context, fmt, theme=theme, paper=paper, pdf_variant=pdf_variant, detail=detail)


def render_comparison(
    audits: Sequence[Audit], fmt: str, *, theme: str | Path | None = None, paper: str = "a4"
) -> bytes:
    from cycleaudit.renderers import warned
    from cycleaudit.renderers.workshop import render_document

    check_same_business(audits)
    return warned(
        render_document("compare", compare_context(audits), fmt, theme=theme, paper=paper)
    )


def render_summary(
    audits: Sequence[Audit], fmt: str, *, theme: str | Path | None = None, paper: str = "a4"
) -> bytes:
    """The workshop summary of these audits as pdf, html, md, json or text."""
    from cycleaudit.workshop.members import kept, member_of

    members = [member_of(audit) for audit in audits]
    return render_members(members, kept(members, audits), fmt, theme=theme, paper=paper)


def render_members(
    members: Sequence[Member],
    source: Source,
    fmt: str,
    *,
    theme: str | Path | None = None,
    paper: str = "a4",
) -> bytes:
    """The same summary from members; InputError if ``source`` cannot give one back."""
    from cycleaudit.renderers import warned
    from cycleaudit.renderers.workshop import render_document
    from cycleaudit.workshop.summary import members_context

    context = members_context(members, source)
    return warned(render_document("summary", context, fmt, theme=theme, paper=paper))
