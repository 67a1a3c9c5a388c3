"""Batch speed: the worker pool against the ideal, and scoring-only throughput.

    python benchmarks/bench_batch.py [--counts 10,20,30] [--workers 2] [--runs 2]
                                     [--scoring 10000] [--skip-pdf]

Prints figures; asserts nothing. Targets (issue 12):

- ``count`` PDF reports with 2 workers in at most 1.05 x the ideal, where the
  ideal is ``count x warm / workers`` and ``warm`` is one warm in-process
  report: the same work a worker does per report (validate, score, render,
  write, count pages), timed over the same questionnaires in a fresh process
  that does nothing else;
- time linear in the count: seconds per report at several counts, and the
  fixed cost (start-up) from a straight-line fit;
- peak memory per worker (and of the parent, which warms up before forking);
- scoring only: 10,000 questionnaires loaded, validated and scored in one
  process in at most 10 s, with flat memory; the commands a user runs for
  it (``score DIR`` as lines or JSON Lines), and the whole ``batch -f json``
  command over them (each result written, the team summary, index.json).

Every timed part runs in a fresh process, the pool from the state the CLI is
in when it starts one (``cycleaudit.cli`` imported). The best of ``--runs``
runs counts, so work of others on the machine counts less; beside each
timing, the CPU seconds other processes used meanwhile say how quiet the
machine was (a pool on 2 CPUs is slowed by anything else; a single report
less so).

A worker renders a little faster than the plain process (what it warmed up
is frozen out of the collector), and processes rendering at once each render
slower than one alone (shared caches and memory, a lower clock with every
core busy). So that many worker-like processes are also timed side by side:
the pool against their pace is the pool's own cost, start-up and the tail.
The summary that ``cycleaudit batch`` renders beside the reports, and the
whole command, are timed on their own; they are not part of the ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

WORKSHOP = ROOT / "tests" / "fixtures" / "workshop"
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def good_files() -> list[Path]:
    return [p for p in sorted(WORKSHOP.glob("*.yaml")) if not p.name.startswith("zz-")]


def copies(folder: Path, count: int) -> list[Path]:
    """``count`` distinct questionnaire files, cycling through the workshop fixtures.

    Each copy ends with its own comment line, so no two files have the same
    content: nothing keyed on what a file holds can serve one from another.
    """
    sources = [(path.name, path.read_bytes()) for path in good_files()]
    made = []
    for number in range(count):
        name, content = sources[number % len(sources)]
        target = folder / f"{number:05d}-{name}"
        target.write_bytes(content + f"# copy {number}\n".encode())
        made.append(target)
    return made


def cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def machine_busy() -> float:
    """CPU seconds every process on the machine has used since boot (0 where unknown)."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            values = [int(v) for v in stat.readline().split()[1:]]
    except OSError:
        return 0.0
    return (sum(values) - values[3] - values[4]) / os.sysconf("SC_CLK_TCK")


