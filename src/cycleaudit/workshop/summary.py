"""One summary of many questionnaires: per organisation, and across teams.

Questionnaires are grouped by organisation and team. Within a group of
several respondents the consensus answer of each tactic is the median level
(the lower middle one for an even count, so it is always a real level), the
spread shows who said what, and "where you disagree" lists the tactics with
the widest spread first. The group's scores come from scoring that consensus
questionnaire with the engine, so they mean the same as a single audit's.
When a respondent is marked ``role: assessor``, the consensus is the team's
own (the assessor's answers stay in the spread), and the gap between the
team's self-rating and the assessor's rating is given per stage: an outside
view mixed into the median would hide the very gap the workshop discusses.

Across groups: a heatmap (groups by stages), a ranking, the gaps most groups
share, and the on/off-sales balance of each. The context is JSON-ready and
holds no sentences: the templates under ``templates/summary/`` hold the words.

It is made from ``Member`` records (workshop/members.py), not whole audits:
``cycleaudit batch`` keeps one per questionnaire from its report jobs. A
source gives back the questionnaire and rubric of the few members whose
group needs a consensus scored or whose rubric names the stages and tactics.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from cycleaudit.engine import scoring
from cycleaudit.model import Answer, Audit, Rubric
from cycleaudit.workshop.members import Member, Source, kept, member_of

FORMAT = "cycleaudit.summary/1"
DISAGREE_SHOWN = 12
# A gap "most teams share": at least this share of teams at the lowest level.
SHARED_GAP_SHARE = 0.5
# Heatmap geometry (inline SVG in the templates).
CELL_W, CELL_H, LABEL_W, HEAD_H = 74, 22, 150, 40


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _group_label(org_name: str, team: str, several_orgs: bool) -> str:
    if not team:
        return org_name
    return f"{org_name}: {team}" if several_orgs else team


def _band(score: float | None) -> int | None:
    """0 (weak) to 3 (strong), for the heatmap's colours."""
    return None if score is None else min(3, int(score // 25))


def _consensus(members: Sequence[Member], source: Source) -> Member:
    """The group's median answer per tactic, scored like one questionnaire (the first's)."""
    first, rubric = source(members[0])
    order = [level.id for level in rubric.levels]
    answers: dict[str, Answer] = {}
    for tactic in rubric.tactics:
        given = [m for m in members if tactic.id in m.answers]
        levels = [level for level in _answers(given, tactic.id) if level in order]
        if levels:
            middle = statistics.median_low(order.index(level) for level in levels)
            answers[tactic.id] = Answer(tactic.id, tactic.stage, order[middle])
        elif given:  # everyone who answered said "not applicable"
            # The first such answer as far as scoring reads it: its waiver may have run out.
            until = given[0].waivers.get(tactic.id, "")
            level = given[0].answers[tactic.id]
            answers[tactic.id] = Answer(tactic.id, tactic.stage, level, until=until)
    questionnaire = replace(first, answers=answers)
    return member_of(scoring.score(questionnaire, rubric))


def _team(members: Sequence[Member]) -> Sequence[Member]:
    """Whose answers make the consensus: the team's own when an assessor also answered."""
    selves = [m for m in members if m.role != "assessor"]
    return selves or members


def _spread(members: Sequence[Member], rubric: Rubric) -> list[dict[str, Any]]:
    # One pass over the members per tactic: a workshop of thousands has groups of hundreds.
    selves = [m.role != "assessor" for m in members]
    in_team = selves if any(selves) else [True] * len(members)
    order = [level.id for level in rubric.levels]
    position = {level: n for n, level in enumerate(order)}
    titles = {level.id: level.title for level in rubric.levels}
    stage_titles = {stage.id: stage.title for stage in rubric.stages}
    rows = []
    for tactic in rubric.tactics:
        said = []
        indices = []  # everyone's levels, as positions in the rubric's order
        own = []  # the team's
        counts = [0] * len(order)  # how many said each level (everyone, as in "said")
        not_applicable = 0
        for member, counted in zip(members, in_team, strict=True):
            answered = tactic.id in member.answers
            level = member.answers[tactic.id] if answered else None
            not_applicable += answered and level is None
            said.append(
                {
                    "who": member.who,
                    "role": member.role,
                    "level": None if level is None else titles.get(level, level),
                    "na": answered and level is None,
                }
            )
            if level is not None and level in position:
                indices.append(position[level])
                counts[position[level]] += 1
                if counted:
                    own.append(position[level])
        if not indices:
            continue
        rows.append(
            {
                "tactic": tactic.id,
                "title": tactic.title,
                "stage": stage_titles.get(tactic.stage, tactic.stage),
                "said": said,
                "counts": counts,
                "not_applicable": not_applicable,
                "consensus": titles[order[statistics.median_low(own)]] if own else None,
                "spread": max(indices) - min(indices),
                "lowest": titles[order[min(indices)]],
                "highest": titles[order[max(indices)]],
            }
        )
    return rows


def _answers(members: Sequence[Member], tactic_id: str) -> list[str]:
    levels = []
    for member in members:
        level = member.answers.get(tactic_id)
        if level is not None:
            levels.append(level)
    return levels


def _mean(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return None if not known else sum(known) / len(known)


def _self_vs_assessor(members: Sequence[Member], rubric: Rubric) -> list[dict[str, Any]] | None:
    selves = [m for m in members if m.role != "assessor"]
    assessors = [m for m in members if m.role == "assessor"]
    if not selves or not assessors:
        return None
    rows = []
    for stage in rubric.stages:
        # Rounded first, so the gap shown is the difference of the figures shown.
        own = _round(_mean([m.stages.get(stage.id) for m in selves]))
        outside = _round(_mean([m.stages.get(stage.id) for m in assessors]))
        rows.append(
            {
                "stage": stage.title,
                "self": own,
                "assessor": outside,
                "gap": None if own is None or outside is None else round(own - outside, 1),
            }
        )
    return rows


def _group(
    key: tuple[str, str], members: Sequence[Member], several_orgs: bool, source: Source
) -> dict[str, Any]:
    team = _team(members)
    consensus = team[0] if len(team) == 1 else _consensus(team, source)
    group: dict[str, Any] = {
        "organisation": key[0],
        "team": key[1] or None,
        "label": _group_label(key[0], key[1], several_orgs),
        "audited": max(m.audited for m in members),
        "overall": _round(consensus.overall),
        "grade": consensus.grade,
        "stages": {stage: _round(score) for stage, score in consensus.stages.items()},
        "sides": {side: _round(score) for side, score in consensus.sides.items()},
        "balance": consensus.balance,
        "balance_difference": _round(consensus.balance_difference),
        "consensus_of": len(team),
        "assessed": len(team) < len(members),
        "respondents": [
            {"who": m.who, "role": m.role, "file": m.file, "overall": _round(m.overall)}
            for m in members
        ],
        "lowest_level": set(consensus.lowest),
    }
    group["stale"] = [
        {"who": m.who, "title": title, "kind": kind, "date": date}
        for m in members
        for title, kind, date in m.stale
    ]
    if len(members) > 1:
        rubric = source(members[0])[1]
        spread = _spread(members, rubric)
        group["spread"] = spread
        group["disagree"] = sorted(
            (row for row in spread if row["spread"] > 0),
            key=lambda row: (-row["spread"], row["title"]),
        )[:DISAGREE_SHOWN]
        group["self_vs_assessor"] = _self_vs_assessor(members, rubric)
    return group


def summary_context(audits: Sequence[Audit]) -> dict[str, Any]:
    """Everything a summary needs, as JSON-ready data; at least one audit."""
    members = [member_of(audit) for audit in audits]
    return members_context(members, kept(members, audits))


def members_context(members: Sequence[Member], source: Source) -> dict[str, Any]:
    """The summary of these members; ``source`` gives a few of them back whole.

    It raises what ``source`` raises (InputError when a file read again no
    longer gives its member).
    """
    if not members:
        raise ValueError("a summary needs at least one audit")
    grouped: dict[tuple[str, str], list[Member]] = {}
    for member in members:
        grouped.setdefault((member.organisation, member.team), []).append(member)
    several_orgs = len({key[0] for key in grouped}) > 1
    groups = [_group(key, group, several_orgs, source) for key, group in grouped.items()]
    rubric = source(members[0])[1]
    stages = [{"id": s.id, "title": s.title, "side": s.side} for s in rubric.stages]
    for group in groups:
        known = {k: v for k, v in group["stages"].items() if v is not None}
        group["weakest"] = min(known, key=lambda k: known[k]) if known else None
    ranking = sorted(groups, key=lambda g: (g["overall"] is None, -(g["overall"] or 0), g["label"]))
    tactic_titles = {t.id: t.title for t in rubric.tactics}
    shared: list[dict[str, Any]] = []
    for tactic in rubric.tactics:
        count = sum(tactic.id in g["lowest_level"] for g in groups)
        if len(groups) > 1 and count >= SHARED_GAP_SHARE * len(groups):
            shared.append({"tactic": tactic.id, "title": tactic_titles[tactic.id], "teams": count})
    shared.sort(key=lambda item: (-item["teams"], item["title"]))
    for group in groups:
        group["lowest_level"] = sorted(group["lowest_level"])
    return {
        "format": FORMAT,
        "audited": max(m.audited for m in members),
        "questionnaires": len(members),
        "rubric": f"{rubric.id} {rubric.version}",
        "lowest_level": rubric.levels[0].title,
        "levels": [level.title for level in rubric.levels],
        "stages": stages,
        "groups": groups,
        "several": [g for g in groups if len(g["respondents"]) > 1],
        "ranking": [
            {"rank": n, "label": g["label"], "overall": g["overall"], "grade": g["grade"]}
            for n, g in enumerate(ranking, start=1)
        ],
        "shared_gaps": shared,
        "heatmap": _heatmap(groups, stages),
    }


def _heatmap(groups: Sequence[dict[str, Any]], stages: Sequence[dict[str, Any]]) -> dict[str, Any]:
    rows = []
    for row, group in enumerate(groups):
        cells = []
        for column, stage in enumerate(stages):
            score = group["stages"].get(stage["id"])
            cells.append(
                {
                    "x": LABEL_W + column * CELL_W,
                    "score": score,
                    "band": _band(score),
                    "weakest": stage["id"] == group["weakest"],
                }
            )
        rows.append({"label": group["label"], "y": HEAD_H + row * CELL_H, "cells": cells})
    return {
        "width": LABEL_W + CELL_W * len(stages),
        "height": HEAD_H + CELL_H * len(groups) + 4,
        "cell_w": CELL_W,
        "cell_h": CELL_H,
        "label_w": LABEL_W,
        "head_h": HEAD_H,
        "columns": [
            {"x": LABEL_W + n * CELL_W + CELL_W / 2, "lines": _two_lines(s["title"])}
            for n, s in enumerate(stages)
        ],
        "rows": rows,
    }


def _two_lines(title: str) -> list[str]:
    """A column title split at the space nearest its middle, so columns stay narrow."""
    words = title.split()
    if len(words) < 2:
        return [title]
    best = min(
        range(1, len(words)),
        key=lambda n: abs(len(" ".join(words[:n])) - len(" ".join(words[n:]))),
    )
    return [" ".join(words[:best]), " ".join(words[best:])]
