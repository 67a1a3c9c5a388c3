"""The command line as a user meets it: output, exit codes, files left alone."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from cycleaudit.cli import main
from cycleaudit.formats.schemacheck import schema

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "questionnaires" / "mini-good.yaml"
MINI = FIXTURES / "rubrics" / "mini.yaml"
BAD = FIXTURES / "questionnaires" / "bad"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_score_text_shows_scores_balance_and_suggestions() -> None:
    code, out, _ = run("score", str(GOOD))
    assert code == 0
    assert "Overall: 43.8 / 100, grade C (Weak)" in out
    assert "Keeping in touch    12.5" in out
    assert "You win customers and then lose them." in out
    assert "1. Keep buyers' contacts" in out
    assert "~EUR 4,000 a year at stake" in out


def test_score_json_is_versioned_and_matches_its_schema() -> None:
    code, out, _ = run("score", str(GOOD), "--format", "json")
    assert code == 0
    result = json.loads(out)
    jsonschema.Draft202012Validator(schema("result")).validate(result)
    assert result["format"] == "cycleaudit.result/2"
    assert result["overall"] == 43.8
    assert result["sides"] == {"on-sales": 75.0, "off-sales": 25.0}
    order = [s["tactic"] for s in result["suggestions"]]
    assert order == ["capture-buyers", "collect-contacts", "packaging", "follow-up"]
    # The plan in the JSON is the order every report shows.
    plan = result["plan"]
    assert [a["tactic"] for a in plan["actions"]] == order
    assert plan["first-actions"] == order[:3]
    follow_up = plan["actions"][3]
    assert follow_up["phase"] == "60" and follow_up["after"] == ["capture-buyers"]


def test_fail_under_exits_1() -> None:
    code, _, err = run("score", str(GOOD), "--fail-under", "50")
    assert code == 1
    assert "below 50" in err
    assert run("score", str(GOOD), "--fail-under", "40")[0] == 0


def test_validate_reports_every_bad_file_and_exits_2() -> None:
    files = sorted(BAD.glob("*.yaml"))
    code, out, err = run("validate", str(GOOD), *map(str, files))
    assert code == 2
    assert f"{GOOD}: ok (questionnaire)" in out
    assert f"{len(files)} of {len(files) + 1} files have problems" in err
    for path in files:
        assert f"{path}:" in err
    assert "Traceback" not in err


def test_validate_output_is_editor_parsable() -> None:
    code, _, err = run("validate", str(BAD / "unknown-level.yaml"))
    assert code == 2
    assert err.splitlines()[0] == (
        f"{BAD / 'unknown-level.yaml'}:7:23: error: unknown level 'definde' "
        "(did you mean 'defined'?)"
    )


def test_validate_rubrics_and_questionnaires_together() -> None:
    code, out, _ = run("validate", str(MINI), str(FIXTURES / "rubrics" / "overlay.yaml"))
    assert code == 0
    assert "ok (rubric)" in out


def test_init_writes_a_blank_that_validates(tmp_path: Path) -> None:
    target = tmp_path / "northwind-coffee.yaml"
    code, _, _ = run("init", "--rubric", str(MINI), "-o", str(target))
    assert code == 0
    text = target.read_text(encoding="utf-8")
    assert 'name: "Northwind Coffee"' in text
    assert "Know your prospects. Have you written down who buys from you?" in text
    assert "#   defined: On paper" in text
    assert "(Only for businesses that ship physical products.)" in text
    assert run("validate", str(target))[0] == 0
    # Filling in one answer is a matter of removing "# " and writing a level.
    target.write_text(
        text.replace("# define-prospects: ", "define-prospects: defined"), encoding="utf-8"
    )
    code, out, _ = run("score", str(target), "--format", "json")
    assert code == 0 and json.loads(out)["stages"][0]["score"] == 75.0


def test_init_never_overwrites_without_force(tmp_path: Path) -> None:
    target = tmp_path / "mine.yaml"
    target.write_text("precious", encoding="utf-8")
    code, _, err = run("init", "--rubric", str(MINI), "-o", str(target))
    assert code == 2 and "already exists" in err
    assert target.read_text(encoding="utf-8") == "precious"
    assert run("init", "--rubric", str(MINI), "-o", str(target), "--force")[0] == 0


def test_bad_input_leaves_existing_output_untouched(tmp_path: Path) -> None:
    target = tmp_path / "result.json"
    target.write_text("previous result", encoding="utf-8")
    code, _, _ = run("score", str(BAD / "unknown-level.yaml"), "-f", "json", "-o", str(target))
    assert code == 2
    assert target.read_text(encoding="utf-8") == "previous result"
    assert [p.name for p in tmp_path.iterdir()] == ["result.json"]  # no temporary left


def test_output_over_the_input_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "q.yaml"
    copy.write_text(
        GOOD.read_text(encoding="utf-8").replace("../rubrics/mini.yaml", str(MINI)),
        encoding="utf-8",
    )
    before = copy.read_text(encoding="utf-8")
    code, _, err = run("score", str(copy), "-o", str(copy))
    assert code == 2 and "over its own input" in err
    assert copy.read_text(encoding="utf-8") == before


def test_output_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    assert run("score", str(GOOD), "-o", str(target))[0] == 0
    assert "Overall: 43.8" in target.read_text(encoding="utf-8")


def test_schema_prints_the_shipped_schemas() -> None:
    for name in ("questionnaire", "rubric", "result", "report"):
        code, out, _ = run("schema", name)
        assert code == 0
        assert json.loads(out)["title"].startswith("cycleaudit")


def test_rubric_show_outline_and_merged_yaml() -> None:
    code, out, _ = run("rubric", "show", str(FIXTURES / "rubrics" / "overlay.yaml"))
    assert code == 0
    assert "extends: mini" in out
    assert "birthday-card: Birthday cards" in out
    assert "packaging" not in out
    code, out, _ = run("rubric", "show", str(FIXTURES / "rubrics" / "overlay.yaml"), "-f", "yaml")
    assert code == 0 and "Call every buyer within a week" in out


def test_missing_file_is_a_clean_error() -> None:
    code, _, err = run("score", "no-such-file.yaml")
    assert code == 2
    assert err.startswith("no-such-file.yaml:1:1: error: file not found")


def test_python_dash_m_and_help_do_not_load_heavy_libraries() -> None:
    code = (
        "import sys, runpy; sys.argv=['cycleaudit', '--help'];\n"
        "try:\n    runpy.run_module('cycleaudit', run_name='__main__')\n"
        "except SystemExit as e:\n    assert e.code == 0\n"
        "heavy = [m for m in ('weasyprint', 'jinja2', 'markdown_it', 'jsonschema') "
        "if m in sys.modules]\nprint(heavy)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "Usage: cycleaudit" in done.stdout
    assert done.stdout.strip().endswith("[]")


def test_rubric_aware_questionnaire_schema_knows_tactics_and_levels(tmp_path: Path) -> None:
    import yaml

    code, out, _ = run("schema", "questionnaire", "--rubric", "default")
    assert code == 0
    filled = json.loads(out)
    validator = jsonschema.Draft202012Validator(filled)
    stages = filled["properties"]["answers"]["properties"]
    assert "define-ideal-customer" in stages["prospecting"]["properties"]
    hover = stages["prospecting"]["properties"]["define-ideal-customer"]["description"]
    assert hover.startswith("Could you describe") and "measured:" in hover
    root = Path(__file__).parent.parent
    for example in ("online-shop.yaml", "b2b-subscription.yaml"):
        # Quoted dates: what an editor's YAML 1.2 reading gives for these files.
        data = yaml.load((root / "examples" / example).read_text(), Loader=yaml.BaseLoader)
        data = json.loads(json.dumps(data))
        assert not [e.message for e in validator.iter_errors(data) if "answers" in e.json_path]
    wrong = {"answers": {"prospecting": {"define-ideal-customr": "defined"}}}
    assert any("define-ideal-customr" in e.message for e in validator.iter_errors(wrong))
    wrong = {"answers": {"prospecting": {"define-ideal-customer": "definde"}}}
    assert not validator.is_valid(wrong)
    assert run("schema", "rubric", "--rubric", "default")[0] == 2


def test_a_bug_is_said_plainly_on_two_lines_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cycleaudit import api

    def broken(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("a renderer fell over")

    monkeypatch.setattr(api, "render_report", broken)
    monkeypatch.delenv("CYCLEAUDIT_DEBUG", raising=False)
    out = tmp_path / "report.pdf"
    code, _, stderr = run("report", str(GOOD), "--rubric", str(MINI), "-o", str(out))
    assert code == 3
    assert stderr.splitlines() == [
        "internal error: RuntimeError: a renderer fell over",
        "This is a bug in cycleaudit; run again with CYCLEAUDIT_DEBUG=1 and report the traceback.",
    ]
    assert not out.exists()


def test_a_renderer_warning_is_said_once(capsys: pytest.CaptureFixture[str]) -> None:
    import warnings

    from cycleaudit.cli.common import rendered
    from cycleaudit.renderers import RenderWarning

    def produce() -> bytes:
        for _ in range(3):  # a theme's file named by two templates, say
            warnings.warn("logo.svg: refused", RenderWarning, stacklevel=1)
        warnings.warn("theme.css:4: removed url()", RenderWarning, stacklevel=1)
        return b"report"

    assert rendered(produce) == b"report"
    said = capsys.readouterr().err.splitlines()
    assert said == ["warning: logo.svg: refused", "warning: theme.css:4: removed url()"]


def test_validate_counts_in_plain_english() -> None:
    bad = sorted(BAD.glob("*.yaml"))[0]
    assert run("validate", str(bad))[2].splitlines()[-1] == "the file has problems"
    assert run("validate", str(GOOD), str(bad))[2].splitlines()[-1] == "1 of 2 files has problems"
