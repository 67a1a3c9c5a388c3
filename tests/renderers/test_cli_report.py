"""`cycleaudit report`: format from the extension, atomic output, never over the input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.renderers.conftest import ROOT

from cycleaudit.cli import main

EXAMPLE = ROOT / "examples" / "online-shop.yaml"


@pytest.fixture()
def example(tmp_path: Path) -> Path:
    if not EXAMPLE.exists():
        pytest.skip("example not written yet")
    copy = tmp_path / "shop.yaml"
    shutil.copy(EXAMPLE, copy)
    text = copy.read_text()
    # The copy must still find its rubric: a built-in name, or the repo's file.
    assert "rubric:" not in text or "default" in text
    return copy


def test_format_follows_the_extension(example: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    for name, start in (
        ("r.html", "<!DOCTYPE html>"),
        ("r.md", "# Sales-cycle audit"),
        ("r.json", "{"),
    ):
        result = runner.invoke(main, ["report", str(example), "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        assert (tmp_path / name).read_text().startswith(start)


def test_refuses_to_write_over_the_input(example: Path) -> None:
    before = example.read_bytes()
    result = CliRunner().invoke(main, ["report", str(example), "-f", "text", "-o", str(example)])
    assert result.exit_code == 2
    assert "over its own input" in result.output
    assert example.read_bytes() == before


def test_failed_render_leaves_the_old_report_untouched(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    out.write_text("OLD REPORT")
    result = CliRunner().invoke(
        main, ["report", str(example), "-o", str(out), "--theme", str(tmp_path / "missing-theme")]
    )
    assert result.exit_code == 2
    assert "unknown theme" in result.output
    assert out.read_text() == "OLD REPORT"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".report")] == []


def test_broken_template_is_an_error_not_a_traceback(example: Path, tmp_path: Path) -> None:
    theme = tmp_path / "broken"
    theme.mkdir()
    (theme / "report.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block cover_note %}{{ no_such_thing }}{% endblock %}'
    )
    out = tmp_path / "r.html"
    result = CliRunner().invoke(
        main, ["report", str(example), "-o", str(out), "--theme", str(theme)]
    )
    assert result.exit_code == 2
    assert "template" in result.output and "no_such_thing" in result.output
    assert not out.exists()


def test_theme_warnings_reach_the_user(example: Path, tmp_path: Path) -> None:
    theme = tmp_path / "t"
    theme.mkdir()
    (theme / "theme.css").write_text('body { background: url("http://127.0.0.1:9/x.png") }')
    result = CliRunner().invoke(
        main, ["report", str(example), "-o", str(tmp_path / "r.html"), "--theme", str(theme)]
    )
    assert result.exit_code == 0
    assert "warning:" in result.output and "127.0.0.1" in result.output


def test_detail_is_brief_or_full(example: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    for detail in ("brief", "full"):
        out = tmp_path / f"{detail}.html"
        result = runner.invoke(main, ["report", str(example), "--detail", detail, "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert out.read_text().startswith("<!DOCTYPE html>")
    result = runner.invoke(
        main, ["report", str(example), "--detail", "everything", "-o", str(tmp_path / "x.html")]
    )
    assert result.exit_code == 2
    assert not (tmp_path / "x.html").exists()
