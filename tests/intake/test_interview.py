"""The guided interview, driven the way an owner answers it: one line per answer."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from cycleaudit import api
from cycleaudit.cli import main
from cycleaudit.formats.blank import quote
from cycleaudit.formats.yamlsource import load_text
from cycleaudit.intake.questions import key_questions

FIXTURES = Path(__file__).parent.parent / "fixtures"
HOSTILE = 'Our "plan": #1 {{ x }} - [a, b] שלום 🎂 \\ back'

BUSINESS = [
    "Crumb & Veil",  # name
    "2026-11-20",  # date
    "Hanna Berg, Lise",  # respondents
    "1",  # model: b2c
    "service",  # offering: packaging is then not asked
    "",  # sales channel: skipped
    "",  # marketing channel: skipped
    "1,2",  # purchase: one-off and repeat
    "two",  # team size: not a number, asked again
    "2.5",  # not a whole number, asked again
    "2",
    "",  # sector
    "n",  # no figures now
]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copy(FIXTURES / "rubrics" / "mini.yaml", tmp_path / "mini.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def interview(*args: str, lines: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["interview", *args], input="\n".join(lines) + "\n")
    return result.exit_code, result.output


def answers(path: Path) -> dict[str, object]:
    questionnaire = api.load_questionnaire(path)
    return {
        tactic: (a.level, a.na_reason, a.evidence, a.note)
        for tactic, a in questionnaire.answers.items()
    }


def test_an_owner_answers_every_question(folder: Path) -> None:
    code, out = interview(
        "-o",
        "cake.yaml",
        "-r",
        "mini.yaml",
        lines=[
            *BUSINESS,
            # Know your prospects: a typo, the advice, then "Written down" with evidence
            "x",
            "?",
            "3",
            HOSTILE,
            "",
            # Collect contact details: not applicable; a reason is required
            "n",
            "",
            "we only take referrals: no lists",
            # Scheduled follow-ups: skipped for now
            "s",
            # Keep buyers' contacts: back to the follow-ups instead, then answered
            "b",
            "Now and then",
            "",
            "calls when we remember",
            "measured",
            "",
            "",
        ],
    )
    assert code == 0, out
    assert "That does not fit: a number, for example 4" in out
    assert "That does not fit: a whole number" in out
    assert "Type a number from 1 to 4" in out  # the typo was asked again
    assert "Knowing who buys lets you spend where it pays." in out  # the advice
    assert "Not asked: 1 of this stage's questions" in out  # packaging, for a service firm
    assert "Prospecting: question 1 of 2" in out
    assert "cycleaudit report cake.yaml -o report.pdf" in out
    assert "Overall" in out  # the score summary at the end
    got = answers(folder / "cake.yaml")
    assert got == {
        "define-prospects": ("defined", "", HOSTILE, ""),
        "collect-contacts": (None, "we only take referrals: no lists", "", ""),
        "follow-up": ("ad-hoc", "", "", "calls when we remember"),
        "capture-buyers": ("measured", "", "", ""),
    }
    questionnaire = api.load_questionnaire(folder / "cake.yaml")
    assert questionnaire.organisation.name == "Crumb & Veil"
    assert questionnaire.organisation.profile["purchase"] == ("one-off", "repeat")
    assert questionnaire.organisation.profile["team-size"] == 2
    # Same shape as init: the questions are still there as comments.
    text = (folder / "cake.yaml").read_text(encoding="utf-8")
    assert "# Know your prospects. Have you written down who buys from you?" in text
    assert "# packaging: " in text


def test_input_that_ends_early_leaves_a_valid_file_and_resume_keeps_answers(
    folder: Path,
) -> None:
    code, out = interview(
        "-o", "cake.yaml", "-r", "mini.yaml", lines=[*BUSINESS, "2", "first evidence", ""]
    )
    assert code == 0, out
    assert "your answers so far are saved in cake.yaml" in out
    assert answers(folder / "cake.yaml") == {
        "define-prospects": ("ad-hoc", "", "first evidence", ""),
    }
    code, out = interview("-o", "cake.yaml", "--resume", lines=["1", "", "", "s", "4", "", ""])
    assert code == 0, out
    assert "1 of 4 questions are answered" in out
    assert "Have you written down who buys from you?" not in out  # not asked again
    assert answers(folder / "cake.yaml") == {
        "define-prospects": ("ad-hoc", "", "first evidence", ""),
        "collect-contacts": ("none", "", "", ""),
        "capture-buyers": ("measured", "", "", ""),
    }


def test_going_back_keeps_an_answer_unless_changed(folder: Path) -> None:
    lines = [*BUSINESS, "3", "on paper", "", "b", "", "", "", "s", "s", "s"]
    code, out = interview("-o", "cake.yaml", "-r", "mini.yaml", lines=lines)
    assert code == 0, out
    assert "[now: Written down]" in out
    assert answers(folder / "cake.yaml")["define-prospects"] == ("defined", "", "on paper", "")


def test_a_file_that_does_not_validate_is_reported_not_overwritten(folder: Path) -> None:
    bad = folder / "bad.yaml"
    bad.write_text("cycleaudit: 1\nrubric: default\norganisation: {name: X}\n", encoding="utf-8")
    before = bad.read_bytes()
    code, out = interview("-o", "bad.yaml", lines=[""])
    assert code == 2
    assert "bad.yaml:3:" in out
    assert bad.read_bytes() == before


def test_ctrl_c_exits_130_with_the_answers_saved(folder: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    process = subprocess.Popen(
        [sys.executable, "-m", "cycleaudit", "interview", "-o", "cake.yaml", "-r", "mini.yaml"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=folder,
        env=env,
        text=True,
    )
    assert process.stdin is not None
    process.stdin.write("\n".join([*BUSINESS, "4", "", ""]) + "\n")
    process.stdin.flush()
    target = folder / "cake.yaml"
    deadline = time.monotonic() + 60
    while "define-prospects: measured" not in (
        target.read_text(encoding="utf-8") if target.exists() else ""
    ):
        assert time.monotonic() < deadline, "the first answer was never saved"
        time.sleep(0.1)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, out + err
    assert "your answers so far are saved in cake.yaml" in err
    assert answers(target) == {"define-prospects": ("measured", "", "", "")}
    assert not list(folder.glob("*.tmp")) and not list(folder.glob(".*tmp*"))


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_anything_typed_reads_back_unchanged(text: str) -> None:
    document = load_text(f"cycleaudit: 1\nvalue: {quote(text)}\n", "typed.yaml")
    assert document.data["value"] == text


@pytest.mark.parametrize(
    ("key", "typed", "value", "why"),
    [
        ("repeat-purchase-rate", "28%", 0.28, ""),
        ("repeat-purchase-rate", "0.28", 0.28, ""),
        ("repeat-purchase-rate", "28", None, "28 % is written 0.28"),
        ("average-order-value", "1e999", None, "a finite number"),
        ("average-order-value", "1,250", 1250, ""),
        ("purchases-per-customer-per-year", "0", None, "more than 0"),
        ("customers-per-year", "-3", None, "at least 0"),
        ("currency", "gbp", "GBP", ""),
        ("currency", "pounds", None, "three-letter currency code"),
    ],
)
def test_figures_are_checked_as_they_are_typed(
    key: str, typed: str, value: object, why: str
) -> None:
    question = {q.key: q for q in key_questions("metrics")}[key]
    got, message = question.parse(typed)
    assert got == value
    assert why in message


def test_profile_questions_follow_the_schema() -> None:
    questions = {q.key: q for q in key_questions("profile")}
    assert "channel" not in questions  # deprecated: still read, never asked
    assert questions["offering"].several and "digital" in questions["offering"].choices
    assert questions["team-size"].parse("2.5") == (None, "a whole number")
    assert questions["purchase"].parse("one-off, repeat") == (["one-off", "repeat"], "")
    assert questions["model"].parse("1, 2")[0] is None  # one choice only
