"""Both depths of the PDF on every example and business fixture: pages, overprint, layout.

Each PDF is rendered once per session (``rendered``) and shared by the tests
that read it: the brief must stay within 12 pages and the full report within
30, on A4 and Letter, with no text printed over other text, and no report
over 300 KB.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytest.importorskip("weasyprint")

from tests.renderers.conftest import ROOT
from tests.renderers.pdfcheck import overprints, page_texts

from cycleaudit import api
from cycleaudit.renderers import render_full
from cycleaudit.report import build_context

BUSINESSES = [
    ROOT / "examples" / "online-shop.yaml",
    ROOT / "examples" / "b2b-subscription.yaml",
    *sorted((ROOT / "tests" / "fixtures" / "businesses").glob("*.yaml")),
]
PAGE_LIMITS = {"brief": 12, "full": 30}
Render = Callable[[Path, str, str], bytes]


@pytest.fixture(scope="session")
def rendered() -> Iterator[Render]:
    contexts: dict[Path, dict[str, object]] = {}
    pdfs: dict[tuple[Path, str, str], bytes] = {}

    def get(path: Path, detail: str, paper: str) -> bytes:
        if path not in contexts:
            contexts[path] = build_context(api.audit_file(path))
        key = (path, detail, paper)
        if key not in pdfs:
            pdfs[key] = render_full(contexts[path], "pdf", detail=detail, paper=paper).data
        return pdfs[key]

    yield get


def test_there_are_business_fixtures() -> None:
    assert len(BUSINESSES) >= 8, [p.name for p in BUSINESSES]


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("detail", ["brief", "full"])
@pytest.mark.parametrize("path", BUSINESSES, ids=lambda p: p.stem)
def test_pages_within_the_limit(rendered: Render, path: Path, detail: str, paper: str) -> None:
    pages = page_texts(rendered(path, detail, paper))
    assert len(pages) <= PAGE_LIMITS[detail], (path.name, detail, paper, len(pages))
    # Every stage has its own page in the brief: cover + 5 stages at least.
    assert len(pages) >= 8
    # No last page holding a stray line or two (the header and footer are two lines).
    assert len(pages[-1].strip().splitlines()) >= 8, pages[-1]


@pytest.mark.parametrize("detail", ["brief", "full"])
@pytest.mark.parametrize("path", BUSINESSES, ids=lambda p: p.stem)
def test_every_report_is_at_most_300_kb(rendered: Render, path: Path, detail: str) -> None:
    # Small enough to send by email; the hostile client writes in Chinese and Korean.
    assert len(rendered(path, detail, "a4")) <= 300_000


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("detail", ["brief", "full"])
@pytest.mark.parametrize("path", BUSINESSES, ids=lambda p: p.stem)
def test_no_text_printed_over_other_text(
    rendered: Render, path: Path, detail: str, paper: str
) -> None:
    assert overprints(rendered(path, detail, paper)) == []
