"""Every script prints with real glyphs; a character no font has is named once.

The fixture questionnaire carries Greek, Cyrillic, Arabic, Hebrew, Chinese,
Japanese, Korean and emoji in the organisation name (repeated in every page
header), the respondents, evidence and notes. The fonts come from the system
(scripts/setup.sh installs the Noto families); the report's DejaVu stays first.
"""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

import pytest

pytest.importorskip("weasyprint")
pypdf = pytest.importorskip("pypdf")
from fontTools.cffLib import CFFFontSet  # noqa: E402
from tests.renderers.audits import make_audit  # noqa: E402

from cycleaudit import api  # noqa: E402
from cycleaudit.renderers import Rendered, render_full  # noqa: E402
from cycleaudit.renderers.glyphs import MissingGlyphs  # noqa: E402
from cycleaudit.report import build_context  # noqa: E402

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "questionnaires" / "every-script.yaml"
SAMPLES = {
    "Greek": "πελάτες",
    "Cyrillic": "покупатели",
    "Chinese": "收集电子邮件",
    "Japanese": "メールアドレス",
    "Korean": "이메일을",
    "emoji": "😀",
}
# Right-to-left words come out of a PDF in visual or logical order depending
# on the extractor; their letters must be there either way.
RTL_LETTERS = {"Arabic": set("نرسلرسالةشكر"), "Hebrew": set("אנחנושולחים")}


@pytest.fixture(scope="module")
def scripts_pdf() -> Rendered:
    return render_full(build_context(api.audit_file(FIXTURE)), "pdf", detail="full")


def _runs(data: bytes) -> list[tuple[str, object]]:
    """Every run of text with the font pypdf finds for it."""
    runs: list[tuple[str, object]] = []
    reader = pypdf.PdfReader(io.BytesIO(data))
    for page in reader.pages:
        page.extract_text(
            visitor_text=lambda text, _cm, _tm, font, _size: runs.append((text, font))
        )
    return runs


def _embedded(font: pypdf.generic.DictionaryObject) -> bool:
    descendants = font.get("/DescendantFonts")
    target = descendants[0].get_object() if descendants else font
    descriptor = target.get("/FontDescriptor")
    if descriptor is None:
        return False
    descriptor = descriptor.get_object()
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_every_script_renders_without_a_missing_glyph(scripts_pdf: Rendered) -> None:
    assert scripts_pdf.warnings == ()


def test_every_run_of_text_has_an_embedded_font(scripts_pdf: Rendered) -> None:
    runs = [(text, font) for text, font in _runs(scripts_pdf.data) if text.strip()]
    assert runs
    for text, font in runs:
        assert font is not None, f"no font for {text!r}"
        assert _embedded(font), f"font of {text!r} is not embedded"  # type: ignore[arg-type]
    text = "".join(t for t, _ in runs)
    for script, sample in SAMPLES.items():
        assert sample in text, script
    for script, letters in RTL_LETTERS.items():
        assert letters <= set(text), script


def test_fonts_are_subsets_with_the_report_font_first(scripts_pdf: Rendered) -> None:
    reader = pypdf.PdfReader(io.BytesIO(scripts_pdf.data))
    names: list[str] = []
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font") or {}
        for ref in fonts.values():
            name = str(ref.get_object()["/BaseFont"])
            if name not in names:
                names.append(name)
    # A subset's name starts with six capitals and a plus (PDF 32000, 9.6.4).
    assert all(len(n) > 8 and n[7] == "+" and n[1:7].isupper() for n in names), names
    assert "Report-Sans" in names[0] or "Report-Sans" in names[1]
    assert any("CJK" in n for n in names) and any("Emoji" in n for n in names)


def _drawn_cids(cid_font: pypdf.generic.DictionaryObject) -> set[int]:
    """The CIDs a /W array gives widths for: every glyph the text draws."""
    widths, cids, i = list(cid_font["/W"]), set(), 0
    while i < len(widths):
        if isinstance(widths[i + 1].get_object(), list):
            cids.update(range(int(widths[i]), int(widths[i]) + len(widths[i + 1].get_object())))
            i += 2
        else:
            cids.update(range(int(widths[i]), int(widths[i + 1]) + 1))
            i += 3
    return cids


