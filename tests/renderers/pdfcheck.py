"""Reading a rendered PDF as its reader sees it: overprinted words, outline, pages."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pypdf

_PAGE = re.compile(r"<page [^>]*>(.*?)</page>", re.DOTALL)
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)
HAVE_PDFTOTEXT = shutil.which("pdftotext") is not None


def overprints(data: bytes) -> list[str]:
    """Words printed over other words, as "page N: 'x' over 'y'" lines.

    Every word's box comes from poppler's ``pdftotext -raw -bbox`` (words in
    the order they are drawn, so text from two cells stays two words even
    where it overlaps; 50 times faster than pdfminer). Two words overlap when
    they share more than 1.5 pt and 40 % of the narrower one's width, and half
    the lower one's height: kerning inside a word ("P.S.") stays below that.
    """
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.pdf"
        path.write_bytes(data)
        out = subprocess.run(
            ["pdftotext", "-raw", "-bbox", str(path), "-"], capture_output=True, check=True
        ).stdout.decode("utf-8", "replace")
    found: list[str] = []
    for number, body in enumerate(_PAGE.findall(out), 1):
        words = sorted(
            (float(m[1]), float(m[2]), float(m[3]), float(m[4]), m[5]) for m in _WORD.finditer(body)
        )
        for i, (ax0, ay0, ax1, ay1, a) in enumerate(words):
            for bx0, by0, bx1, by1, b in words[i + 1 :]:
                if bx0 >= ax1:
                    break
                wide = min(ax1, bx1) - max(ax0, bx0)
                high = min(ay1, by1) - max(ay0, by0)
                narrower = min(ax1 - ax0, bx1 - bx0)
                lower = min(ay1 - ay0, by1 - by0)
                if wide > 1.5 and wide > 0.4 * narrower and high > 0.5 * lower:
                    found.append(f"page {number}: {a!r} over {b!r}")
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
