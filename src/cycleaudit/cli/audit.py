"""Commands that score and report audits: score (one or many), report."""

from __future__ import annotations

import glob
import sys
from pathlib import Path

import click

from cycleaudit.cli.common import (
    EXIT_BELOW,
    EXIT_INPUT,
    ScoreBound,
    detail_option,
    guarded,
    output_option,
    print_problems,
    rendered,
    rubric_option,
    say,
    say_skipped,
    theme_option,
    write,
)
from cycleaudit.errors import OutputError, printable
from cycleaudit.renderers import PDF_VARIANTS


@click.command()
@click.argument("questionnaires", nargs=-1, required=True, metavar="QUESTIONNAIRE...")
@click.option(
    "--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@rubric_option(
    "Score against this rubric instead of the one each questionnaire names.", default=None
)
@click.option(
    "--fail-under",
    type=ScoreBound(),
    help="Exit with code 1 when an overall score is below this.",
)
@output_option("Where to write the results")
@click.option("--all", "show_all", is_flag=True, help="Show every input problem.")
@guarded
def score(
    questionnaires: tuple[str, ...],
    fmt: str,
    rubric_ref: str | None,
    fail_under: float | None,
    target: str,
    show_all: bool,
) -> None:
    """Score questionnaires: stage and side scores, findings and ranked suggestions.

    One file gives the full result. Several files, folders or quoted globs
    give one line per questionnaire (text) or one result per line (json:
    JSON Lines), written as each is scored; a file with problems is named
    and skipped, and the exit code is 2 at the end.
    """
    one = questionnaires[0]
    if len(questionnaires) == 1 and not Path(one).is_dir() and not glob.has_magic(one):
        _score_one(Path(one), fmt, rubric_ref, fail_under, target)
        return
    _score_many(questionnaires, fmt, rubric_ref, fail_under, target, show_all)


def _below(overall: float | None, fail_under: float | None) -> bool:
    return fail_under is not None and (overall is None or overall < fail_under)


def _score_one(
    questionnaire: Path, fmt: str, rubric_ref: str | None, fail_under: float | None, target: str
) -> None:
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
        from cycleaudit.renderers.jsonout import json_text

        text = json_text(result)
    else:
        text = format_summary(result)
    write(target, text, inputs)
    overall = result["overall"]
    if _below(overall, fail_under):
        shown = "n/a" if overall is None else f"{overall:.1f}"
        click.echo(f"overall score {shown} is below {fail_under:g}", err=True)
        sys.exit(EXIT_BELOW)


def _score_many(
    given: tuple[str, ...],
    fmt: str,
    rubric_ref: str | None,
    fail_under: float | None,
    target: str,
    show_all: bool,
) -> None:
    from cycleaudit import api
    from cycleaudit.engine.result import audit_result, rounded
    from cycleaudit.output import atomic_stream, same_file
    from cycleaudit.renderers.jsonout import json_line
    from cycleaudit.workshop.inputs import expand_inputs
    from cycleaudit.workshop.scoring import score_files

    skipped: list[Path] = []
    sources, missing = expand_inputs(given, skipped)
    say_skipped(skipped)
    print_problems(missing, show_all)
    rubric = api.load_rubric(rubric_ref) if rubric_ref else None  # a bad rubric stops here
    rubric_files = {Path(f) for f in rubric.files} if rubric else set()
    failed: list[str] = [p.file for p in missing]
    below = 0
    width = max((len(str(s)) for s in sources), default=0)
    with atomic_stream(target, [*sources, *rubric_files]) as put:
        for scored in score_files(sources, rubric):
            audit = scored.audit
            if audit is None:
                failed.append(str(scored.source))
                print_problems(scored.problems, show_all)
                continue
            rubric_files.update(map(Path, audit.rubric.files))
            # Rounded as in the result, so a line and --fail-under agree with it.
            overall = rounded(audit.overall)
            below += _below(overall, fail_under)
            if fmt == "json":
                put(json_line(audit_result(audit)))
            else:
                label = "" if audit.grade is None else audit.grade.label
                line = _score_line(audit.questionnaire.origin, overall, label, width)
                put((line + "\n").encode("utf-8"))
        if target != "-" and any(same_file(Path(target), f) for f in rubric_files):
            raise OutputError(f"{target}: refusing to write the output over a rubric file")
    scored_count = len(sources) - (len(failed) - len(missing))
    say(f"scored {scored_count} of {len(sources)} questionnaires")
    if below:
        say(f"{below} of {scored_count} overall scores are below {fail_under:g}")
    if failed:
        say(
            f"{len(failed)} {'input' if len(failed) == 1 else 'inputs'} failed: {', '.join(failed)}"
        )
        sys.exit(EXIT_INPUT)
    if below:
        sys.exit(EXIT_BELOW)


def _score_line(origin: str, overall: float | None, label: str, width: int) -> str:
    shown = "n/a" if overall is None else f"{overall:.1f}"
    return printable(f"{origin:<{width}}  {shown:>5}  {label}")


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
@detail_option()
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
