"""Fonts in the PDF: CJK subsets keep only the glyphs drawn; no font is dated "now".

WeasyPrint 70 subsets a font keeping every glyph number up to the highest one
used, so that the text can name glyphs by their numbers in the full font.
For a Latin font that costs little; for Noto Sans CJK a few characters from
the end of its 65,000 glyphs leave tens of thousands of empty glyphs, each
with an entry in the charstring index and the metrics tables: about 120 KB
per font after compression, and a report with Chinese, Japanese and Korean
in roman and italic embeds four such fonts.

A CID-keyed CFF font (which Noto Sans CJK is) names each glyph by a CID in
its charset, and PDF readers find the glyph for a CID through that charset
(PDF 32000-1, 9.7.4.2), so its unused glyphs can go without renumbering the
text. Where WeasyPrint wrote CIDs equal to the glyph numbers, as it does,
this keeps the glyphs the PDF draws, each under its CID, and embeds the bare
CFF font (FontFile3 /CIDFontType0C): FreeType, behind most readers, looks
CIDs up in the charset of a bare CFF font but not in one wrapped in
OpenType. Any other font is left as written.

WeasyPrint saves some fonts through fontTools (emoji fonts, whose pictures
it takes out; variable fonts), which dates their ``head`` table with the
time of the render, so the same report printed twice differed. Each
TrueType font's modification date is set to its creation date instead.
"""

from __future__ import annotations

import io
from typing import Any

from fontTools import subset
from fontTools.ttLib import TTFont


def tidy_fonts(_document: Any, pdf: Any) -> None:
    """WeasyPrint finisher: compacts CID-keyed CFF fonts, dates TrueType fonts steadily.

    ``pdf`` is WeasyPrint's ``pydyf.PDF`` before it is written; a font file
    is found through the font descriptors, a CFF one through the CID fonts
    that use it, whose width arrays list every CID the text draws.
    """
    objects = pdf.objects
    drawn: dict[int, set[int]] = {}
    truetype: set[int] = set()
    for font in objects:
        if not isinstance(font, dict):
            continue
        if font.get("Type") == "/FontDescriptor" and "FontFile2" in font:
            truetype.add(_number(font["FontFile2"]))
        if font.get("Subtype") == "/CIDFontType0":
            descriptor = objects[_number(font["FontDescriptor"])]
            if "FontFile3" in descriptor:
                cids = drawn.setdefault(_number(descriptor["FontFile3"]), set())
                cids.update(_cids(font.get("W", [])))
    for number in sorted(truetype):
        stream = objects[number]
        try:
            stream.stream = [_undated(b"".join(stream.stream))]
        except Exception:  # fontTools raises many types; the font stays as written
            continue
    for number, cids in sorted(drawn.items()):
        stream = objects[number]
        try:
            cff = _compact(b"".join(stream.stream), cids)
        except Exception:  # fontTools raises many types; the font stays as written
            continue
        if cff is not None:
            stream.stream = [cff]
            stream.extra["Subtype"] = "/CIDFontType0C"


def _number(reference: bytes | str) -> int:
    """The object number of a reference such as ``b"12 0 R"``."""
    text = reference.decode() if isinstance(reference, bytes) else reference
    return int(text.split()[0])


def _cids(widths: list[Any]) -> set[int]:
    """The CIDs of a /W array: ``first [w w ...]`` or ``first last w`` groups."""
    cids: set[int] = set()
    i = 0
    while i < len(widths):
        first = int(widths[i])
        if isinstance(widths[i + 1], list):
            cids.update(range(first, first + len(widths[i + 1])))
            i += 2
        else:
            cids.update(range(first, int(widths[i + 1]) + 1))
            i += 3
    return cids


def _undated(data: bytes) -> bytes:
    """The TrueType font ``data`` modified when it was created; only ``head`` is rewritten."""
    font = TTFont(io.BytesIO(data), lazy=True, recalcTimestamp=False, recalcBBoxes=False)
    head = font["head"]
    if head.modified == head.created:
        return data
    head.modified = head.created
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _compact(data: bytes, cids: set[int]) -> bytes | None:
    """The bare CFF font of OpenType ``data`` with only the glyphs of ``cids``.

    None where that cannot be done: not a CID-keyed CFF font, nothing to
    drop, or a CID that is not its glyph's number.
    """
    font = TTFont(io.BytesIO(data), recalcTimestamp=False, lazy=True)
    if "CFF " not in font:
        return None
    # Only the CFF table is embedded: the others (metrics of every glyph) are not even read.
    for tag in list(font.reader.keys()):
        if tag != "CFF ":
            del font[tag]
    top = font["CFF "].cff.topDictIndex[0]
    order = font.getGlyphOrder()
    if not hasattr(top, "ROS") or len(order) <= len(cids) + 1:
        return None
    # The text names glyph g by CID g: that must be the glyph's CID in the charset.
    if any(cid >= len(order) or order[cid] != f"cid{cid:05d}" for cid in cids if cid):
        return None
    options = subset.Options(
        retain_gids=False,
        notdef_outline=True,  # .notdef stays as WeasyPrint left it (a box where glyphs lack)
        hinting=True,  # hints stay as WeasyPrint left them
        glyph_names=True,
        ignore_missing_glyphs=True,
        recalc_timestamp=False,
    )
    subsetter = subset.Subsetter(options)
    subsetter.populate(gids=sorted({0, *cids}))
    subsetter.subset(font)
    cff: bytes = font.getTableData("CFF ")
    return cff
