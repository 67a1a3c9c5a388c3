"""Worst-case invalid files: how long `cycleaudit validate` takes and how much memory.

Each case is a file under the 1 MiB size limit built to make checking
expensive: 1 MB of badly formed answers, an overlay rubric with 55,000
items, 20,000 unknown tactic ids (each once asked "did you mean"). The
target is under 5 s and 400 MB each. Run: ``python3 benchmarks/bench_invalid.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 1024 * 1024 - 4096
HEAD = (
    "cycleaudit: 1\nrubric: default\n"
    "organisation: {name: Bench, audited: 2026-01-01}\nanswers:\n  prospecting:\n"
)


def bad_answers() -> str:
    lines, size, i = [HEAD], len(HEAD), 0
    while size < LIMIT:
        line = f"    t{i}: {{level: 7, evidence: [x], sparkle: 1}}\n"
        lines.append(line)
        size, i = size + len(line), i + 1
    return "".join(lines)


def unknown_ids(count: int = 20_000) -> str:
    return HEAD + "".join(f"    prospect-tactic-{i:05d}: defined\n" for i in range(count))


def big_overlay() -> str:
    head = (
        "cycleaudit-rubric: 1\nid: bench\nversion: '1'\ntitle: Bench\nextends: default\ntactics:\n"
    )
    lines, size, i = [head], len(head), 0
    while i < 55_000 and size < LIMIT:
        line = f"  - {{id: t{i}}}\n"
        lines.append(line)
        size, i = size + len(line), i + 1
    return "".join(lines)


def run(path: Path) -> tuple[float, float, int]:
    """Seconds, peak resident MB and exit code of one `validate` run."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "CYCLEAUDIT_NO_CACHE": "1"}
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "cycleaudit", "validate", str(path)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    return seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main() -> None:
    cases = {
        "1 MB of bad answers": ("answers.yaml", bad_answers()),
        "20,000 unknown tactic ids": ("unknown.yaml", unknown_ids()),
        "55,000-item overlay": ("overlay.yaml", big_overlay()),
    }
    with tempfile.TemporaryDirectory() as folder:
        print(f"{'case':<28} {'size':>9} {'seconds':>8} {'peak MB':>8} {'exit':>5}")
        for label, (name, text) in cases.items():
            path = Path(folder) / name
            path.write_text(text, encoding="utf-8")
            seconds, peak, code = run(path)
            print(f"{label:<28} {len(text):>9,} {seconds:>8.2f} {peak:>8.0f} {code:>5}")


if __name__ == "__main__":
    main()
