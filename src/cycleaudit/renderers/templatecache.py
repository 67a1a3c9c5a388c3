"""Compiled report templates kept across runs, like Python's own ``.pyc`` files.

Compiling the report's templates costs about 90 ms in every fresh process,
more than rendering them (3 ms); a PDF brief should print in about a second.
Jinja checks each entry against the template's source (a checksum) and its
own and Python's versions, so an edited template or theme is compiled
again. Entries live in the user's private cache folder (see
``cachefolder``) with a SHA-256 of their content, so a damaged entry is a
miss; nothing is shared between users.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket, BytecodeCache

from cycleaudit import __version__, cachefolder

MAX_ENTRY_BYTES = 8 * 1024 * 1024
_DIGEST = 32


class TemplateCache(BytecodeCache):
    """Jinja bytecode in the private cache folder, for one environment's settings."""

    def __init__(self, settings: str) -> None:
        # Settings such as autoescape change the compiled code, not the source.
        self.salt = f"{__version__}|{jinja2.__version__}|{settings}"

    def _entry(self, bucket: Bucket) -> Path | None:
        folder = cachefolder.folder()
        if folder is None:
            return None
        name = hashlib.sha256(f"{self.salt}|{bucket.key}".encode()).hexdigest()[:40]
        return folder / f"template-{name}.bin"

    def load_bytecode(self, bucket: Bucket) -> None:
        entry = self._entry(bucket)
        if entry is None or not cachefolder.private(entry.parent):
            return
        data = cachefolder.read_regular(entry, MAX_ENTRY_BYTES, owned=True)
        if data is None or len(data) <= _DIGEST:
            return
        digest, payload = data[:_DIGEST], data[_DIGEST:]
        if hashlib.sha256(payload).digest() != digest:
            return
        try:
            bucket.bytecode_from_string(payload)
        except (ValueError, EOFError, TypeError):
            bucket.reset()  # a damaged entry is a miss: the template is compiled

    def dump_bytecode(self, bucket: Bucket) -> None:
        entry = self._entry(bucket)
        if entry is None or not cachefolder.make_private(entry.parent):
            return
        payload = bucket.bytecode_to_string()
        cachefolder.write_entry(entry, hashlib.sha256(payload).digest() + payload)
