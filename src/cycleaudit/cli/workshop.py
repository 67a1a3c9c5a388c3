"""Commands for workshops and re-audits: batch (and later summary, compare)."""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cycleaudit.cli.common import (
    EXIT_INPUT,
    EXIT_INTERRUPTED,
    EXIT_TERMINATED,
    Terminated,
    detail_option,
    guarded,
    rendered,
    say,
    say_skipped,
    theme_option,
    write,
)
from cycleaudit.errors import OutputError

if TYPE_CHECKING:  # only for annotations: the commands import their modules when run
    from cycleaudit.model import Audit
    from cycleaudit.workshop.batch import Outcome


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--output",
    "-o",
    "outdir",
    required=True,
    type=click.Path(path_type=Path),
    help="Folder for the reports (created if missing).",
)
@click.option("--jobs", "-j", type=click.IntRange(1, 256), help="Worker processes (default: CPUs).")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["pdf", "html", "md", "json"]),
    default="pdf",
    show_default=True,
)
@detail_option()
@theme_option()
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True)
@guarded
def batch(
    inputs: tuple[str, ...],
    outdir: Path,
    jobs: int | None,
    fmt: str,
    detail: str,
    theme: str | None,
    paper: str,
) -> None:
    """Score and render many questionnaires (files, folders, globs) into one folder.

    Each questionnaire gets a report; with --format json, scoring only: the
    result `cycleaudit score FILE -f json` writes. A team summary and an
    index.json are written beside them.
    """
    from cycleaudit.renderers.jsonout import json_text
    from cycleaudit.workshop.batch import (
        EXTENSIONS,
        default_workers,
        plan_jobs,
        run_batch,
    )
    from cycleaudit.workshop.inputs import expand_inputs

    said: set[str] = set()
    if theme is not None and fmt in ("pdf", "html"):
        said.update(_say_theme_warnings(theme, fmt))  # once here, not after every report
    skipped: list[Path] = []
    sources, missing = expand_inputs(inputs, skipped)
    say_skipped(skipped)
    for problem in missing:
        click.echo(problem.format(), err=True)
    if outdir.exists() and not outdir.is_dir():
        raise OutputError(f"{outdir}: is a file; give a folder")
    outdir.mkdir(parents=True, exist_ok=True)
    planned = plan_jobs(sources, outdir, fmt, theme=theme, paper=paper)
    # Of the questionnaires that validate, rendered beside the reports or after them.
    summary = outdir / f"summary{EXTENSIONS[fmt]}" if sources else None
    total = len(planned) + (summary is not None)
    outcomes = []
    summarised = None
    started, begun = time.perf_counter(), time.time()
    tty = sys.stderr.isatty()
    try:
        results = run_batch(
            planned, fmt, detail, jobs or default_workers(), summary, theme=theme, paper=paper
        )
        if tty:
            with click.progressbar(
                results,
                length=total,
                label="Scoring" if fmt == "json" else "Rendering",
                file=sys.stderr,
                show_pos=True,
                item_show_func=_shown,
            ) as bar:
                for outcome in bar:
                    if outcome.summary:
                        summarised = outcome
                    else:
                        outcomes.append(outcome)
                    _say_warnings(outcome, said, over_bar=True)
        else:
            for number, outcome in enumerate(results, start=1):
                if outcome.summary:
                    summarised = outcome
                else:
                    outcomes.append(outcome)
                state = outcome.target if outcome.ok else "failed"
                click.echo(f"[{number}/{total}] {outcome.source} -> {state}", err=True)
                _say_warnings(outcome, said)
    except (KeyboardInterrupt, Terminated) as stop:
        # Not the generic "nothing was written": the finished reports stay,
        # including those the workers finished while the pool shut down.
        kept = sum(_written_since(job.target, begun) for job in planned)
        click.echo(f"\ninterrupted: {kept} reports finished and kept in {outdir}", err=True)
        sys.exit(EXIT_INTERRUPTED if isinstance(stop, KeyboardInterrupt) else EXIT_TERMINATED)
    order = {str(job.source): n for n, job in enumerate(planned)}
    outcomes.sort(key=lambda o: order[o.source])
    for outcome in outcomes:
        for line in outcome.problems:
            click.echo(line, err=True)
    click.echo(_table(outcomes))
    index = {
        "format": "cycleaudit.batch/1",
        "report-format": fmt,
        "detail": None if fmt == "json" else detail,  # JSON is the score result
        "theme": None if fmt in ("json", "md") else theme or "default",
        "paper": paper if fmt == "pdf" else None,
        "seconds": round(time.perf_counter() - started, 3),
        "reports": [o.as_json() for o in outcomes],
        "summary": None if summarised is None else summarised.target,
        "summary-warnings": [] if summarised is None else list(summarised.warnings),
    }
    write(str(outdir / "index.json"), json_text(index))
    if summarised is not None:
        for line in summarised.problems:
            click.echo(line, err=True)
        if summarised.target:
            click.echo(f"wrote {summarised.target}", err=True)
    failed = [o for o in outcomes if not o.ok]
    written = len(outcomes) - len(failed)
    click.echo(f"wrote {written} reports and index.json to {outdir}", err=True)
    if failed or missing:
        click.echo(
            f"{len(failed) + len(missing)} inputs failed: "
            + ", ".join([o.source for o in failed] + [p.file for p in missing]),
            err=True,
        )
    if failed or missing or (summarised is not None and summarised.problems):
        sys.exit(EXIT_INPUT)


