"""Cold cost of `cycleaudit report` at both depths, against WeasyPrint alone.

Prints figures only (no asserts). For the brief and the full report:

- pages and PDF size (target: brief <= 12 pages, full <= 30, <= 300 KB);
- wall time of the whole command in a fresh process (target: brief <= 1.0 s),
  the best of ``--runs`` runs, so other work on the machine counts less;
- wall time of WeasyPrint alone printing the same page in a fresh process
  (import, render, tagged write; same fonts and fetcher);
- the pipeline's overhead over WeasyPrint alone (target <= 25 %);
- the command's peak resident memory.

    python benchmarks/bench_report.py [questionnaire] [--runs N]
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BARE = """
import sys, weasyprint
from cycleaudit.renderers.fetcher import SafeFetcher
from cycleaudit.renderers.themes import templates_dir
html = open(sys.argv[1], encoding="utf-8").read()
base = (templates_dir() / "report").as_uri() + "/"
fetcher = SafeFetcher([templates_dir(), templates_dir() / "themes" / "default"])
document = weasyprint.HTML(string=html, base_url=base, url_fetcher=fetcher).render()
document.write_pdf(sys.argv[2], pdf_tags=True)
"""


def _run(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    seconds = time.perf_counter() - start
    # ru_maxrss is the largest child so far, in KiB on Linux.
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return seconds, peak / 1024


def _best(args: list[str], runs: int) -> tuple[float, float]:
    results = [_run(args) for _ in range(runs)]
    return min(r[0] for r in results), max(r[1] for r in results)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("questionnaire", nargs="?", default=ROOT / "examples" / "online-shop.yaml")
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    questionnaire = Path(options.questionnaire)
    cli = shutil.which("cycleaudit")
    command = [cli] if cli else [sys.executable, "-m", "cycleaudit"]

    import pypdf

    from cycleaudit import api
    from cycleaudit.renderers import RenderOptions
    from cycleaudit.renderers.html import build_document
    from cycleaudit.report import build_context

    context = build_context(api.audit_file(questionnaire))
    print(
        f"questionnaire  {questionnaire}   (best of {options.runs} cold runs, "
        f"{os.cpu_count()} cpus, load {os.getloadavg()[0]:.2f})"
    )
    print(
        f"{'depth':6} {'pages':>5} {'size KB':>8} {'report s':>9} {'WeasyPrint s':>13}"
        f" {'overhead':>9} {'peak MB':>8}"
    )
    with tempfile.TemporaryDirectory() as folder:
        for detail in ("brief", "full"):
            out = Path(folder) / f"{detail}.pdf"
            page = Path(folder) / f"{detail}.html"
            html, _, _ = build_document(context, RenderOptions(detail=detail), "pdf")
            page.write_text(html, encoding="utf-8")
            report, peak = _best(
                [*command, "report", str(questionnaire), "--detail", detail, "-o", str(out)],
                options.runs,
            )
            bare, _ = _best(
                [sys.executable, "-c", BARE, str(page), str(Path(folder) / "bare.pdf")],
                options.runs,
            )
            data = out.read_bytes()
            pages = len(pypdf.PdfReader(io.BytesIO(data)).pages)
            overhead = (report - bare) / bare * 100
            print(
                f"{detail:6} {pages:5d} {len(data) / 1024:8.1f} {report:9.2f} {bare:13.2f}"
                f" {overhead:8.0f}% {peak:8.1f}"
            )
    print("targets: brief <= 12 pages and <= 1.0 s; full <= 30 pages; <= 300 KB; overhead <= 25 %")


if __name__ == "__main__":
    main()
