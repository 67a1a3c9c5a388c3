"""Batch speed: the worker pool against the ideal, and scoring-only throughput.

    python benchmarks/bench_batch.py [--count 30] [--scoring 10000]

Prints figures; asserts nothing. Targets (issue 12):
- 30 PDF reports with 2 workers in at most 1.05 x (30 x one warm in-process
  render / 2): each worker imports WeasyPrint once and renders many reports;
- peak memory per worker;
- scoring only: 10,000 questionnaires loaded, validated and scored in one
  process in at most 10 s, with flat memory.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from cycleaudit import api  # noqa: E402
from cycleaudit.engine.result import audit_result  # noqa: E402
from cycleaudit.workshop.batch import expand_inputs, plan_jobs, run_batch  # noqa: E402

WORKSHOP = ROOT / "tests" / "fixtures" / "workshop"


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


def warm_render_seconds(sample: Path, runs: int = 3) -> float:
    audit = api.audit_file(sample)
    api.render_report(audit, "pdf")  # warm: imports, fonts, templates
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        api.render_report(api.audit_file(sample), "pdf")
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def pool_figures(count: int, workers: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        inputs = copies(Path(folder), count)
        out = Path(folder) / "out"
        out.mkdir()
        sources, _ = expand_inputs([str(p) for p in inputs])
        jobs = plan_jobs(sources, out, "pdf")
        start = time.perf_counter()
        outcomes = list(run_batch(jobs, "pdf", "brief", workers))
        pool = time.perf_counter() - start
        failed = [o for o in outcomes if not o.ok]
        warm = warm_render_seconds(inputs[0])
    ideal = count * warm / workers
    print(f"{count} PDF reports, {workers} workers: {pool:.1f} s ({len(failed)} failed)")
    print(f"one warm in-process render: {warm:.2f} s; ideal {count} x {warm:.2f} / {workers}")
    print(f"  = {ideal:.1f} s; ratio {pool / ideal:.3f} (target <= 1.05)")
    peaks: dict[int, int] = {}
    for outcome in outcomes:
        peaks[outcome.worker] = max(peaks.get(outcome.worker, 0), outcome.peak_kib)
    for number, (pid, peak) in enumerate(sorted(peaks.items()), start=1):
        per = sum(o.worker == pid for o in outcomes)
        print(f"  worker {number} (pid {pid}): {per} reports, peak memory {peak / 1024:.0f} MiB")


def scoring_figures(count: int) -> None:
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scoring", type=int, default=10_000)
    parser.add_argument("--skip-pdf", action="store_true")
    args = parser.parse_args()
    scoring_figures(args.scoring)
    if not args.skip_pdf:
        pool_figures(args.count, args.workers)


if __name__ == "__main__":
    main()
