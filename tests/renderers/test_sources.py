"""A rubric's sources keep their web addresses in every format; only public ones are links."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from cycleaudit import api
from cycleaudit.errors import InputError
from cycleaudit.model import Audit

ROOT = Path(__file__).parents[2]
RUBRIC = ROOT / "tests" / "fixtures" / "rubrics" / "sources-with-addresses.yaml"
PUBLIC = "https://www.acme-consulting.co.uk/playbook?edition=2025&lang=en"
PRIVATE = "http://192.168.1.20/notes"


@pytest.fixture(scope="module")
def audit() -> Audit:
    return api.audit_file(ROOT / "examples" / "online-shop.yaml", rubric=RUBRIC)


def _full(audit: Audit, fmt: str) -> bytes:
    return api.render_report(audit, fmt, detail="full")


def test_markdown_links_the_public_address_and_quotes_the_private_one(audit: Audit) -> None:
    text = _full(audit, "md").decode()
    assert f"1. The Acme client-care playbook — Acme Consulting, 2025: <{PUBLIC}>" in text
    assert f"1. Workshop notes on our intranet: `{PRIVATE}`" in text
    assert f"<{PRIVATE}>" not in text and f"]({PRIVATE})" not in text


def test_html_links_only_the_public_address(audit: Audit) -> None:
    page = _full(audit, "html").decode()
    assert f'href="{PUBLIC.replace("&", "&amp;")}"' in page
    assert PRIVATE in page and f'href="{PRIVATE}' not in page


def test_text_prints_each_address_whole_on_its_own_line(audit: Audit) -> None:
    lines = [line.strip() for line in _full(audit, "text").decode().splitlines()]
    assert PUBLIC in lines and PRIVATE in lines


def test_pdf_has_a_link_to_the_public_address_only(audit: Audit) -> None:
    reader = PdfReader(io.BytesIO(_full(audit, "pdf")))
    targets = {
        str(annotation.get_object()["/A"].get("/URI"))
        for page in reader.pages
        for annotation in page.get("/Annots") or []
        if "/A" in annotation.get_object()
    }
    assert PUBLIC in targets
    assert not any("192.168" in target for target in targets)


def test_an_address_that_is_not_a_web_address_is_refused(tmp_path: Path) -> None:
    rubric = tmp_path / "bad.yaml"
    rubric.write_text(
        RUBRIC.read_text(encoding="utf-8").replace(PRIVATE, "file:///etc/passwd"), encoding="utf-8"
    )
    with pytest.raises(InputError) as caught:
        api.audit_file(ROOT / "examples" / "online-shop.yaml", rubric=rubric)
    assert f"{rubric}:17:" in str(caught.value)
    assert "give a web address starting with https://" in str(caught.value)
