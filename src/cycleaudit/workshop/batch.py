"""Score and render many questionnaires in a pool of worker processes.

What a process pays once before its first PDF (WeasyPrint's import, the
templates, the fonts: about half a second) the parent pays once and then
forks its workers, which start warm; where fork is not safe each worker pays
it in its initializer. Workers ignore Ctrl-C: the parent decides to stop, lets
the reports being written finish (each is written atomically) and cancels the
rest. A report's render warnings travel back in its outcome.

The team summary needs a little of every audit (a ``Member``). For PDF and
HTML, where rendering the summary takes seconds and scoring a questionnaire
a millisecond, a summary job starts first and scores the questionnaires
itself, beside the reports. For JSON and Markdown, where scoring is most of
a report's work, each report job sends its member back with its outcome and
the summary is rendered here once the reports are in, instead of scoring
every questionnaire twice.
"""

from __future__ import annotations

import gc
import importlib
import multiprocessing
import os
import re
import resource
import signal
import sys
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cycleaudit.errors import InputError, OutputError

if TYPE_CHECKING:
    from cycleaudit.model import Audit
    from cycleaudit.workshop.members import Member

EXTENSIONS = {"pdf": ".pdf", "html": ".html", "md": ".md", "json": ".json"}
# Names batch itself writes into the output folder; a report never takes them.
RESERVED_STEMS = frozenset({"index", "summary"})
# The page tree's dictionary, with its /Type and /Count in either order.
PAGE_COUNT = re.compile(
    rb"<<(?:(?!>>).)*?(?:/Type\s*/Pages\b(?:(?!>>).)*?/Count\s+(\d+)"
    rb"|/Count\s+(\d+)(?:(?!>>).)*?/Type\s*/Pages\b)",
    re.DOTALL,
)
STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)
# Formats whose summary a job renders beside the reports, scoring every
# questionnaire again (see the module's docstring); the others' summary is
# made from the members the report jobs send back.
SUMMARY_BESIDE = frozenset({"pdf", "html"})
# Reports sent to a worker at a time. A scoring-only one is a millisecond or
# two of work: one at a time, the pool's own traffic (a pickle, a pipe and a
# wake-up each way, a third of a millisecond of the parent's time) competes
# with the workers for the CPUs and leaves them waiting. Rendered ones go
# singly, the largest first.
PER_TRIP = {"json": 16}


@dataclass(frozen=True)
class Job:
    source: Path
    target: Path
    theme: str | None = None  # a built-in theme's name or a theme folder
    paper: str = "a4"


@dataclass(frozen=True)
class Outcome:
    """What became of one questionnaire: a written report, or its problems."""

    source: str
    target: str | None
    organisation: str = ""
    team: str = ""
    respondent: str = ""
    score: float | None = None
    grade: str = ""
    pages: int | None = None
    seconds: float = 0.0
    problems: tuple[str, ...] = field(default=())
    # What did not stop the render (a character no font has), as `report` says it.
    warnings: tuple[str, ...] = field(default=())
    worker: int = 0  # process id, and its peak memory so far (for benchmarks)
    peak_kib: int = 0
    summary: bool = False  # the team summary, not one questionnaire's report
    # For the summary, when it is made from the reports' members (run_batch takes it off).
    member: Member | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.source,
            "report": self.target,
            "organisation": self.organisation or None,
            "team": self.team or None,
            "respondent": self.respondent or None,
            "score": None if self.score is None else round(self.score, 1),
            "grade": self.grade or None,
            "pages": self.pages,
            "seconds": round(self.seconds, 3),
            "problems": list(self.problems),
            "warnings": list(self.warnings),
        }


