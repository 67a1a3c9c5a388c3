"""`cycleaudit batch`: many questionnaires into one folder, bad files skipped and named."""

from __future__ import annotations

import functools
import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from cycleaudit import api
from cycleaudit.cli import main
from cycleaudit.workshop import batch
from cycleaudit.workshop.batch import count_pages, plan_jobs, run_batch
from cycleaudit.workshop.inputs import expand_inputs

WORKSHOP = Path(__file__).parent.parent / "fixtures" / "workshop"
ROOT = Path(__file__).parent.parent.parent


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def markdown_batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str, str]:
    out = tmp_path_factory.mktemp("batch") / "reports"
    code, stdout, stderr = run("batch", str(WORKSHOP), "-o", str(out), "-f", "md", "-j", "2")
    return out, code, stdout, stderr


def test_the_fixtures_hold_thirty_teams_two_broken() -> None:
    assert len(list(WORKSHOP.glob("*.yaml"))) == 30


def test_good_files_are_written_and_bad_ones_named_with_positions(
    markdown_batch: tuple[Path, int, str, str],
) -> None:
    out, code, _, stderr = markdown_batch
    assert code == 2
    reports = sorted(p for p in out.glob("*.md") if p.name != "summary.md")
    assert len(reports) == 28
    assert "zz-broken-syntax.yaml:15:18: error: YAML syntax error" in stderr
    assert "zz-wrong-level.yaml:14:28: error: unknown level 'excellent'" in stderr
    assert "2 inputs failed" in stderr
    assert not list(out.glob("zz-*"))
    # The summary of the 28 good ones is written beside the reports.
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "28 questionnaires from 21 teams" in summary
    assert "### Where you disagree" in summary
    assert "# " in (out / "kestrel-olu.md").read_text(encoding="utf-8")


def test_the_summary_is_what_the_summary_command_writes(
    markdown_batch: tuple[Path, int, str, str], tmp_path: Path
) -> None:
    out = markdown_batch[0]
    good = sorted(p for p in WORKSHOP.glob("*.yaml") if not p.name.startswith("zz-"))
    code, _, stderr = run("summary", *map(str, good), "-o", str(tmp_path / "summary.md"))
    assert code == 0, stderr
    assert (out / "summary.md").read_bytes() == (tmp_path / "summary.md").read_bytes()


def test_index_and_table_list_every_file(markdown_batch: tuple[Path, int, str, str]) -> None:
    out, _, stdout, stderr = markdown_batch
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert len(index["reports"]) == 30
    by_file = {Path(r["file"]).name: r for r in index["reports"]}
    assert by_file["zz-wrong-level.yaml"]["report"] is None
    assert by_file["zz-wrong-level.yaml"]["problems"]
    good = by_file["harbour-lars.yaml"]
    assert good["organisation"] == "Harbour Bakery"
    assert good["respondent"] == "Lars Berg"
    assert Path(good["report"]).name == "harbour-lars.md"
    assert good["score"] is not None and good["grade"]
    header = stdout.splitlines()[0].split()
    assert header == ["file", "score", "grade", "pages", "seconds"]
    assert any(
        "harbour-lars.yaml" in line and f"{good['score']:.1f}" in line
        for line in stdout.splitlines()
    )
    # Not a terminal: one plain progress line per file, no bar.
    # 30 questionnaires and the summary, rendered beside them.
    assert sum(line.startswith("[") for line in stderr.splitlines()) == 31
    assert "] summary -> " in stderr


def test_names_never_collide(tmp_path: Path) -> None:
    for folder in ("north", "south"):
        (tmp_path / folder).mkdir()
        shutil.copy(WORKSHOP / "kestrel-jan.yaml", tmp_path / folder / "team.yaml")
    shutil.copy(WORKSHOP / "kestrel-olu.yaml", tmp_path / "index.yaml")
    shutil.copy(WORKSHOP / "kestrel-mira.yaml", tmp_path / "Team.yaml")
    sources, problems = expand_inputs(
        [str(tmp_path / "north"), str(tmp_path / "south" / "*.yaml"), str(tmp_path / "*.yaml")]
    )
    assert not problems
    names = [job.target.name for job in plan_jobs(sources, tmp_path / "out", "md")]
    # The first keeps its name, a repeat gets its folder's name in front (names
    # differing only in case collide); "index" belongs to batch's own index.json.
    folder = tmp_path.name
    assert names == ["team.md", "south-team.md", f"{folder}-Team.md", f"{folder}-index.md"]


