"""The shipped schemas serve editors and check-jsonschema as the loader serves users.

Every example, fixture overlay, business questionnaire and the default rubric
must pass `check-jsonschema` with the schema `cycleaudit schema` prints: an
overlay that `validate` accepts must not be red in an editor.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cycleaudit import api
from cycleaudit.formats.rubricschema import questionnaire_schema_for
from cycleaudit.formats.schemacheck import schema, schema_text

ROOT = Path(__file__).parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
RUBRIC_FILES = [
    ROOT / "rubrics" / "default.yaml",
    ROOT / "examples" / "consultant-overlay.yaml",
    *sorted((FIXTURES / "rubrics").glob("*.yaml")),
]
QUESTIONNAIRE_FILES = [
    ROOT / "examples" / "online-shop.yaml",
    ROOT / "examples" / "b2b-subscription.yaml",
    *sorted((FIXTURES / "businesses").glob("*.yaml")),
]


@pytest.fixture(scope="module")
def schemas(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("schemas")
    filled = questionnaire_schema_for(schema("questionnaire"), api.load_rubric("default"))
    texts = {
        "rubric": schema_text("rubric"),
        "questionnaire": schema_text("questionnaire"),
        "questionnaire-default": json.dumps(filled),
    }
    paths = {}
    for name, text in texts.items():
        paths[name] = folder / f"{name}.schema.json"
        paths[name].write_text(text, encoding="utf-8")
    return paths


def check_jsonschema(schema_file: Path, *files: Path) -> tuple[int, str]:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--schemafile",
            str(schema_file),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


def test_every_rubric_and_overlay_passes(schemas: dict[str, Path]) -> None:
    assert any("overlay" in p.name for p in RUBRIC_FILES)
    code, out = check_jsonschema(schemas["rubric"], *RUBRIC_FILES)
    assert code == 0, out


@pytest.mark.parametrize("name", ["questionnaire", "questionnaire-default"])
def test_every_questionnaire_passes(schemas: dict[str, Path], name: str) -> None:
    code, out = check_jsonschema(schemas[name], *QUESTIONNAIRE_FILES)
    assert code == 0, out


def test_overlay_patch_is_still_checked(schemas: dict[str, Path], tmp_path: Path) -> None:
    # A patch needs only its id, but what it gives must still be right.
    overlay = tmp_path / "overlay.yaml"
    overlay.write_text(
        "cycleaudit-rubric: 1\nid: o\nversion: '1'\nextends: default\n"
        "tactics:\n  - {id: remarketing, effort: huge}\n",
        encoding="utf-8",
    )
    code, out = check_jsonschema(schemas["rubric"], overlay)
    assert code != 0 and "huge" in out


def test_a_rubric_without_extends_must_be_complete(
    schemas: dict[str, Path], tmp_path: Path
) -> None:
    partial = tmp_path / "partial.yaml"
    partial.write_text(
        "cycleaudit-rubric: 1\nid: p\nversion: '1'\ntactics:\n  - {id: remarketing}\n",
        encoding="utf-8",
    )
    code, out = check_jsonschema(schemas["rubric"], partial)
    assert code != 0 and "required" in out


def test_hover_shows_each_question_and_level_meaning() -> None:
    rubric = api.load_rubric("default")
    filled = questionnaire_schema_for(schema("questionnaire"), rubric)
    stages = filled["properties"]["answers"]["properties"]
    for tactic in rubric.tactics:
        entry = stages[tactic.stage]["properties"][tactic.id]
        # A description beside a $ref is ignored by older tools: the $ref sits in allOf.
        assert "$ref" not in entry
        assert {"$ref": "#/$defs/answer"} in entry["allOf"]
        assert tactic.question in entry["description"]
        for level_id, meaning in tactic.levels.items():
            assert f"- {level_id}: {meaning}" in entry["description"]
