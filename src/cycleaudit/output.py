"""Writing results: atomically, never over the input, ``-`` for standard output."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from cycleaudit.errors import OutputError


def same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def check_target(target: str, inputs: Iterable[Path] = ()) -> None:
    """Refuse before any work is done: writing over an input, or into a missing folder."""
    if target == "-":
        return
    path = Path(target)
    for source in inputs:
        if same_file(path, source):
            raise OutputError(f"{target}: refusing to write the output over its own input file")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{target}: folder {folder} does not exist")
    if path.is_dir():
        raise OutputError(f"{target}: is a folder; give a file name")


def write_atomic(target: str, data: bytes, inputs: Iterable[Path] = ()) -> None:
    """Write all of ``data`` or nothing: a temporary file in the same folder, then a rename."""
    if target == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    check_target(target, inputs)
    path = Path(target)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp makes the file private; a report should get the usual permissions.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise OutputError(f"{target}: cannot write: {error.strerror}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