def test_folder_glob_and_missing_inputs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _, stderr = run(
        "batch",
        str(WORKSHOP / "kestrel-*.yaml"),
        str(WORKSHOP / "kestrel-jan.yaml"),
        str(tmp_path / "nowhere.yaml"),
        "-o",
        str(out),
        "-f",
        "json",
    )
    assert code == 2
    assert f"{tmp_path / 'nowhere.yaml'}:1:1: error: no such file or folder" in stderr
    assert sorted(p.name for p in out.glob("kestrel-*.json")) == [
        "kestrel-jan.json",
        "kestrel-mira.json",
        "kestrel-olu.json",
    ]
    # Scoring only: each file holds what `cycleaudit score FILE -f json` writes.
    written = (out / "kestrel-jan.json").read_text(encoding="utf-8")
    assert json.loads(written)["format"] == "cycleaudit.result/2"
    code, single, _ = run("score", str(WORKSHOP / "kestrel-jan.yaml"), "-f", "json")
    assert code == 0 and single == written
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert index["report-format"] == "json" and index["detail"] is None


def test_all_good_exits_zero(tmp_path: Path) -> None:
    code, _, _ = run("batch", str(WORKSHOP / "harbour-*.yaml"), "-o", str(tmp_path), "-f", "html")
    assert code == 0
    assert len(list(tmp_path.glob("harbour-*.html"))) == 4


