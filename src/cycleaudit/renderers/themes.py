"""Find report templates and themes, built-in or a consultant's own folder.

A theme is a folder with any of: ``theme.css`` (loaded after the built-in
layout), ``theme.yaml`` (colours, wording, logo, and which built-in theme it
extends), a logo (``logo.svg``/``logo.png``/``logo.jpg``) and Jinja2 templates
overriding the built-in ones block by block (``report.html.j2`` starting with
``{% extends "base.html.j2" %}``). A consultant's folder is searched first,
then the built-in theme it extends, then the built-in templates.

Theme files are read as data: colours must look like colours, wording must be
text, and the logo must be a regular file inside the theme folder.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cycleaudit.datafiles import data_dir
from cycleaudit.errors import InputError, printable
from cycleaudit.formats.yamlsource import load_text, read_text
from cycleaudit.renderers.logo import logo_problem

BUILTIN_THEMES = ("default", "mono")
LOGO_NAMES = ("logo.svg", "logo.png", "logo.jpg", "logo.jpeg")
MAX_LOGO_BYTES = 2 * 1024 * 1024
COLOUR = re.compile(r"^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20})$")
PALETTE_KEYS = (
    "accent",
    "ink",
    "muted",
    "grid",
    "track",
    "good",
    "warn",
    "bad",
    "quick",
    "cover",
    "cover_ink",
)
DEFAULT_PALETTE = {
    "accent": "#1f4e79",
    "ink": "#1d2733",
    "muted": "#6b7785",
    "grid": "#d5dbe1",
    "track": "#eef1f4",
    "good": "#2e7d4f",
    "warn": "#c27c0e",
    "bad": "#b3261e",
    "quick": "#e3f1e8",
    "cover": "#1f4e79",
    "cover_ink": "#ffffff",
}
WORDING_KEYS = {
    "report_title": "Sales-cycle audit",
    "prepared_by": "Prepared by",
    "confidential": "Confidential: prepared for {organisation}",
    "closing": "",
}


class ThemeError(ValueError):
    """A theme name or folder that cannot be used."""


def templates_dir() -> Path:
    """Built-in templates: inside the package in a wheel, top level in a checkout."""
    return data_dir("templates")


@dataclass(frozen=True)
class Theme:
    name: str
    folders: tuple[Path, ...]  # custom theme first, then the built-in one it extends
    template_dirs: tuple[Path, ...]  # Jinja2 search order
    css_files: tuple[Path, ...]  # in load order: layout, built-in theme, custom theme
    palette: Mapping[str, str]
    wording: Mapping[str, str]
    logo: Path | None
    warnings: tuple[str, ...] = field(default=())

    @property
    def custom(self) -> Path | None:
        return self.folders[0] if len(self.folders) > 1 else None


def _read_settings(folder: Path, warnings: list[str]) -> dict[str, Any]:
    for name in ("theme.yaml", "theme.yml", "theme.json"):
        path = _inside(folder, name)
        if path is None:
            continue
        # The strict loader of client files: positioned messages, no aliases,
        # nesting capped (a 3,000-deep theme.yaml must not exhaust the stack).
        try:
            text = read_text(path, str(folder / name))
            if not text.strip():
                return {}
            return load_text(text, str(folder / name)).data
        except InputError as error:
            first = error.problems[0]  # the CLI adds "error: " in front
            raise ThemeError(
                printable(f"{first.file}:{first.line}:{first.column}: {first.message}")
            ) from None
    return {}


def _inside(folder: Path, name: str) -> Path | None:
    """``folder/name`` if it is a regular file that really lives in ``folder``."""
    real_folder = Path(os.path.realpath(folder))
    candidate = Path(os.path.realpath(folder / name))
    if not candidate.is_relative_to(real_folder) or not candidate.is_file():
        return None
    return candidate


def _is_colour(value: Any) -> bool:
    return isinstance(value, str) and bool(COLOUR.match(value))


def _is_short_text(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= 300


def _take(
    entries: Any,
    what: str,
    known: Collection[str],
    valid: Callable[[Any], bool],
    invalid: str,
    folder: Path,
    into: dict[str, str],
    warnings: list[str],
) -> None:
    """Copy a theme's known, valid entries of one kind; warn about the rest."""
    if not entries:
        return
    if not isinstance(entries, dict):
        warnings.append(f"theme {folder.name}: '{what}' settings must be a mapping; ignored")
        return
    for raw_key, value in entries.items():
        key = str(raw_key).replace("-", "_")
        if key not in known:
            warnings.append(
                f"theme {folder.name}: unknown {what} '{key}' ignored (known: {', '.join(known)})"
            )
        elif not valid(value):
            warnings.append(f"theme {folder.name}: {what} '{key}' {invalid}; ignored")
        else:
            into[key] = value


