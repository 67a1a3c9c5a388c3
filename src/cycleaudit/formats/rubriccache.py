"""Remember, across runs, rubrics that already passed every check.

Parsing and checking the default rubric costs more than everything else
``cycleaudit validate`` does with a questionnaire, yet a rubric rarely
changes. After a rubric (with everything it extends) passes, its merged
content is stored with the SHA-256 of every file of the chain; a later run
uses it only if every one of those files still has the same hash, and the
package version and rubric schema are the same. Only success is stored, so
a bad rubric is always reported in full. ``CYCLEAUDIT_NO_CACHE=1`` turns
this off; ``CYCLEAUDIT_CACHE_DIR`` moves it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cycleaudit import __version__
from cycleaudit.formats.schemacheck import schema_text


def _folder() -> Path | None:
    if os.environ.get("CYCLEAUDIT_NO_CACHE"):
        return None
    chosen = os.environ.get("CYCLEAUDIT_CACHE_DIR")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "cycleaudit"


def _entry(top: Path) -> Path | None:
    folder = _folder()
    if folder is None:
        return None
    digest = hashlib.sha256()
    for part in (__version__, schema_text("rubric"), str(top)):
        digest.update(part.encode())
        digest.update(b"\0")
    return folder / f"rubric-{digest.hexdigest()[:32]}.json"


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def lookup(top: Path) -> tuple[dict[str, Any], tuple[str, ...]] | None:
    """The merged data and lineage of a rubric checked before, if no file changed since."""
    entry = _entry(top)
    if entry is None or not entry.is_file():
        return None
    try:
        stored = json.loads(entry.read_text(encoding="utf-8"))
        for path, sha in stored["files"]:
            if _file_hash(Path(path)) != sha:
                return None
        data, lineage = stored["data"], tuple(stored["lineage"])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # a damaged or foreign entry is a miss, never an error
    return (data, lineage) if isinstance(data, dict) else None


def store(top: Path, files: Sequence[Path], data: dict[str, Any], lineage: Sequence[str]) -> None:
    """Remember a rubric that passed; any failure to write only costs speed."""
    entry = _entry(top)
    if entry is None:
        return
    temporary: str | None = None
    try:
        record = {
            "files": [[str(path), _file_hash(path)] for path in files],
            "lineage": list(lineage),
            "data": data,
        }
        entry.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(record, stream, ensure_ascii=False)
        os.replace(temporary, entry)
    except OSError:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
