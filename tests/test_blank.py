"""`cycleaudit init`: every profile and metric key, explained, and a file that validates."""

from __future__ import annotations

import re
from pathlib import Path

from cycleaudit import api
from cycleaudit.formats import schemacheck
from cycleaudit.formats.blank import blank_questionnaire

ORGANISATION = schemacheck.schema("questionnaire")["properties"]["organisation"]["properties"]


def _blank() -> str:
    return blank_questionnaire(api.load_rubric("default"), "default", "Acme", "2026-11-20")


def _keys(section: str) -> list[str]:
    properties = ORGANISATION[section]["properties"]
    return [key for key, spec in properties.items() if not spec.get("deprecated")]


def test_every_profile_and_metric_key_is_offered_with_its_meaning() -> None:
    text = _blank()
    for section in ("profile", "metrics"):
        for key in _keys(section):
            assert re.search(rf"^    # {key}: \S", text, flags=re.M), key
    # Meaning and unit come with the key.
    assert "#   Share of customers lost per year" in text
    assert "In your currency, without the currency sign." in text
    assert "One of: product, service, digital, both." in text
    assert "# channel:" not in text  # the older key is read, never suggested


def test_header_states_the_length_limits_of_the_schema() -> None:
    text = _blank()
    answer = schemacheck.schema("questionnaire")["$defs"]["answer"]["anyOf"][1]["properties"]
    assert f"a note up to {answer['note']['maxLength']:,} characters" in text
    assert f"evidence up to {answer['evidence']['maxLength']:,}" in text
    assert "a note up to 20,000 characters, evidence up to 4,000" in text


def test_first_line_points_editors_at_the_schema() -> None:
    first = _blank().splitlines()[0]
    assert first == "# yaml-language-server: $schema=./questionnaire-default.schema.json"


def test_uncommenting_every_example_gives_a_valid_questionnaire(tmp_path: Path) -> None:
    text = re.sub(r"^    # ([a-z-]+: \S.*)$", r"    \1", _blank(), flags=re.M)
    target = tmp_path / "acme.yaml"
    target.write_text(text, encoding="utf-8")
    questionnaire = api.load_questionnaire(target)
    organisation = questionnaire.organisation
    assert set(organisation.profile) == set(_keys("profile"))
    assert set(organisation.metrics) | {"currency"} == set(_keys("metrics"))
    for key in _keys("metrics"):
        example = ORGANISATION["metrics"]["properties"][key]["examples"][0]
        if key != "currency":
            assert organisation.metrics[key] == example


def test_readme_states_the_same_limits() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    answer = schemacheck.schema("questionnaire")["$defs"]["answer"]["anyOf"][1]["properties"]
    assert f"a note up to {answer['note']['maxLength']:,} characters" in readme
    assert f"evidence up to\n  {answer['evidence']['maxLength']:,}" in readme
