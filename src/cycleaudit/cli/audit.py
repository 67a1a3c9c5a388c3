"""Commands that score and report one audit: score, report."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from cycleaudit.cli.common import (
    EXIT_BELOW,
    ScoreBound,
    guarded,
    output_option,
    rendered,
    rubric_option,
    say,
    theme_option,
    write,
)
from cycleaudit.errors import OutputError, json_safe
from cycleaudit.renderers import PDF_VARIANTS


@click.command()
@click.argument("questionnaire", type=click.Path(path_type=Path))
@click.option(
    "--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@rubric_option(
    "Score against this rubric instead of the one the questionnaire names.", default=None
)
@click.option(
    "--fail-under",
    type=ScoreBound(),
    help="Exit with code 1 when the overall score is below this.",
)
@output_option("Where to write the result")
@click.option("--all", "show_all", is_flag=True, help="Show every input problem.")
@guarded
def score(
    questionnaire: Path,
    fmt: str,
    rubric_ref: str | None,
    fail_under: float | None,
    target: str,
    show_all: bool,
) -> None:
    """Score a questionnaire: stage and side scores, findings and ranked suggestions."""
    from cycleaudit import api
    from cycleaudit.engine.result import audit_result
    from cycleaudit.output import check_target
    from cycleaudit.renderers.score_text import format_summary

    check_target(target, [questionnaire])
    audit = api.audit_file(questionnaire, rubric_ref)
    inputs = [questionnaire, *map(Path, audit.rubric.files)]
    check_target(target, inputs)  # not over the rubric or any file it extends
    result = audit_result(audit)
    if fmt == "json":
        text = json_safe(json.dumps(result, indent=2, ensure_ascii=False, allow_nan=False)) + "\n"
    else:
        text = format_summary(result)
    write(target, text, inputs)
    overall = result["overall"]
    if fail_under is not None and (overall is None or overall < fail_under):
        shown = "n/a" if overall is None else f"{overall:.1f}"
        click.echo(f"overall score {shown} is below {fail_under:g}", err=True)
        sys.exit(EXIT_BELOW)


@click.command()
@click.argument("questionnaire", type=click.Path(path_type=Path))
@click.option(
    "--output",
    "-o",
    "target",
    default="-",
    show_default=True,
    help="Report file; its extension picks the format. - for standard output.",
)
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["pdf", "html", "md", "json", "text"]),
    help="Report format (default: from the output's extension, else text).",
)
@theme_option()
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True)
@click.option(
    "--pdf-variant",
    type=click.Choice(PDF_VARIANTS),
    metavar="VARIANT",
    help="pdf/a-3a to archive (tagged), pdf/ua-1 for screen readers, pdf/x-4 to print; "
    f"any of {', '.join(PDF_VARIANTS)}.",
)
@click.option(
    "--detail",
    type=click.Choice(["brief", "full"]),
    default="brief",
    show_default=True,
    help="brief: the short report an owner reads; full: every table, finding and source.",
)
@rubric_option(
    "Score against this rubric instead of the one the questionnaire names.", default=None
)
@click.option(
    "--previous",
    "previous",
    multiple=True,
    type=click.Path(path_type=Path),
    help="An earlier audit of the same business (repeat for several): adds "
    '"Since your last audit".',
)
@click.option("--all", "show_all", is_flag=True, help="Show every input problem.")
@guarded
def report(
    questionnaire: Path,
    target: str,
    fmt: str | None,
    theme: str | None,
    paper: str,
    pdf_variant: str | None,
    detail: str,
    rubric_ref: str | None,
    previous: tuple[Path, ...],
    show_all: bool,
) -> None:
    """Render the audit report: PDF, self-contained HTML, Markdown, JSON or text."""

    from cycleaudit import api
    from cycleaudit.output import check_target, write_atomic
    from cycleaudit.renderers import format_for_path

    chosen = fmt or (format_for_path(target) if target != "-" else None) or "text"
    if target != "-" and fmt is None and format_for_path(target) is None:
        raise OutputError(
            f"{target}: cannot tell the format from the extension; "
            "use --format pdf|html|md|json|text"
        )
    if chosen == "pdf" and target == "-" and sys.stdout.isatty():
        raise OutputError("a PDF is binary: give a file with -o report.pdf")
    check_target(target, [questionnaire, *previous])
    audit = api.audit_file(questionnaire, rubric_ref)
    inputs = [questionnaire, *map(Path, audit.rubric.files)]
    if theme and Path(theme).is_dir():
        inputs += [path for path in Path(theme).iterdir() if path.is_file()]  # nor the theme
    check_target(target, inputs)  # not over the rubric or any file it extends

    def produce() -> bytes:
        if previous:
            from cycleaudit.workshop.rendering import load_audits, report_with_previous

            return report_with_previous(
                audit,
                load_audits(previous),
                chosen,
                theme=theme,
                paper=paper,
                pdf_variant=pdf_variant,
                detail=detail,
            )
        else:
            return api.render_report(
                audit,
                chosen,
                theme=theme,
                paper=paper,
                pdf_variant=pdf_variant,
                detail=detail,
            )

    data = rendered(produce)
    write_atomic(target, data, inputs)
    if target != "-":
        say(f"wrote {target}")
