"""Remember, across runs, rubrics that already passed every check.

Parsing and checking the default rubric costs more than everything else
``cycleaudit validate`` does with a questionnaire, yet a rubric rarely
changes. After a rubric (with everything it extends) passes, its merged
content is stored with the SHA-256 of every file of the chain; a later run
uses it only if every one of those files still has the same hash, and the
package version and rubric schema are the same. Only success is stored, so
a bad rubric is always reported in full. ``CYCLEAUDIT_NO_CACHE=1`` turns
this off; ``CYCLEAUDIT_CACHE_DIR`` moves it.

The cache must never change a result, so it trusts nothing it reads:

- the folder must be the user's own, mode 0700, not a symlink (a shared
  ``XDG_CACHE_HOME`` where another user planted entries is not used);
- an entry must be a regular file owned by the user, and holds a digest
  of its content that is checked; its chain must start with the rubric
  asked for;
- only small regular files are hashed (a FIFO or ``/dev/zero`` named in an
  entry is a miss, not a hang);
- any failure at all is a miss: the rubric is then loaded and checked.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cycleaudit import __version__, cachefolder
from cycleaudit.formats.schemacheck import schema_text
from cycleaudit.formats.yamlsource import MAX_BYTES

MAX_ENTRY_BYTES = 16 * 1024 * 1024

Remembered = tuple[dict[str, Any], tuple[str, ...], tuple[Path, ...]]


def _entry(top: Path) -> Path | None:
    folder = cachefolder.folder()
    if folder is None:
        return None
    digest = hashlib.sha256()
    for part in (__version__, schema_text("rubric"), str(top)):
        digest.update(part.encode())
        digest.update(b"\0")
    return folder / f"rubric-{digest.hexdigest()[:32]}.json"


def _file_hash(path: Path) -> str | None:
    data = cachefolder.read_regular(path, MAX_BYTES)
    return None if data is None else hashlib.sha256(data).hexdigest()


def _digest(files: Any, lineage: Any, data: Any) -> str:
    canonical = json.dumps([files, lineage, data], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def lookup(top: Path) -> Remembered | None:
    """Merged data, lineage and files of a rubric checked before, if nothing changed since."""
    entry = _entry(top)
    if entry is None or not cachefolder.private(entry.parent):
        return None
    try:
        raw = cachefolder.read_regular(entry, MAX_ENTRY_BYTES, owned=True)
        if raw is None:
            return None
        stored = json.loads(raw.decode("utf-8"))
        files, lineage, data = stored["files"], stored["lineage"], stored["data"]
        if stored["digest"] != _digest(files, lineage, data):
            return None
        if not isinstance(data, dict) or not isinstance(lineage, list) or not files:
            return None
        if not all(isinstance(item, str) for item in lineage):
            return None
        paths: list[Path] = []
        for path, sha in files:
            if not isinstance(path, str) or not isinstance(sha, str):
                return None
            if _file_hash(Path(path)) != sha:
                return None
            paths.append(Path(path))
        if paths[0] != top:
            return None  # an entry must describe the rubric asked for
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None  # a damaged or foreign entry is a miss, never an error
    return data, tuple(lineage), tuple(paths)


def store(top: Path, files: Sequence[Path], data: dict[str, Any], lineage: Sequence[str]) -> None:
    """Remember a rubric that passed; any failure to write only costs speed."""
    entry = _entry(top)
    if entry is None or not cachefolder.make_private(entry.parent):
        return
    hashed = []
    for path in files:
        sha = _file_hash(path)
        if sha is None:
            return
        hashed.append([str(path), sha])
    record = {"files": hashed, "lineage": list(lineage), "data": data}
    try:
        record["digest"] = _digest(hashed, record["lineage"], data)
        text = json.dumps(record, ensure_ascii=False)
    except (ValueError, TypeError):
        return
    cachefolder.write_entry(entry, text.encode("utf-8"))
