"""Questionnaires: good ones load, each bad one gives one positioned, helpful message.

The bad files live in fixtures/questionnaires/bad/; the first line of each
says what the first problem must read: ``# expect: LINE:COL: text``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.expectations import assert_explained

from cycleaudit import api
from cycleaudit.errors import InputError

BAD = sorted((Path(__file__).parent / "fixtures" / "questionnaires" / "bad").glob("*.yaml"))


def _beside(rubric: Path, folder: Path) -> str:
    """A copy of the rubric next to the questionnaire: the only place a client file may name."""
    shutil.copy(rubric, folder / rubric.name)
    return rubric.name


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_questionnaire_is_explained_at_its_position(path: Path) -> None:
    assert_explained(path, api.load_questionnaire)


def test_good_questionnaire_loads(fixtures: Path) -> None:
    questionnaire = api.load_questionnaire(fixtures / "questionnaires" / "mini-good.yaml")
    org = questionnaire.organisation
    assert org.name == "Test Shop"
    assert org.audited == "2026-11-20"  # a date stays text
    assert org.currency == "EUR"
    assert org.metrics["average-order-value"] == 40
    answer = questionnaire.answers["define-prospects"]
    assert (answer.level, answer.evidence, answer.owner) == (
        "measured",
        "persona sheet, 2025",
        "Maria",
    )
    assert answer.position is not None and (answer.position.line, answer.position.column) == (
        18,
        23,
    )
    assert questionnaire.answers["capture-buyers"].stage == "retention"
    assert questionnaire.other_tactics == ("Instagram giveaways",)


def test_every_problem_is_reported_in_one_pass(tmp_path: Path, mini_rubric_path: Path) -> None:
    path = tmp_path / "q.yaml"
    path.write_text(
        "cycleaudit: 1\n"
        f"rubric: {_beside(mini_rubric_path, tmp_path)}\n"
        "organisation: {name: X, audited: 2026-02-30, metrics: {currency: eur}}\n"
        "answers:\n"
        "  prospecting:\n"
        "    {define-prospects: definde, collect-contacts: {level: none, evidance: x}}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        api.load_questionnaire(path)
    messages = [p.format() for p in caught.value.problems]
    assert len(messages) == 4, messages
    assert any("currency" in m for m in messages)
    assert any("not a real date" in m for m in messages)
    assert any("definde" in m for m in messages)
    assert any("evidance" in m for m in messages)


def test_huge_values_are_shortened_in_messages(tmp_path: Path, mini_rubric_path: Path) -> None:
    path = tmp_path / "q.yaml"
    path.write_text(
        "cycleaudit: 1\n"
        f"rubric: {_beside(mini_rubric_path, tmp_path)}\n"
        "organisation: {name: X, audited: 2026-02-01}\n"
        f"answers: {{prospecting: {{define-prospects: {'x' * 5000}}}}}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        api.load_questionnaire(path)
    assert len(caught.value.problems[0].format()) < 300


def test_blank_stage_is_allowed(tmp_path: Path, mini_rubric_path: Path) -> None:
    path = tmp_path / "q.yaml"
    path.write_text(
        f"cycleaudit: 1\nrubric: {_beside(mini_rubric_path, tmp_path)}\n"
        "organisation: {name: X, audited: 2026-02-01}\nanswers:\n  prospecting:\n",
        encoding="utf-8",
    )
    assert api.load_questionnaire(path).answers == {}


ANSWERS = [
    "defined",
    "",
    3,
    None,
    [],
    {},
    {"level": "defined"},
    {"level": ""},
    {"na": "no"},
    {"na": "not for us"},
    {"na": "x" * 2001},
    {"level": "none", "na": "both"},
    {"evidence": "only evidence"},
    {"level": "ad-hoc", "evidence": "e", "note": "n", "owner": "o"},
    {"level": "ad-hoc", "owner": "o" * 201},
    {"level": "ad-hoc", "evidance": "typo"},
    {"level": 3},
    {"level": "ad-hoc", "note": None},
    {"level": "ad-hoc", "note": "x" * 20000},
]


@pytest.mark.parametrize("value", ANSWERS)
def test_fast_answer_check_agrees_with_the_schema(value: object) -> None:
    # The fast path must accept exactly what the shipped schema accepts.
    import jsonschema

    from cycleaudit.formats.questionnaire import answer_is_valid
    from cycleaudit.formats.schemacheck import schema

    full = schema("questionnaire")
    answer_schema = {"$defs": full["$defs"], "$ref": "#/$defs/answer"}
    expected = jsonschema.Draft202012Validator(answer_schema).is_valid(value)
    assert answer_is_valid(value) is expected


ORGANISATION_EDITS = [
    ("name", ""),
    ("audited", "2026-1-2"),
    ("role", "boss"),
    ("respondents", ["Ann", "Ann"]),
    ("respondents", ["Ann", 3]),
    ("profile", {"team-size": 3.0}),
    ("profile", {"team-size": 3.5}),
    ("profile", {"team-size": True}),
    ("profile", {"purchase": ["repeat", "repeat"]}),
    ("profile", {"purchase": []}),
    ("profile", {"model": "b2x"}),
    ("profile", None),
    ("metrics", {"churn-rate": 1.5}),
    ("metrics", {"churn-rate": False}),
    ("metrics", {"currency": "eur"}),
    ("metrics", {"customers-per-year": -1}),
    ("metrics", {"average-order-value": "12 EUR"}),
    ("other", "key"),
]


@pytest.mark.parametrize(("key", "value"), ORGANISATION_EDITS)
def test_compiled_schema_check_agrees_with_jsonschema(
    fixtures: Path, key: str, value: object
) -> None:
    # A valid file skips jsonschema: the compiled check must never let a bad one through.
    import jsonschema

    from cycleaudit.errors import InputError
    from cycleaudit.formats.schemacheck import schema
    from cycleaudit.formats.schemafast import compile_schema
    from cycleaudit.formats.yamlsource import load_file

    full = schema("questionnaire")
    is_valid = compile_schema(full)
    documents = []
    for path in sorted(fixtures.glob("**/*.yaml")):
        try:
            documents.append(load_file(path, keep_going=True).data)
        except InputError:
            continue  # no tree to check
    assert sum(map(is_valid, documents)) > 20
    for data in documents:
        assert is_valid(data) is jsonschema.Draft202012Validator(full).is_valid(data)
        if isinstance(data.get("organisation"), dict):
            data["organisation"][key] = value
            assert is_valid(data) is jsonschema.Draft202012Validator(full).is_valid(data)


def test_yaml_schema_and_rubric_problems_come_in_one_pass(
    tmp_path: Path, mini_rubric_path: Path
) -> None:
    path = tmp_path / "q.yaml"
    path.write_text(
        "cycleaudit: 1\n"
        f"rubric: {_beside(mini_rubric_path, tmp_path)}\n"
        "organisation: {name: X, audited: 2026-02-01}\n"
        "answers:\n"
        "  prospecting:\n"
        "    define-prospects: {level: defined, evidance: x}\n"
        "    collect-contacts: &a none\n"
        "  retention:\n"
        "    follow-up: definde\n"
        "    follow-up: none\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        api.load_questionnaire(path)
    found = [(p.line, p.column, p.message) for p in caught.value.problems]
    assert found == [
        (7, 23, "anchors (&a) are not allowed"),
        (10, 5, "duplicate key 'follow-up' (first defined on line 9)"),
        (6, 40, "unknown key 'evidance'"),
        (9, 16, "unknown level 'definde'"),
    ]
