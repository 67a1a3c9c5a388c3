"""The report context as JSON: the same data every other format is made from."""

from __future__ import annotations

import json

from cycleaudit.renderers import Context, Rendered, RenderOptions


def render(context: Context, options: RenderOptions) -> Rendered:
    text = json.dumps(context, indent=2, ensure_ascii=False, allow_nan=False)
    return Rendered((text + "\n").encode("utf-8"))
