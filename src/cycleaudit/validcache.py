"""Remember, across runs, rubrics that already passed schema validation.

Checking the default rubric against its schema costs more than everything
else ``cycleaudit validate`` does with a questionnaire, yet a rubric rarely
changes. A marker file named by the hash of the schema, the package version
and the merged rubric's content says "this exact rubric was valid"; any
change to any of them misses the cache and validates again. Only success is
remembered, so a bad rubric is always reported in full. Set
``CYCLEAUDIT_NO_CACHE=1`` to turn it off, ``CYCLEAUDIT_CACHE_DIR`` to move it.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from cycleaudit import __version__
from cycleaudit.schemacheck import schema_text


def _folder() -> Path | None:
    if os.environ.get("CYCLEAUDIT_NO_CACHE"):
        return None
    chosen = os.environ.get("CYCLEAUDIT_CACHE_DIR")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "cycleaudit" / "valid"


def _marker(kind: str, data: Any) -> Path | None:
    folder = _folder()
    if folder is None:
        return None
    digest = hashlib.sha256()
    digest.update(__version__.encode())
    digest.update(schema_text(kind).encode())
    digest.update(json.dumps(data, sort_keys=True, ensure_ascii=False).encode())
    return folder / f"{kind}-{digest.hexdigest()}"


def known_valid(kind: str, data: Any) -> bool:
    marker = _marker(kind, data)
    return marker is not None and marker.is_file()


def remember_valid(kind: str, data: Any) -> None:
    marker = _marker(kind, data)
    if marker is None:
        return
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:
        pass  # a read-only home only costs speed
