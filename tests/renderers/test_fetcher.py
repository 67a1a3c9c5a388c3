"""The WeasyPrint fetcher serves template and theme files only, and says what it refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest.importorskip("weasyprint")

from cycleaudit.renderers.fetcher import FetchRefused, SafeFetcher
from cycleaudit.renderers.themes import templates_dir


@pytest.fixture()
def theme(tmp_path: Path) -> Path:
    folder = tmp_path / "theme"
    folder.mkdir()
    (folder / "theme.css").write_text("h1 { color: red }")
    (tmp_path / "secret.txt").write_text("TOP SECRET")
    os.symlink(tmp_path / "secret.txt", folder / "link.css")
    os.symlink("/etc/passwd", folder / "passwd.css")
    return folder


def test_serves_templates_and_theme_files(theme: Path) -> None:
    fetcher = SafeFetcher([templates_dir(), theme])
    response = fetcher.fetch((theme / "theme.css").as_uri())
    assert response.read() == b"h1 { color: red }"
    assert response.content_type == "text/css"
    font = fetcher.fetch((templates_dir() / "fonts" / "DejaVuSans.ttf").as_uri())
    assert font.read(4) == b"\x00\x01\x00\x00"
    assert fetcher.refused == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///dev/zero",
        "/dev/zero",
        "http://127.0.0.1:9/x.css",
        "https://example.com/x.css",
        "ftp://example.com/x",
        "data:text/css,h1{color:red}",
        "javascript:alert(1)",
        "file://otherhost/etc/passwd",
    ],
)
def test_refuses_anything_else(theme: Path, url: str) -> None:
    fetcher = SafeFetcher([templates_dir(), theme])
    with pytest.raises(FetchRefused):
        fetcher.fetch(url)
    assert len(fetcher.refused) == 1 and "refused" in fetcher.refused[0]


def test_refuses_dotdot_and_symlinks_out_of_the_theme(theme: Path) -> None:
    fetcher = SafeFetcher([theme])
    for url in (
        theme.as_uri() + "/../secret.txt",
        (theme / "link.css").as_uri(),
        (theme / "passwd.css").as_uri(),
        theme.as_uri() + "/%2e%2e/secret.txt",
    ):
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 4


def test_refuses_folders_and_special_files(theme: Path) -> None:
    fifo = theme / "pipe.css"
    os.mkfifo(fifo)
    fetcher = SafeFetcher([theme])
    for url in (fifo.as_uri(), theme.as_uri()):
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)
