"""Write results so that a failed run never leaves a half-written file.

The bytes go to a temporary file in the destination's folder (same file
system, so the final ``os.replace`` is atomic), then replace the old file in
one step. A report is never written over the questionnaire it came from.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from cycleaudit.errors import OutputError

STDOUT = "-"


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether two paths name one file (through links, case, or ``..``)."""
    first, second = Path(a), Path(b)
    try:
        return first.exists() and second.exists() and os.path.samefile(first, second)
    except OSError:
        return False


def check_output(path: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str]]) -> None:
    """Refuse an output path that is one of the inputs."""
    if str(path) == STDOUT:
        return
    target = Path(path)
    for source in inputs:
        if same_file(target, source) or (
                os.path.realpath(target) == os.path.realpath(Path(source))):
            raise OutputError(f"{path}: refusing to write the report over its own input")


def write_atomic(path: str | os.PathLike[str], data: bytes,
                 inputs: Iterable[str | os.PathLike[str]] = ()) -> None:
    """Write ``data`` to ``path`` in one step (``-`` is handled by the CLI as stdout)."""
    if str(path) == STDOUT:
        raise OutputError("'-' means standard output: write it there, not to a file")
    check_output(path, inputs)
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                             dir=folder)
    except OSError as error:
        raise OutputError(f"{path}: cannot write here: {error.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp creates 0600; a report is an ordinary file, so use the usual umask.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp_name, 0o666 & ~umask)
        os.replace(temp_name, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise OutputError(f"{path}: cannot write: {error.strerror}") from None
