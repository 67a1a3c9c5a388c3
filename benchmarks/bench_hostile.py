"""The worst valid client files against the PDF renderer: seconds and peak memory.

Each case starts from a business fixture with every practice answered and
fills every free field up to the schema's limits with text that is hard to
lay out: unbreakable words (evidence 4,000 characters, notes 20,000, N/A
reasons 2,000, names 300), notes that are one huge Markdown table, a very
wide table, or a code block with one endless line. Each is checked with
`cycleaudit validate` (it must be valid) and rendered to a full-detail PDF in
a fresh process. Prints figures only; the target is under 30 s and 600 MB
for every case (issue #10, item 3).

    python benchmarks/bench_hostile.py [case ...]
"""

from __future__ import annotations

import copy
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "tests" / "fixtures" / "businesses" / "bookkeeper.yaml"
TARGET_SECONDS = 30.0
TARGET_MB = 600.0


def _word(length: int, seed: str = "unbreakable") -> str:
    return (seed * (length // len(seed) + 1))[:length]


def _table(limit: int, columns: int = 2) -> str:
    head = "|" + "|".join(f"c{i}" for i in range(columns)) + "|\n"
    head += "|" + "---|" * columns + "\n"
    rows = []
    size = len(head)
    number = 0
    while True:
        row = "|" + "|".join(str(number + i) for i in range(columns)) + "|\n"
        if size + len(row) > limit:
            break
        rows.append(row)
        size += len(row)
        number += 1
    return head + "".join(rows)


def _answers(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Every answer as a mapping (a bare level becomes {level: ...})."""
    found = []
    for stage, tactics in data["answers"].items():
        for tactic, answer in list(tactics.items()):
            if not isinstance(answer, dict):
                answer = {"level": answer}
                data["answers"][stage][tactic] = answer
            found.append(answer)
    return found


def _first_answered(data: dict[str, Any]) -> dict[str, Any]:
    return next(a for a in _answers(data) if "na" not in a)


def one_long_word(data: dict[str, Any]) -> None:
    """The issue's case: one note and one evidence made of a single word."""
    answer = _first_answered(data)
    answer["note"] = _word(19000, "Note")
    answer["evidence"] = _word(4000, "Evidence")


def one_tall_table(data: dict[str, Any]) -> None:
    """The issue's case: one note holding a table of as many rows as fit."""
    _first_answered(data)["note"] = _table(20000)


def long_words(data: dict[str, Any]) -> None:
    org = data["organisation"]
    org["name"] = _word(300, "Name")
    org["auditor"] = _word(300, "Auditor")
    org["respondents"] = [_word(300, "Respondent")] * 3
    for answer in _answers(data):
        if "na" in answer:
            answer["na"] = _word(2000, "Reason")
            continue
        answer["evidence"] = _word(4000, "Evidence")
        answer["note"] = _word(20000, "Note")
        answer["owner"] = _word(200, "Owner")


def tall_tables(data: dict[str, Any]) -> None:
    # 14,000 characters each: the YAML's quoting makes 20,000 exceed the
    # 1 MB file limit when every practice has one.
    for answer in _answers(data):
        if "na" not in answer:
            answer["note"] = _table(14000)


def wide_tables(data: dict[str, Any]) -> None:
    for answer in _answers(data):
        if "na" not in answer:
            answer["note"] = _table(20000, columns=400)


def endless_code(data: dict[str, Any]) -> None:
    for answer in _answers(data):
        if "na" not in answer:
            answer["note"] = "```\n" + _word(19000, "code") + "\n```"
            answer["evidence"] = "`" + _word(3990, "span") + "`"


CASES: dict[str, Callable[[dict[str, Any]], None]] = {
    "one-long-word": one_long_word,
    "one-tall-table": one_tall_table,
    "long-words": long_words,
    "tall-tables": tall_tables,
    "wide-tables": wide_tables,
    "endless-code": endless_code,
}


# Runs one command and prints its exit code and peak RSS (KiB), so each
# case's memory is its own and not the largest of all cases so far.
_MEASURE = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:], capture_output=True).returncode\n"
    "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def _run(args: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB and exit code of one fresh process."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *args], capture_output=True, text=True, check=True
    )
    seconds = time.perf_counter() - start
    code, peak = done.stdout.split()
    return seconds, int(peak) / 1024, int(code)


def main() -> None:
    chosen = sys.argv[1:] or list(CASES)
    base = yaml.safe_load(BASE.read_text(encoding="utf-8"))
    command = [sys.executable, "-m", "cycleaudit"]
    print(f"{'case':<14} {'valid':>5} {'pdf s':>7} {'peak MB':>8} {'pages':>5}  verdict")
    with tempfile.TemporaryDirectory() as folder:
        for name in chosen:
            data = copy.deepcopy(base)
            data["rubric"] = "default"
            CASES[name](data)
            source = Path(folder) / f"{name}.yaml"
            source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
            valid = subprocess.run([*command, "validate", str(source)], capture_output=True)
            out = Path(folder) / f"{name}.pdf"
            seconds, peak, code = _run(
                [*command, "report", str(source), "--detail", "full", "-o", str(out)]
            )
            pages = _pages(out) if code == 0 else 0
            ok = code == 0 and seconds < TARGET_SECONDS and peak < TARGET_MB
            print(
                f"{name:<14} {'yes' if valid.returncode == 0 else 'NO':>5} {seconds:7.1f} "
                f"{peak:8.0f} {pages:5d}  {'ok' if ok else 'OVER TARGET'}"
                + ("" if code == 0 else f" (exit {code})")
            )


def _pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


if __name__ == "__main__":
    main()