def _say_theme_warnings(theme: str, fmt: str) -> list[str]:
    """The theme's own warnings, said once; a theme that cannot be used stops the batch."""
    from cycleaudit.renderers import RenderError
    from cycleaudit.renderers.html import theme_warnings

    try:
        warnings = theme_warnings(theme, "pdf" if fmt == "pdf" else "html")
    except RenderError as error:
        say(f"error: {error}")
        sys.exit(EXIT_INPUT)
    for message in warnings:
        say(f"theme {theme}: warning: {message}")
    return warnings


def _written_since(path: Path, begun: float) -> bool:
    try:
        return path.stat().st_mtime >= begun - 1  # file times may be coarser than the clock
    except OSError:
        return False


def _say_warnings(outcome: Outcome, said: set[str], *, over_bar: bool = False) -> None:
    """What `cycleaudit report` would have said about this file, but what was said already.

    ``said`` holds the theme's warnings (a stylesheet rule removed, a logo
    refused), which come with every report: said once before the first, they
    stay listed per file in index.json. ``over_bar``: written over the
    progress bar's line, which draws itself again below.
    """
    new = [message for message in outcome.warnings if message not in said]
    if new and over_bar:
        width = shutil.get_terminal_size().columns - 1
        click.echo("\r" + " " * width + "\r", err=True, nl=False)
    name = outcome.target if outcome.summary else outcome.source
    for message in new:
        say(f"{name}: warning: {message}")


def _shown(outcome: object) -> str | None:
    source = getattr(outcome, "source", None)
    return None if source is None else Path(source).name


def _table(outcomes: Sequence[Outcome]) -> str:
    rows = [("file", "score", "grade", "pages", "seconds")]
    for o in outcomes:
        if o.ok:
            score = "n/a" if o.score is None else f"{o.score:.1f}"
            pages = "" if o.pages is None else str(o.pages)
            rows.append((o.source, score, o.grade, pages, f"{o.seconds:.2f}"))
        else:
            rows.append((o.source, "failed", "", "", ""))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = []
    for row in rows:
        cells = [
            row[0].ljust(widths[0]),
            row[1].rjust(widths[1]),
            row[2].ljust(widths[2]),
            row[3].rjust(widths[3]),
            row[4].rjust(widths[4]),
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


@click.command()
@click.argument("audits", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--output",
    "-o",
    "target",
    default="-",
    show_default=True,
    help="Where to write; the extension picks text, .md, .json, .html or .pdf.",
)
@theme_option()
@guarded
def compare(audits: tuple[Path, ...], target: str, theme: str | None) -> None:
    """Compare two or more audits of one business: what moved, what the last plan achieved."""

    from cycleaudit.output import check_target, write_atomic
    from cycleaudit.renderers import format_for_path
    from cycleaudit.workshop.rendering import load_audits, render_comparison

    if len(audits) < 2:
        raise click.UsageError("give at least two audits: BEFORE AFTER [MORE...]")
    fmt = (format_for_path(target) if target != "-" else None) or "text"
    if fmt == "pdf" and target == "-":
        raise OutputError("a PDF is binary: give a file with -o compare.pdf")
    check_target(target, audits)
    loaded = load_audits(audits)
    data = rendered(lambda: render_comparison(loaded, fmt, theme=theme))
    write_atomic(target, data, audits)
    if target != "-":
        click.echo(f"wrote {target}", err=True)


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--output",
    "-o",
    "target",
    default="-",
    show_default=True,
    help="Where to write; the extension picks .pdf, .html, .md, .json or text.",
)
@theme_option()
@click.option("--all", "show_all", is_flag=True, help="Show every input problem.")
@guarded
def summary(inputs: tuple[str, ...], target: str, theme: str | None, show_all: bool) -> None:
    """One summary of many questionnaires: consensus, disagreement, heatmap, ranking."""
    from cycleaudit.errors import InputError
    from cycleaudit.output import check_target, write_atomic
    from cycleaudit.renderers import format_for_path
    from cycleaudit.workshop.inputs import expand_inputs
    from cycleaudit.workshop.rendering import load_audits

    fmt = (format_for_path(target) if target != "-" else None) or "text"
    if fmt == "pdf" and target == "-":
        raise OutputError("a PDF is binary: give a file with -o summary.pdf")
    skipped: list[Path] = []
    sources, missing = expand_inputs(inputs, skipped)
    say_skipped(skipped)
    if missing:
        raise InputError(missing)
    check_target(target, sources)
    data = _render_summary(load_audits(sources), fmt, theme)
    write_atomic(target, data, sources)
    if target != "-":
        click.echo(f"wrote {target}", err=True)


def _render_summary(audits: Sequence[Audit], fmt: str, theme: str | None) -> bytes:

    from cycleaudit.workshop.rendering import render_summary

    return rendered(lambda: render_summary(audits, fmt, theme=theme))
