"""`cycleaudit score` over many files: a line or a JSON result per questionnaire."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from cycleaudit.cli import main

ROOT = Path(__file__).parent.parent.parent
WORKSHOP = ROOT / "tests" / "fixtures" / "workshop"
GOOD = sorted(p for p in WORKSHOP.glob("*.yaml") if not p.name.startswith("zz-"))
OVERLAY = ROOT / "examples" / "consultant-overlay.yaml"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_a_folder_gives_a_line_per_questionnaire_and_names_the_bad_ones() -> None:
    code, out, err = run("score", str(WORKSHOP))
    assert code == 2
    lines = out.splitlines()
    assert len(lines) == len(GOOD) == 28
    assert lines[0].split() == [str(GOOD[0]), "54.9", "Half", "built"]
    assert f"{WORKSHOP / 'zz-broken-syntax.yaml'}:15:18: error: YAML syntax error" in err
    assert f"{WORKSHOP / 'zz-wrong-level.yaml'}:14:28: error: unknown level 'excellent'" in err
    assert "scored 28 of 30 questionnaires" in err


def test_json_is_one_full_result_per_line_as_for_a_single_file(tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    code, _, _ = run("score", str(WORKSHOP), "-f", "json", "-o", str(out))
    assert code == 2  # the two broken files; the 28 others are written all the same
    results = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["questionnaire"] for r in results] == [str(p) for p in GOOD]
    code, single, _ = run("score", str(GOOD[3]), "-f", "json")
    assert code == 0 and json.loads(single) == results[3]


def test_a_rubric_in_the_folder_is_skipped_with_a_note(tmp_path: Path) -> None:
    for source in [*GOOD[:2], OVERLAY]:
        shutil.copy(source, tmp_path / source.name)
    code, out, err = run("score", str(tmp_path))
    assert code == 0, err
    assert len(out.splitlines()) == 2
    assert f"{tmp_path / OVERLAY.name}: skipped: a rubric, not a questionnaire" in err


def test_a_rubric_named_as_a_questionnaire_is_one_clear_error() -> None:
    code, _, err = run("score", str(GOOD[0]), str(OVERLAY))
    assert code == 2
    assert err.count("error:") == 1
    assert f"{OVERLAY}:6:1: error: this file is a rubric, not a questionnaire" in err


def test_fail_under_counts_the_scores_below() -> None:
    harbour = [str(p) for p in GOOD if p.name.startswith("harbour-")]
    code, _, err = run("score", *harbour, "--fail-under", "50")
    assert code == 1
    assert "1 of 4 overall scores are below 50" in err  # Lars, the assessor: 35.7


def test_the_output_never_replaces_an_input(tmp_path: Path) -> None:
    target = tmp_path / "a.yaml"
    shutil.copy(GOOD[0], target)
    before = target.read_bytes()
    code, _, err = run("score", str(target), str(GOOD[1]), "-o", str(target))
    assert code == 2 and "refusing to write the output over its own input" in err
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml"]  # no temporary left