def plan_jobs(
    sources: Iterable[Path],
    outdir: Path,
    fmt: str,
    *,
    theme: str | None = None,
    paper: str = "a4",
) -> list[Job]:
    """One report name per questionnaire, from its file name, never the same twice."""
    extension = EXTENSIONS[fmt]
    taken: set[str] = set()
    jobs = []
    for source in sources:
        stem = re.sub(r"[^A-Za-z0-9._-]+", "-", source.stem).strip("-.") or "report"
        candidates = [stem, f"{source.parent.name}-{stem}" if source.parent.name else stem]
        name = next((c for c in candidates if _free(c, taken)), None)
        number = 2
        while name is None:
            if _free(f"{stem}-{number}", taken):
                name = f"{stem}-{number}"
            number += 1
        taken.add(name.lower())
        jobs.append(Job(source, outdir / f"{name}{extension}", theme, paper))
    return jobs


def _free(name: str, taken: set[str]) -> bool:
    # Compared without case: two names differing only in case collide on macOS and Windows.
    return name.lower() not in taken and name.lower() not in RESERVED_STEMS


def warm_up(fmt: str) -> None:
    """Pay a job's one-time costs: its modules, and for a PDF WeasyPrint, templates and fonts."""
    from cycleaudit import api  # noqa: F401
    from cycleaudit.engine import result  # noqa: F401
    from cycleaudit.output import write_atomic  # noqa: F401
    from cycleaudit.renderers import RENDERERS_BY_FORMAT
    from cycleaudit.workshop import rendering  # noqa: F401

    importlib.import_module(RENDERERS_BY_FORMAT[fmt])
    if fmt == "pdf":
        from cycleaudit.renderers.pdf import preload

        preload()


def start_worker(fmt: str, warm: bool) -> None:
    """Pool initializer: ignore Ctrl-C (the parent stops the batch); warm up unless forked warm."""
    # Ignored before unblocked: a Ctrl-C that arrived since the fork, held
    # back by the mask the parent forked with (see _sigint_held), is dropped.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    if not warm:
        warm_up(fmt)
        _freeze()


def _freeze() -> bool:
    """Keep what warming up built out of the collector; False if someone else froze first."""
    # It lives as long as the process: out of the collector's sight, each
    # report's collections skip it instead of walking it every time, and a
    # forked worker does not copy the pages it shares with the parent.
    if gc.get_freeze_count():
        return False  # the host program manages it; unfreezing later would undo its work
    gc.collect()
    gc.freeze()
    return True


def run_job(job: Job, fmt: str, detail: str, member: bool = False) -> Outcome:
    """Validate, score, render and write one report; bad input comes back as problems.

    With ``member``, the outcome carries what the summary needs of the audit.
    """
    from cycleaudit import api
    from cycleaudit.output import write_atomic
    from cycleaudit.renderers import RenderError
    from cycleaudit.workshop.members import member_of

    started = time.perf_counter()
    source = str(job.source)
    try:
        audit = api.audit_file(job.source)
        data, said = _rendered(
            lambda: report_bytes(audit, fmt, detail, theme=job.theme, paper=job.paper)
        )
        # Not synced one by one (see write_atomic): a batch can be run again.
        write_atomic(str(job.target), data, [job.source], durable=False)
    except InputError as error:
        return Outcome(source, None, problems=tuple(p.format() for p in error.problems))
    except (OutputError, RenderError) as error:
        return Outcome(source, None, problems=(f"{source}:1:1: error: {error}",))
    org = audit.questionnaire.organisation
    return Outcome(
        source=source,
        target=str(job.target),
        organisation=org.name,
        team=org.team,
        respondent=org.respondent,
        score=audit.overall,
        grade="" if audit.grade is None else audit.grade.label,
        pages=count_pages(data) if fmt == "pdf" else None,
        seconds=time.perf_counter() - started,
        warnings=said,
        worker=os.getpid(),
        peak_kib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        member=member_of(audit) if member else None,
    )


def run_jobs(jobs: Sequence[Job], fmt: str, detail: str, member: bool = False) -> list[Outcome]:
    """Several reports in one trip to a worker (see PER_TRIP)."""
    return [run_job(job, fmt, detail, member) for job in jobs]


