"""Commands for people who do not write YAML: interview, worksheet."""

from __future__ import annotations

import datetime
import os
import re
import shutil
import sys
import textwrap
from pathlib import Path

import click

from cycleaudit.cli.common import EXIT_INTERRUPTED, guarded, rubric_option, say, theme_option
from cycleaudit.errors import InputError, OutputError, printable, printable_lines


class ClickConsole:
    """The interview's input and output through click: works on a terminal and piped."""

    def ask(self, prompt: str) -> str:
        click.echo(prompt, nl=False)
        line = sys.stdin.readline()
        if not line:
            click.echo()
            raise EOFError
        return line.rstrip("\r\n")

    def say(self, text: str) -> None:
        click.echo(_wrapped(printable_lines(text)))


def _wrapped(text: str) -> str:
    """Lines folded at word boundaries to the terminal's width; level lines hang."""
    width = max(40, min(shutil.get_terminal_size((100, 24)).columns, 100) - 1)
    out: list[str] = []
    for line in text.split("\n"):
        lead = line[: len(line) - len(line.lstrip())]
        hang = lead + ("   " if re.match(r"\s*\d+\) ", line) else "  ")
        out.append(
            textwrap.fill(line, width, subsequent_indent=hang, break_on_hyphens=False) or line
        )
    return "\n".join(out)


@click.command()
@click.option(
    "--output",
    "-o",
    "target",
    default="questionnaire.yaml",
    show_default=True,
    help="The questionnaire to write (or to continue, if it exists).",
)
@click.option(
    "--rubric",
    "-r",
    "rubric_ref",
    default="default",
    show_default=True,
    help="For a new file: a built-in rubric name or a rubric file.",
)
@click.option("--resume", is_flag=True, help="Continue at the first unanswered question.")
@guarded
def interview(target: str, rubric_ref: str, resume: bool) -> None:
    """Answer the questionnaire one question at a time, no YAML needed.

    The file is saved after every answer; run the command again on the same
    file to continue where you stopped.
    """
    from cycleaudit import api
    from cycleaudit.formats.rubric import is_builtin_name
    from cycleaudit.formats.yamlsource import load_file
    from cycleaudit.intake.interview import Interview, Session, session_from_data
    from cycleaudit.output import check_target, write_atomic
    from cycleaudit.renderers.score_text import format_summary

    if target == "-":
        raise OutputError("the interview saves as it goes: give a file with -o answers.yaml")
    path = Path(target)
    existing = path.exists()
    if resume and not existing:
        raise OutputError(f"{target} does not exist yet; run without --resume to start it")
    if existing:
        audit = api.audit_file(path)  # a file we cannot read is reported, never overwritten
        data = load_file(path).data
        session = session_from_data(audit.rubric, str(data.get("rubric", "default")), data)
    else:
        rubric = api.load_rubric(rubric_ref)
        ref = rubric_ref
        if not is_builtin_name(rubric_ref):
            ref = os.path.relpath(Path(rubric_ref).resolve(), path.resolve().parent)
        name = path.stem.replace("-", " ").replace("_", " ").strip().title() or "My Business"
        session = Session(rubric, ref, name, datetime.date.today().isoformat())
    check_target(target, [])

    def save(text: str) -> None:
        write_atomic(target, text.encode("utf-8"), [])

    def check() -> list[str]:
        try:
            api.load_questionnaire(path)
        except InputError as error:
            return [printable(problem.message) for problem in error.problems]
        return []

    runner = Interview(session, ClickConsole(), save, check)
    try:
        if not existing:
            runner.ask_business()
        outcome = runner.ask_tactics(start_at_first_unanswered=existing)
    except EOFError:
        runner.save()
        say(f"Input ended: your answers so far are saved in {target}.")
        say(f"Run `cycleaudit interview -o {target}` to continue.")
        return
    except KeyboardInterrupt:
        runner.save()
        click.echo("", err=True)  # end the interrupted prompt line; say() escapes "\n"
        say(f"Stopped: your answers so far are saved in {target}.")
        say(f"Run `cycleaudit interview -o {target}` to continue.")
        sys.exit(EXIT_INTERRUPTED)
    runner.save()
    click.echo("")
    click.echo(
        f"Done: {outcome.answered} of {outcome.asked} questions answered, saved in {target}."
    )
    from cycleaudit.engine.result import audit_result

    click.echo(format_summary(audit_result(api.audit_file(path))))
    click.echo(f"Next: run `cycleaudit report {target} -o report.pdf` for your report.")


@click.command()
@click.option(
    "--output",
    "-o",
    "target",
    default="worksheet.pdf",
    show_default=True,
    help="The worksheet; .pdf or .html (the extension picks the format).",
)
@rubric_option()
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True)
@click.option("--org", "organisation", default="", help="The business's name, printed on it.")
@theme_option()
@guarded
def worksheet(
    target: str, rubric_ref: str, paper: str, organisation: str, theme: str | None
) -> None:
    """Print a blank questionnaire to fill in by hand (workshops, interviews)."""
    from cycleaudit import api
    from cycleaudit.intake.worksheet import worksheet_context
    from cycleaudit.output import check_target, write_atomic
    from cycleaudit.renderers import RenderError
    from cycleaudit.renderers.workshop import render_document

    fmt = "html" if target.lower().endswith((".html", ".htm")) else "pdf"
    if fmt == "pdf" and target == "-" and sys.stdout.isatty():
        raise OutputError("a PDF is binary: give a file with -o worksheet.pdf")
    check_target(target, [])
    rubric = api.load_rubric(rubric_ref)
    context = worksheet_context(rubric, rubric_ref, printable(organisation))
    try:
        rendered = render_document("worksheet", context, fmt, theme=theme, paper=paper)
    except RenderError as error:
        raise OutputError(str(error)) from None
    for warning in rendered.warnings:
        say(f"warning: {warning}")
    write_atomic(target, rendered.data, [])
    if target != "-":
        say(f"wrote {target}: {context['questions']} questions to answer by hand")


@click.command()
@click.option(
    "--output",
    "-o",
    "target",
    default="form.html",
    show_default=True,
    help="The HTML page to write; - for standard output.",
)
@rubric_option()
@guarded
def form(target: str, rubric_ref: str) -> None:
    """Write an offline HTML form that downloads the questionnaire file."""
    from cycleaudit import api
    from cycleaudit.formats.rubric import is_builtin_name
    from cycleaudit.intake.form import render_form
    from cycleaudit.output import check_target, write_atomic

    check_target(target, [])
    rubric = api.load_rubric(rubric_ref)
    # The downloaded file lands wherever the browser puts it: a rubric file is
    # named by its absolute path so the questionnaire still finds it.
    ref = rubric_ref if is_builtin_name(rubric_ref) else str(Path(rubric_ref).resolve())
    write_atomic(target, render_form(rubric, ref, datetime.date.today().isoformat()), [])
    if target != "-":
        say(
            f"wrote {target}: open it in a browser, fill it in, download the file, "
            "then run `cycleaudit report questionnaire.yaml -o report.pdf`"
        )
