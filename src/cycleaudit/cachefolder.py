"""The user's private cache folder, shared by the rubric and template caches.

A cache may make a run faster, never change its result, so it trusts
nothing it reads: the folder must be the user's own, mode 0700, not a
symlink (a shared ``XDG_CACHE_HOME`` where another user planted entries is
not used); an entry must be a regular file owned by the user; any failure
at all is a miss. ``CYCLEAUDIT_NO_CACHE=1`` turns caching off;
``CYCLEAUDIT_CACHE_DIR`` moves the folder.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def folder() -> Path | None:
    """Where caches live, or None when caching is turned off."""
    if os.environ.get("CYCLEAUDIT_NO_CACHE"):
        return None
    chosen = os.environ.get("CYCLEAUDIT_CACHE_DIR")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "cycleaudit"


def private(path: Path) -> bool:
    """Whether ``path`` is a real folder of this user that nobody else may write."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return (
        stat.S_ISDIR(info.st_mode)
        and info.st_uid == os.getuid()
        and not info.st_mode & (stat.S_IRWXG | stat.S_IRWXO)
    )


def make_private(path: Path) -> bool:
    """Create ``path`` (mode 0700) if needed; whether it is then private."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            path.mkdir(mode=0o700)
    except OSError:
        return False
    return private(path)


def read_regular(path: Path, limit: int, *, owned: bool = False) -> bytes | None:
    """The bytes of a regular file under ``limit``; None for anything else.

    ``owned``: also refuse symlinks and files of other users (cache entries).
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | (_NOFOLLOW if owned else 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        if owned and info.st_uid != os.getuid():
            return None
        data = handle.read(limit + 1)
    return data if len(data) <= limit else None


def write_entry(path: Path, data: bytes) -> None:
    """Write a cache entry atomically; a failure only costs speed."""
    temporary: str | None = None
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
        temporary = None
    except OSError:
        pass
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
