"""The report as plain text, for a terminal or an email body.

Client text is reduced to plain text by the safe Markdown converter (links
shown as "text (address)", images as their alt text).
"""

from __future__ import annotations

import textwrap
from typing import Any

from cycleaudit.errors import printable_lines
from cycleaudit.renderers import Context, Rendered, RenderOptions
from cycleaudit.renderers.safe_markdown import to_text

WIDTH = 78


def _wrap(text: str, indent: str = "") -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if not paragraph.strip():
            lines.append("")
            continue
        lines.extend(
            textwrap.wrap(
                paragraph,
                WIDTH,
                initial_indent=indent,
                subsequent_indent=indent + ("  " if paragraph.lstrip().startswith("- ") else ""),
            )
            or [indent]
        )
    return lines


def _heading(title: str, char: str = "=") -> list[str]:
    return ["", title, char * min(len(title), WIDTH)]


def _quote(markdown: str) -> list[str]:
    text = to_text(markdown)
    return _wrap(text, "    > ") if text else []


def _suggestion(g: dict[str, Any]) -> list[str]:
    out = [
        "",
        f"  [{g['rank']}] {g['title']}  (impact {g['impact_label'].lower()}, "
        f"effort {g['effort_label'].lower()})",
    ]
    out += _wrap("What we saw: " + g["saw"], "    ")
    out += _quote(g["evidence"])
    out += _wrap("Why it matters: " + to_text(g["why"]).replace("\n\n", " "), "    ")
    if g["value"]:
        out += _wrap(
            f"On your figures: about {g['value']['display']}. {g['value']['assumption']}", "    "
        )
        out += _wrap(f"({g['value']['formula']})", "    ")
    out += _wrap("What to do first: " + g["first_step"], "    ")
    if g["read_more"]:
        out += _wrap("Read more: " + "; ".join(s["citation"] for s in g["read_more"]), "    ")
    return out


def render_text(r: Context, detail: str = "brief") -> str:
    """The report at either depth: ``brief`` prints the context's brief selections."""
    full = detail == "full"
    org = r["organisation"]
    s = r["summary"]
    out = [f"{r['title']}: {org['name']}", f"Audit date: {org['audited_display']}"]
    if org["auditor"]:
        out.append(f"Prepared by: {org['auditor']}")
    out += _heading("Executive summary")
    grade = f" ({s['grade']['label']})" if s["grade"] else ""
    out.append(f"Overall score: {s['overall_display']}{grade}")
    out += _wrap(s["headline"])
    out += _wrap(s["coverage_text"])
    if s["strongest"]:
        out += ["", "Keep doing:"]
        out += [f"  + {a['title']} ({a['stage']}, {a['level'].lower()})" for a in s["strongest"]]
    if s["weakest"]:
        out += ["", "Fix first:"]
        out += [
            f"  {a['rank']}. {a['title']} ({a['stage']}, {a['level'].lower()})"
            for a in s["weakest"]
        ]
    if s["weakest_link"]:
        out += ["", *_wrap(s["weakest_link"]["text"])]
    balance = s["balance"]
    out += ["", f"Before and after the sale: {balance['title'].lower()}."]
    out += [f"  {side['label']}: {side['display']}" for side in balance["sides"]]
    out += _wrap(balance["text"], "  ")
    if s["money_headline"]:
        out += ["", *_wrap(s["money_headline"])]
    if r.get("since"):  # `report --previous`: right after the summary, as in the PDF
        from cycleaudit.renderers.workshop import since_text

        out += _heading("Since your last audit")
        out += since_text(r["since"], "text", heading=False).strip("\n").split("\n")

    for f in (r["findings"] if full else r["brief"]["findings"]) + r["strengths"]:
        out += _heading(f"{f['kind_label']}: {f['title']}", "-")
        out += [f"  {e['label']}: {e['value']}" for e in f["saw"]]
        out += _wrap("Why it matters: " + to_text(f["why"]), "  ")
        if f["first_step"]:
            out += _wrap("First step: " + f["first_step"], "  ")

    out += _heading("Stages")
    for st in r["stages"]:
        flag = "  <- weakest link" if st["weakest"] else ""
        out.append(f"  {st['title']:<24} {st['score_display']:>14}  {st['grade']}{flag}")
    for st in r["stages"]:
        out += _heading(f"{st['number']}. {st['title']}: {st['score_display']}", "-")
        if not full:
            for group in st["practices_by_level"]:
                out += _wrap(f"{group['label']}: " + "; ".join(group["titles"]), "  ")
        for p in st["practices"] if full else []:
            out.append(f"  * {p['title']}: {p['status_label']}")
            out += _quote(p["evidence"])
            note = to_text(p["note"])
            if note:
                out += _wrap("Note: " + note, "    ")
            if p["reason"]:
                out += _wrap(p["reason"], "    ")
        for g in st["suggestions"] if full else st["top_suggestions"]:
            out += _suggestion(g)

    if r["suggestions"]:
        out += _heading("Action plan")
        for phase in r["plan"]["phases"]:
            if phase["id"] == "later" and not full:
                out += ["", f"{phase['title']}: {len(phase['actions'])} more, in the full report."]
                continue
            out += ["", phase["title"] + ":"]
            for a in phase["actions"]:
                after = f" (after {', '.join(a['after'])})" if a["after"] else ""
                out += _wrap(f"{a['rank']}. {a['title']}{after}: {a['first_step']}", "  ")
    if r["money"]:
        m = r["money"]
        out += _heading("The money")
        if m["lifetime_value"]:
            out += _wrap(
                f"Customer lifetime value: {m['lifetime_value']['display']} "
                f"({m['lifetime_value']['formula']})"
            )
        if m["ratio_display"]:
            out.append(f"Lifetime value against acquisition cost: {m['ratio_display']}")
        for v in m["at_stake"] if full else r["brief"]["at_stake"]:
            out += _wrap(
                f"{v['rank']}. {v['title']}: {v['display']} ({v['formula']}). {v['assumption']}",
                "  ",
            )
        if m["to_measure"]:
            out += _wrap("Measure these to size the gaps: " + "; ".join(m["to_measure"]) + ".")
    if not full:
        return printable_lines("\n".join(out).rstrip() + "\n")
    appendix = r["appendix"]
    if appendix["unknown"]:
        out += _heading("Questions still open", "-")
        out += [f"  - {u['title']} ({u['stage']}): {u['question']}" for u in appendix["unknown"]]
    out += _heading("How the scores are computed", "-")
    for paragraph in appendix["methodology"]["paragraphs"]:
        out += [*_wrap(paragraph), ""]
    if appendix["methodology"]["example"]:
        out += _wrap(appendix["methodology"]["example"])
    if appendix["sources"]:
        out += _heading("Sources", "-")
        for number, src in enumerate(appendix["sources"], start=1):
            out += _wrap(f"{number}. {src['citation']}", "   ")
            if src["url"]:  # on a line of its own, never broken, so it can be copied
                out.append(f"      {src['url']}")
    # Client values end up in a terminal: control characters are shown escaped.
    return printable_lines("\n".join(out).rstrip() + "\n")


def render(context: Context, options: RenderOptions) -> Rendered:
    text = render_text(context, options.detail)
    return Rendered(text.encode("utf-8"))
