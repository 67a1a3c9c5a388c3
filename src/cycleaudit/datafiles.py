"""Where the built-in rubrics and templates live.

In a wheel they sit inside the package (the build maps the top-level
``rubrics/`` and ``templates/`` folders there); in a source checkout or an
editable install they are the top-level folders themselves.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    inside = _PACKAGE / name
    if inside.is_dir():
        return inside
    return _PACKAGE.parent.parent / name


def builtin_rubrics() -> dict[str, Path]:
    folder = data_dir("rubrics")
    if not folder.is_dir():
        return {}
    return {path.stem: path for path in sorted(folder.glob("*.yaml"))}
