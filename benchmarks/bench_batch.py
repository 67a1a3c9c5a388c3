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
  process in at most 10 s, with flat memory.

Every timed part runs in a fresh process, the pool from the state the CLI is
in when it starts one (``cycleaudit.cli`` imported). The best of ``--runs``
runs counts, so work of others on the machine counts less; the load average
and the idle share of the CPUs just before are printed beside the figures.
The summary that ``cycleaudit batch`` renders beside the reports is timed on
its own, and the whole command once, but is not part of the ratio.
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
    """``count`` distinct questionnaire files, cycling through the workshop fixtures."""
    sources = good_files()
    made = []
    for number in range(count):
        source = sources[number % len(sources)]
        target = folder / f"{number:05d}-{source.name}"
        shutil.copy(source, target)
        made.append(target)
    return made


def cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def idle_share(seconds: float = 1.0) -> float:
    """The share of all CPUs idle over the next ``seconds`` (from /proc/stat; 1.0 elsewhere)."""
    try:

        def sample() -> tuple[int, int]:
            with open("/proc/stat", encoding="ascii") as stat:
                values = [int(v) for v in stat.readline().split()[1:]]
            return values[3] + values[4], sum(values)

        idle0, total0 = sample()
        time.sleep(seconds)
        idle1, total1 = sample()
    except OSError:
        return 1.0
    return (idle1 - idle0) / max(1, total1 - total0)


def machine() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.2f}/{five:.2f}, idle {idle_share():.0%}"


def child(*args: str) -> dict[str, Any]:
    """Run this script in a fresh process for one measurement; its last line is JSON."""
    done = subprocess.run(
        [sys.executable, __file__, *args], env=ENV, capture_output=True, text=True, check=True
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# --- measured in fresh processes ------------------------------------------------------


def measure_warm(folder: Path, as_worker: bool) -> None:
    """Per report, warm, in this process: the work of run_job, over every file in ``folder``."""
    import gc

    from cycleaudit.workshop.batch import Job, run_job, warm_up

    files = sorted(folder.glob("*.yaml"))
    out = Path(tempfile.mkdtemp())
    if as_worker:  # what a forked worker starts with
        warm_up("pdf")
        gc.collect()
        gc.freeze()
    for path in files[:2]:  # warm: imports, fonts, templates, WeasyPrint's first use
        run_job(Job(path, out / "warm.pdf"), "pdf", "brief")
    seconds = []
    cpu_start = cpu_seconds(resource.RUSAGE_SELF)
    for number, path in enumerate(files):
        start = time.perf_counter()
        outcome = run_job(Job(path, out / f"{number}.pdf"), "pdf", "brief")
        seconds.append(time.perf_counter() - start)
        if not outcome.ok:
            raise SystemExit("\n".join(outcome.problems))
    cpu = (cpu_seconds(resource.RUSAGE_SELF) - cpu_start) / len(files)
    shutil.rmtree(out)
    print(json.dumps({"mean": statistics.fmean(seconds), "cpu": cpu, "reports": len(files)}))


def measure_pool(folder: Path, workers: int) -> None:
    """One pool over every file in ``folder``, started as the CLI starts it."""
    import cycleaudit.cli  # noqa: F401  (what the CLI has imported before the pool)
    from cycleaudit.workshop.batch import plan_jobs, run_batch

    out = Path(tempfile.mkdtemp())
    jobs = plan_jobs(sorted(folder.glob("*.yaml")), out, "pdf")
    cpu_start = cpu_seconds(resource.RUSAGE_SELF)
    start = time.perf_counter()
    outcomes = list(run_batch(jobs, "pdf", "brief", workers))
    seconds = time.perf_counter() - start
    parent_cpu = cpu_seconds(resource.RUSAGE_SELF) - cpu_start
    workers_cpu = cpu_seconds(resource.RUSAGE_CHILDREN)
    shutil.rmtree(out)
    per_worker: dict[int, list[int]] = {}
    for outcome in outcomes:
        reports, peak = per_worker.get(outcome.worker, [0, 0])
        per_worker[outcome.worker] = [reports + 1, max(peak, outcome.peak_kib)]
    print(
        json.dumps(
            {
                "seconds": seconds,
                "failed": sum(not o.ok for o in outcomes),
                "parent_cpu": parent_cpu,
                "workers_cpu": workers_cpu,
                "parent_peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                "workers": sorted(per_worker.values()),
            }
        )
    )


def measure_summary(folder: Path) -> None:
    """The summary alone, rendered as a warm worker renders it."""
    from cycleaudit.workshop.batch import SummaryJob, run_summary_job, warm_up

    out = Path(tempfile.mkdtemp())
    warm_up("pdf")
    job = SummaryJob(tuple(sorted(folder.glob("*.yaml"))), out / "summary.pdf")
    start = time.perf_counter()
    outcome = run_summary_job(job, "pdf")
    seconds = time.perf_counter() - start
    shutil.rmtree(out)
    print(json.dumps({"seconds": seconds, "pages": outcome.pages}))


# --- figures -----------------------------------------------------------------------------


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

        print(f"\nwarm in-process report ({len(good_files())} questionnaires, fresh process)")
        print(f"  [{machine()}]")
        plain = min((child("--warm", str(distinct)) for _ in range(runs)), key=lambda r: r["mean"])
        print(
            f"  plain:          {plain['mean']:.3f} s per report "
            f"({plain['cpu']:.3f} s CPU): the ideal's unit"
        )
        print(f"  [{machine()}]")
        worker = min(
            (child("--warm", str(distinct), "--as-worker") for _ in range(runs)),
            key=lambda r: r["mean"],
        )
        print(
            f"  as a worker:    {worker['mean']:.3f} s per report ({worker['cpu']:.3f} s CPU): "
            "warmed up, then frozen out of the collector"
        )
        warm = plain["mean"]

        print(f"\npool, {workers} workers, best of {runs} (reports only; summary below)")
        best: dict[int, dict[str, Any]] = {}
        for count in counts:
            for _ in range(runs):
                state = machine()
                result = child("--pool", str(sets[count]), "--workers", str(workers))
                result["state"] = state
                if count not in best or result["seconds"] < best[count]["seconds"]:
                    best[count] = result
        for count in counts:
            result = best[count]
            ideal = count * warm / workers
            print(
                f"  {count:4d} reports: {result['seconds']:6.2f} s "
                f"({result['seconds'] / count:.3f} s each; {result['failed']} failed); "
                f"ideal {count} x {warm:.3f} / {workers} = {ideal:.2f} s; "
                f"ratio {result['seconds'] / ideal:.3f} (target <= 1.05)  [{result['state']}]"
            )
            cpu = result["parent_cpu"] + result["workers_cpu"]
            print(
                f"        CPU {cpu:.2f} s (parent {result['parent_cpu']:.2f}), "
                f"{cpu / (count * plain['cpu']):.3f} x {count} warm reports' CPU"
            )
        if len(counts) >= 2:
            xs = [float(c) for c in counts]
            ys = [best[c]["seconds"] for c in counts]
            slope, fixed = linear_fit(xs, ys)
            miss = max(abs(fixed + slope * x - y) for x, y in zip(xs, ys, strict=True))
            print(
                f"  straight line: {fixed:.2f} s + {slope:.3f} s x count "
                f"(ideal slope warm / {workers} = {warm / workers:.3f}); largest miss {miss:.2f} s"
            )
        largest = best[max(counts)]
        print(
            f"  peak memory: parent {largest['parent_peak_kib'] / 1024:.0f} MiB "
            "(warmed up, then forks)"
        )
        for number, (reports, peak) in enumerate(largest["workers"], start=1):
            print(f"    worker {number}: {reports} reports, peak {peak / 1024:.0f} MiB")

        summary_set = sets[max(counts)]
        print(f"\nsummary of {max(counts)} questionnaires, alone, warm  [{machine()}]")
        summary = min((child("--summary", str(summary_set)) for _ in range(runs)), key=seconds)
        print(f"  {summary['seconds']:.2f} s, {summary['pages']} pages")
        print(f"whole command: cycleaudit batch ({max(counts)} reports + summary + index.json)")
        state = machine()
        command = min(run_command(summary_set, base / "cli", workers) for _ in range(runs))
        print(f"  {command:.2f} s, interpreter start included  [{state}]")


def seconds(result: dict[str, Any]) -> float:
    value: float = result["seconds"]
    return value


def linear_fit(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """Least-squares slope and intercept."""
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mean_x) ** 2 for x in xs
    )
    return slope, mean_y - slope * mean_x


