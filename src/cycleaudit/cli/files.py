"""Commands about files: init, validate, schema, rubric."""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path

import click

from cycleaudit.cli.common import (
    EXIT_INPUT,
    guarded,
    output_option,
    print_problems,
    rubric_option,
    write,
)
from cycleaudit.errors import InputError, OutputError


@click.command()
@rubric_option()
@output_option("Where to write the questionnaire")
@click.option(
    "--org", "organisation", help="Your organisation's name (default: from the file name)."
)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@guarded
def init(rubric_ref: str, target: str, organisation: str | None, force: bool) -> None:
    """Write a commented blank questionnaire for a rubric."""
    from cycleaudit import api
    from cycleaudit.formats.blank import blank_questionnaire

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
    write(target, text)
    if target != "-":
        click.echo(f"wrote {target}: fill it in, then run `cycleaudit validate {target}`", err=True)


def _is_name(ref: str) -> bool:
    from cycleaudit.formats.rubric import is_builtin_name

    return is_builtin_name(ref)


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--all", "show_all", is_flag=True, help="Show every problem, not the first 20.")
@click.option("--quiet", "-q", is_flag=True, help="Print problems only.")
@guarded
def validate(files: tuple[Path, ...], show_all: bool, quiet: bool) -> None:
    """Check questionnaires and rubrics; print every problem with its line and column."""
    from cycleaudit.formats.checking import check_file

    failed = 0
    for path in files:
        try:
            kind = check_file(path)
        except InputError as error:
            failed += 1
            print_problems(error.problems, show_all)
            continue
        if not quiet:
            click.echo(f"{path}: ok ({kind})")
    if failed:
        if len(files) == 1:
            click.echo("the file has problems", err=True)
        else:
            verb = "has" if failed == 1 else "have"
            click.echo(f"{failed} of {len(files)} files {verb} problems", err=True)
        sys.exit(EXIT_INPUT)


@click.command()
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
    from cycleaudit.formats.schemacheck import schema_text

    if rubric_ref is None:
        click.echo(schema_text(name), nl=False)
        return
    if name != "questionnaire":
        raise click.UsageError("--rubric goes with `schema questionnaire`")
    from cycleaudit import api
    from cycleaudit.formats.rubricschema import questionnaire_schema_for
    from cycleaudit.formats.schemacheck import schema as shipped
    from cycleaudit.renderers.jsonout import json_text

    filled = questionnaire_schema_for(shipped("questionnaire"), api.load_rubric(rubric_ref))
    click.echo(json_text(filled), nl=False)


@click.group()
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
    from cycleaudit.formats.rubricview import merged_yaml, outline

    if fmt == "yaml":
        click.echo(merged_yaml(ref), nl=False)
        return
    click.echo(outline(api.load_rubric(ref)), nl=False)
