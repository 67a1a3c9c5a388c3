"""Cold cost of `cycleaudit report ... -o x.pdf` against a bare WeasyPrint render.

Prints figures only (no asserts): wall time of the full command in a fresh
process, wall time of WeasyPrint alone rendering the same HTML in a fresh
process (same fonts, same fetcher), their ratio (target <= 1.25), the
report's peak RSS (target <= 150 MB), its pages and size (target <= 300 KB).

    python benchmarks/bench_report.py [questionnaire]
"""

from __future__ import annotations

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
weasyprint.HTML(string=html, base_url=base, url_fetcher=fetcher).write_pdf(sys.argv[2])
"""


def _peak_child_rss_mb() -> float:
    # ru_maxrss is the largest child so far, in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    default = ROOT / "examples" / "online-shop.yaml"
    questionnaire = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    cli = shutil.which("cycleaudit")
    command = [cli] if cli else [sys.executable, "-m", "cycleaudit"]
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "x.pdf"
        html = Path(folder) / "x.html"
        # The page WeasyPrint prints, written once outside the timed runs.
        from cycleaudit import api
        from cycleaudit.renderers import RenderOptions
        from cycleaudit.renderers.html import build_document
        from cycleaudit.report import build_context

        page, _, _ = build_document(
            build_context(api.audit_file(questionnaire)), RenderOptions(), "pdf"
        )
        html.write_text(page, encoding="utf-8")

        report_time = _timed([*command, "report", str(questionnaire), "-o", str(out)])
        report_rss = _peak_child_rss_mb()
        bare_time = _timed([sys.executable, "-c", BARE, str(html), str(Path(folder) / "b.pdf")])

        import pypdf

        data = out.read_bytes()
        pages = len(pypdf.PdfReader(io.BytesIO(data)).pages)
    print(f"questionnaire          {questionnaire}")
    print(f"cycleaudit report      {report_time:6.2f} s")
    print(f"bare WeasyPrint        {bare_time:6.2f} s")
    print(f"ratio                  {report_time / bare_time:6.2f}   (target <= 1.25)")
    print(f"peak RSS (report)      {report_rss:6.1f} MB (target <= 150)")
    print(f"pages                  {pages:6d}")
    print(f"PDF size               {len(data) / 1024:6.1f} KB (target <= 300)")
    print(f"cpu count              {os.cpu_count()}")


if __name__ == "__main__":
    main()