def test_cjk_fonts_carry_the_glyphs_drawn_and_no_others(scripts_pdf: Rendered) -> None:
    # Noto Sans CJK has 65,000 glyphs: kept up to the last one drawn, the four
    # CJK fonts (roman and italic, Japanese and Korean forms) made 580 KB.
    assert len(scripts_pdf.data) <= 300_000
    reader = pypdf.PdfReader(io.BytesIO(scripts_pdf.data))
    fonts = {
        ref.idnum: ref.get_object()
        for page in reader.pages
        for ref in page["/Resources"]["/Font"].values()
        if "CJK" in ref.get_object()["/BaseFont"]
    }
    assert len(fonts) >= 2
    for font in fonts.values():
        cid_font = font["/DescendantFonts"][0].get_object()
        program = cid_font["/FontDescriptor"]["/FontFile3"].get_object()
        # A bare CFF font: readers find a glyph by its CID through the charset.
        assert program["/Subtype"] == "/CIDFontType0C"
        cff = CFFFontSet()
        cff.decompile(io.BytesIO(program.get_data()), None)
        top = cff.topDictIndex[0]
        drawn = _drawn_cids(cid_font)
        assert len(top.charset) <= len(drawn) + 1  # and .notdef
        text = {
            int(code, 16): chr(int(unit, 16))
            for code, unit in re.findall(
                rb"<([0-9a-f]{4})> <([0-9a-f]{4})>", font["/ToUnicode"].get_object().get_data()
            )
        }
        for cid in drawn - {0}:
            name = f"cid{cid:05d}"
            assert name in top.charset, (font["/BaseFont"], cid)
            if not text.get(cid, " ").isspace():
                charstring = top.CharStrings[name]
                assert charstring.calcBounds(top.CharStrings) is not None, (name, text.get(cid))


def test_printed_again_the_report_is_the_same_bytes(scripts_pdf: Rendered) -> None:
    # Emoji fonts are saved again by fontTools, which dated them with the time of the render.
    again = render_full(build_context(api.audit_file(FIXTURE)), "pdf", detail="full")
    assert again.data == scripts_pdf.data


def test_a_character_without_any_glyph_is_named_once() -> None:
    # U+0378 is unassigned: no font can have it. Three of them in the note and
    # the evidence (shown twice) would give nine WeasyPrint warnings.
    odd = "odd \u0378\u0378\u0378 and \U0001fffe"
    result = render_full(build_context(make_audit(note=odd, evidence=odd)), "pdf", detail="full")
    glyph_lines = [w for w in result.warnings if "glyph" in w]
    assert glyph_lines == [
        "no installed font has glyphs for 2 characters, printed as empty boxes: "
        "U+0378, U+1FFFE (scripts/setup.sh installs the Noto fonts for most scripts)"
    ]


def test_missing_glyphs_names_printable_characters_and_counts_the_rest() -> None:
    missing = MissingGlyphs()
    fmt = '.notdef glyph rendered for Unicode string unsupported by fonts: "%s" (U+%04X)'
    for codepoint in [0x1B, *range(0x4E00, 0x4E00 + 14), 0x4E00]:
        record = logging.LogRecord("weasyprint", logging.WARNING, "", 0, fmt, None, None)
        record.args = (chr(codepoint), codepoint)
        assert missing.take(record)
    other = logging.LogRecord("weasyprint", logging.WARNING, "", 0, "Ignored %s", ("x",), None)
    assert not missing.take(other)
    line = missing.warning()
    assert line is not None
    assert line.startswith("no installed font has glyphs for 15 characters")
    assert "U+001B," in line and "\x1b" not in line  # named by number, never printed
    assert "U+4E00 一" in line and "and 3 more" in line
    assert MissingGlyphs().warning() is None


def test_control_characters_print_as_the_replacement_mark_without_a_warning() -> None:
    # Pasted from a terminal: escapes and a bell in the name (on every page
    # header), a NUL and DEL in a note. No font draws them: they used to print
    # as empty boxes with a warning about missing fonts.
    audit = make_audit(note="Looks fine\x1b[2K\x00 ok\x7f\x85 end")
    name = audit.questionnaire.organisation.name
    context = build_context(audit)
    pdf = render_full(context, "pdf", detail="full")
    assert not [w for w in pdf.warnings if "glyph" in w]
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Looks fine\ufffd[2K\ufffd ok\ufffd\ufffd end" in text
    assert name in text
    html = render_full(context, "html", detail="full").data.decode("utf-8")
    assert "Looks fine\ufffd[2K\ufffd ok\ufffd\ufffd end" in html
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", html)
