"""The printable worksheet, read back as a facilitator's printout would be."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from cycleaudit import api
from cycleaudit.cli import main

ROOT = Path(__file__).parent.parent.parent


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["worksheet", *args])
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def a4(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    target = tmp_path_factory.mktemp("ws") / "worksheet.pdf"
    code, out = run("-o", str(target), "--org", "Crumb & Veil")
    assert code == 0, out
    return target.read_bytes()


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_every_stage_and_question_is_printed_with_its_id(a4: bytes) -> None:
    reader = PdfReader(io.BytesIO(a4))
    text = words(" ".join(page.extract_text() for page in reader.pages))
    rubric = api.load_rubric("default")
    assert "Crumb & Veil" in text
    for stage in rubric.stages:
        assert stage.title in text
    for tactic in rubric.tactics:
        assert words(tactic.question) in text, tactic.id
        assert tactic.id in text
    assert "Does not apply" in text
    assert "churn-rate" in text and "team-size" in text  # fill-in fields from the schema
    assert float(reader.pages[0].mediabox.width) == pytest.approx(595.28, abs=0.5)


def test_no_question_is_split_across_pages(a4: bytes) -> None:
    texts = [words(page.extract_text()) for page in PdfReader(io.BytesIO(a4)).pages]
    rubric = api.load_rubric("default")
    for tactic in rubric.tactics:
        pages = [text for text in texts if tactic.id in text]
        assert len(pages) == 1, tactic.id
        page = pages[0]
        # The question's last level and its writing lines sit on the same page as its id.
        last = rubric.levels[-1].title
        assert words(tactic.question) in page and last in page and "Notes" in page


def test_same_rubric_same_bytes_and_letter_paper(tmp_path: Path, a4: bytes) -> None:
    again = tmp_path / "again.pdf"
    assert run("-o", str(again), "--org", "Crumb & Veil")[0] == 0
    assert again.read_bytes() == a4
    letter = tmp_path / "letter.html"
    assert run("-o", str(letter), "--paper", "letter")[0] == 0
    assert "size: letter" in letter.read_text(encoding="utf-8").lower().replace("  ", " ")


def test_an_overlay_adds_its_own_question(tmp_path: Path) -> None:
    target = tmp_path / "overlay.html"
    code, out = run("-o", str(target), "-r", str(ROOT / "examples" / "consultant-overlay.yaml"))
    assert code == 0, out
    html = target.read_text(encoding="utf-8")
    overlay = api.load_rubric(ROOT / "examples" / "consultant-overlay.yaml")
    base = {t.id for t in api.load_rubric("default").tactics}
    added = [t for t in overlay.tactics if t.id not in base]
    assert added
    for tactic in added:
        assert tactic.id in html
    assert html.count('<fieldset class="ws-question">') == len(overlay.tactics)


def test_a_bad_rubric_is_refused_and_nothing_written(tmp_path: Path) -> None:
    target = tmp_path / "worksheet.pdf"
    code, out = run("-o", str(target), "-r", "no-such-rubric")
    assert code == 2
    assert "no-such-rubric" in out
    assert not target.exists()
