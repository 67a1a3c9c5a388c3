"""Compiled templates are kept across runs, and never change a report."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest

from cycleaudit import api
from cycleaudit.renderers import html as html_renderer

EXAMPLE = Path(__file__).parents[2] / "examples" / "online-shop.yaml"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CYCLEAUDIT_CACHE_DIR", str(folder))
    html_renderer._environment.cache_clear()  # a new process, as far as templates go
    yield folder
    html_renderer._environment.cache_clear()


def _page() -> bytes:
    html_renderer._environment.cache_clear()
    return api.render_report(api.audit_file(EXAMPLE), "html")


def _no_compiling(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a template was compiled although its compiled form was kept")

    monkeypatch.setattr(jinja2.Environment, "compile", refuse)


def test_a_second_run_uses_the_kept_templates(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _page()
    entries = sorted(cache.glob("template-*.bin"))
    assert entries, "nothing was kept"
    assert all(os.stat(entry).st_mode & 0o077 == 0 for entry in entries)
    _no_compiling(monkeypatch)
    assert _page() == first


def test_a_damaged_entry_is_compiled_again(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _page()
    for entry in cache.glob("template-*.bin"):
        data = bytearray(entry.read_bytes())
        data[len(data) // 2] ^= 0xFF
        entry.write_bytes(bytes(data))
    compiled: list[str] = []
    original = jinja2.Environment.compile

    def counting(
        self: jinja2.Environment, source: str, name: str | None = None, *a: object, **k: object
    ) -> object:
        compiled.append(str(name))
        return original(self, source, name, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    assert _page() == first
    assert "base.html.j2" in compiled


def test_a_folder_others_may_write_is_not_used(cache: Path) -> None:
    cache.mkdir(mode=0o777)
    os.chmod(cache, 0o777)
    first = _page()
    assert not list(cache.glob("template-*.bin"))
    assert _page() == first


def test_turned_off_leaves_nothing(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CYCLEAUDIT_NO_CACHE", "1")
    _page()
    assert not cache.exists()
