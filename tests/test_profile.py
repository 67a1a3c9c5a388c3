"""Profile keys old and new, and first steps chosen by the client's level."""

from __future__ import annotations

from pathlib import Path

import pytest

from cycleaudit import api
from cycleaudit.errors import InputError
from cycleaudit.model import Tactic

HEAD = """cycleaudit: 1
rubric: default
organisation:
  name: Old File Ltd
  audited: "2026-01-10"
  profile:
"""


def _audit(tmp_path: Path, profile: str) -> dict[str, str]:
    path = tmp_path / "q.yaml"
    path.write_text(HEAD + profile + "answers: {}\n", encoding="utf-8")
    audit = api.audit_file(path)
    return {r.tactic.id: r.status for r in audit.tactics}


def test_older_channel_key_still_reads_as_both_channels(tmp_path: Path) -> None:
    offline = _audit(tmp_path, "    channel: offline\n")
    assert offline["thank-you-page-next-step"] == "not-applicable"
    assert offline["remarketing"] == "not-applicable"
    online = _audit(tmp_path, "    channel: online\n")
    assert online["thank-you-page-next-step"] == "unknown"  # applies, not answered
    assert online["remarketing"] == "unknown"


def test_sales_and_marketing_channels_are_separate(tmp_path: Path) -> None:
    status = _audit(tmp_path, "    sales-channel: offline\n    marketing-channel: online\n")
    assert status["thank-you-page-next-step"] == "not-applicable"
    assert status["remarketing"] == "unknown"


def test_several_offerings_and_purchase_patterns(tmp_path: Path) -> None:
    status = _audit(tmp_path, "    offering: [digital, service]\n    purchase: [one-off]\n")
    assert status["quality-packaging"] == "not-applicable"
    assert status["know-lifetime-value"] == "not-applicable"  # customers buy once
    assert status["renew-contracts"] == "not-applicable"
    status = _audit(
        tmp_path, "    offering: [digital, product]\n    purchase: [one-off, subscription]\n"
    )
    assert status["quality-packaging"] == "unknown"
    assert status["renew-contracts"] == "unknown"


def test_channel_with_a_new_key_is_refused_at_channel(tmp_path: Path) -> None:
    path = tmp_path / "q.yaml"
    path.write_text(
        HEAD + "    channel: online\n    marketing-channel: online\nanswers: {}\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as caught:
        api.load_questionnaire(path)
    problem = caught.value.problems[0]
    assert (problem.line, problem.column) == (7, 5)
    assert "remove `channel`" in problem.format()


LEVELS = ("none", "ad-hoc", "defined", "measured")


def _tactic(first_steps: dict[str, str]) -> Tactic:
    return Tactic(
        id="t",
        stage="s",
        side="on-sales",
        title="T",
        question="Q?",
        levels={},
        advice="A",
        first_step=first_steps.get("none", "from nothing"),
        effort="low",
        impact="low",
        weight=1,
        sources=(),
        first_steps=first_steps,
    )


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("none", "start"),
        ("ad-hoc", "start"),  # no step of its own: the nearest lower level's
        ("defined", "measure"),
        ("measured", "measure"),
        (None, "start"),  # unanswered: the step from nothing
    ],
)
def test_first_step_for_level(level: str | None, expected: str) -> None:
    tactic = _tactic({"none": "start", "defined": "measure"})
    assert tactic.first_step_for(level, LEVELS) == expected


def test_single_first_step_serves_every_level() -> None:
    tactic = _tactic({})
    assert {tactic.first_step_for(level, LEVELS) for level in LEVELS} == {"from nothing"}
