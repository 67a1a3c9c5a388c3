"""Where the built-in rubrics and templates live.

In a wheel they sit inside the package (the build maps the top-level
``rubrics/`` and ``templates/`` folders there); in a source checkout or an
editable install they are the top-level folders themselves.
"""

from __future__ import annotations

import os
import stat
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
# The last listing of the rubrics folder: (folder, its modification time,
# names, and each file's real path).
_listed: tuple[Path, int, dict[str, Path], dict[Path, Path]] | None = None


@cache  # where the package keeps its data is fixed once it is installed
def data_dir(name: str) -> Path:
    inside = _PACKAGE / name
    if inside.is_dir():
        return inside
    return _PACKAGE.parent.parent / name


def builtin_rubrics() -> dict[str, Path]:
    global _listed
    folder = data_dir("rubrics")
    try:
        info = os.stat(folder)
    except OSError:
        return {}
    if not stat.S_ISDIR(info.st_mode):
        return {}
    # Every questionnaire names its rubric: list the folder again only when a
    # file was added, removed or renamed there (that changes its time).
    if _listed is None or _listed[0] != folder or _listed[1] != info.st_mtime_ns:
        names = {path.stem: path for path in sorted(folder.glob("*.yaml"))}
        _listed = (folder, info.st_mtime_ns, names, {p: p.resolve() for p in names.values()})
    return dict(_listed[2])


def builtin_real_path(path: Path) -> Path | None:
    """A built-in rubric's real path as of the last listing; None for any other file."""
    # Resolving a path is a system call per folder on the way: for the rubric
    # that ten thousand questionnaires name, once is enough. The package's own
    # folder is no client's to change under us.
    return None if _listed is None else _listed[3].get(path)
