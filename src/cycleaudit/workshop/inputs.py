"""The questionnaires named on a command line: files, folders and patterns.

Shared by ``batch``, ``summary`` and ``score`` over many files. A folder
gives its ``.yaml`` files, a pattern its matches, each file once however
often it is named; a rubric met in a folder is set aside, not tried.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Sequence
from pathlib import Path

from cycleaudit.errors import Problem

QUESTIONNAIRE_SUFFIXES = (".yaml", ".yml")
RUBRIC_KEY = re.compile(rb"^cycleaudit-rubric[ \t]*:", re.MULTILINE)


def is_rubric_file(path: Path) -> bool:
    """Whether a file found in a folder or by a pattern is a rubric (its top-level version key)."""
    try:
        with path.open("rb") as stream:
            head = stream.read(64 * 1024)
    except OSError:
        return False  # then it is tried, and its problem reported
    # The plain search first: few questionnaires hold the word at all.
    return b"cycleaudit-rubric" in head and RUBRIC_KEY.search(head) is not None


def expand_inputs(
    inputs: Sequence[str], skipped: list[Path] | None = None
) -> tuple[list[Path], list[Problem]]:
    """Files as given, folders as their questionnaires, globs as their matches; no repeats.

    A rubric found in a folder or by a pattern (a consultant's overlay kept
    beside the questionnaires) is left out, and added to ``skipped``; a file
    named on its own is always tried.
    """
    found: list[Path] = []
    problems: list[Problem] = []
    seen: set[object] = set()

    def add(path: Path, named: bool = False, key: object = None) -> None:
        key = _identity(path) if key is None else key
        if key in seen:
            return
        seen.add(key)
        if not named and is_rubric_file(path):
            if skipped is not None:
                skipped.append(path)
            return
        found.append(path)

    for given in inputs:
        path = Path(given)
        if path.is_dir():
            # Entries, not paths: the kind of a plain file comes with the
            # listing, and one stat gives its identity (ten thousand files).
            with os.scandir(path) as listing:
                entries = sorted(
                    (e for e in listing if os.path.splitext(e.name)[1] in QUESTIONNAIRE_SUFFIXES),
                    key=lambda e: e.name,
                )
            if not entries:
                problems.append(Problem(given, 1, 1, "folder holds no .yaml questionnaires"))
            for entry in entries:
                if entry.is_file():
                    add(Path(entry.path), key=_entry_identity(entry))
        elif path.is_file():
            add(path, named=True)
        elif glob.has_magic(given):
            matches = sorted(Path(p) for p in glob.glob(given, recursive=True))
            files = [m for m in matches if m.is_file()]
            if not files:
                problems.append(Problem(given, 1, 1, "pattern matches no files"))
            for match in files:
                add(match)
        else:
            problems.append(Problem(given, 1, 1, "no such file or folder"))
    return found, problems


def _entry_identity(entry: os.DirEntry[str]) -> object:
    try:
        info = entry.stat()
    except OSError:
        return Path(entry.path).resolve()
    return (info.st_dev, info.st_ino)


def _identity(path: Path) -> object:
    """Device and inode (a stat, not a resolve: ten thousand files add up); the name if gone."""
    try:
        info = path.stat()
    except OSError:
        return path.resolve()
    return (info.st_dev, info.st_ino)
