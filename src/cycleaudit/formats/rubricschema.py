"""A questionnaire schema that knows one rubric: for editors, not for loading.

``cycleaudit schema questionnaire --rubric default`` prints the shipped
questionnaire schema with the rubric's stages, tactics and levels filled in,
so an editor completes tactic ids, offers the levels, and shows each
question and what each level means on hover. Loading does not need it:
the loader checks the same things with positioned messages.

Each tactic wraps ``$ref`` in ``allOf`` because tools built on drafts before
2019-09 ignore every keyword beside a ``$ref``, and the description beside it
is the whole point here. Level values carry ``enumDescriptions`` (what the
level looks like for this tactic) for editors that show them on completion.
"""

from __future__ import annotations

import copy
from typing import Any

from cycleaudit.model import Rubric


def questionnaire_schema_for(base: dict[str, Any], rubric: Rubric) -> dict[str, Any]:
    schema = copy.deepcopy(base)
    schema["$id"] = f"{base['$id'].removesuffix('.json')}-{rubric.id}.json"
    schema["title"] = (
        f"{base['title']} for the rubric {rubric.title} ({rubric.id} {rubric.version})"
    )
    level_ids = [level.id for level in rubric.levels]
    level_text = "; ".join(f"{level.id}: {level.description.strip()}" for level in rubric.levels)
    answer = schema["$defs"]["answer"]
    answer["anyOf"][0]["enum"] = level_ids
    answer["anyOf"][1]["properties"]["level"]["enum"] = level_ids
    stages: dict[str, Any] = {}
    for stage in rubric.stages:
        tactics: dict[str, Any] = {}
        for tactic in rubric.tactics_in(stage.id):
            meanings = [tactic.levels.get(lid, "") for lid in level_ids]
            note = f" ({tactic.applies_note})" if tactic.applies_note else ""
            lines = "\n".join(
                f"- {lid}: {text}" for lid, text in zip(level_ids, meanings, strict=True)
            )
            level_choice = {"enum": level_ids, "enumDescriptions": meanings}
            tactics[tactic.id] = {
                "title": tactic.title,
                "description": f"{tactic.question}{note}\n\nLevels:\n{lines}",
                "markdownDescription": f"**{tactic.question}**{note}\n\nLevels:\n\n{lines}",
                "allOf": [
                    {"$ref": "#/$defs/answer"},
                    {
                        "anyOf": [
                            {"type": "string", **level_choice},
                            {"type": "object", "properties": {"level": level_choice}},
                        ]
                    },
                ],
            }
        stages[stage.id] = {
            "type": ["object", "null"],
            "title": stage.title,
            "description": stage.summary.strip(),
            "properties": tactics,
            "additionalProperties": False,
        }
    schema["properties"]["answers"] = {
        "type": "object",
        "description": f"Answers by stage, then tactic. Levels: {level_text}",
        "properties": stages,
        "additionalProperties": False,
    }
    return schema
