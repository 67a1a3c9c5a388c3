"""Shared themes are untrusted: sandboxed templates, read only the theme, emit only safe HTML."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from tests.renderers.audits import make_audit
from tests.renderers.conftest import FIXTURES, CountingServer

from cycleaudit.renderers import RenderError, render_full
from cycleaudit.renderers.html import _environment
from cycleaudit.renderers.themes import ThemeError, load_theme
from cycleaudit.report import build_context


@pytest.fixture(scope="module")
def context():  # type: ignore[no-untyped-def]
    return build_context(make_audit())


def _copy(name: str, tmp_path: Path, server: CountingServer | None = None) -> Path:
    """A fixture theme in a temporary folder, its PORT pointed at the counting server."""
    theme = tmp_path / name
    shutil.copytree(FIXTURES / name, theme)
    if server is not None:
        for path in theme.iterdir():
            if path.suffix in (".j2", ".css"):
                path.write_text(path.read_text().replace("PORT", str(server.port)))
    return theme


def test_template_cannot_run_code(context) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RenderError, match="themes may not reach code") as caught:
        render_full(context, "html", theme=FIXTURES / "code-theme")
    assert "CODE-RAN" not in str(caught.value)


def test_template_include_cannot_follow_a_symlink_out(tmp_path: Path, context) -> None:  # type: ignore[no-untyped-def]
    theme = tmp_path / "leaky"
    theme.mkdir()
    os.symlink("/etc/passwd", theme / "leak.txt")
    (theme / "report.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block cover_note %}{% include "leak.txt" %}{% endblock %}'
    )
    with pytest.raises(RenderError, match=r"leak\.txt"):
        render_full(context, "html", theme=theme)


@pytest.mark.parametrize("name", ["/etc/passwd", "../../../../etc/passwd", "./x/../../y"])
def test_template_names_outside_the_theme_are_refused(
    tmp_path: Path,
    context,  # type: ignore[no-untyped-def]
    name: str,
) -> None:
    theme = tmp_path / "escape"
    theme.mkdir()
    (theme / "report.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block cover_note %}'
        f'{{% include "{name}" %}}{{% endblock %}}'
    )
    with pytest.raises(RenderError, match="only names inside the theme folder"):
        render_full(context, "html", theme=theme)


def test_markup_from_a_template_is_removed(tmp_path: Path, server: CountingServer, context) -> None:  # type: ignore[no-untyped-def]
    theme = _copy("markup-theme", tmp_path, server)
    before = len(server.requests)
    result = render_full(context, "html", theme=theme)
    html = result.data.decode()
    assert server.requests[before:] == []
    assert "Branded note stays" in html
    for bad in (
        "<script",
        "<iframe",
        "<object",
        "<embed",
        "<link",
        "<base",
        "http-equiv",
        "onerror",
        "onclick",
        "<video",
        "<image",
        "<use",
        "javascript:",
        "127.0.0.1",
        "image-set",
    ):
        assert bad not in html, bad
    removed = "\n".join(result.warnings)
    assert "removed <script>" in removed
    assert "removed <iframe>" in removed
    assert "the onclick attribute of <p>" in removed


def test_the_html_report_loads_nothing_in_a_browser(
    tmp_path: Path,
    server: CountingServer,
    context,  # type: ignore[no-untyped-def]
    browser: Any,  # the session's Chromium (tests/browser.py)
) -> None:
    theme = _copy("markup-theme", tmp_path, server)
    css_theme = _copy("css-escapes-theme", tmp_path, server)
    pages = []
    for chosen in (theme, css_theme):
        out = tmp_path / f"{chosen.name}.html"
        out.write_bytes(render_full(context, "html", theme=chosen).data)
        pages.append(out)
    before = len(server.requests)
    # One Playwright per session: a second sync_playwright() inside the
    # shared one's event loop is refused.
    page = browser.new_page()
    try:
        for out in pages:
            page.goto(out.as_uri())
            page.wait_for_timeout(300)
    finally:
        page.close()
    assert server.requests[before:] == []


def test_escaped_css_is_refused_with_file_and_line(
    tmp_path: Path,
    server: CountingServer,
    context,  # type: ignore[no-untyped-def]
) -> None:
    theme = _copy("css-escapes-theme", tmp_path, server)
    result = render_full(context, "html", theme=theme)
    html = result.data.decode()
    assert "127.0.0.1" not in html
    warnings = "\n".join(result.warnings)
    assert "theme.css:2: removed url(http://127.0.0.1" in warnings
    assert "theme.css:3: removed image-set()" in warnings
    assert "theme.css:4: removed url(http://127.0.0.1" in warnings
    assert "theme.css:5: removed @import" in warnings
    assert "theme.css:7: size 1000px is too large or grows with nesting; 48px used" in warnings
    # A file of the theme itself is allowed, inlined.
    assert 'url("data:image/png;base64,' in html


def test_escaped_css_is_refused_in_the_pdf_too(
    tmp_path: Path,
    server: CountingServer,
    context,  # type: ignore[no-untyped-def]
) -> None:
    theme = _copy("css-escapes-theme", tmp_path, server)
    before = len(server.requests)
    result = render_full(context, "pdf", theme=theme)
    assert server.requests[before:] == []
    warnings = "\n".join(result.warnings)
    assert "theme.css:3: removed image-set()" in warnings
    assert "theme.css:7: size 1000px is too large" in warnings


def test_a_template_that_includes_itself_is_an_error(context) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RenderError, match="includes, imports or extends itself"):
        render_full(context, "html", theme=FIXTURES / "self-include-theme")


def test_deeply_nested_theme_settings_are_an_error(tmp_path: Path) -> None:
    theme = tmp_path / "deep"
    theme.mkdir()
    (theme / "theme.yaml").write_text("colours: " + "[" * 3000 + "]" * 3000 + "\n")
    with pytest.raises(ThemeError, match=r"theme\.yaml:1:\d+: nesting is deeper"):
        load_theme(theme)


def test_a_huge_logo_is_dropped_saying_why() -> None:
    theme = load_theme(FIXTURES / "huge-logo-theme")
    assert theme.logo is None
    assert any("13,000 × 13,000 pixels" in w for w in theme.warnings)


def test_an_svg_logo_with_an_outside_reference_is_dropped_saying_why() -> None:
    theme = load_theme(FIXTURES / "svg-logo-theme")
    assert theme.logo is None
    assert any("refers to another file or address" in w for w in theme.warnings)


def test_the_environment_is_built_once_per_theme() -> None:
    dirs = load_theme(None).template_dirs
    assert _environment(dirs, "html") is _environment(dirs, "html")
    assert _environment(dirs, "html") is not _environment(dirs, "pdf")


def test_our_own_templates_lose_nothing_to_the_allow_list(context) -> None:  # type: ignore[no-untyped-def]
    from cycleaudit.renderers.sanitize_html import clean_html

    for theme in (None, "mono", FIXTURES / "custom-theme"):
        result = render_full(context, "html", theme=theme)
        assert not [w for w in result.warnings if "removed" in w], theme
        # Built-in themes skip the rebuild because it would change nothing.
        removed: list[str] = []
        clean_html(result.data.decode(), removed)
        assert removed == [], theme


def test_a_layout_past_its_budget_stops() -> None:
    from cycleaudit.renderers.budget import OverBudget, time_budget

    with pytest.raises(OverBudget, match="longer than 1 s"), time_budget(1):
        while True:  # stands for a layout that never ends
            pass


def test_nested_relative_font_sizes_cannot_multiply() -> None:
    from cycleaudit.renderers.sanitize_css import clean_stylesheet, data_uri

    warnings: list[str] = []
    css = clean_stylesheet(
        "* { font-size: 3em; line-height: 3000% }", "t.css", None, data_uri, warnings
    )
    assert "font-size: 3rem" in css and "line-height: 300%" in css
    assert len(warnings) == 2


@pytest.mark.parametrize(
    "expression", ["('x' * 10000000000) | length", "9 ** 100000000", "[0] * 10000000000"]
)
def test_a_template_cannot_build_giant_values(tmp_path: Path, context, expression: str) -> None:  # type: ignore[no-untyped-def]
    theme = tmp_path / "giant"
    theme.mkdir()
    (theme / "report.html.j2").write_text(
        f'{{% extends "base.html.j2" %}}{{% block cover_note %}}{{{{ {expression} }}}}'
        "{% endblock %}"
    )
    with pytest.raises(RenderError, match="may not"):
        render_full(context, "html", theme=theme)


def test_a_template_that_loops_for_ever_stops(
    tmp_path: Path,
    context,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CYCLEAUDIT_RENDER_SECONDS", "1")
    theme = tmp_path / "loop"
    theme.mkdir()
    (theme / "report.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block cover_note %}'
        "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
        "{% endblock %}"
    )
    with pytest.raises(RenderError, match="took longer than 1 s"):
        render_full(context, "html", theme=theme)


def test_svg_style_cannot_smuggle_markup() -> None:
    from cycleaudit.renderers.sanitize_html import clean_html

    removed: list[str] = []
    html = clean_html("<svg><style><img src=x onerror=alert(1)></style><rect/></svg>", removed)
    assert "onerror" not in html and "<img" not in html
    assert "HTML report: removed <style> (not allowed in a report)" in removed
