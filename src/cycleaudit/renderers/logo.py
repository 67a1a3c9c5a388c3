"""Check a theme's logo before a report shows it.

A 490 KB PNG can declare 13,000 × 13,000 pixels and take 1.45 GB to draw,
and an SVG can name other files or web addresses that a browser would load.
The size is read from the image header without decoding it; an SVG is
parsed as XML and refused if anything in it points outside the file.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path
from xml.etree import ElementTree

MAX_PIXELS = 4096 * 4096
_EXTERNAL_CSS = re.compile(r"@import|url\(\s*['\"]?\s*(?!#|data:image/)", re.IGNORECASE)
_ACTIVE_TAGS = ("script", "foreignObject", "iframe", "object", "embed")


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG or JPEG header, or None if it cannot be read."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data.startswith(b"\xff\xd8"):
        at = 2
        while at + 9 < len(data):
            if data[at] != 0xFF:
                return None
            marker = data[at + 1]
            length = int.from_bytes(data[at + 2 : at + 4], "big")
            # SOF0..SOF15 carry the frame size; C4, C8 and CC are other segments.
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", data[at + 5 : at + 9])
                return int(width), int(height)
            at += 2 + length
    return None


def _svg_problem(data: bytes) -> str | None:
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        return f"the SVG cannot be read ({error})"
    for element in root.iter():
        tag = str(element.tag).rsplit("}", 1)[-1]
        if tag in _ACTIVE_TAGS:
            return f"the SVG holds a <{tag}> element"
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1]
            target = value.strip().lower()
            if local == "href" and not target.startswith(("#", "data:image/")):
                return f"the SVG refers to another file or address ({value[:60]})"
            if local.startswith("on"):
                return f"the SVG holds an event handler ({local})"
            if _EXTERNAL_CSS.search(value):
                return f"the SVG refers to another file or address in its {local} attribute"
        if tag == "style" and _EXTERNAL_CSS.search(element.text or ""):
            return "the SVG's style refers to another file or address"
    return None


def logo_problem(path: Path) -> str | None:
    """Why a logo cannot be shown, or None if it can."""
    data = path.read_bytes()
    if path.suffix.lower() == ".svg":
        return _svg_problem(data)
    size = image_size(data)
    if size is None:
        return "the image size cannot be read (use a PNG or JPEG file)"
    width, height = size
    if width * height > MAX_PIXELS:
        return (
            f"the image is {width:,} × {height:,} pixels; "
            f"the limit is {MAX_PIXELS:,} pixels (about 4,000 × 4,000)"
        )
    return None
