"""Characters no installed font can draw, reported once per report.

WeasyPrint logs one warning per drawn glyph it has to replace by an empty
box (``.notdef``): a note in a script the machine has no font for gave
13,708 lines on one report. ``MissingGlyphs`` recognises those records so the
PDF renderer can keep them out of its warnings and add one line instead,
naming each character once.
"""

from __future__ import annotations

import logging
import re

# The start of WeasyPrint 70's message (weasyprint/draw/text.py); its
# arguments are the character and its code point.
_NOTDEF = ".notdef glyph rendered"
_SHOWN = 12  # characters named in the line; the rest are counted
# Controls no font draws (C0 but tab and line ends, DEL, C1); text pasted from
# a terminal or an old database carries them. None is markup, so the whole page
# can be mended at once.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
REPLACEMENT = "\ufffd"


def visible_controls(html: str) -> str:
    """Each control character as the replacement mark, which every font we ship draws.

    The reader sees that something stood there (the text report shows it as an
    escape), and the report does not warn of empty boxes for characters that
    were never meant to be seen.
    """
    return _CONTROLS.sub(REPLACEMENT, html)


class MissingGlyphs:
    """Code points WeasyPrint drew as empty boxes, in order of appearance."""

    def __init__(self) -> None:
        self.codepoints: dict[int, None] = {}

    def take(self, record: logging.LogRecord) -> bool:
        """Note a missing-glyph record; False for any other record."""
        if not str(record.msg).startswith(_NOTDEF):
            return False
        args = record.args if isinstance(record.args, tuple) else ()
        codepoint = args[1] if len(args) > 1 and isinstance(args[1], int) else -1
        self.codepoints.setdefault(codepoint, None)
        return True

    def warning(self) -> str | None:
        """One line naming the characters, or None when every glyph was found."""
        if not self.codepoints:
            return None
        names = [_name(codepoint) for codepoint in self.codepoints]
        more = len(names) - _SHOWN
        listed = ", ".join(names[:_SHOWN]) + (f" and {more} more" if more > 0 else "")
        count = len(names)
        return (
            f"no installed font has {'a glyph' if count == 1 else 'glyphs'} for "
            f"{count} character{'s' if count != 1 else ''}, printed as empty boxes: {listed} "
            "(scripts/setup.sh installs the Noto fonts for most scripts)"
        )


def _name(codepoint: int) -> str:
    if codepoint < 0:
        return "(unknown)"
    char = chr(codepoint)
    # Control and unassigned characters are named by number only, so a
    # warning cannot carry terminal escapes.
    shown = f" {char}" if char.isprintable() and not char.isspace() else ""
    return f"U+{codepoint:04X}{shown}"