def run_command(folder: Path, out: Path, workers: int) -> float:
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
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
        ],
        env=ENV,
        capture_output=True,
        check=True,
    )
    return time.perf_counter() - start


def scoring_figures(count: int) -> None:
    from cycleaudit import api
    from cycleaudit.engine.result import audit_result

    with tempfile.TemporaryDirectory() as folder:
        inputs = copies(Path(folder), count)
        api.audit_file(inputs[0])  # the rubric is loaded once per process, as in a worker
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        middle = 0
        for number, path in enumerate(inputs):
            audit_result(api.audit_file(path))
            if number == count // 2:
                middle = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"scoring only: {count} questionnaires in {seconds:.2f} s "
        f"({seconds / count * 1000:.2f} ms each; target <= 10 s for 10,000)"
    )
    print(
        f"  peak memory {before / 1024:.0f} MiB before, {middle / 1024:.0f} MiB halfway, "
        f"{after / 1024:.0f} MiB at the end"
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
    parser.add_argument("--pool", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--summary", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.warm:
        measure_warm(args.warm, args.as_worker)
    elif args.pool:
        measure_pool(args.pool, args.workers)
    elif args.summary:
        measure_summary(args.summary)
    else:
        print(f"[{machine()}]")
        scoring_figures(args.scoring)
        if not args.skip_pdf:
            counts = [args.count] if args.count else [int(c) for c in args.counts.split(",")]
            pool_figures(counts, args.workers, args.runs)


if __name__ == "__main__":
    main()
