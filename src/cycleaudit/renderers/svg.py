"""Charts drawn as inline SVG strings, the same in the HTML and the PDF.

Drawing them here (instead of a plotting library) keeps the report
self-contained and byte-stable: no fonts embedded twice, no timestamps, no
random ids. Every piece of text goes through ``_esc``; colours come from the
theme's validated palette.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

Palette = Mapping[str, str]
FONT = "Report Sans, DejaVu Sans, Helvetica, Arial, sans-serif"


def _esc(text: object) -> str:
    return escape(str(text), quote=True)


def _num(value: float) -> str:
    """Coordinates with at most one decimal so output is stable and small."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def score_colour(score: float | None, palette: Palette) -> str:
    if score is None:
        return palette["muted"]
    if score < 40:
        return palette["bad"]
    if score < 70:
        return palette["warn"]
    return palette["good"]


def _open(width: int, height: int, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'font-family="{FONT}"><title>{_esc(title)}</title>'
    )


def _wrap(label: str, width: int) -> list[str]:
    """Split a label into lines of about ``width`` characters."""
    words = label.split()
    lines: list[str] = []
    current = ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return lines or [""]


def bars(
    rows: Sequence[Mapping[str, Any]],
    palette: Palette,
    *,
    title: str,
    label_width: int = 190,
    width: int = 640,
) -> str:
    """Horizontal 0..100 bars, one per row (``label``, ``score``, ``display``, ``weakest``)."""
    row_h = 34
    top = 8
    axis_h = 22
    height = top + row_h * len(rows) + axis_h
    plot_w = width - label_width - 60
    out = [_open(width, height, title)]
    for tick in (0, 25, 50, 75, 100):
        x = label_width + plot_w * tick / 100
        out.append(
            f'<line x1="{_num(x)}" y1="{top}" x2="{_num(x)}" '
            f'y2="{top + row_h * len(rows)}" stroke="{palette["grid"]}" '
            f'stroke-width="1"/>'
        )
        out.append(
            f'<text x="{_num(x)}" y="{height - 6}" font-size="11" text-anchor="middle" '
            f'fill="{palette["muted"]}">{tick}</text>'
        )
    for index, row in enumerate(rows):
        y = top + index * row_h
        score = row.get("score")
        weakest = bool(row.get("weakest"))
        bold = ' font-weight="bold"' if weakest else ""
        out.append(
            f'<text x="{label_width - 10}" y="{y + 21}" font-size="13" '
            f'text-anchor="end" fill="{palette["ink"]}"{bold}>{_esc(row["label"])}</text>'
        )
        out.append(
            f'<rect x="{label_width}" y="{y + 7}" width="{plot_w}" height="20" '
            f'fill="{palette["track"]}"/>'
        )
        flag = " · weakest link" if weakest else ""
        if score is not None:
            bar_w = max(plot_w * float(score) / 100, 1.5)
            out.append(
                f'<rect x="{label_width}" y="{y + 7}" width="{_num(bar_w)}" height="20" '
                f'fill="{score_colour(float(score), palette)}"/>'
            )
            text_x = label_width + bar_w + 6
        else:
            text_x = label_width + 6
        out.append(
            f'<text x="{_num(text_x)}" y="{y + 22}" font-size="12" '
            f'fill="{palette["ink"]}">{_esc(row["display"])}{flag}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def cycle(stages: Sequence[Mapping[str, Any]], palette: Palette, *, title: str) -> str:
    """The five stages on a circle, arrows in buying order, the weakest link ringed."""
    width, height = 600, 430
    cx, cy, radius, node_r = 300, 222, 124, 38
    count = max(len(stages), 1)
    points = []
    for index in range(count):
        angle = -math.pi / 2 + 2 * math.pi * index / count
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    out = [
        _open(width, height, title),
        f'<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto"><path d="M0 0 L10 5 L0 10 z" '
        f'fill="{palette["muted"]}"/></marker></defs>',
    ]
    for index in range(count):
        (x1, y1), (x2, y2) = points[index], points[(index + 1) % count]
        dx, dy = x2 - x1, y2 - y1
        dist = math.hypot(dx, dy) or 1
        ux, uy = dx / dist, dy / dist
        sx, sy = x1 + ux * (node_r + 6), y1 + uy * (node_r + 6)
        ex, ey = x2 - ux * (node_r + 8), y2 - uy * (node_r + 8)
        # Bow the arrow outwards so it follows the circle instead of crossing it.
        mx, my = (sx + ex) / 2, (sy + ey) / 2
        ox, oy = mx - cx, my - cy
        olen = math.hypot(ox, oy) or 1
        qx, qy = mx + ox / olen * 22, my + oy / olen * 22
        dash = ' stroke-dasharray="5 4"' if index == count - 1 else ""
        out.append(
            f'<path d="M{_num(sx)} {_num(sy)} Q{_num(qx)} {_num(qy)} {_num(ex)} {_num(ey)}" '
            f'fill="none" stroke="{palette["muted"]}" stroke-width="2"{dash} '
            f'marker-end="url(#arrow)"/>'
        )
    for index, stage in enumerate(stages):
        x, y = points[index]
        score = stage.get("score")
        colour = score_colour(None if score is None else float(score), palette)
        if stage.get("weakest"):
            out.append(
                f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{node_r + 7}" fill="none" '
                f'stroke="{palette["bad"]}" stroke-width="3" stroke-dasharray="6 3"/>'
            )
        out.append(f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{node_r}" fill="{colour}"/>')
        out.append(
            f'<text x="{_num(x)}" y="{_num(y + 7)}" font-size="21" font-weight="bold" '
            f'text-anchor="middle" fill="#ffffff">'
            f"{_esc(stage['display'] if score is not None else '–')}</text>"
        )
        lines = _wrap(str(stage["label"]), 16)
        if stage.get("weakest"):
            lines = [*lines, "weakest link"]
        # Labels sit outside the circle: above the top node, below the bottom
        # ones, beside the others, so they never cross an arrow.
        if index == 0:
            anchor, lx = "middle", x
            ly = y - node_r - 14 - 15 * (len(lines) - 1)
        elif y > cy + node_r / 2:
            anchor, lx, ly = "middle", x, y + node_r + 20
        elif x > cx:
            anchor, lx, ly = "start", x + node_r + 12, y - 7 * (len(lines) - 1) + 4
        else:
            anchor, lx, ly = "end", x - node_r - 12, y - 7 * (len(lines) - 1) + 4
        for line_no, line in enumerate(lines):
            is_flag = stage.get("weakest") and line_no == len(lines) - 1
            fill = palette["bad"] if is_flag else palette["ink"]
            weight = ' font-style="italic"' if is_flag else ' font-weight="bold"'
            out.append(
                f'<text x="{_num(lx)}" y="{_num(ly + 15 * line_no)}" font-size="13"'
                f'{weight} text-anchor="{anchor}" fill="{fill}">{_esc(line)}</text>'
            )
    out.append(
        f'<text x="{cx}" y="{cy - 4}" font-size="12" text-anchor="middle" '
        f'fill="{palette["muted"]}">score out of 100</text>'
    )
    out.append(
        f'<text x="{cx}" y="{cy + 13}" font-size="11" text-anchor="middle" '
        f'fill="{palette["muted"]}">dashed: back to the start</text>'
    )
    out.append("</svg>")
    return "".join(out)


def matrix(cells: Sequence[Mapping[str, Any]], palette: Palette, *, title: str) -> str:
    """Impact (rows, high at the top) against effort (columns, low on the left)."""
    width, height = 640, 330
    left, top, cell_w, cell_h = 112, 8, 170, 90
    efforts = ("low", "medium", "high")
    impacts = ("high", "medium", "low")
    out = [_open(width, height, title)]
    for cell in cells:
        col = efforts.index(str(cell["effort"]))
        row = impacts.index(str(cell["impact"]))
        x, y = left + col * cell_w, top + row * cell_h
        # Shading follows the rubric's quadrants, as the report's lists do.
        quadrant = cell.get("quadrant")
        fill = palette["quick"] if quadrant == "quick-win" else "#ffffff"
        out.append(
            f'<rect x="{x}" y="{y}" width="{cell_w}" height="{cell_h}" fill="{fill}" '
            f'stroke="{palette["grid"]}" stroke-width="1.5"/>'
        )
        items = list(cell["actions"])
        for n, item in enumerate(items[:18]):
            ix = x + 16 + (n % 6) * 27
            iy = y + 17 + (n // 6) * 27
            out.append(f'<circle cx="{ix}" cy="{iy}" r="11.5" fill="{palette["accent"]}"/>')
            out.append(
                f'<text x="{ix}" y="{iy + 4}" font-size="11" font-weight="bold" '
                f'text-anchor="middle" fill="#ffffff">{_esc(item["rank"])}</text>'
            )
        if len(items) > 18:
            out.append(
                f'<text x="{x + cell_w - 8}" y="{y + cell_h - 8}" font-size="11" '
                f'text-anchor="end" fill="{palette["ink"]}">+{len(items) - 18} more</text>'
            )
    for col, effort in enumerate(efforts):
        out.append(
            f'<text x="{left + col * cell_w + cell_w / 2:.0f}" y="{top + 3 * cell_h + 20}" '
            f'font-size="12" text-anchor="middle" fill="{palette["ink"]}">'
            f"{effort.capitalize()} effort</text>"
        )
    for row, impact in enumerate(impacts):
        out.append(
            f'<text x="{left - 10}" y="{top + row * cell_h + cell_h / 2 + 4:.0f}" '
            f'font-size="12" text-anchor="end" fill="{palette["ink"]}">'
            f"{impact.capitalize()} impact</text>"
        )
    out.append(
        f'<text x="{left + 3 * cell_w / 2:.0f}" y="{height - 6}" font-size="11" '
        f'text-anchor="middle" fill="{palette["muted"]}">shaded: quick wins (high '
        f"impact for low effort) · numbers are the action ranks</text>"
    )
    out.append("</svg>")
    return "".join(out)
