"""Hostile sizes and references: every one ends in a positioned message, quickly."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cycleaudit.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "rubrics" / "mini.yaml"
GOOD = FIXTURES / "questionnaires" / "mini-good.yaml"
HEAD = "cycleaudit: 1\nrubric: mini.yaml\norganisation: {name: X, audited: 2026-01-01}\nanswers:\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _beside(tmp_path: Path, text: str, name: str = "q.yaml") -> Path:
    shutil.copy(MINI, tmp_path / "mini.yaml")
    path = tmp_path / name
    path.write_text(text)
    return path


# ------------------------------------------------------------- item 4: caps


def test_thousands_of_unknown_ids_are_capped_and_suggested_only_first(tmp_path: Path) -> None:
    lines = "".join(f"    define-prospect-{i:05d}: defined\n" for i in range(20_000))
    path = _beside(tmp_path, HEAD + "  prospecting:\n" + lines)
    code, _, err = run("validate", "--all", str(path))
    assert code == 2
    shown = err.splitlines()[:-1]
    assert len(shown) == 201
    assert "19800 more problems not shown" in shown[-1]
    assert "did you mean 'define-prospects'?" in shown[0]
    assert "did you mean" not in shown[100]


def test_a_megabyte_of_bad_answers_stops_after_100_schema_problems(tmp_path: Path) -> None:
    lines = "".join(f"    t{i}: {{level: 7, sparkle: 1}}\n" for i in range(25_000))
    path = _beside(tmp_path, HEAD + "  prospecting:\n" + lines)
    code, _, err = run("validate", "--all", str(path))
    assert code == 2
    assert "more problems not shown: checking stopped after the first 100" in err
    assert len(err.splitlines()) <= 202


def test_an_overlay_of_55000_items_is_refused_at_its_key(tmp_path: Path) -> None:
    items = "".join(f"  - {{id: t{i}}}\n" for i in range(55_000))
    path = tmp_path / "big.yaml"
    path.write_text(
        "cycleaudit-rubric: 1\nid: big\nversion: '1'\ntitle: Big\nextends: default\n"
        "tactics:\n" + items
    )
    code, _, err = run("validate", str(path))
    assert code == 2
    assert f"{path}:6:1: error: 'tactics' holds 55,000 items; a rubric holds at most 2,000" in err


# ------------------------------------------------- item 5: rubric references


@pytest.mark.parametrize(
    ("reference", "why"),
    [
        ("/proc/self/status", "is an absolute path"),
        ("/proc/kmsg", "is an absolute path"),
        ("../../../../../../etc/passwd.yaml", "leads out of the questionnaire's folder"),
        ("~/rubric.yaml", "is an absolute path"),
    ],
)
def test_a_questionnaire_cannot_name_a_rubric_anywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reference: str, why: str
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "client"
    folder.mkdir()
    path = folder / "q.yaml"
    path.write_text(GOOD.read_text().replace("../rubrics/mini.yaml", reference))
    code, _, err = run("validate", str(path))
    assert code == 2
    assert f"{path}:2:9: error: rubric '{reference}' {why}" in err


def test_a_rubric_link_out_of_the_folder_or_a_fifo_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(MINI, outside / "mini.yaml")
    folder = tmp_path / "client"
    folder.mkdir()
    monkeypatch.chdir(folder)
    os.symlink(outside / "mini.yaml", folder / "linked.yaml")
    os.mkfifo(folder / "pipe.yaml")
    for name, why in (("linked.yaml", "leads out of"), ("pipe.yaml", "is not a regular file")):
        path = folder / f"q-{name}"
        path.write_text(GOOD.read_text().replace("../rubrics/mini.yaml", name))
        code, _, err = run("validate", str(path))
        assert code == 2 and why in err, err


def test_a_file_that_is_not_a_rubric_is_never_quoted() -> None:
    code, _, err = run("score", str(GOOD), "--rubric", "/proc/self/status")
    assert code == 2
    assert "/proc/self/status:1:1: error: this file is not a cycleaudit rubric" in err
    for leaked in ("Name", "Uid", "VmPeak", "Pid"):
        assert leaked not in err


def test_a_rubric_beside_or_below_the_questionnaire_is_used(tmp_path: Path) -> None:
    (tmp_path / "rubrics").mkdir()
    shutil.copy(MINI, tmp_path / "rubrics" / "mini.yaml")
    path = tmp_path / "q.yaml"
    path.write_text(GOOD.read_text().replace("../rubrics/mini.yaml", "rubrics/mini.yaml"))
    assert run("score", str(path))[0] == 0


# ------------------------------------------------------------ item 10: depth


def test_an_extends_chain_of_1000_files_is_a_positioned_error(tmp_path: Path) -> None:
    shutil.copy(MINI, tmp_path / "r0.yaml")
    for i in range(1, 1000):
        (tmp_path / f"r{i}.yaml").write_text(
            f"cycleaudit-rubric: 1\nid: r{i}\nversion: '1'\ntitle: R{i}\nextends: r{i - 1}.yaml\n"
        )
    code, _, err = run("validate", str(tmp_path / "r999.yaml"))
    assert code == 2
    assert ":5:10: error: rubrics extend each other more than 20 levels deep" in err


def test_a_requires_chain_of_1000_tactics_is_checked(tmp_path: Path) -> None:
    tactics = "".join(
        f"  - id: chain-{i}\n    stage: retention\n    title: Chain {i}\n"
        f"    question: Chain {i}?\n"
        "    levels: {none: No, ad-hoc: Some, defined: Yes, measured: Measured}\n"
        "    advice: Chain.\n    first-step: Chain.\n    effort: low\n    impact: low\n"
        "    sources: [seed-a]\n" + (f"    requires: [chain-{i - 1}]\n" if i else "")
        for i in range(1000)
    )
    (tmp_path / "mini.yaml").write_text(
        MINI.read_text().replace("tactics:\n", "tactics:\n" + tactics, 1)
    )
    path = tmp_path / "q.yaml"
    path.write_text(GOOD.read_text().replace("../rubrics/mini.yaml", "mini.yaml"))
    code, out, err = run("score", str(path))
    assert code == 0, err
    assert "Overall:" in out
