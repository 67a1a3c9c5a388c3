"""Reading a rendered PDF as its reader sees it: overprinted words, outline, pages."""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass, field, replace
from typing import Any

import pypdf
from pypdf.generic import ContentStream, DictionaryObject, IndirectObject

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
# A word's box runs from 0.2 em below its baseline to 0.8 em above: the em
# square, so that lines set solid (line-height 1) just touch.
BELOW, ABOVE = 0.2, 0.8


# Operators after which the next glyph may stand anywhere.
_MOVES = frozenset(("q", "Q", "cm", "BT", "Td", "TD", "Tm", "T*", "'", '"', "Ts", "Do"))


def _times(a: Matrix, b: Matrix) -> Matrix:
    """a then b, as PDF concatenates matrices (a x b)."""
    return (
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    )


def _point(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


@dataclass
class Word:
    """A word as printed: its box on the page (points, y upwards) and its em."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    baseline: float
    size: float


_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")


def _utf16(hexa: bytes) -> str:
    return bytes.fromhex(hexa.decode()).decode("utf-16-be", "replace")


def _to_unicode(stream: Any) -> dict[int, str]:
    """Code -> text from a ToUnicode CMap (bfchar and bfrange sections)."""
    cmap: dict[int, str] = {}
    data = stream.get_object().get_data()
    for section in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.DOTALL):
        codes = _HEX.findall(section)
        for src, dst in zip(codes[::2], codes[1::2], strict=True):
            cmap[int(src, 16)] = _utf16(dst)
    for section in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.DOTALL):
        for line in section.strip().splitlines():
            parts = _HEX.findall(line)
            if len(parts) < 3:
                continue
            low, high = int(parts[0], 16), int(parts[1], 16)
            if b"[" in line:
                for code, dst in zip(range(low, high + 1), parts[2:], strict=False):
                    cmap[code] = _utf16(dst)
            else:
                first = _utf16(parts[2])
                for offset in range(high - low + 1):
                    cmap[low + offset] = first[:-1] + chr(ord(first[-1]) + offset)
    return cmap


def _cids(encoding: Any) -> dict[int, int] | None:
    """Code -> CID of a Type0 font's encoding; None for Identity-H (the code is the CID).

    WeasyPrint embeds its own two-byte CMap when a font lacks some glyphs
    (those codes go to CID 0); only its cidchar and cidrange sections are read.
    """
    if encoding == "/Identity-H":
        return None
    data = encoding.get_object().get_data()
    assert b"<0000> <ffff>" in data, "only two-byte CMaps are read"
    cids: dict[int, int] = {}
    for section in re.findall(rb"begincidchar(.*?)endcidchar", data, re.DOTALL):
        for code, cid in re.findall(rb"<([0-9A-Fa-f]+)>\s+(\d+)", section):
            cids[int(code, 16)] = int(cid)
    for section in re.findall(rb"begincidrange(.*?)endcidrange", data, re.DOTALL):
        for low, high, cid in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s+(\d+)", section):
            for offset in range(int(high, 16) - int(low, 16) + 1):
                cids[int(low, 16) + offset] = int(cid) + offset
    return cids


@dataclass
class _Font:
    """What placing a glyph needs: code width, advance in 1/1000 em, text."""

    two_bytes: bool
    widths: dict[int, float]
    default: float
    text: dict[int, str]
    cids: dict[int, int] | None = None

    def width(self, code: int) -> float:
        cid = code if self.cids is None else self.cids.get(code, 0)
        return self.widths.get(cid, self.default)

    @classmethod
    def read(cls, font: Any) -> _Font:
        text = _to_unicode(font["/ToUnicode"]) if "/ToUnicode" in font else {}
        if font.get("/Subtype") == "/Type0":
            cid_font = font["/DescendantFonts"][0].get_object()
            widths: dict[int, float] = {}
            table = list(cid_font.get("/W", []))
            i = 0
            while i < len(table):
                first = int(table[i])
                if isinstance(table[i + 1].get_object(), list):
                    for offset, width in enumerate(table[i + 1].get_object()):
                        widths[first + offset] = float(width)
                    i += 2
                else:
                    for code in range(first, int(table[i + 1]) + 1):
                        widths[code] = float(table[i + 2])
                    i += 3
            default = float(cid_font.get("/DW", 1000))
            return cls(True, widths, default, text, _cids(font["/Encoding"]))
        first = int(font.get("/FirstChar", 0))
        simple = {first + i: float(w) for i, w in enumerate(font.get("/Widths", []))}
        if not text:
            text = {code: chr(code) for code in range(256)}
        return cls(False, simple, 0.0, text)

    def codes(self, string: bytes) -> list[int]:
        if self.two_bytes:
            return [int.from_bytes(string[i : i + 2], "big") for i in range(0, len(string) - 1, 2)]
        return list(string)


@dataclass
class _State:
    """The parts of the graphics state (PDF 32000, 8.4 and 9.3) that place glyphs."""

    ctm: Matrix = IDENTITY
    font: _Font | None = None
    size: float = 0.0
    char_spacing: float = 0.0
    word_spacing: float = 0.0
    scale: float = 1.0
    leading: float = 0.0
    rise: float = 0.0


@dataclass
class _Page:
    """Walks a page's content, forms included, collecting the words it shows."""

    reader: pypdf.PdfReader
    fonts: dict[int, _Font] = field(default_factory=dict)
    words: list[Word] = field(default_factory=list)
    _open: Word | None = None
    # Set when the pen was placed anew: only then can a word end without a space.
    _moved: bool = True

    def _font(self, ref: Any) -> _Font:
        key = ref.idnum if isinstance(ref, IndirectObject) else id(ref)
        if key not in self.fonts:
            self.fonts[key] = _Font.read(ref.get_object())
        return self.fonts[key]

    def finish(self) -> list[Word]:
        self._close()
        return self.words

    def _close(self) -> None:
        if self._open is not None and self._open.text.strip():
            self.words.append(self._open)
        self._open = None

    def _glyph(self, m: Matrix, left: float, right: float, size: float, text: str) -> None:
        """One glyph, ``left`` to ``right`` on the baseline: ends, starts or extends a word.

        ``m`` takes the text space of the string's start (font size not
        applied) to the page; ``size`` is the em in that space.
        """
        if not text.strip() and text != "":
            self._close()
            return
        corners = [_point(m, x, y) for x in (left, right) for y in (-BELOW * size, ABOVE * size)]
        xs, ys = [c[0] for c in corners], [c[1] for c in corners]
        baseline = _point(m, left, 0)[1]
        last = self._open
        if last is not None and self._moved:
            # Across runs a word goes on only from where its last glyph ended,
            # on its baseline; kerning inside a run never splits it.
            gap = min(xs) - last.x1
            if abs(baseline - last.baseline) > 0.5 or not -1 < gap < 0.3 * last.size:
                self._close()
                last = None
        self._moved = False
        if last is None:
            em = size * math.hypot(m[2], m[3])
            self._open = Word(text, min(xs), min(ys), max(xs), max(ys), baseline, em)
        else:
            last.text += text
            last.x0, last.y0 = min(last.x0, *xs), min(last.y0, *ys)
            last.x1, last.y1 = max(last.x1, *xs), max(last.y1, *ys)

    def walk(self, content: Any, resources: Any, state: _State) -> None:
        """Shows the text of ``content``, starting from the graphics state ``state``."""
        fonts = resources.get("/Font", DictionaryObject()).get_object()
        xobjects = resources.get("/XObject", DictionaryObject()).get_object()
        stack: list[_State] = []
        tm = line = IDENTITY
        for operands, operator in ContentStream(content, self.reader).operations:
            op = operator.decode("latin-1") if isinstance(operator, bytes) else str(operator)
            if op in _MOVES:
                self._moved = True
            if op == "q":
                stack.append(replace(state))
            elif op == "Q" and stack:
                state = stack.pop()
            elif op == "cm":
                state.ctm = _times(tuple(float(v) for v in operands), state.ctm)  # type: ignore[arg-type]
            elif op == "BT":
                tm = line = IDENTITY
            elif op == "Tf":
                state.font, state.size = self._font(fonts[operands[0]]), float(operands[1])
            elif op == "Tc":
                state.char_spacing = float(operands[0])
            elif op == "Tw":
                state.word_spacing = float(operands[0])
            elif op == "Tz":
                state.scale = float(operands[0]) / 100
            elif op == "TL":
                state.leading = float(operands[0])
            elif op == "Ts":
                state.rise = float(operands[0])
            elif op in ("Td", "TD"):
                if op == "TD":
                    state.leading = -float(operands[1])
                tm = line = _times((1, 0, 0, 1, float(operands[0]), float(operands[1])), line)
            elif op == "Tm":
                tm = line = tuple(float(v) for v in operands)  # type: ignore[assignment]
            elif op in ("T*", "'", '"'):
                if op == '"':
                    state.word_spacing, state.char_spacing = float(operands[0]), float(operands[1])
                tm = line = _times((1, 0, 0, 1, 0, -state.leading), line)
                if op != "T*":
                    tm = self._show(state, tm, [operands[-1]])
            elif op == "Tj":
                tm = self._show(state, tm, [operands[0]])
            elif op == "TJ":
                tm = self._show(state, tm, list(operands[0]))
            elif op == "Do":
                xobject = xobjects[operands[0]].get_object()
                if xobject.get("/Subtype") == "/Form":
                    self._close()
                    matrix = tuple(float(v) for v in xobject.get("/Matrix", IDENTITY))
                    inner = xobject.get("/Resources", resources).get_object()
                    ctm = _times(matrix, state.ctm)  # type: ignore[arg-type]
                    self.walk(xobject, inner, replace(state, ctm=ctm))
                    self._close()

    def _show(self, state: _State, tm: Matrix, items: list[Any]) -> Matrix:
        """Places the glyphs of a Tj or TJ; returns the text matrix after them."""
        font = state.font
        assert font is not None, "text shown before any Tf"
        # Text space to the page, raised by the rise: glyphs only move along x.
        m = _times((1, 0, 0, 1, 0, state.rise), _times(tm, state.ctm))
        pen = 0.0
        for item in items:
            if isinstance(item, (bytes, str)):
                string = item if isinstance(item, bytes) else item.original_bytes  # type: ignore[attr-defined]
                for code in font.codes(string):
                    width = font.width(code) / 1000 * state.size
                    right = pen + width * state.scale
                    self._glyph(m, pen, right, state.size, font.text.get(code, ""))
                    advance = width + state.char_spacing
                    if not font.two_bytes and code == 32:
                        advance += state.word_spacing
                    pen += advance * state.scale
            else:
                pen -= float(item) / 1000 * state.size * state.scale
        return _times((1, 0, 0, 1, pen, 0), tm)


def words(data: bytes) -> list[list[Word]]:
    """Every page's words with their boxes in page space (points, y upwards)."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    pages: list[list[Word]] = []
    fonts: dict[int, _Font] = {}
    for page in reader.pages:
        walker = _Page(reader, fonts)
        contents = page.get_contents()
        if contents is not None:
            walker.walk(contents, page["/Resources"].get_object(), _State())
        pages.append(walker.finish())
    return pages


def overprints(data: bytes) -> list[str]:
    """Words printed over words of another line, as "page N: 'x' over 'y'" lines.

    Each word's box is placed from the text and current transformation
    matrices, its width from the font's glyph widths and its height the em
    square of its size. Words on one baseline are one line. Two words of
    different lines overprint when their boxes share more than 1 pt across
    and more than 15 % of the smaller one's height: lines set solid touch,
    and a heading set at line-height 0.9 overlaps by 10 % without its
    letters meeting (below 0.85 descenders reach the next line's capitals).
    Words of one line, a space apart, overprint when they share more than
    1.5 pt, as where a cell's text runs into the next cell's.
    """
    found: list[str] = []
    for number, page in enumerate(words(data), 1):
        ordered = sorted(page, key=lambda w: w.x0)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                if b.x0 >= a.x1:
                    break
                wide = min(a.x1, b.x1) - max(a.x0, b.x0)
                high = min(a.y1, b.y1) - max(a.y0, b.y0)
                if abs(a.baseline - b.baseline) > 0.5:
                    hit = wide > 1 and high > 0.15 * min(a.y1 - a.y0, b.y1 - b.y0)
                else:
                    hit = wide > 1.5
                if hit:
                    found.append(f"page {number}: {a.text!r} over {b.text!r}")
    return found


def outline_titles(data: bytes) -> list[tuple[int, str]]:
    """Every bookmark as (depth, title), in order."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    titles: list[tuple[int, str]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                titles.append((depth, str(item.title)))

    walk(reader.outline, 0)
    return titles


def page_texts(data: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [page.extract_text() or "" for page in reader.pages]
