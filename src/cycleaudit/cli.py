"""The ``cycleaudit`` command: a thin shell over the library API.

Exit codes: 0 success, 1 score below ``--fail-under``, 2 bad input or
output (every problem printed as ``file:line:col: error: message``), 3 an
internal error (a bug: set CYCLEAUDIT_DEBUG=1 for the traceback).
Heavy libraries are imported inside the commands that need them.
"""

from __future__ import annotations

import datetime
import functools
import json
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import click

from cycleaudit import __version__
from cycleaudit.errors import InputError, OutputError, Problem

EXIT_OK, EXIT_BELOW, EXIT_INPUT, EXIT_BUG = 0, 1, 2, 3
MAX_SHOWN_PROBLEMS = 20

F = TypeVar("F", bound=Callable[..., Any])


def _print_problems(problems: Iterable[Problem], show_all: bool = False) -> None:
    listed = list(problems)
    shown = listed if show_all else listed[:MAX_SHOWN_PROBLEMS]
    for problem in shown:
        click.echo(problem.format(), err=True)
    if len(listed) > len(shown):
        click.echo(
            f"... and {len(listed) - len(shown)} more problems (use --all to see them)", err=True
        )


def guarded(command: F) -> F:
    """Turn library errors into messages and exit codes; no traceback reaches the user."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except InputError as error:
            _print_problems(error.problems, kwargs.get("show_all", False))
            sys.exit(EXIT_INPUT)
        except OutputError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(EXIT_INPUT)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            sys.exit(EXIT_OK)
        except Exception as error:  # a bug: say so plainly instead of a traceback
            if os.environ.get("CYCLEAUDIT_DEBUG"):
                raise
            click.echo(
                f"internal error: {type(error).__name__}: {error}\n"
                "This is a bug in cycleaudit; run again with CYCLEAUDIT_DEBUG=1 "
                "and report the traceback.",
                err=True,
            )
            sys.exit(EXIT_BUG)

    return wrapper  # type: ignore[return-value]


def _write(target: str, data: str | bytes, inputs: Iterable[Path] = ()) -> None:
    """Write atomically to a file, or to standard output for ``-``."""
    from cycleaudit.output import write_atomic

    write_atomic(target, data.encode("utf-8") if isinstance(data, str) else data, inputs)


def output_option(what: str) -> Callable[[F], F]:
    return click.option(
        "--output",
        "-o",
        "target",
        default="-",
        show_default=True,
        help=f"{what}; - for standard output.",
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cycleaudit")
def main() -> None:
    """Declarative sales-cycle audits: score a sales process and find its gaps.

    Start with `cycleaudit init -o mine.yaml`, fill it in, then
    `cycleaudit score mine.yaml`.
    """


@main.command()
@click.option(
    "--rubric",
    "-r",
    "rubric_ref",
    default="default",
    show_default=True,
    help="A built-in rubric name or a rubric file.",
)
@output_option("Where to write the questionnaire")
@click.option(
    "--org", "organisation", help="Your organisation's name (default: from the file name)."
)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@guarded
def init(rubric_ref: str, target: str, organisation: str | None, force: bool) -> None:
    """Write a commented blank questionnaire for a rubric."""
    from cycleaudit import api
    from cycleaudit.blank import blank_questionnaire

    if target != "-" and Path(target).exists() and not force:
        raise OutputError(f"{target} already exists; use --force to replace it")
    rubric = api.load_rubric(rubric_ref)
    ref = rubric_ref
    if target != "-" and not _is_name(rubric_ref):
        # The questionnaire reads its rubric path relative to its own folder.
        ref = os.path.relpath(Path(rubric_ref).resolve(), Path(target).resolve().parent)
    if organisation is None:
        stem = Path(target).stem if target != "-" else "my business"
        organisation = stem.replace("-", " ").replace("_", " ").strip().title() or "My Business"
    text = blank_questionnaire(rubric, ref, organisation, datetime.date.today().isoformat())
    _write(target, text)
    if target != "-":
        click.echo(f"wrote {target}: fill it in, then run `cycleaudit validate {target}`", err=True)


def _is_name(ref: str) -> bool:
    from cycleaudit.rubric import is_builtin_name

    return is_builtin_name(ref)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--all", "show_all", is_flag=True, help="Show every problem, not the first 20.")
@click.option("--quiet", "-q", is_flag=True, help="Print problems only.")
@guarded
def validate(files: tuple[Path, ...], show_all: bool, quiet: bool) -> None:
    """Check questionnaires and rubrics; print every problem with its line and column."""
    from cycleaudit.checking import check_file

    failed = 0
    for path in files:
        try:
            kind = check_file(path)
        except InputError as error:
            failed += 1
            _print_problems(error.problems, show_all)
            continue
        if not quiet:
            click.echo(f"{path}: ok ({kind})")
    if failed:
        click.echo(f"{failed} of {len(files)} files have problems", err=True)
        sys.exit(EXIT_INPUT)


@main.command()
@click.argument("questionnaire", type=click.Path(path_type=Path))
@click.option(
    "--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--rubric",
    "-r",
    "rubric_ref",
    help="Score against this rubric instead of the one the questionnaire names.",
)
@click.option(
    "--fail-under",
    type=click.FloatRange(0, 100),
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
    from cycleaudit.output import check_target
    from cycleaudit.result import audit_result
    from cycleaudit.textsummary import format_summary

    check_target(target, [questionnaire])
    result = audit_result(api.audit_file(questionnaire, rubric_ref))
    if fmt == "json":
        text = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    else:
        text = format_summary(result)
    _write(target, text, [questionnaire])
    overall = result["overall"]
    if fail_under is not None and (overall is None or overall < fail_under):
        shown = "n/a" if overall is None else f"{overall:.1f}"
        click.echo(f"overall score {shown} is below {fail_under:g}", err=True)
        sys.exit(EXIT_BELOW)


@main.command()
@click.argument("name", type=click.Choice(["questionnaire", "rubric", "result", "report"]))
@click.option(
    "--rubric",
    "-r",
    "rubric_ref",
    help="With `questionnaire`: fill in this rubric's stages, tactics and levels, "
    "so editors complete them.",
)
@guarded
def schema(name: str, rubric_ref: str | None) -> None:
    """Print a shipped JSON Schema (for editors and check-jsonschema)."""
    from cycleaudit.schemacheck import schema_text

    if rubric_ref is None:
        click.echo(schema_text(name), nl=False)
        return
    if name != "questionnaire":
        raise click.UsageError("--rubric goes with `schema questionnaire`")
    from cycleaudit import api
    from cycleaudit.rubricschema import questionnaire_schema_for
    from cycleaudit.schemacheck import schema as shipped

    filled = questionnaire_schema_for(shipped("questionnaire"), api.load_rubric(rubric_ref))
    click.echo(json.dumps(filled, indent=2, ensure_ascii=False))


@main.group()
def rubric() -> None:
    """List and show rubrics."""


@rubric.command("list")
@guarded
def rubric_list() -> None:
    """List the built-in rubrics."""
    from cycleaudit import api
    from cycleaudit.datafiles import builtin_rubrics

    for name in builtin_rubrics():
        loaded = api.load_rubric(name)
        click.echo(
            f"{name}\t{loaded.version}\t{loaded.title} "
            f"({len(loaded.stages)} stages, {len(loaded.tactics)} tactics, "
            f"{len(loaded.rules)} rules)"
        )


@rubric.command("show")
@click.argument("ref")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["text", "yaml"]),
    default="text",
    show_default=True,
    help="text: a readable outline; yaml: the merged rubric.",
)
@guarded
def rubric_show(ref: str, fmt: str) -> None:
    """Show a rubric (a built-in name or a file), merged with what it extends."""
    from cycleaudit import api
    from cycleaudit.rubricview import merged_yaml, outline

    if fmt == "yaml":
        click.echo(merged_yaml(ref), nl=False)
        return
    click.echo(outline(api.load_rubric(ref)), nl=False)


@main.command()
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
@click.option("--theme", "-t", "theme", help="A built-in theme (default, mono) or a theme folder.")
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True)
@click.option(
    "--pdf-variant",
    type=click.Choice(["pdf/a-1b", "pdf/a-2b", "pdf/a-3b", "pdf/a-2u", "pdf/a-3u", "pdf/ua-1"]),
    help="Archival or accessible PDF flavour, e.g. pdf/a-3b.",
)
@click.option(
    "--rubric",
    "-r",
    "rubric_ref",
    help="Score against this rubric instead of the one the questionnaire names.",
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
    rubric_ref: str | None,
    show_all: bool,
) -> None:
    """Render the audit report: PDF, self-contained HTML, Markdown, JSON or text."""
    import warnings

    from cycleaudit import api
    from cycleaudit.output import check_target, write_atomic
    from cycleaudit.renderers import RenderError, RenderWarning, format_for_path

    chosen = fmt or (format_for_path(target) if target != "-" else None) or "text"
    if target != "-" and fmt is None and format_for_path(target) is None:
        raise OutputError(
            f"{target}: cannot tell the format from the extension; "
            "use --format pdf|html|md|json|text"
        )
    if chosen == "pdf" and target == "-" and sys.stdout.isatty():
        raise OutputError("a PDF is binary: give a file with -o report.pdf")
    check_target(target, [questionnaire])
    audit = api.audit_file(questionnaire, rubric_ref)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RenderWarning)
        try:
            data = api.render_report(
                audit, chosen, theme=theme, paper=paper, pdf_variant=pdf_variant
            )
        except RenderError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(EXIT_INPUT)
    for warning in caught:
        click.echo(f"warning: {warning.message}", err=True)
    write_atomic(target, data, [questionnaire])
    if target != "-":
        click.echo(f"wrote {target}", err=True)