def _apply(
    settings: Mapping[str, Any],
    folder: Path,
    palette: dict[str, str],
    wording: dict[str, str],
    warnings: list[str],
) -> Path | None:
    colours = settings.get("colours", settings.get("colors", {}))
    _take(colours, "colour", PALETTE_KEYS, _is_colour, "is not a colour", folder, palette, warnings)
    words = settings.get("wording", {})
    _take(
        words,
        "wording",
        WORDING_KEYS,
        _is_short_text,
        "must be short text",
        folder,
        wording,
        warnings,
    )
    logo_name = settings.get("logo")
    if logo_name is not None:
        logo = _inside(folder, str(logo_name))
        if logo is None:
            warnings.append(
                f"theme {folder.name}: logo '{logo_name}' is not a file inside "
                "the theme folder; no logo shown"
            )
        return logo
    for name in LOGO_NAMES:
        logo = _inside(folder, name)
        if logo is not None:
            return logo
    return None


def load_theme(theme: str | os.PathLike[str] | None) -> Theme:
    """A built-in theme by name, or a consultant's theme folder."""
    base = templates_dir()
    themes_root = base / "themes"
    warnings: list[str] = []
    custom: Path | None = None
    name = "default" if theme is None else str(theme)
    if name not in BUILTIN_THEMES:
        folder = Path(name)
        if not folder.is_dir():
            raise ThemeError(
                f"unknown theme '{name}': use one of {', '.join(BUILTIN_THEMES)} "
                "or the path of a theme folder"
            )
        custom = folder.resolve()
    settings = _read_settings(custom, warnings) if custom else {}
    builtin = str(settings.get("extends", "default")) if custom else name
    if builtin not in BUILTIN_THEMES:
        raise ThemeError(f"theme {custom}: 'extends' must be one of {', '.join(BUILTIN_THEMES)}")
    builtin_dir = themes_root / builtin
    palette = dict(DEFAULT_PALETTE)
    wording = dict(WORDING_KEYS)
    logo = _apply(_read_settings(builtin_dir, warnings), builtin_dir, palette, wording, warnings)
    folders: tuple[Path, ...] = (builtin_dir,)
    css = [base / "report" / "report.css"]
    if (builtin_dir / "theme.css").is_file():
        css.append(builtin_dir / "theme.css")
    if custom is not None:
        logo = _apply(settings, custom, palette, wording, warnings) or logo
        folders = (custom, builtin_dir)
        custom_css = _inside(custom, "theme.css")
        if custom_css is not None:
            css.append(custom_css)
    if logo is not None and logo.stat().st_size > MAX_LOGO_BYTES:
        warnings.append(f"logo {logo.name} is larger than 2 MB; no logo shown")
        logo = None
    why = logo_problem(logo) if logo is not None else None
    if logo is not None and why is not None:
        warnings.append(f"logo {logo.name}: {why}; no logo shown")
        logo = None
    return Theme(
        name=custom.name if custom else name,
        folders=folders,
        template_dirs=(*folders, base / "report"),
        css_files=tuple(css),
        palette=palette,
        wording=wording,
        logo=logo,
        warnings=tuple(warnings),
    )
