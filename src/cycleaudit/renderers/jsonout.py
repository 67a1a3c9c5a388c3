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
from typing import Any

import orjson

from cycleaudit.errors import json_safe
from cycleaudit.renderers import Context, Rendered, RenderOptions


def render(context: Context, options: RenderOptions) -> Rendered:
    """The report context as JSON: the same data every other format is made from."""
    return Rendered(json_text(context).encode("utf-8"))


def json_text(value: Any) -> str:
    """Indented JSON with a final newline."""
    try:
        text = orjson.dumps(value, option=orjson.OPT_INDENT_2).decode("utf-8")
    except TypeError:  # orjson.JSONEncodeError is one
        text = json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)
    return json_safe(text) + "\n"


def json_line(value: Any) -> bytes:
    """One line of JSON Lines (UTF-8, no newline inside), with its newline."""
    try:
        text = orjson.dumps(value).decode("utf-8")
    except TypeError:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return (json_safe(text) + "\n").encode("utf-8")
