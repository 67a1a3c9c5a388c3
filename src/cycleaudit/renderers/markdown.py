"""The report as a Markdown document, for wikis, tickets and diff-able archives.

Text from the client's questionnaire (evidence, notes) is first reduced to
plain text by the safe converter and then escaped, so raw HTML, images or
``javascript:`` links in a questionnaire stay inert in whatever viewer shows
this file. Rubric text (advice, assets) is the consultant's own Markdown and
goes through the same converter's link filter.
"""

from __future__ import annotations

from typing import Any

from cycleaudit.renderers import Context, Rendered, RenderOptions
from cycleaudit.renderers.safe_markdown import escape_markdown, to_text


def _client(markdown: str) -> str:
    """Client text as inert Markdown."""
    return escape_markdown(to_text(markdown))


def _quote(markdown: str) -> list[str]:
    text = _client(markdown)
    if not text:
        return []
    return [">" + (" " + line if line else "") for line in text.split("\n")] + [""]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _rubric(markdown: str) -> str:
    """Rubric Markdown with links and images filtered: rendered to text, kept readable."""
    return escape_markdown(to_text(markdown))


def _suggestion(g: dict[str, Any]) -> list[str]:
    out = [
        f"#### {g['rank']}. {escape_markdown(g['title'])}",
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
            f"<sub>{escape_markdown(g['value']['formula'])}</sub>",
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
    org = r["organisation"]
    s = r["summary"]
    out = [
        f"# {escape_markdown(r['title'])}: {escape_markdown(org['name'])}",
        "",
        f"Audit date: {org['audited_display']}"
        + (f" · Prepared by {escape_markdown(org['auditor'])}" if org["auditor"] else ""),
        "",
        "## Executive summary",
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

    risks = r["findings"] if full else r["brief"]["findings"]
    if risks or r["strengths"]:
        out += ["## Key findings", ""]
        for f in risks + r["strengths"]:
            out += [f"### {escape_markdown(f['title'])} ({f['kind_label'].lower()})", ""]
            out += [
                f"- {escape_markdown(e['label'])}: {escape_markdown(e['value'])}" for e in f["saw"]
            ] + [""]
            out += [f"**Why it matters.** {_rubric(f['why'])}", ""]
            if f["first_step"]:
                out += [f"**First step.** {escape_markdown(f['first_step'])}", ""]

    out += ["## Stages", "", "| Stage | Side | Score | In words |", "|---|---|---:|---|"]
    for st in r["stages"]:
        flag = " (weakest link)" if st["weakest"] else ""
        out.append(
            f"| {_cell(st['title'])}{flag} | {st['side_label']} | {st['score_display']} "
            f"| {st['grade'] or '—'} |"
        )
    out.append("")
    for st in r["stages"]:
        out += [
            f"## {st['number']}. {escape_markdown(st['title'])}",
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
            out += ["| Practice | Your level | Your evidence and notes |", "|---|---|---|"]
            for p in st["practices"]:
                said = " ".join(
                    x
                    for x in (
                        _client(p["evidence"]),
                        _client(p["note"]),
                        escape_markdown(p["reason"]),
                    )
                    if x
                )
                out.append(
                    f"| {_cell(p['title'])} | {_cell(p['status_label'])} | {_cell(said) or '—'} |"
                )
            out.append("")
        gaps = st["suggestions"] if full else st["top_suggestions"]
        if gaps:
            out += ["### Gaps and what to do", ""]
            for g in gaps:
                out += _suggestion(g)

    if r["suggestions"] and full:
        out += [
            "## Action plan",
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
            "### Your 30/60/90-day plan",
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
        out += ["## The money", ""]
        if m["lifetime_value"]:
            out += [
                f"Customer lifetime value: **{m['lifetime_value']['display']}** "
                f"({escape_markdown(m['lifetime_value']['formula'])})",
                "",
            ]
        if m["ratio_display"]:
            out += [f"Lifetime value against acquisition cost: **{m['ratio_display']}**", ""]
        for v in m["at_stake"] if full else r["brief"]["at_stake"]:
            out.append(
                f"- {v['rank']}. {escape_markdown(v['title'])}: **{v['display']}** "
                f"({escape_markdown(v['formula'])}). {escape_markdown(v['assumption'])}"
            )
        out.append("")
        if m["to_measure"]:
            out += ["**Measure these to size the gaps**", ""]
            out += [f"- {escape_markdown(item[:1].upper() + item[1:])}" for item in m["to_measure"]]
            out.append("")
    if not full:
        return "\n".join(out).rstrip() + "\n"
    appendix = r["appendix"]
    if appendix["assets"]:
        out += ["## Ready-to-use material", ""]
        for a in appendix["assets"]:
            out += [f"### {escape_markdown(a['title'])}", "", _rubric(a["body"]), ""]
    if appendix["unknown"]:
        out += ["## Questions still open", ""]
        out += [
            f"- {escape_markdown(u['title'])} ({u['stage']}): {escape_markdown(u['question'])}"
            for u in appendix["unknown"]
        ] + [""]
    out += ["## How the scores are computed", ""]
    for paragraph in appendix["methodology"]["paragraphs"]:
        out += [escape_markdown(paragraph), ""]
    if appendix["methodology"]["example"]:
        out += [escape_markdown(appendix["methodology"]["example"]), ""]
    if appendix["sources"]:
        out += ["## Sources", ""]
        out += [f"1. {escape_markdown(src['citation'])}" for src in appendix["sources"]]
    return "\n".join(out).rstrip() + "\n"


def render(context: Context, options: RenderOptions) -> Rendered:
    text = render_markdown(context, options.detail)
    if context.get("since"):  # `report --previous`: the comparison with the last audit
        from cycleaudit.renderers.workshop import since_text

        text = text.rstrip("\n") + "\n\n" + since_text(context["since"], "md")
    return Rendered(text.encode("utf-8"))
