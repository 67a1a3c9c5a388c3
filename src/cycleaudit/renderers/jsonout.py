"""JSON out: the report context, results, summaries and indexes, written one way.

Every JSON cycleaudit writes goes through ``json_text`` (indented, UTF-8) or
``json_line`` (one line, for JSON Lines). orjson encodes, several times
faster than the standard library, which matters at thousands of results; its
indented output is byte for byte what ``json.dumps(indent=2,
ensure_ascii=False)`` gives for our data (a test holds the two together), and
the standard library takes over for anything orjson refuses (an integer past
64 bits, a key that is not a string). orjson would write a NaN as null where
the standard library refuses it; the engine's tests hold every result finite.
Either way the controls JSON leaves raw
(DEL, C1, bidi marks from a client's text) come out as ``\\u`` escapes, so a
file printed to a terminal cannot drive it.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

from cycleaudit.errors import json_safe
from cycleaudit.renderers import Context, Rendered, RenderOptions


def render(context: Context, options: RenderOptions) -> Rendered:
    """The report context as JSON: the same data every other format is made from."""
    return Rendered(json_bytes(context))


def json_text(value: Any) -> str:
    """Indented JSON with a final newline."""
    return json_bytes(value).decode("utf-8")


def json_bytes(value: Any) -> bytes:
    """Indented JSON, UTF-8, with a final newline."""
    # The newline added by the encoder: adding it here would copy the whole
    # text, hundreds of MB for the summary of a large batch.
    try:
        data = orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    except TypeError:  # orjson.JSONEncodeError is one
        text = json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
        data = text.encode("utf-8")
    return _safe(data)


def json_line(value: Any) -> bytes:
    """One line of JSON Lines (UTF-8, no line break inside), with its newline."""
    try:
        return _safe(orjson.dumps(value, option=orjson.OPT_APPEND_NEWLINE))
    except TypeError:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return _safe(text.encode("utf-8") + b"\n")


# The bytes that can start or continue the UTF-8 of a control JSON leaves raw
# (see errors.json_safe): DEL, C1 (C2 80-9F), the bidi marks and line
# separators (E2 80 8E-8F, E2 80 A8-AE, E2 81 A6-A9). With every other byte
# deleted, such a character's bytes are still side by side, so a quick search
# of what is left finds them all (and sometimes a harmless look-alike, which
# the exact pass then leaves alone). Five times quicker than the exact pass
# over a whole result, which most texts never need.
_MAYBE = frozenset(range(0x80, 0xA0)) | {0x7F, 0xC2, 0xE2} | frozenset(range(0xA6, 0xAF))
_OTHER_BYTES = bytes(b for b in range(256) if b not in _MAYBE)
_CONTROL_UTF8 = re.compile(rb"\x7f|\xc2[\x80-\x9f]|\xe2\x80[\x8e\x8f\xa8-\xae]|\xe2\x81[\xa6-\xa9]")


def _safe(data: bytes) -> bytes:
    if _CONTROL_UTF8.search(data.translate(None, _OTHER_BYTES)) is None:
        return data
    return json_safe(data.decode("utf-8")).encode("utf-8")
