"""A printable blank questionnaire for workshops and interviews (``cycleaudit worksheet``).

The worksheet is the rubric laid out on paper: the business profile and
figures as fill-in fields, then each question with a tick box per level.
This module builds its JSON-ready context; every word on the page lives in
``templates/worksheet/``. Tactics are numbered and carry their ids in the
order ``cycleaudit init`` writes them, so answers typed back in are easy to
place.
"""

from __future__ import annotations

from typing import Any

from cycleaudit.intake.questions import KeyQuestion, key_questions, text_limits
from cycleaudit.model import Rubric

FORMAT = "cycleaudit.worksheet/1"


def _field(question: KeyQuestion) -> dict[str, Any]:
    return {
        "key": question.key,
        "meaning": question.meaning,
        "kind": question.kind,
        "choices": list(question.choices),
        "several": question.several,
        "example": question.example,
    }


def worksheet_context(rubric: Rubric, rubric_ref: str, organisation: str = "") -> dict[str, Any]:
    stages = []
    for number, stage in enumerate(rubric.stages, 1):
        tactics = [
            {
                "number": f"{number}.{index}",
                "id": tactic.id,
                "title": tactic.title,
                "question": tactic.question,
                "applies_note": tactic.applies_note,
                "levels": [
                    {
                        "id": level.id,
                        "title": level.title,
                        "text": tactic.levels.get(level.id, level.description),
                    }
                    for level in rubric.levels
                ],
            }
            for index, tactic in enumerate(rubric.tactics_in(stage.id), 1)
        ]
        stages.append(
            {
                "number": number,
                "id": stage.id,
                "title": stage.title,
                "summary": stage.summary,
                "tactics": tactics,
            }
        )
    return {
        "format": FORMAT,
        # No date of its own: the PDF's dates come from SOURCE_DATE_EPOCH or stay fixed,
        # so the same rubric always prints the same bytes.
        "audited": "",
        "organisation": organisation,
        "rubric": {
            "id": rubric.id,
            "ref": rubric_ref,
            "title": rubric.title,
            "version": rubric.version,
        },
        "levels": [{"id": level.id, "title": level.title} for level in rubric.levels],
        "profile": [_field(q) for q in key_questions("profile")],
        "metrics": [_field(q) for q in key_questions("metrics")],
        "limits": text_limits(),
        "questions": len(rubric.tactics),
        "stages": stages,
    }