class Watch:
    """Wall time, this process's CPU (with its children's), and what others used meanwhile."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.cpu_start = self.cpu()
        self.busy_start = machine_busy()

    @staticmethod
    def cpu() -> float:
        return cpu_seconds(resource.RUSAGE_SELF) + cpu_seconds(resource.RUSAGE_CHILDREN)

    def stop(self) -> dict[str, float]:
        seconds = time.perf_counter() - self.start
        cpu = self.cpu() - self.cpu_start
        others = machine_busy() - self.busy_start - cpu
        return {"seconds": seconds, "cpu": cpu, "others": max(0.0, others)}


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


def child(*args: str) -> dict[str, Any]:
    """Run this script in a fresh process for one measurement; its last line is JSON."""
    done = subprocess.run(
        [sys.executable, __file__, *args], env=ENV, capture_output=True, text=True, check=True
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# --- measured in fresh processes ------------------------------------------------------


def measure_warm(folder: Path, as_worker: bool, go: Path | None = None) -> None:
    """Per report, warm, in this process: the work of run_job, over every file in ``folder``.

    With ``go``, say "ready" once warm and start timing when that file exists
    (several processes timed side by side).
    """
    from cycleaudit.workshop.batch import Job, run_job

    files = sorted(folder.glob("*.yaml"))
    out = Path(tempfile.mkdtemp())
    if as_worker:  # what a forked worker starts with
        import gc

        from cycleaudit.workshop.batch import warm_up

        warm_up("pdf")
        gc.collect()
        gc.freeze()
    for path in files[:2]:  # warm: imports, fonts, templates, WeasyPrint's first use
        run_job(Job(path, out / "warm.pdf"), "pdf", "brief")
    if go is not None:
        print("ready", flush=True)
        while not go.exists():
            time.sleep(0.001)
    watch = Watch()
    for number, path in enumerate(files):
        outcome = run_job(Job(path, out / f"{number}.pdf"), "pdf", "brief")
        if not outcome.ok:
            raise SystemExit("\n".join(outcome.problems))
    result = watch.stop()
    shutil.rmtree(out)
    print(json.dumps({**result, "reports": len(files)}))


def measure_pool(folder: Path, workers: int) -> None:
    """One pool over every file in ``folder``, started as the CLI starts it."""
    import cycleaudit.cli  # noqa: F401  (what the CLI has imported before the pool)
    from cycleaudit.workshop.batch import plan_jobs, run_batch

    out = Path(tempfile.mkdtemp())
    jobs = plan_jobs(sorted(folder.glob("*.yaml")), out, "pdf")
    watch = Watch()
    outcomes = list(run_batch(jobs, "pdf", "brief", workers))
    result = watch.stop()
    shutil.rmtree(out)
    per_worker: dict[int, list[int]] = {}
    for outcome in outcomes:
        reports, peak = per_worker.get(outcome.worker, [0, 0])
        per_worker[outcome.worker] = [reports + 1, max(peak, outcome.peak_kib)]
    print(
        json.dumps(
            {
                **result,
                "failed": sum(not o.ok for o in outcomes),
                "parent_peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                "workers": sorted(per_worker.values()),
            }
        )
    )


def measure_summary(folder: Path) -> None:
    """The summary alone, warm (its second rendering in this process)."""
    from cycleaudit.workshop.batch import SummaryJob, run_summary_job

    out = Path(tempfile.mkdtemp())
    job = SummaryJob(out / "summary.pdf", tuple(sorted(folder.glob("*.yaml"))))
    run_summary_job(job, "pdf")
    watch = Watch()
    outcome = run_summary_job(job, "pdf")
    result = watch.stop()
    shutil.rmtree(out)
    print(json.dumps({**result, "pages": outcome.pages}))


def measure_command(folder: Path, workers: int, fmt: str = "pdf") -> None:
    """The whole ``cycleaudit batch`` command in a fresh process (interpreter start included)."""
    out = Path(tempfile.mkdtemp()) / "out"
    watch = Watch()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "cycleaudit",
            "batch",
            str(folder),
            "-o",
            str(out),
            "-j",
            str(workers),
            "-f",
            fmt,
        ],
        env=ENV,
        capture_output=True,
        check=True,
    )
    result = watch.stop()
    shutil.rmtree(out.parent)
    # The largest of the command's processes (the parent, holding the summary's members).
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({**result, "peak_kib": peak}))


CLI_SCORING = {
    "score-text": ["score", "{folder}", "-o", "{out}/lines.txt"],
    "score-json": ["score", "{folder}", "-f", "json", "-o", "{out}/results.jsonl"],
}


def measure_cli(folder: Path, kind: str) -> None:
    """One scoring-only command over a folder, in a fresh process; peak memory of any process."""
    out = Path(tempfile.mkdtemp())
    command = [arg.format(folder=folder, out=out) for arg in CLI_SCORING[kind]]
    watch = Watch()
    subprocess.run([sys.executable, "-m", "cycleaudit", *command], env=ENV, capture_output=True)
    result: dict[str, Any] = {**watch.stop()}
    # The largest of the command and its workers (waited for by it, then by us).
    result["peak_kib"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    shutil.rmtree(out)
    print(json.dumps(result))


# --- figures -----------------------------------------------------------------------------


def best(runs: int, *args: str) -> dict[str, Any]:
    """The fastest of ``runs`` fresh-process measurements."""
    return min((child(*args) for _ in range(runs)), key=lambda r: float(r["seconds"]))


def side_by_side(runs: int, workers: int, folder: Path) -> float:
    """Seconds per report of ``workers`` warm worker-like processes timed at once (best run).

    What the machine gives when all its CPUs render: less than one process
    alone (shared caches and memory, a lower clock with every core busy).
    """
    paces = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as gate:
            go = Path(gate) / "go"
            args = [sys.executable, __file__, "--warm", str(folder), "--as-worker", "--go", str(go)]
            processes = [
                subprocess.Popen(args, env=ENV, stdout=subprocess.PIPE, text=True)
                for _ in range(workers)
            ]
            for process in processes:
                assert process.stdout is not None
                process.stdout.readline()  # "ready"
            go.touch()
            results = [
                json.loads(process.communicate()[0].splitlines()[-1]) for process in processes
            ]
        paces.append(statistics.fmean(r["seconds"] / r["reports"] for r in results))
    return min(paces)


def others(result: dict[str, Any]) -> str:
    return f"[others used {result['others']:.1f} CPU s meanwhile]"


def pool_figures(counts: list[int], workers: int, runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        sets = {}
        for count in counts:
            sets[count] = base / f"n{count}"
            sets[count].mkdir()
            copies(sets[count], count)
        distinct = base / "distinct"
        distinct.mkdir()
        copies(distinct, len(good_files()))

        print(
            f"\nwarm in-process report, mean of {len(good_files())} questionnaires, best of {runs}"
        )
        plain = best(runs, "--warm", str(distinct))
        warm = plain["seconds"] / plain["reports"]
        print(
            f"  plain:       {warm:.3f} s ({plain['cpu'] / plain['reports']:.3f} s CPU) "
            f"per report: the ideal's unit  {others(plain)}"
        )
        frozen = best(runs, "--warm", str(distinct), "--as-worker")
        pace = frozen["seconds"] / frozen["reports"]
        print(
            f"  as a worker: {pace:.3f} s ({frozen['cpu'] / frozen['reports']:.3f} s CPU) "
            f"per report: warmed up, then frozen out of the collector  {others(frozen)}"
        )

        together = side_by_side(runs, workers, distinct)
        print(
            f"  {workers} at once:   {together:.3f} s per report each, {workers} worker-like "
            f"processes side by side: {together / pace:.3f} x alone"
        )

        print(f"\npool of {workers} workers, reports only, best of {runs}")
        results = {
            count: best(runs, "--pool", str(sets[count]), "--workers", str(workers))
            for count in counts
        }
        plain_cpu = plain["cpu"] / plain["reports"]
        for count, result in results.items():
            took = float(result["seconds"])
            ideal = count * warm / workers
            print(
                f"  {count:4d} reports: {took:6.2f} s, {took / count:.3f} s each "
                f"({result['failed']} failed); ideal {count} x {warm:.3f} / {workers} = "
                f"{ideal:.2f} s; ratio {took / ideal:.3f} (target <= 1.05)"
            )
            print(
                f"        {took / (count * together / workers):.3f} x the side-by-side pace "
                f"(the pool's own start-up and tail); CPU {result['cpu']:.2f} s = "
                f"{result['cpu'] / (count * plain_cpu):.3f} x {count} plain reports'  "
                f"{others(result)}"
            )
        if len(counts) >= 2:
            xs = [float(c) for c in counts]
            ys = [float(results[c]["seconds"]) for c in counts]
            slope, fixed = linear_fit(xs, ys)
            miss = max(abs(fixed + slope * x - y) for x, y in zip(xs, ys, strict=True))
            print(
                f"  straight line: {fixed:.2f} s + {slope:.3f} s x count "
                f"(ideal slope warm / {workers} = {warm / workers:.3f}); largest miss {miss:.2f} s"
            )
        largest = results[max(counts)]
        parent = largest["parent_peak_kib"] / 1024
        print(f"  peak memory: parent {parent:.0f} MiB (warms up, then forks)")
        for number, (reports, peak) in enumerate(largest["workers"], start=1):
            print(f"    worker {number}: {reports} reports, peak {peak / 1024:.0f} MiB")

        summary_set = sets[max(counts)]
        summary = best(runs, "--summary", str(summary_set))
        print(
            f"\nsummary of {max(counts)} questionnaires alone, warm: {summary['seconds']:.2f} s, "
            f"{summary['pages']} pages  {others(summary)}"
        )
        command = best(runs, "--command", str(summary_set), "--workers", str(workers))
        print(
            f"whole command, cycleaudit batch ({max(counts)} reports, summary, index.json; "
            f"interpreter start included): {command['seconds']:.2f} s  {others(command)}"
        )


def linear_fit(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """Least-squares slope and intercept."""
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mean_x) ** 2 for x in xs
    )
    return slope, mean_y - slope * mean_x


def scoring_figures(count: int, workers: int, runs: int) -> None:
    from cycleaudit import api
    from cycleaudit.engine.result import audit_result

    with tempfile.TemporaryDirectory() as folder:
        inputs = copies(Path(folder), count)
        api.audit_file(inputs[0])  # the rubric is loaded once per process, as in a worker
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start, start_cpu = time.perf_counter(), time.process_time()
        middle = 0
        for number, path in enumerate(inputs):
            audit_result(api.audit_file(path))
            if number == count // 2:
                middle = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        seconds = time.perf_counter() - start
        cpu = time.process_time() - start_cpu
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(
            f"scoring only: {count} questionnaires in {seconds:.2f} s "
            f"({seconds / count * 1000:.2f} ms each; target <= 10 s for 10,000)"
        )
        # On a shared machine the wall clock counts time other processes took the CPU.
        print(f"  processor time {cpu:.2f} s ({cpu / count * 1000:.2f} ms each)")
        print(
            f"  peak memory {before / 1024:.0f} MiB before, {middle / 1024:.0f} MiB halfway, "
            f"{after / 1024:.0f} MiB at the end"
        )
        # Each file written (and synced), plus the team summary and index.json.
        command = best(runs, "--command", folder, "--workers", str(workers), "--format", "json")
        print(
            f"  whole command, cycleaudit batch -f json -j {workers}, best of {runs}: "
            f"{command['seconds']:.2f} s, largest process peak "
            f"{command['peak_kib'] / 1024:.0f} MiB  {others(command)}"
        )


def cli_scoring_figures(count: int, runs: int) -> None:
    """The commands a user runs for scoring only, interpreter start included."""
    with tempfile.TemporaryDirectory() as folder:
        copies(Path(folder), count)
        for kind, words in (
            ("score-text", "cycleaudit score DIR (a line each)"),
            ("score-json", "cycleaudit score DIR -f json (JSON Lines)"),
        ):
            result = best(runs, "--cli", kind, "--folder", folder)
            print(
                f"  {words}: {result['seconds']:.2f} s wall, {result['cpu']:.2f} CPU s, "
                f"peak {result['peak_kib'] / 1024:.0f} MiB  {others(result)}"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--counts", default="10,20,30", help="Pool sizes to time, e.g. 10,20,30.")
    parser.add_argument("--count", type=int, help="One pool size only (same as --counts N).")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=2, help="Runs of each timing; the best counts.")
    parser.add_argument("--scoring", type=int, default=10_000)
    parser.add_argument("--skip-pdf", action="store_true")
    # One measurement in a fresh process (used by the figures above).
    parser.add_argument("--warm", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--as-worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--go", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--pool", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--summary", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--command", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cli", choices=sorted(CLI_SCORING), help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--format", default="pdf", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.warm:
        measure_warm(args.warm, args.as_worker, args.go)
    elif args.pool:
        measure_pool(args.pool, args.workers)
    elif args.summary:
        measure_summary(args.summary)
    elif args.command:
        measure_command(args.command, args.workers, args.format)
    elif args.cli:
        measure_cli(args.folder, args.cli)
    else:
        print(f"{load()}; {os.cpu_count()} CPUs")
        scoring_figures(args.scoring, args.workers, args.runs)
        print(f"scoring commands over the same {args.scoring} files (best of {args.runs}):")
        cli_scoring_figures(args.scoring, args.runs)
        if not args.skip_pdf:
            counts = [args.count] if args.count else [int(c) for c in args.counts.split(",")]
            pool_figures(counts, args.workers, args.runs)


if __name__ == "__main__":
    main()
