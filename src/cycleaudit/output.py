"""Writing results: atomically, never over an input, ``-`` for standard output.

A regular file is written to a temporary file in the same folder, then
renamed over the target, so a reader never sees half a report. A character
device (``/dev/null``, a terminal) or a FIFO is written in place: renaming a
file over it would replace the device node itself. Any other special file is
refused. Every operating-system failure becomes an ``OutputError`` (exit 2
with a message), and a temporary file is removed whatever stops the write,
including an interrupt.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from cycleaudit.errors import OutputError

# A temporary file beside its target, hidden, named after it: ".report.pdf.k3j9x2.tmp".
_TEMPORARY_PREFIX, _TEMPORARY_SUFFIX = ".{name}.", ".tmp"
# Temporary files being written, removed by the signal handlers of the CLI too.
PENDING: set[str] = set()


def same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def _special(path: Path) -> int | None:
    """The file type of an existing non-regular target (None for a regular or new file)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    return None if stat.S_ISREG(mode) or stat.S_ISDIR(mode) else stat.S_IFMT(mode)


def check_target(target: str, inputs: Iterable[Path] = ()) -> None:
    """Refuse before any work is done: writing over an input, or into a missing folder."""
    if target == "-":
        return
    path = Path(target)
    try:
        existing = os.stat(path)
    except OSError:
        existing = None
    for source in inputs:
        # One stat per input (ten thousand for `score` over a folder): the same
        # device and inode is the same file, a hard link included; only when
        # neither exists can the two names still be one.
        try:
            other: os.stat_result | None = os.stat(source)
        except OSError:
            other = None
        if existing is not None and other is not None:
            clash = (other.st_dev, other.st_ino) == (existing.st_dev, existing.st_ino)
        else:
            clash = existing is None and other is None and same_file(path, source)
        if clash:
            raise OutputError(
                f"{target}: refusing to write the output over its own input file ({source})"
            )
    kind = _special(path)
    if kind is not None and kind not in (stat.S_IFCHR, stat.S_IFIFO):
        raise OutputError(f"{target}: is a special file; give a regular file name")
    if kind is not None:
        return
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{target}: folder {folder} does not exist")
    if path.is_dir():
        raise OutputError(f"{target}: is a folder; give a file name")


def _write_stdout(data: bytes) -> None:
    if sys.stdout is None:  # started with standard output closed (`>&-`)
        raise OutputError("cannot write to standard output: it is closed")
    try:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    except BrokenPipeError:
        raise  # the reader left (`| head`): the CLI ends quietly
    except (OSError, ValueError) as error:  # ValueError: standard output was closed
        raise OutputError(f"cannot write to standard output: {_why(error)}") from None


def _write_in_place(target: str, data: bytes) -> None:
    """A device or FIFO: open it for writing, without creating or replacing anything."""
    try:
        # O_NONBLOCK: a FIFO nobody reads must give an error, not hang forever.
        fd = os.open(target, os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError as error:
        if error.errno == errno.ENXIO:
            raise OutputError(f"{target}: no program is reading this pipe") from None
        raise OutputError(f"{target}: cannot write: {_why(error)}") from None
    try:
        os.set_blocking(fd, True)
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
    except OSError as error:
        raise OutputError(f"{target}: cannot write: {_why(error)}") from None
    finally:
        os.close(fd)


def write_atomic(
    target: str, data: bytes, inputs: Iterable[Path] = (), *, durable: bool = True
) -> None:
    """Write all of ``data`` or nothing: a temporary file in the same folder, then a rename.

    ``durable=False`` leaves out the sync to disk before the rename: the file
    is still whole or absent for every reader and on any interruption, but a
    power cut soon after may lose it. For outputs made by the thousand that a
    command can make again (a batch's reports: the sync was a third of a
    scoring-only batch's time).
    """
    with atomic_stream(target, inputs, durable=durable) as put:
        put(data)


@contextlib.contextmanager
def atomic_stream(
    target: str, inputs: Iterable[Path] = (), *, durable: bool = True
) -> Iterator[Callable[[bytes], None]]:
    """Write a long output piece by piece, still all or nothing for a regular file.

    Yields a ``write(bytes)`` function. Standard output and devices get each
    piece as it comes (a reader of ``-`` sees progress); a regular file gets
    them in a temporary file that replaces the target only when the block
    ends without an error, so memory stays flat however long the output.
    """
    if target == "-":
        yield _write_stdout
        return
    check_target(target, inputs)
    path = Path(target)
    if _special(path) is not None:
        yield lambda data: _write_in_place(target, data)
        return
    temporary: str | None = None
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=_TEMPORARY_PREFIX.format(name=path.name),
            suffix=_TEMPORARY_SUFFIX,
            dir=path.parent,
        )
        PENDING.add(temporary)
        with os.fdopen(handle, "wb") as stream:

            def write(data: bytes) -> None:
                try:
                    stream.write(data)
                except OSError as error:
                    raise OutputError(f"{target}: cannot write: {_why(error)}") from None

            yield write
            stream.flush()
            if durable:
                os.fsync(stream.fileno())
        # mkstemp makes the file private; a report should get the usual permissions.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
        PENDING.discard(temporary)
        temporary = None
    except OSError as error:
        raise OutputError(f"{target}: cannot write: {_why(error)}") from None
    finally:
        if temporary is not None:
            remove_pending(temporary)


def remove_leftovers(target: Path) -> None:
    """Remove what a writer of ``target`` killed mid-write (in another process) left behind."""
    prefix = glob.escape(_TEMPORARY_PREFIX.format(name=target.name))
    for leftover in target.parent.glob(f"{prefix}*{_TEMPORARY_SUFFIX}"):
        leftover.unlink(missing_ok=True)


def remove_pending(temporary: str | None = None) -> None:
    """Remove one temporary file, or every one still pending (on an interrupt)."""
    for name in [temporary] if temporary else list(PENDING):
        PENDING.discard(name)
        with contextlib.suppress(OSError):
            os.unlink(name)


def _why(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()
    return str(error) or type(error).__name__
