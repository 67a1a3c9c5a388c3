"""The only way WeasyPrint may read anything while rendering a report.

WeasyPrint's default fetcher opens any URL a document names: ``file:`` paths,
``http://127.0.0.1:…`` on the auditor's network, ``/dev/zero``. A report is
rendered from files other people wrote (questionnaires, themes), so this
fetcher allows exactly one thing: regular files inside a short list of
folders (the package's templates and the chosen theme), checked after
resolving symlinks and ``..``. Everything else is refused before it is
opened, and every refusal is recorded so the caller can report it.

This module imports WeasyPrint; only ``renderers.pdf`` imports this module,
inside its render function, so ``import cycleaudit.renderers`` stays cheap.
"""

from __future__ import annotations

import logging
import mimetypes
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

LOGGER = logging.getLogger("cycleaudit.renderers")

# A theme's logo or a font is well under this; anything bigger is a mistake or an attack.
MAX_BYTES = 8 * 1024 * 1024
CONTENT_TYPES = {
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


class FetchRefused(ValueError):
    """A resource the report may not read."""


class SafeFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type hints
    """Serve files under ``roots`` only; refuse and record everything else."""

    def __init__(self, roots: Iterable[Path]) -> None:
        # No network protocol at all, and no redirects to follow.
        super().__init__(timeout=2, allowed_protocols=("file",), allow_redirects=False)
        self.roots = tuple(Path(os.path.realpath(root)) for root in roots)
        self.refused: list[str] = []

    def refuse(self, url: str, why: str) -> FetchRefused:
        shown = url if len(url) <= 120 else url[:117] + "..."
        message = f"refused to load {shown}: {why}"
        self.refused.append(message)
        LOGGER.warning("%s", message)
        return FetchRefused(message)

    def check(self, url: str) -> Path:
        """The local file ``url`` names, if the report may read it."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme != "file":
            raise self.refuse(url, f"{scheme or 'relative'} addresses are not allowed")
        if parts.netloc not in ("", "localhost"):
            raise self.refuse(url, "files on other machines are not allowed")
        raw_path = unquote(parts.path)
        if "\x00" in raw_path:
            raise self.refuse(url, "the path contains a NUL byte")
        if ".." in Path(raw_path).parts:
            raise self.refuse(url, "paths with '..' are not allowed")
        real = Path(os.path.realpath(raw_path))
        if not any(real.is_relative_to(root) for root in self.roots):
            raise self.refuse(url, "only files of the report templates and theme may be read")
        try:
            info = os.stat(real)
        except OSError:
            raise self.refuse(url, "the file does not exist") from None
        if not stat.S_ISREG(info.st_mode):
            raise self.refuse(url, "not a regular file")
        if info.st_size > MAX_BYTES:
            raise self.refuse(url, f"larger than {MAX_BYTES // (1024 * 1024)} MB")
        return real

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        path = self.check(url)
        content_type = CONTENT_TYPES.get(path.suffix.lower()) or (
            mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        )
        # O_NOFOLLOW: the resolved path must not be swapped for a link in between.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise self.refuse(url, "the file grew while reading")
        return URLFetcherResponse(path.as_uri(), body=data, headers={"Content-Type": content_type})