def _per_trip(count: int, workers: int, fmt: str) -> int:
    # Several trips for each worker still, so neither waits long for the other at the end.
    return max(1, min(PER_TRIP.get(fmt, 1), count // (workers * 8)))


def report_bytes(
    audit: Audit, fmt: str, detail: str, *, theme: str | None = None, paper: str = "a4"
) -> bytes:
    """One questionnaire's file; for JSON, scoring only: what ``score FILE -f json`` writes."""
    from cycleaudit import api

    if fmt == "json":
        from cycleaudit.engine.result import audit_result
        from cycleaudit.renderers.jsonout import json_bytes

        return json_bytes(audit_result(audit))
    return api.render_report(audit, fmt, detail=detail, theme=theme, paper=paper)


def _rendered(produce: Callable[[], bytes]) -> tuple[bytes, tuple[str, ...]]:
    """The bytes and the render's warnings, each once, in order; other warnings silenced."""
    import warnings

    from cycleaudit.renderers import RenderWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("ignore")
        warnings.simplefilter("always", RenderWarning)
        data = produce()
    said = (str(w.message) for w in caught if issubclass(w.category, RenderWarning))
    return data, tuple(dict.fromkeys(said))


@dataclass(frozen=True)
class SummaryJob:
    """The team summary of every questionnaire that validates, written beside the reports.

    Made from ``members`` (the report jobs' own, in the order of the inputs)
    or, without them, from scoring each of ``sources`` again.
    """

    target: Path
    sources: tuple[Path, ...] = ()
    members: tuple[Member, ...] = ()
    theme: str | None = None
    paper: str = "a4"


def _summary_trip(job: SummaryJob, fmt: str) -> list[Outcome]:
    return [run_summary_job(job, fmt)]


def run_summary_job(job: SummaryJob, fmt: str) -> Outcome:
    """Render and write the summary; a file that no longer reads as it did is its problem."""
    from cycleaudit.output import write_atomic
    from cycleaudit.renderers import RenderError
    from cycleaudit.workshop.members import members_of_files, reloaded
    from cycleaudit.workshop.rendering import render_members

    started = time.perf_counter()
    # Bad files are skipped: each is named by its own report's job.
    members = list(job.members) if job.members else members_of_files(job.sources)
    if not members:
        return Outcome("summary", None, summary=True)
    try:
        data, said = _rendered(
            lambda: render_members(members, reloaded(), fmt, theme=job.theme, paper=job.paper)
        )
        write_atomic(str(job.target), data)
    except InputError as error:
        problems = tuple(p.format() for p in error.problems)
        return Outcome("summary", None, problems=problems, summary=True)
    except (OutputError, RenderError) as error:
        return Outcome("summary", None, problems=(f"{job.target}: error: {error}",), summary=True)
    return Outcome(
        "summary",
        str(job.target),
        pages=count_pages(data) if fmt == "pdf" else None,
        seconds=time.perf_counter() - started,
        summary=True,
        warnings=said,
        worker=os.getpid(),
        peak_kib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    )


def count_pages(pdf: bytes) -> int | None:
    """The page count from the PDF's page tree (which WeasyPrint keeps in compressed streams)."""
    match = PAGE_COUNT.search(pdf)
    if match:
        return int(match.group(1) or match.group(2))
    for stream in STREAM.finditer(pdf):
        try:
            text = zlib.decompress(stream.group(1))
        except zlib.error:
            continue
        match = PAGE_COUNT.search(text)
        if match:
            return int(match.group(1) or match.group(2))
    return None


def run_batch(
    jobs: Sequence[Job],
    fmt: str,
    detail: str,
    workers: int,
    summary: Path | None = None,
    *,
    theme: str | None = None,
    paper: str = "a4",
) -> Iterator[Outcome]:
    """Outcomes in the order the reports (and the summary to ``summary``, if asked) finish.

    A summary rendered beside the reports (``SUMMARY_BESIDE``) is started
    first instead of after them; one made from the reports' members comes
    last. The largest questionnaires go first, so no worker is left with a
    long report while the other waits. On KeyboardInterrupt in the caller (or
    here), reports already being written (and the rest of their trip, see
    PER_TRIP) are finished, atomically, and those not started are cancelled.
    """
    if not jobs and summary is None:
        return
    beside = summary is not None and fmt in SUMMARY_BESIDE
    collect = summary is not None and not beside
    workers = max(1, min(workers, len(jobs) + beside))
    context = _pool_context()
    forked = context.get_start_method() == "fork"
    pool: ProcessPoolExecutor | None = None
    frozen = False
    try:
        if forked:
            warm_up(fmt)  # once, here: the workers are copies of this process
            frozen = _freeze()
        # Each report's place among the inputs: the summary lists its members in that order.
        futures: dict[Future[list[Outcome]], tuple[int, ...]] = {}
        # A forking pool starts all its workers at the first submit.
        with _sigint_held(forked):
            pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=context,
                initializer=start_worker,
                initargs=(fmt, forked),
            )
            if beside and summary is not None:
                sources = tuple(job.source for job in jobs)
                job = SummaryJob(summary, sources, theme=theme, paper=paper)
                futures[pool.submit(_summary_trip, job, fmt)] = (-1,)  # not a report
            ordered = sorted(range(len(jobs)), key=lambda n: _size(jobs[n]), reverse=True)
            size = _per_trip(len(jobs), workers, fmt)
            for start in range(0, len(ordered), size):
                numbers = tuple(ordered[start : start + size])
                trip = [jobs[n] for n in numbers]
                futures[pool.submit(run_jobs, trip, fmt, detail, collect)] = numbers
        members: list[Member | None] = [None] * len(jobs)
        for future in as_completed(futures):
            try:
                finished = future.result()
            except BrokenProcessPool:
                # A worker was killed (out of memory, kill -9): what it held, and
                # every job not yet finished, is lost; the finished reports stay.
                numbers = futures[future]
                finished = [_lost(jobs[n] if n >= 0 else None, summary) for n in numbers]
            for number, outcome in zip(futures[future], finished, strict=True):
                if outcome.member is not None:
                    members[number] = outcome.member
                    outcome = replace(outcome, member=None)
                yield outcome
        if collect and summary is not None:
            # Here: the workers are idle by now, and the members need no second trip.
            kept = tuple(m for m in members if m is not None)
            done = SummaryJob(summary, members=kept, theme=theme, paper=paper)
            yield run_summary_job(done, fmt)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        if frozen:
            gc.unfreeze()


LOST = (
    "lost: a worker process stopped abruptly (killed, or out of memory?) before it "
    "reported on this file; run the batch again for it"
)


def _lost(job: Job | None, summary: Path | None) -> Outcome:
    """The outcome of a job whose worker died; its temporary file, if any, removed."""
    from cycleaudit.output import remove_leftovers

    target = job.target if job is not None else summary
    if target is not None:
        remove_leftovers(target)
    if job is None:
        return Outcome("summary", None, problems=(f"{summary}: error: {LOST}",), summary=True)
    return Outcome(str(job.source), None, problems=(f"{job.source}:1:1: error: {LOST}",))


@contextmanager
def _sigint_held(forked: bool) -> Iterator[None]:
    """Ctrl-C held back in this thread, and in the workers it forks until they ignore it.

    A forked worker inherits the mask, so a Ctrl-C between the fork and
    start_worker waits instead of raising KeyboardInterrupt in it (and
    breaking the pool). Here it is delivered once the mask is restored: the
    caller then stops the batch as usual. The pool's threads, started here,
    keep it blocked: it goes to this thread, where Python handles it anyway.
    """
    # Spawning is left as it was: multiprocessing's resource tracker, started
    # with the first spawned worker, unblocks SIGINT in this thread.
    if not forked or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _pool_context() -> BaseContext:
    # Fork where it is safe (Linux): the workers start as copies of the warm
    # parent. Elsewhere (macOS, Windows: spawn) each worker warms up itself.
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _size(job: Job) -> int:
    try:
        return job.source.stat().st_size
    except OSError:
        return 0


def default_workers() -> int:
    return os.cpu_count() or 1
