"""Start-up and scoring speed of the engine. Prints figures; asserts nothing.

    python benchmarks/bench_core.py

Targets (issue: core): `cycleaudit --help` within 100 ms of `python -c pass`,
`cycleaudit validate` within 250 ms of it, and 1,000 questionnaires loaded,
validated and scored in at most 5 s.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "online-shop.yaml"
RUNS = 7


def wall(command: list[str]) -> float:
    """Median wall time of a command, in milliseconds."""
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    cli = shutil.which("cycleaudit")
    base = [cli] if cli else [sys.executable, "-m", "cycleaudit"]
    bare = wall([sys.executable, "-c", "pass"])
    help_ms = wall([*base, "--help"])
    validate_ms = wall([*base, "validate", str(EXAMPLE)])
    # What validate cannot go below: importing the three libraries it needs.
    floor_ms = wall([sys.executable, "-c", "import yaml, click, jsonschema"])
    print(f"{'python -c pass':<34}{bare:7.1f} ms")
    print(
        f"{'import yaml, click, jsonschema':<34}{floor_ms:7.1f} ms  "
        f"(+{floor_ms - bare:.1f} ms: the floor)"
    )
    print(f"{'cycleaudit --help':<34}{help_ms:7.1f} ms  (+{help_ms - bare:.1f} ms; target +100 ms)")
    print(
        f"{'cycleaudit validate':<34}{validate_ms:7.1f} ms  "
        f"(+{validate_ms - bare:.1f} ms; target +250 ms)"
    )

    from cycleaudit import api

    rubric = api.load_rubric("default")
    with tempfile.TemporaryDirectory() as folder:
        # 1,000 distinct files, so no cache of parsed questionnaires can help.
        text = EXAMPLE.read_text(encoding="utf-8")
        paths = []
        for index in range(1000):
            path = Path(folder) / f"team-{index:04d}.yaml"
            path.write_text(text.replace("Linden Leaf Teas", f"Team {index}"), encoding="utf-8")
            paths.append(path)
        start = time.perf_counter()
        for path in paths:
            api.audit_file(path, rubric)
        scored = time.perf_counter() - start
        start = time.perf_counter()
        for path in paths[:200]:
            api.audit_file(path)
        own_rubric = (time.perf_counter() - start) * 5
        loaded = [api.load_questionnaire(path, rubric) for path in paths]
        start = time.perf_counter()
        for questionnaire in loaded:
            api.audit(questionnaire, rubric)
        scoring_only = time.perf_counter() - start
    print(f"{'load, check, score 1,000 files':<34}{scored:7.2f} s   (target 5 s; one rubric)")
    print(f"{'the same, each naming its rubric':<34}{own_rubric:7.2f} s   (rubric cached)")
    print(f"{'scoring alone, 1,000 loaded files':<34}{scoring_only:7.2f} s")


if __name__ == "__main__":
    main()