@pytest.fixture(scope="module", params=[signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def interrupted_pdf_batch(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> tuple[Path, int, str]:
    """Six reports and the summary on one worker, stopped once the first PDF is written."""
    out = tmp_path_factory.mktemp("pdf") / "out"
    sources = [str(p) for p in sorted(WORKSHOP.glob("[hk]*.yaml"))][:6]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(
        [sys.executable, "-m", "cycleaudit", "batch", *sources, "-o", str(out), "-j", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 300
    while not list(out.glob("*.pdf")) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)
    # The whole process group, as a terminal's Ctrl-C (or a service manager's stop) does.
    os.killpg(process.pid, request.param)
    _, stderr = process.communicate(timeout=300)
    # The exit code tells which: 128 + the signal (130 for Ctrl-C, 143 for SIGTERM).
    assert process.returncode == 128 + request.param
    return out, process.returncode, stderr.decode("utf-8")


def test_ctrl_c_keeps_finished_reports_and_leaves_no_partial_file(
    interrupted_pdf_batch: tuple[Path, int, str],
) -> None:
    out, _, stderr = interrupted_pdf_batch
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
    pdfs = list(out.glob("*.pdf"))
    # Stopped: what was being written is finished, what was waiting is not started.
    assert 1 <= len(pdfs) < 7
    for pdf in pdfs:
        assert len(PdfReader(pdf).pages) == count_pages(pdf.read_bytes())
    # Counted as kept, every one (not the generic "nothing was written").
    reports = [p for p in pdfs if p.name != "summary.pdf"]
    assert f"interrupted: {len(reports)} reports finished and kept in {out}" in stderr
    assert "nothing was written" not in stderr


KESTREL = [WORKSHOP / f"kestrel-{name}.yaml" for name in ("jan", "mira", "olu")]


def fresh(*args: str) -> None:
    """A command in a process of its own, as a user runs it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    subprocess.run([sys.executable, "-m", "cycleaudit", *args], env=env, check=True)


@pytest.fixture(scope="module")
def pdf_batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three PDFs and their summary on two workers, started from a warmed-up process."""
    out = tmp_path_factory.mktemp("pdfs") / "out"
    code, _, stderr = run("batch", *map(str, KESTREL), "-o", str(out), "-j", "2")
    assert code == 0, stderr
    return out


def test_pdfs_are_the_bytes_the_single_commands_print(pdf_batch: Path, tmp_path: Path) -> None:
    # Forked from a process that warmed up (and froze what it built), a worker
    # still prints what a fresh `cycleaudit report` or `summary` prints.
    fresh("report", str(KESTREL[0]), "-o", str(tmp_path / "jan.pdf"))
    fresh("summary", *map(str, KESTREL), "-o", str(tmp_path / "summary.pdf"))
    assert (pdf_batch / "kestrel-jan.pdf").read_bytes() == (tmp_path / "jan.pdf").read_bytes()
    assert (pdf_batch / "summary.pdf").read_bytes() == (tmp_path / "summary.pdf").read_bytes()


def test_workers_that_cannot_be_forked_warm_up_themselves(
    pdf_batch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """macOS and Windows start workers fresh (spawn): same reports, same bytes, same errors."""
    monkeypatch.setattr(batch, "_pool_context", lambda: multiprocessing.get_context("spawn"))
    sources = [KESTREL[0], WORKSHOP / "zz-wrong-level.yaml"]
    jobs = plan_jobs(sources, tmp_path, "pdf")
    outcomes = {Path(o.source).name: o for o in run_batch(jobs, "pdf", "brief", 2)}
    report = tmp_path / "kestrel-jan.pdf"
    assert report.read_bytes() == (pdf_batch / "kestrel-jan.pdf").read_bytes()
    assert outcomes["kestrel-jan.yaml"].pages == len(PdfReader(report).pages)
    (problem,) = outcomes["zz-wrong-level.yaml"].problems
    assert "zz-wrong-level.yaml:14:28: error: unknown level 'excellent'" in problem


QUESTIONNAIRES = WORKSHOP.parent / "questionnaires"
# Its organisation name holds two unassigned code points: no font draws them.
NO_GLYPH = QUESTIONNAIRES / "escapes" / "no-glyph.yaml"


def test_render_warnings_reach_the_user_and_the_index(tmp_path: Path) -> None:
    """What `cycleaudit report` warns about a file, batch says too: once, after its line."""
    plain = QUESTIONNAIRES / "mini-good.yaml"
    code, _, stderr = run("batch", str(NO_GLYPH), str(plain), "-o", str(tmp_path), "-j", "2")
    assert code == 0, stderr
    lines = stderr.splitlines()
    said = [n for n, line in enumerate(lines) if line.startswith(f"{NO_GLYPH}: warning: ")]
    assert len(said) == 1
    assert "no installed font has glyphs for 2 characters" in lines[said[0]]
    assert "U+0378, U+1FFFE" in lines[said[0]]
    assert lines[said[0] - 1].endswith(f"{NO_GLYPH} -> {tmp_path / 'no-glyph.pdf'}")
    assert f"{plain}: warning:" not in stderr
    index = json.loads((tmp_path / "index.json").read_text(encoding="utf-8"))
    by_file = {Path(r["file"]).name: r for r in index["reports"]}
    (warning,) = by_file["no-glyph.yaml"]["warnings"]
    assert lines[said[0]].endswith(warning)
    assert by_file["mini-good.yaml"]["warnings"] == []
    # The summary names the organisation too.
    assert index["summary-warnings"] == [warning]
    assert f"{tmp_path / 'summary.pdf'}: warning: {warning}" in lines


START_WORKER = batch.start_worker


def _initializer_hit_by_ctrl_c(record: Path, fmt: str, warm: bool) -> None:
    """Ctrl-C in the instant between a worker's start and the pool's initializer."""
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    record.joinpath(str(os.getpid())).write_text(str(signal.SIGINT in mask))
    os.kill(os.getpid(), signal.SIGINT)
    START_WORKER(fmt, warm)
    assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, [])


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="no signal masks")
def test_a_worker_is_never_interrupted_before_it_ignores_ctrl_c(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Forked, the workers run this test's initializer; spawned, they could not.
    monkeypatch.setattr(batch, "_pool_context", lambda: multiprocessing.get_context("fork"))
    record = tmp_path / "workers"
    record.mkdir()
    monkeypatch.setattr(
        batch, "start_worker", functools.partial(_initializer_hit_by_ctrl_c, record)
    )
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    handler = signal.getsignal(signal.SIGINT)
    jobs = plan_jobs(KESTREL, tmp_path, "md")
    outcomes = []
    for outcome in run_batch(jobs, "md", "brief", 2):
        # While the reports come in, Ctrl-C reaches this process (and stops the batch).
        assert signal.pthread_sigmask(signal.SIG_BLOCK, []) == mask
        outcomes.append(outcome)
    # The Ctrl-C each worker got before its initializer waited, then was dropped:
    # no KeyboardInterrupt in a worker, no broken pool, every report written.
    assert [o.ok for o in outcomes] == [True] * 3
    assert sorted(p.name for p in tmp_path.glob("*.md")) == [j.target.name for j in jobs]
    assert [p.read_text() for p in record.iterdir()] == ["True", "True"]
    assert signal.pthread_sigmask(signal.SIG_BLOCK, []) == mask
    assert signal.getsignal(signal.SIGINT) == handler


EVIDENCE = WORKSHOP.parent / "evidence"


def _workshop_copy(folder: Path) -> list[Path]:
    """The good workshop files and three dated ones (one with a rubric overlay beside it)."""
    folder.mkdir()
    for path in WORKSHOP.glob("[!z]*.yaml"):
        shutil.copy(path, folder)
    for name in ("dated", "dated-colleague", "dated-quarterly", "short-validity"):
        shutil.copy(EVIDENCE / f"{name}.yaml", folder)
    sources, problems = expand_inputs([str(folder)])
    assert not problems
    return sources


def test_a_json_summary_is_made_from_the_report_jobs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each report job sends back what the summary needs of its audit; only the
    # first file of each group answered by several people is read again here,
    # for the group's consensus.
    sources = _workshop_copy(tmp_path / "in")
    read_again = []
    audit_file = api.audit_file

    def counted(path: str | Path, rubric: Any = None) -> Any:
        read_again.append(Path(path).name)
        return audit_file(path, rubric)

    jobs = plan_jobs(sources, tmp_path / "out", "json")
    (tmp_path / "out").mkdir()
    # Counts this process's reads: a forked worker counts its own, out of sight.
    monkeypatch.setattr(api, "audit_file", counted)
    outcomes = list(run_batch(jobs, "json", "brief", 2, tmp_path / "out" / "summary.json"))
    monkeypatch.undo()
    assert [o.summary for o in outcomes] == [False] * 31 + [True]
    assert all(o.ok for o in outcomes) and outcomes[-1].target
    assert sorted(set(read_again)) == [
        "dated-colleague.yaml",
        "harbour-ada.yaml",
        "kestrel-jan.yaml",
        "mossfern-ben.yaml",
    ]
    code, _, stderr = run("summary", *map(str, sources), "-o", str(tmp_path / "summary.json"))
    assert code == 0, stderr
    written = (tmp_path / "out" / "summary.json").read_bytes()
    assert written == (tmp_path / "summary.json").read_bytes()


@pytest.mark.parametrize("change", ["edited", "deleted"])
def test_a_file_changed_before_the_summary_is_the_summarys_problem(
    tmp_path: Path, change: str
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for path in KESTREL:
        shutil.copy(path, folder)
    jobs = plan_jobs(sorted(folder.glob("*.yaml")), tmp_path / "out", "json")
    (tmp_path / "out").mkdir()
    results = run_batch(jobs, "json", "brief", 2, tmp_path / "out" / "summary.json")
    reports = [next(results) for _ in jobs]
    assert all(o.ok and not o.summary for o in reports)
    # Kestrel's consensus starts from Jan's file: it is read again for the summary.
    jan = folder / "kestrel-jan.yaml"
    if change == "edited":
        text = jan.read_text(encoding="utf-8")
        jan.write_text(text.replace("qualify-leads: ad-hoc", "qualify-leads: measured"))
    else:
        jan.unlink()
    (summary,) = list(results)
    assert summary.summary and summary.target is None
    (problem,) = summary.problems
    if change == "edited":
        assert f"{jan}:1:1: error: changed while the batch ran" in problem
    else:
        assert f"{jan}:1:1: error: read again for the summary: file not found" in problem
    assert not (tmp_path / "out" / "summary.json").exists()


THEMES = WORKSHOP.parent / "report"


def test_a_consultants_theme_and_paper_reach_every_report_and_the_summary(
    tmp_path: Path,
) -> None:
    theme = THEMES / "custom-theme"
    code, _, stderr = run(
        "batch", str(WORKSHOP / "kestrel-jan.yaml"), "-o", str(tmp_path), "-t", str(theme),
        "--paper", "letter", "-j", "2",
    )  # fmt: skip
    assert code == 0, stderr
    for name in ("kestrel-jan.pdf", "summary.pdf"):
        pdf = PdfReader(tmp_path / name)
        box = pdf.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (612, 792), name
    cover = PdfReader(tmp_path / "kestrel-jan.pdf").pages[0].extract_text()
    assert "Brightwater Consulting" in cover
    index = json.loads((tmp_path / "index.json").read_text(encoding="utf-8"))
    assert index["theme"] == str(theme) and index["paper"] == "letter"


def test_a_themes_warnings_are_said_once_not_after_every_report(tmp_path: Path) -> None:
    theme = THEMES / "css-escapes-theme"
    harbour = sorted(str(p) for p in WORKSHOP.glob("harbour-*.yaml"))
    code, _, stderr = run("batch", *harbour, "-o", str(tmp_path), "-f", "html", "-t", str(theme))
    assert code == 0, stderr
    said = [line for line in stderr.splitlines() if "warning:" in line]
    assert len(said) == 5 and len(set(said)) == 5
    assert all(line.startswith(f"theme {theme}: warning: theme.css:") for line in said)
    index = json.loads((tmp_path / "index.json").read_text(encoding="utf-8"))
    for report in index["reports"]:  # still listed with each report
        assert len(report["warnings"]) == 5
        assert report["warnings"][0].startswith("theme.css:2: removed url(")


def test_a_theme_that_cannot_be_used_stops_the_batch_before_anything_is_written(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    code, _, stderr = run("batch", str(WORKSHOP / "kestrel-jan.yaml"), "-o", str(out), "-t", "nope")
    assert code == 2
    assert stderr.strip() == (
        "error: unknown theme 'nope': use one of default, mono or the path of a theme folder"
    )
    assert not out.exists()


RUN_JOB = batch.run_job


def _killed_on(name: str, job: batch.Job, *args: Any) -> batch.Outcome:
    """A worker that dies as the out-of-memory killer would end it, at one file."""
    if job.source.name == name:
        job.target.with_name(f".{job.target.name}.x1y2z3.tmp").write_text("half")
        os.kill(os.getpid(), signal.SIGKILL)
    return RUN_JOB(job, *args)


def test_a_killed_worker_loses_its_reports_not_the_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Forked, the workers run this test's job function; spawned, they could not.
    monkeypatch.setattr(batch, "_pool_context", lambda: multiprocessing.get_context("fork"))
    monkeypatch.setattr(batch, "run_job", functools.partial(_killed_on, "kestrel-mira.yaml"))
    out = tmp_path / "out"
    code, _, stderr = run("batch", *map(str, KESTREL), "-o", str(out), "-f", "md", "-j", "1")
    assert code == 2, stderr
    assert "internal error" not in stderr and "Traceback" not in stderr
    lost = f"{WORKSHOP / 'kestrel-mira.yaml'}:1:1: error: lost: a worker process stopped abruptly"
    assert lost in stderr
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert len(index["reports"]) == 3  # every file accounted for, the lost ones as failed
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]  # its half-written file
