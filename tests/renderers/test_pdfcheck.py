"""The overprint check itself: it finds lines printed over lines, and only those.

Each fixture page is printed by the report's own PDF printer, so the check
reads the same kind of PDF (fonts, text runs, forms) as in the report tests.
"""

from __future__ import annotations

import pytest

pytest.importorskip("weasyprint")

from tests.renderers.conftest import FIXTURES
from tests.renderers.pdfcheck import overprints, words

from cycleaudit.renderers.pdf import print_html

PAGES = FIXTURES / "overprint"


def printed(name: str) -> bytes:
    html = (PAGES / name).read_text(encoding="utf-8")
    result = print_html(html, (), "2026-01-01T00:00:00Z", [])
    assert result.warnings == ()
    return result.data


def _pairs(found: list[str]) -> set[frozenset[str]]:
    pairs = set()
    for line in found:
        first, _, second = line.removeprefix("page 1: ").partition(" over ")
        pairs.add(frozenset((first.strip("'"), second.strip("'"))))
    return pairs


def test_lines_printed_over_lines_are_found() -> None:
    pairs = _pairs(overprints(printed("overprinted.html")))
    # A paragraph pulled up over the heading by a negative margin.
    assert frozenset(("Quarterly", "Leads")) in pairs
    assert frozenset(("review", "call.")) in pairs
    # An absolutely positioned line across the paragraph's first two lines.
    assert frozenset(("Follow-up", "Stamped")) in pairs
    assert frozenset(("Stamped", "had")) in pairs
    # A word running out of its cell into the next cell's, on the same line.
    assert frozenset(("Decision-makers", "Timeline")) in pairs
    # Words that only sit beside each other are never named.
    assert frozenset(("Timeline", "Budget")) not in pairs
    assert frozenset(("Stale", "deals")) not in pairs
    assert all(line.startswith("page 1: ") for line in overprints(printed("overprinted.html")))


def test_lines_that_only_touch_are_not_overprinted() -> None:
    # Lines set solid, a heading at line-height 0.9, super- and subscripts,
    # Chinese and Arabic in a line, a right-aligned cell.
    data = printed("set-solid.html")
    assert overprints(data) == []
    texts = [word.text for word in words(data)[0]]
    # A raised or lowered character stands on a baseline of its own.
    assert {"Every", "12", "%", "H", "2", "O", "too."} <= set(texts)
    assert any(text.endswith("电子邮件") for text in texts)


def test_word_boxes_follow_the_text() -> None:
    page = words(printed("set-solid.html"))[0]
    every, lead = page[0], page[1]
    assert (every.text, lead.text) == ("Every", "lead")
    # 12 pt text: the box is the em square, the next word one space further right.
    assert every.y1 - every.y0 == pytest.approx(12, abs=0.01)
    assert every.baseline == lead.baseline
    assert 2 < lead.x0 - every.x1 < 5
    # A5 with 2 cm margins: the first word starts at the left margin.
    assert every.x0 == pytest.approx(2 / 2.54 * 72, abs=0.5)
