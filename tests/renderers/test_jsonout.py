"""Every JSON cycleaudit writes: the same bytes as the standard library, controls escaped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cycleaudit import api
from cycleaudit.engine.result import audit_result
from cycleaudit.errors import InputError, json_safe
from cycleaudit.renderers.jsonout import json_bytes, json_line, json_text
from cycleaudit.report import build_context

ROOT = Path(__file__).parent.parent.parent
SOURCES = sorted([*ROOT.glob("examples/*.yaml"), *ROOT.glob("tests/fixtures/businesses/*.yaml")])


def _audits() -> list[api.Audit]:
    audits = []
    for path in SOURCES:
        try:
            audits.append(api.audit_file(path))
        except InputError:
            continue  # a rubric overlay among the examples
    return audits


AUDITS = _audits()


@pytest.mark.parametrize("audit", AUDITS, ids=[Path(a.questionnaire.origin).stem for a in AUDITS])
def test_results_and_report_contexts_read_as_the_standard_library_writes_them(
    audit: api.Audit,
) -> None:
    for value in (audit_result(audit), build_context(audit)):
        standard = json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)
        assert json_text(value) == json_safe(standard) + "\n"
        line = json_line(value)
        assert line.endswith(b"\n") and line.count(b"\n") == 1
        assert json.loads(line) == json.loads(standard)


def test_hostile_business_is_in_the_sample() -> None:
    assert any("Evil" in a.questionnaire.organisation.name for a in AUDITS)


RAW = "Evil\x7f\x85\x9b\u200f\u202e\u2066\u2028\u2029 ok 株式会社 🎂 “quoted” × −"


def test_controls_json_leaves_raw_come_out_escaped_and_read_back_the_same() -> None:
    for text in (json_text({"name": RAW}), json_line({"name": RAW}).decode("utf-8")):
        for control in "\x7f\x85\x9b\u200f\u202e\u2066\u2028\u2029":
            assert control not in text
        assert "株式会社 🎂 “quoted” × −" in text  # readable text stays as it is
        assert json.loads(text) == {"name": RAW}
    # One record, one line, for every reader of JSON Lines (str.splitlines too).
    assert len(json_line({"name": RAW}).decode("utf-8").splitlines()) == 1


def test_what_orjson_refuses_the_standard_library_writes() -> None:
    huge = 2**70  # past 64 bits
    assert json.loads(json_text({"n": huge})) == {"n": huge}
    assert json.loads(json_line({1: "a"})) == {"1": "a"}  # a key that is not a string


def test_every_control_is_found_wherever_it_stands_among_other_text() -> None:
    # The quick search sees only some bytes; a control next to multi-byte
    # text on either side must still be caught, one at a time.
    neighbours = ["", "a", "é", "“", "株", "🎂", "\u2027", "\u2030", "\u2065", "\u206a", "£"]
    for control in "\x7f\x80\x85\x9f\u200e\u200f\u2028\u2029\u202a\u202e\u2066\u2069":
        for before in neighbours:
            for after in neighbours:
                value = {"t": before + control + after}
                for written in (json_line(value), json_bytes(value)):
                    assert control.encode("utf-8") not in written, (before, control, after)
                    assert json.loads(written) == value
    for harmless in neighbours:  # and text with none is left as it is
        assert (
            json_line({"t": harmless})
            == json.dumps({"t": harmless}, ensure_ascii=False, separators=(",", ":")).encode(
                "utf-8"
            )
            + b"\n"
        )
