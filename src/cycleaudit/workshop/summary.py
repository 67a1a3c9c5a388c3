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
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from cycleaudit.engine import evidence, scoring
from cycleaudit.model import Answer, Audit, Rubric

FORMAT = "cycleaudit.summary/1"
DISAGREE_SHOWN = 12
# A gap "most teams share": at least this share of teams at the lowest level.
SHARED_GAP_SHARE = 0.5
# Heatmap geometry (inline SVG in the templates).
CELL_W, CELL_H, LABEL_W, HEAD_H = 74, 22, 150, 40


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _who(audit: Audit) -> str:
    org = audit.questionnaire.organisation
    return org.respondent or Path(audit.questionnaire.origin).stem


def _group_label(org_name: str, team: str, several_orgs: bool) -> str:
    if not team:
        return org_name
    return f"{org_name}: {team}" if several_orgs else team


def _band(score: float | None) -> int | None:
    """0 (weak) to 3 (strong), for the heatmap's colours."""
    return None if score is None else min(3, int(score // 25))


def _consensus(audits: Sequence[Audit]) -> Audit:
    """The group's median answer per tactic, scored like one questionnaire."""
    first = audits[0]
    rubric: Rubric = first.rubric
    order = [level.id for level in rubric.levels]
    answers: dict[str, Answer] = {}
    for tactic in rubric.tactics:
        given = [
            a.questionnaire.answers[tactic.id]
            for a in audits
            if tactic.id in a.questionnaire.answers
        ]
        levels = [g.level for g in given if g.level is not None and g.level in order]
        if levels:
            middle = statistics.median_low(order.index(level) for level in levels)
            answers[tactic.id] = Answer(tactic.id, tactic.stage, order[middle])
        elif given:  # everyone who answered said "not applicable"
            answers[tactic.id] = given[0]
    questionnaire = replace(first.questionnaire, answers=answers)
    return scoring.score(questionnaire, rubric)


def _team(audits: Sequence[Audit]) -> Sequence[Audit]:
    """Whose answers make the consensus: the team's own when an assessor also answered."""
    selves = [a for a in audits if a.questionnaire.organisation.role != "assessor"]
    return selves or audits


def _spread(audits: Sequence[Audit]) -> list[dict[str, Any]]:
    rubric = audits[0].rubric
    team = _team(audits)
    order = [level.id for level in rubric.levels]
    titles = {level.id: level.title for level in rubric.levels}
    stage_titles = {stage.id: stage.title for stage in rubric.stages}
    rows = []
    for tactic in rubric.tactics:
        said = []
        for audit in audits:
            answer = audit.questionnaire.answers.get(tactic.id)
            level = None if answer is None else answer.level
            said.append(
                {
                    "who": _who(audit),
                    "role": audit.questionnaire.organisation.role,
                    "level": None if level is None else titles.get(level, level),
                    "na": answer is not None and level is None,
                }
            )
        indices = [order.index(level) for level in _answers(audits, tactic.id) if level in order]
        own = [order.index(level) for level in _answers(team, tactic.id) if level in order]
        if not indices:
            continue
        rows.append(
            {
                "tactic": tactic.id,
                "title": tactic.title,
                "stage": stage_titles.get(tactic.stage, tactic.stage),
                "said": said,
                "consensus": titles[order[statistics.median_low(own)]] if own else None,
                "spread": max(indices) - min(indices),
                "lowest": titles[order[min(indices)]],
                "highest": titles[order[max(indices)]],
            }
        )
    return rows


def _answers(audits: Sequence[Audit], tactic_id: str) -> list[str]:
    levels = []
    for audit in audits:
        answer = audit.questionnaire.answers.get(tactic_id)
        if answer is not None and answer.level is not None:
            levels.append(answer.level)
    return levels


def _mean(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return None if not known else sum(known) / len(known)


def _self_vs_assessor(audits: Sequence[Audit]) -> list[dict[str, Any]] | None:
    selves = [a for a in audits if a.questionnaire.organisation.role != "assessor"]
    assessors = [a for a in audits if a.questionnaire.organisation.role == "assessor"]
    if not selves or not assessors:
        return None
    rows = []
    for stage in audits[0].rubric.stages:
        # Rounded first, so the gap shown is the difference of the figures shown.
        own = _round(_mean([a.stage_result(stage.id).score for a in selves]))
        outside = _round(_mean([a.stage_result(stage.id).score for a in assessors]))
        rows.append(
            {
                "stage": stage.title,
                "self": own,
                "assessor": outside,
                "gap": None if own is None or outside is None else round(own - outside, 1),
            }
        )
    return rows


def _group(key: tuple[str, str], audits: Sequence[Audit], several_orgs: bool) -> dict[str, Any]:
    team = _team(audits)
    consensus = team[0] if len(team) == 1 else _consensus(team)
    group: dict[str, Any] = {
        "organisation": key[0],
        "team": key[1] or None,
        "label": _group_label(key[0], key[1], several_orgs),
        "audited": max(a.questionnaire.organisation.audited for a in audits),
        "overall": _round(consensus.overall),
        "grade": None if consensus.grade is None else consensus.grade.label,
        "stages": {s.stage.id: _round(s.score) for s in consensus.stages},
        "sides": {s.side: _round(s.score) for s in consensus.sides},
        "balance": consensus.balance.verdict,
        "balance_difference": _round(consensus.balance.difference),
        "consensus_of": len(team),
        "assessed": len(team) < len(audits),
        "respondents": [
            {
                "who": _who(a),
                "role": a.questionnaire.organisation.role,
                "file": a.questionnaire.origin,
                "overall": _round(a.overall),
            }
            for a in audits
        ],
        "lowest_level": {
            t.tactic.id for t in consensus.tactics if _is_lowest(consensus, t.tactic.id)
        },
    }
    group["stale"] = _stale(audits)
    if len(audits) > 1:
        spread = _spread(audits)
        group["spread"] = spread
        group["disagree"] = sorted(
            (row for row in spread if row["spread"] > 0),
            key=lambda row: (-row["spread"], row["title"]),
        )[:DISAGREE_SHOWN]
        group["self_vs_assessor"] = _self_vs_assessor(audits)
    return group


def _stale(audits: Sequence[Audit]) -> list[dict[str, Any]]:
    """Answers resting on old evidence, and waivers that ran out, per respondent."""
    rows = []
    for audit in audits:
        q = audit.questionnaire
        for item in evidence.stale_answers(q, audit.rubric):
            rows.append(
                {
                    "who": _who(audit),
                    "title": item.tactic.title,
                    "kind": "stale",
                    "date": item.checked,
                }
            )
        for answer in q.answers.values():
            if evidence.waiver_expired(answer, q.organisation.audited):
                rows.append(
                    {
                        "who": _who(audit),
                        "title": audit.rubric.tactic(answer.tactic).title,
                        "kind": "expired",
                        "date": answer.until,
                    }
                )
    return rows


def _is_lowest(audit: Audit, tactic_id: str) -> bool:
    result = audit.tactic_result(tactic_id)
    lowest = audit.rubric.levels[0].id
    return result.answer is not None and result.answer.level == lowest


def summary_context(audits: Sequence[Audit]) -> dict[str, Any]:
    """Everything a summary needs, as JSON-ready data; at least one audit."""
    if not audits:
        raise ValueError("a summary needs at least one audit")
    grouped: dict[tuple[str, str], list[Audit]] = {}
    for audit in audits:
        org = audit.questionnaire.organisation
        grouped.setdefault((org.name, org.team), []).append(audit)
    several_orgs = len({key[0] for key in grouped}) > 1
    groups = [_group(key, members, several_orgs) for key, members in grouped.items()]
    rubric = audits[0].rubric
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
        "audited": max(a.questionnaire.organisation.audited for a in audits),
        "questionnaires": len(audits),
        "rubric": f"{rubric.id} {rubric.version}",
        "lowest_level": rubric.levels[0].title,
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
