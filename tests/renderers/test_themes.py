"""Theme settings: what is valid is applied, the rest is ignored with a warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from cycleaudit.renderers.themes import ThemeError, load_theme, templates_dir


def test_builtin_themes_are_found() -> None:
    assert (templates_dir() / "report" / "base.html.j2").is_file()
    assert load_theme(None).warnings == ()
    assert load_theme("mono").palette != load_theme("default").palette


def test_bad_settings_are_named_and_skipped(tmp_path: Path) -> None:
    theme = tmp_path / "acme"
    theme.mkdir()
    (theme / "theme.yaml").write_text(
        "colours: {accent: '#123456', cover: 'red; background: url(x)', sparkle: '#ffffff'}\n"
        "wording: {confidential: 5, report-title: Revenue health check}\n",
        encoding="utf-8",
    )
    loaded = load_theme(theme)
    assert loaded.palette["accent"] == "#123456"
    assert loaded.palette["cover"] == load_theme("default").palette["cover"]
    assert loaded.wording["report_title"] == "Revenue health check"
    warnings = "\n".join(loaded.warnings)
    assert "colour 'cover' is not a colour; ignored" in warnings
    assert "unknown colour 'sparkle' ignored" in warnings
    assert "wording 'confidential' must be short text; ignored" in warnings


def test_unknown_theme_is_an_error() -> None:
    with pytest.raises(ThemeError, match="unknown theme 'nope'"):
        load_theme("nope")
