"""The HTML report in a real browser, on a desktop and on a phone.

Each report is opened from its file in headless Chromium at 1280 and 390 px
wide: it may request nothing beyond the file itself, log no console error,
and at phone width the page must not scroll sideways. Its structure must
serve a screen reader: one <main>, headings that never skip a level.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cycleaudit import api
from cycleaudit.renderers import render
from cycleaudit.report import build_context

ROOT = Path(__file__).resolve().parents[2]
REPORTS = {
    "online-shop": ROOT / "examples" / "online-shop.yaml",
    "b2b-subscription": ROOT / "examples" / "b2b-subscription.yaml",
    "hostile-client": ROOT / "tests" / "fixtures" / "businesses" / "hostile-client.yaml",
}
WIDTHS = (1280, 390)

HEADING_SKIPS = """() => {
  const skips = [];
  let previous = 0;
  for (const h of document.querySelectorAll("h1, h2, h3, h4, h5, h6")) {
    const level = Number(h.tagName[1]);
    if (level > previous + 1) skips.push(`h${previous} to h${level}: ${h.textContent}`);
    previous = level;
  }
  return skips;
}"""


@pytest.fixture(scope="module")
def report_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("html")
    files = {}
    for name, source in REPORTS.items():
        for detail in ("brief", "full"):
            path = folder / f"{name}-{detail}.html"
            context = build_context(api.audit_file(source))
            path.write_bytes(render(context, "html", detail=detail))
            files[f"{name}-{detail}"] = path
    return files


def _open(chromium: Any, path: Path, width: int) -> tuple[Any, Any, list[str], list[str]]:
    context = chromium.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []

    def route(request_route: Any) -> None:
        url = request_route.request.url
        requests.append(url)
        if url == path.as_uri():
            request_route.continue_()
        else:
            request_route.abort()

    page.route("**/*", route)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri(), wait_until="load")
    return context, page, requests, errors


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", [f"{r}-{d}" for r in REPORTS for d in ("brief", "full")])
def test_report_loads_nothing_and_fits_the_screen(
    browser: Any,  # the session's Chromium (tests/browser.py)
    report_files: dict[str, Path],
    name: str,
    width: int,
) -> None:
    path = report_files[name]
    context, page, requests, errors = _open(browser, path, width)
    try:
        assert requests == [path.as_uri()]
        assert errors == []
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{name} is {scroll_width} px wide at {width} px"
        assert page.locator("main").count() == 1
        assert page.evaluate(HEADING_SKIPS) == []
        assert page.locator('meta[name="viewport"]').count() == 1
        # Charts scale with the column instead of keeping their drawn width.
        for box in page.locator("svg.chart").evaluate_all(
            "charts => charts.map(c => c.getBoundingClientRect().right)"
        ):
            assert box <= width
    finally:
        context.close()
