"""The report as a Markdown document, for wikis, tickets and diff-able archives.

The output is GitHub Flavored Markdown without any raw HTML (a viewer in safe
mode drops raw HTML, so formulas are code spans), with a contents list that
links to each section's anchor as GitHub names it.

Text from the client's questionnaire (evidence, notes) goes through the safe
converter's ``to_markdown``: its paragraphs, lists and tables keep their
shape, everything else is escaped, and only links to public hosts stay
links. It is quoted outside any table, so a note cannot break one. Rubric
text (advice, assets) is reduced to plain text and escaped.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from cycleaudit.renderers import Context, Rendered, RenderOptions
from cycleaudit.renderers.links import allowed_link
from cycleaudit.renderers.safe_markdown import escape_markdown, to_markdown, to_text


def _quote(markdown: str) -> list[str]:
    text = to_markdown(markdown)
    if not text:
        return []
    return [">" + (" " + line if line else "") for line in text.split("\n")] + [""]


def _code(text: str) -> str:
    """A formula as a code span (its own backticks cannot close it early)."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {text} {fence}" if longest else f"`{text}`"


class _Anchors:
    """Heading anchors named as GitHub names them, for the contents list."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}
        self.entries: list[tuple[int, str, str]] = []

    def heading(self, level: int, plain: str) -> str:
        # GitHub keeps letters, digits, marks, "_" and "-", turns each space
        # into "-", and numbers repeats: "x", "x-1", "x-2".
        kept = "".join(
            c for c in plain.lower() if c in " -_" or unicodedata.category(c)[0] in "LMN"
        )
        slug = kept.replace(" ", "-")
        count = self.seen.get(slug, 0)
        self.seen[slug] = count + 1
        anchor = f"{slug}-{count}" if count else slug
        self.entries.append((level, plain, anchor))
        return f"{'#' * level} {escape_markdown(plain)}"

    def contents(self) -> list[str]:
        return [
            f"- [{escape_markdown(plain)}](#{anchor})"
            for level, plain, anchor in self.entries
            if level == 2
        ]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _rubric(markdown: str) -> str:
    """Rubric Markdown with links and images filtered: rendered to text, kept readable."""
    return escape_markdown(to_text(markdown))


def _suggestion(g: dict[str, Any], h: _Anchors) -> list[str]:
    out = [
        h.heading(4, f"{g['rank']}. {g['title']}"),
        "",
        f"*Impact: {g['impact_label'].lower()} · effort: {g['effort_label'].lower()}*",
        "",
        f"**What we saw.** {escape_markdown(g['saw'])}",
        "",
    ]
    out += _quote(g["evidence"])
    out += [f"**Why it matters.** {_rubric(g['why'])}", ""]
    if g["value"]:
        out += [
            f"On your figures this gap is worth about **{g['value']['display']}**. "
            f"{escape_markdown(g['value']['assumption'])}",
            "",
            f"*Worked out as* {_code(g['value']['formula'])}",
            "",
        ]
    out += [f"**What to do first.** {escape_markdown(g['first_step'])}", ""]
    if g["read_more"]:
        out += [
            "**Read more.** " + "; ".join(escape_markdown(s["citation"]) for s in g["read_more"]),
            "",
        ]
    return out


def render_markdown(r: Context, detail: str = "brief") -> str:
    """The report at either depth: ``brief`` prints the context's brief selections."""
    full = detail == "full"
    s = r["summary"]
    h = _Anchors()
    out = [
        h.heading(2, "Executive summary"),
        "",
        f"**Overall score: {s['overall_display']}**"
        + (f" — {escape_markdown(s['grade']['label'])}" if s["grade"] else ""),
        "",
        escape_markdown(s["headline"]),
        "",
        escape_markdown(s["coverage_text"]),
        "",
    ]
    if s["strongest"]:
        out += ["**Keep doing**", ""]
        out += [
            f"- {escape_markdown(a['title'])} ({a['stage']}, {a['level'].lower()})"
            for a in s["strongest"]
        ] + [""]
    if s["weakest"]:
        out += ["**Fix first**", ""]
        out += [
            f"- {a['rank']}. {escape_markdown(a['title'])} ({a['stage']}, {a['level'].lower()})"
            for a in s["weakest"]
        ] + [""]
    if s["weakest_link"]:
        out += [f"**Weakest link.** {escape_markdown(s['weakest_link']['text'])}", ""]
    balance = s["balance"]
    out += [
        f"**Before and after the sale: {balance['title'].lower()}.** "
        + "; ".join(f"{side['label']}: {side['display']}" for side in balance["sides"])
        + f". {escape_markdown(balance['text'])}",
        "",
    ]
    if s["money_headline"]:
        out += [f"**What is at stake.** {escape_markdown(s['money_headline'])}", ""]
    if r.get("since"):  # `report --previous`: right after the summary, as in the PDF
        from cycleaudit.renderers.workshop import since_text

        body = since_text(r["since"], "md", heading=False).strip("\n")
        out += [h.heading(2, "Since your last audit"), "", body, ""]

    risks = r["findings"] if full else r["brief"]["findings"]
    if risks or r["strengths"]:
        out += [h.heading(2, "Key findings"), ""]
        for f in risks + r["strengths"]:
            out += [h.heading(3, f"{f['title']} ({f['kind_label'].lower()})"), ""]
            out += [
                f"- {escape_markdown(e['label'])}: {escape_markdown(e['value'])}" for e in f["saw"]
            ] + [""]
            out += [f"**Why it matters.** {_rubric(f['why'])}", ""]
            if f["first_step"]:
                out += [f"**First step.** {escape_markdown(f['first_step'])}", ""]

    out += [h.heading(2, "Stages"), "", "| Stage | Side | Score | In words |", "|---|---|---:|---|"]
    for st in r["stages"]:
        flag = " (weakest link)" if st["weakest"] else ""
        out.append(
            f"| {_cell(st['title'])}{flag} | {st['side_label']} | {st['score_display']} "
            f"| {st['grade'] or '—'} |"
        )
    out.append("")
    for st in r["stages"]:
        out += [
            h.heading(2, f"{st['number']}. {st['title']}"),
            "",
            f"{st['score_display']} · {st['side_label']}",
            "",
        ]
        if st["practices"] and not full:
            out += ["| Your level | Practices |", "|---|---|"]
            out += [
                f"| {_cell(g['label'])} | {_cell('; '.join(g['titles']))} |"
                for g in st["practices_by_level"]
            ] + [""]
        elif st["practices"]:
            # Evidence and notes are the client's Markdown: quoted below the
            # table, where their paragraphs, lists and tables keep their shape.
            out += ["| Practice | Your level |", "|---|---|"]
            out += [
                f"| {_cell(p['title'])} | {_cell(p['status_label'])}"
                + (f": {_cell(escape_markdown(p['reason']))}" if p["reason"] else "")
                + " |"
                for p in st["practices"]
            ]
            out.append("")
            for p in st["practices"]:
                said = _quote(p["evidence"]) + _quote(p["note"])
                if said:
                    out += [f"**{escape_markdown(p['title'])}**, in your words:", "", *said]
        gaps = st["suggestions"] if full else st["top_suggestions"]
        if gaps:
            out += [h.heading(3, "Gaps and what to do"), ""]
            for g in gaps:
                out += _suggestion(g, h)

    if r["suggestions"] and full:
        out += [
            h.heading(2, "Action plan"),
            "",
            "| # | Action | Stage | Impact | Effort |",
            "|---:|---|---|---|---|",
        ]
        out += [
            f"| {g['rank']} | {_cell(g['title'])} | {g['stage']} | {g['impact_label']} | "
            f"{g['effort_label']} |"
            for g in r["suggestions"]
        ]
        out.append("")
    if r["suggestions"]:
        out += [
            # Under "Action plan" in the full report; its own chapter in the brief.
            h.heading(3 if full else 2, "Your 30/60/90-day plan"),
            "",
            escape_markdown(r["plan"]["capacity_note"]),
            "",
        ]
        for phase in r["plan"]["phases"]:
            if phase["id"] == "later" and not full:
                count = len(phase["actions"])
                out += [f"**{phase['title']}**: {count} more, listed in the full report.", ""]
                continue
            out += [f"**{phase['title']}**", ""]
            for a in phase["actions"]:
                after = f" (after {', '.join(a['after'])})" if a["after"] else ""
                out.append(
                    f"- {a['rank']}. {escape_markdown(a['title'])}{after}: "
                    f"{escape_markdown(a['first_step'])}"
                )
            out.append("")
    if r["money"]:
        m = r["money"]
        out += [h.heading(2, "The money"), ""]
        if m["lifetime_value"]:
            out += [
                f"Customer lifetime value: **{m['lifetime_value']['display']}** "
                f"({_code(m['lifetime_value']['formula'])})",
                "",
            ]
        if m["ratio_display"]:
            out += [f"Lifetime value against acquisition cost: **{m['ratio_display']}**", ""]
        for v in m["at_stake"] if full else r["brief"]["at_stake"]:
            out.append(
                f"- {v['rank']}. {escape_markdown(v['title'])}: **{v['display']}** "
                f"({_code(v['formula'])}). {escape_markdown(v['assumption'])}"
            )
        out.append("")
        if m["to_measure"]:
            out += ["**Measure these to size the gaps**", ""]
            out += [f"- {escape_markdown(item[:1].upper() + item[1:])}" for item in m["to_measure"]]
            out.append("")
    if not full:
        return _document(r, h, out)
    appendix = r["appendix"]
    if appendix["assets"]:
        out += [h.heading(2, "Ready-to-use material"), ""]
        for a in appendix["assets"]:
            out += [h.heading(3, a["title"]), "", _rubric(a["body"]), ""]
    if appendix["unknown"]:
        out += [h.heading(2, "Questions still open"), ""]
        out += [
            f"- {escape_markdown(u['title'])} ({u['stage']}): {escape_markdown(u['question'])}"
            for u in appendix["unknown"]
        ] + [""]
    out += [h.heading(2, "How the scores are computed"), ""]
    for paragraph in appendix["methodology"]["paragraphs"]:
        out += [escape_markdown(paragraph), ""]
    if appendix["methodology"]["example"]:
        out += [escape_markdown(appendix["methodology"]["example"]), ""]
    if appendix["sources"]:
        out += [h.heading(2, "Sources"), ""]
        out += [_source(src) for src in appendix["sources"]]
    return _document(r, h, out)


def _document(r: Context, h: _Anchors, out: list[str]) -> str:
    """The title, the contents list (known once every heading is written), the body."""
    org = r["organisation"]
    head = [
        f"# {escape_markdown(r['title'])}: {escape_markdown(org['name'])}",
        "",
        f"Audit date: {org['audited_display']}"
        + (f" · Prepared by {escape_markdown(org['auditor'])}" if org["auditor"] else ""),
        "",
        "**Contents**",
        "",
        *h.contents(),
        "",
    ]
    return "\n".join(head + out).rstrip() + "\n"


def _source(src: dict[str, Any]) -> str:
    """A numbered source with its address: linked when public, as code otherwise."""
    line = f"1. {escape_markdown(src['citation'])}"
    url = str(src.get("url") or "")
    if url and allowed_link(url):
        line += f": <{url.replace('>', '%3E').replace(' ', '%20')}>"
    elif url:
        line += f": {_code(url)}"
    if src.get("note"):
        line += f". {escape_markdown(src['note'])}"
    return line


def render(context: Context, options: RenderOptions) -> Rendered:
    text = render_markdown(context, options.detail)
    return Rendered(text.encode("utf-8"))
