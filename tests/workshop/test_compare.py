"""`cycleaudit compare` and `report --previous`: what moved since the last audit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cycleaudit import api
from cycleaudit.cli import main

ROOT = Path(__file__).parent.parent.parent
EXAMPLES = ROOT / "examples"
SHOP_BEFORE = EXAMPLES / "online-shop-2025-09.yaml"
SHOP = EXAMPLES / "online-shop.yaml"
SHOP_ACME = ROOT / "tests" / "fixtures" / "compare" / "online-shop-2026-09-acme.yaml"
B2B_BEFORE = EXAMPLES / "b2b-subscription-2025-08.yaml"
B2B = EXAMPLES / "b2b-subscription.yaml"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def compared(tmp_path: Path, *files: Path) -> dict:  # type: ignore[type-arg]
    out = tmp_path / "compare.json"
    code, _, stderr = run("compare", *map(str, files), "-o", str(out))
    assert code == 0, stderr
    return json.loads(out.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_deltas_follow_the_two_audits_scores(tmp_path: Path) -> None:
    # Given in the wrong order: the audit dates decide which came first.
    c = compared(tmp_path, SHOP, SHOP_BEFORE)
    old, new = api.audit_file(SHOP_BEFORE), api.audit_file(SHOP)
    assert c["before"]["audited"] == "2025-09-15" and c["after"]["audited"] == "2026-03-12"
    assert c["overall"]["before"] == round(old.overall or 0, 1)
    assert c["overall"]["after"] == round(new.overall or 0, 1)
    assert c["overall"]["verdict"] == "improved"
    for stage in c["stages"]:
        expected = new.stage_result(stage["id"]).score
        assert stage["after"] == (None if expected is None else round(expected, 1))
    assert c["rubric"]["same"] is True


def test_tactics_sorted_by_what_happened(tmp_path: Path) -> None:
    c = compared(tmp_path, SHOP_BEFORE, SHOP)
    newly = {t["tactic"] for t in c["tactics"]["newly-answered"]}
    # The earlier audit left these two out.
    assert newly == {"free-trial", "loyalty-programme"}
    old, new = api.audit_file(SHOP_BEFORE), api.audit_file(SHOP)
    for item in c["tactics"]["improved"]:
        tactic = item["tactic"]
        assert (new.tactic_result(tactic).score or 0) > (old.tactic_result(tactic).score or 0)
    for item in c["tactics"]["regressed"]:
        tactic = item["tactic"]
        assert (new.tactic_result(tactic).score or 0) < (old.tactic_result(tactic).score or 0)
    assert c["counts"]["improved"] == len(c["tactics"]["improved"]) > 0
    assert c["counts"]["regressed"] > 0


def test_earlier_plan_actions_done_or_open(tmp_path: Path) -> None:
    c = compared(tmp_path, SHOP_BEFORE, SHOP)
    planned = {a.gap.tactic.id for a in api.audit_file(SHOP_BEFORE).plan.actions}
    done = {a["tactic"] for a in c["plan"]["done"]}
    still_open = {a["tactic"] for a in c["plan"]["open"]}
    assert done and still_open
    assert done | still_open <= planned and not done & still_open
    improved = {t["tactic"] for t in c["tactics"]["improved"]}
    assert done <= improved


def test_a_new_rubric_is_not_progress(tmp_path: Path) -> None:
    c = compared(tmp_path, SHOP_BEFORE, SHOP, SHOP_ACME)
    assert len(c["trend"]["points"]) == 3
    assert c["rubric"]["same"] is False
    assert c["rubric"]["added"] == ["Hold a yearly review with every key client"]
    # Same answers under a rubric that weighs retention double: no change on shared tactics.
    assert c["overall"]["delta"] == 0.0
    assert all(s["delta"] in (0.0, None) for s in c["stages"] + c["sides"])
    code, text, _ = run("compare", str(SHOP), str(SHOP_ACME))
    assert code == 0
    assert "different rubrics (default 1.0.0, then acme-consulting 1.0.0)" in text


def test_both_examples_show_real_deltas() -> None:
    for before, after in ((SHOP_BEFORE, SHOP), (B2B_BEFORE, B2B)):
        code, text, _ = run("compare", str(before), str(after))
        assert code == 0
        assert "What improved" in text and "What slipped" in text
        assert "Still open from the last plan" in text


def test_bad_and_mismatched_inputs_are_positioned_errors(tmp_path: Path) -> None:
    broken = ROOT / "tests" / "fixtures" / "workshop" / "zz-wrong-level.yaml"
    code, _, stderr = run("compare", str(SHOP), str(broken), "-o", str(tmp_path / "c.md"))
    assert code == 2
    assert "zz-wrong-level.yaml:14:28: error: unknown level" in stderr
    code, _, stderr = run("compare", str(SHOP), str(B2B))
    assert code == 2
    assert "b2b-subscription.yaml:1:1: error: these audits are of different organisations" in stderr
    assert not (tmp_path / "c.md").exists()


@pytest.mark.parametrize("suffix", ["md", "html", "txt"])
def test_report_with_previous_has_the_since_section(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"report.{suffix}"
    code, _, stderr = run("report", str(SHOP), "--previous", str(SHOP_BEFORE), "-o", str(out))
    assert code == 0, stderr
    text = out.read_text(encoding="utf-8")
    heading = {
        "md": "## Since your last audit",
        "html": "Since your last audit",
        "txt": "Since your last audit\n=====",
    }[suffix]
    assert heading in text
    # Right after the summary in every format, as in the PDF, not tacked on at the end.
    before = {"md": "\n## Executive summary", "html": "Executive summary", "txt": "\nExecutive"}
    after = {"md": "\n## Key findings", "html": "Key findings", "txt": "\nStages\n"}
    assert text.index(before[suffix]) < text.index(heading) < text.index(after[suffix])
    if suffix == "md":
        assert "[Since your last audit](#since-your-last-audit)" in text  # in the contents
    assert "Make the first step low-risk" in text  # answered for the first time
    if suffix == "html":
        assert 'id="since"' in text and 'aria-label="Overall score at each audit"' in text
    plain = tmp_path / f"plain.{suffix}"
    assert run("report", str(SHOP), "-o", str(plain))[0] == 0
    assert heading not in plain.read_text(encoding="utf-8")


def test_compare_html_escapes_names(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(
        SHOP.read_text(encoding="utf-8")
        .replace("name: Linden Leaf Teas", 'name: "<script>alert(1)</script> Teas"')
        .replace("rubric: default", "rubric: default", 1),
        encoding="utf-8",
    )
    earlier = tmp_path / "earlier.yaml"
    earlier.write_text(
        SHOP_BEFORE.read_text(encoding="utf-8").replace(
            "name: Linden Leaf Teas", 'name: "<script>alert(1)</script> Teas"'
        ),
        encoding="utf-8",
    )
    out = tmp_path / "c.html"
    code, _, stderr = run("compare", str(earlier), str(hostile), "-o", str(out))
    assert code == 0, stderr
    html = out.read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html
