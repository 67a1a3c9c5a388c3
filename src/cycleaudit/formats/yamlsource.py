"""Strict, positioned YAML loading for files we do not trust.

Client files are untrusted, so this is not ``yaml.safe_load``. We walk the
parser's event stream ourselves (the parser is iterative, so deep nesting
cannot crash the process) and build plain values with a YAML 1.2-like
reading of scalars: only ``true``/``false`` are booleans, ``no``, ``on`` and
dates stay text, ``012`` is text rather than octal. Anchors, aliases, merge
keys, explicit tags, several documents, duplicate and non-text keys are
refused with the line and column where they stand. Every value's position is
kept so later checks (schemas, references) can point at it.
"""

from __future__ import annotations

import math
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cycleaudit.errors import InputError, Problem, shorten

MAX_BYTES = 1024 * 1024  # a questionnaire or rubric is a few dozen KB at most
MAX_DEPTH = 40
MAX_PROBLEMS = 50

DocPath = tuple[str | int, ...]

_Parser: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_INT = re.compile(r"^[-+]?(0|[1-9][0-9]{0,17})$")
_FLOAT = re.compile(
    r"^[-+]?((0|[1-9][0-9]{0,17})(\.[0-9]{0,18})?|\.[0-9]{1,18})([eE][-+]?[0-9]{1,3})?$"
)
_SPECIAL: dict[str, Any] = {
    **dict.fromkeys(("", "~", "null", "Null", "NULL")),
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
}
_NUMBER_START = frozenset("+-.0123456789")


@dataclass
class Document:
    """A parsed file: its data and where every value and key stands."""

    file: str
    data: dict[str, Any]
    positions: dict[DocPath, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[DocPath, tuple[int, int]] = field(default_factory=dict)
    path: Path | None = None
    # A merged rubric's values come from several files: path -> file, nearest prefix wins.
    files: dict[DocPath, str] = field(default_factory=dict)
    # Problems found while parsing that left a usable tree (see load_text's keep_going).
    problems: list[Problem] = field(default_factory=list)

    def file_for(self, path: DocPath) -> str:
        if self.files:
            for end in range(len(path), -1, -1):
                found = self.files.get(tuple(path[:end]))
                if found is not None:
                    return found
        return self.file

    def position(self, path: DocPath) -> tuple[int, int]:
        """Where the value at ``path`` starts, or its nearest existing parent."""
        for end in range(len(path), -1, -1):
            found = self.positions.get(tuple(path[:end]))
            if found is not None:
                return found
        return (1, 1)

    def key_position(self, path: DocPath) -> tuple[int, int]:
        """Where the key naming ``path`` starts (falls back to the value)."""
        return self.key_positions.get(tuple(path)) or self.position(path)

    def problem(
        self, path: DocPath, message: str, hint: str = "", *, at_key: bool = False
    ) -> Problem:
        line, column = self.key_position(path) if at_key else self.position(path)
        return Problem(self.file_for(path), line, column, message, hint, dotted(path))


def dotted(path: DocPath) -> str:
    return ".".join(str(part) for part in path)


def read_text(path: Path, display: str | None = None) -> str:
    """Read a file as UTF-8 text, refusing anything that is not a small regular file."""
    name = display or str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError.single(name, 1, 1, "file not found", "check the path") from None
    except OSError as error:
        raise InputError.single(name, 1, 1, f"cannot read the file: {error.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError.single(name, 1, 1, "this is a folder, not a file", "name a .yaml file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError.single(name, 1, 1, "not a regular file", "name a .yaml file")
    if info.st_size > MAX_BYTES:
        raise InputError.single(
            name,
            1,
            1,
            f"file is too large ({info.st_size:,} bytes; the limit is {MAX_BYTES:,})",
            "split it or remove pasted content",
        )
    try:
        # Unbuffered, and sized from the stat: a read of MAX_BYTES + 1 at once would map a
        # megabyte for every small file. Read on to the end (a short read, a file that grew
        # since), never past the limit.
        with open(path, "rb", buffering=0) as handle:
            raw = handle.read(info.st_size + 1)
            while len(raw) <= MAX_BYTES:
                more = handle.read(MAX_BYTES + 1 - len(raw))
                if not more:
                    break
                raw += more
    except OSError as error:
        raise InputError.single(name, 1, 1, f"cannot read the file: {error.strerror}") from None
    return decode(raw, name)


def decode(raw: bytes, name: str) -> str:
    if len(raw) > MAX_BYTES:
        raise InputError.single(name, 1, 1, f"file is larger than {MAX_BYTES:,} bytes")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise InputError.single(
            name,
            line,
            column,
            f"byte 0x{raw[error.start]:02x} is not valid UTF-8 text",
            "save the file as UTF-8 (most editors offer this under 'Save with encoding')",
        ) from None


def load_file(path: Path, display: str | None = None, *, keep_going: bool = False) -> Document:
    name = display or str(path)
    document = load_text(read_text(path, name), name, keep_going=keep_going)
    document.path = path
    return document


def load_text(text: str, name: str, *, keep_going: bool = False) -> Document:
    """Parse strictly; raise ``InputError`` on any problem.

    With ``keep_going``, problems that still leave a usable tree (a duplicate
    key keeps its first value, an alias reads as empty) are returned in
    ``Document.problems`` instead, so callers can report later checks too.
    """
    builder = _Builder(name)
    loader = _Parser(text)
    try:
        builder.run(loader.get_event)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = error.problem or error.context or "invalid YAML"
        raise InputError.single(
            name,
            line,
            column,
            f"YAML syntax error: {message}",
            "check indentation, colons and quotes on this line",
        ) from None
    except yaml.reader.ReaderError as error:
        line, column = _line_col(text, error.position)
        raise InputError.single(
            name,
            line,
            column,
            f"character {error.character!r} is not allowed in a YAML file",
            "remove it or put the text in quotes",
        ) from None
    except yaml.YAMLError as error:
        raise InputError.single(name, 1, 1, f"YAML error: {error}") from None
    finally:
        loader.dispose()
    builder.problems.sort(key=Problem.sort_key)
    if builder.problems and (builder.fatal or builder.root is None or not keep_going):
        raise InputError(builder.problems[:MAX_PROBLEMS])
    if builder.root is None:
        raise InputError.single(name, 1, 1, "the file is empty", "start from `cycleaudit init`")
    document = Document(name, builder.root, builder.positions, builder.key_positions)
    document.problems = builder.problems
    return document


def _line_col(text: str, position: int) -> tuple[int, int]:
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


def resolve_plain(value: str) -> Any:
    """Read an unquoted scalar the way a person expects (YAML 1.2 core, minus surprises)."""
    if value in _SPECIAL:
        return _SPECIAL[value]
    if value[0] not in _NUMBER_START:
        return value  # most scalars are words: skip the number patterns
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    return value


class _Frame:
    """An open mapping or list."""

    __slots__ = ("bad_key", "container", "is_map", "key", "key_path", "node_key", "path")

    def __init__(self, container: dict[str, Any] | list[Any], path: DocPath) -> None:
        self.container = container
        self.path = path
        self.is_map = isinstance(container, dict)
        self.key: str | None = None  # for mappings: the key waiting for its value
        self.key_path: DocPath | None = None  # its path, when the fast path took the key
        self.bad_key = False  # the pending key was refused; drop its value
        self.node_key = False  # a mapping or list is being read as a key


class _Builder:
    """Builds plain values from parser events, recording positions and problems."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.stack: list[_Frame] = []
        self.root: dict[str, Any] | None = None
        self.positions: dict[DocPath, tuple[int, int]] = {}
        self.key_positions: dict[DocPath, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.documents = 0
        self.fatal = False

    def fail(self, mark: Any, message: str, hint: str = "", *, fatal: bool = False) -> None:
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        self.problems.append(Problem(self.name, line, column, message, hint))
        if fatal or len(self.problems) >= MAX_PROBLEMS:
            self.fatal = True

    def run(self, get_event: Any) -> None:
        """Feed every event to the tree until the stream ends or a problem stops it.

        Plain scalars in well-formed files are nearly every event, so their
        path through here is written out in this loop (no call per event);
        anything unusual goes to the methods below, which hold the rules.
        """
        stack = self.stack
        positions = self.positions
        key_positions = self.key_positions
        special = _SPECIAL
        number_start = _NUMBER_START
        scalar_event = yaml.ScalarEvent
        end_events = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
        start_events = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
        mapping_start = yaml.MappingStartEvent
        frame: _Frame | None = None
        while (event := get_event()) is not None:
            kind = type(event)
            if kind is scalar_event:
                text = event.value
                value: Any = text
                if event.anchor is not None or event.tag is not None:
                    self._check_node(event)
                if not event.style:  # plain: the C parser says "", the pure one None
                    if text in special:
                        value = special[text]
                    elif text[0] in number_start:
                        value = self._number(text, event.start_mark)
                mark = event.start_mark
                if frame is None:
                    self._not_a_mapping(mark)
                elif frame.is_map:
                    key = frame.key
                    if key is None:
                        # (No key waiting means no refused key either: bad_key is False.)
                        if value is text and text not in frame.container and text != "<<":
                            frame.key = text
                            path = frame.key_path = (*frame.path, text)
                            key_positions[path] = (mark.line + 1, mark.column + 1)
                        else:
                            self._key(frame, value, event, not event.style)
                    else:
                        path = frame.key_path or (*frame.path, key)
                        positions[path] = (mark.line + 1, mark.column + 1)
                        if not frame.bad_key:
                            frame.container[key] = value  # type: ignore[call-overload]
                        frame.key = frame.key_path = None
                        frame.bad_key = False
                else:
                    container = frame.container
                    positions[(*frame.path, len(container))] = (mark.line + 1, mark.column + 1)
                    container.append(value)  # type: ignore[union-attr]
            elif kind in end_events:
                if len(stack) > 1 and not stack[-2].node_key:
                    # A nested mapping or list is complete: it is its parent's value.
                    done = stack.pop().container
                    frame = stack[-1]
                    if not frame.is_map:
                        frame.container.append(done)  # type: ignore[union-attr]
                    else:
                        if not frame.bad_key and frame.key is not None:
                            frame.container[frame.key] = done  # type: ignore[call-overload]
                        frame.key = frame.key_path = None
                        frame.bad_key = False
                else:
                    self._end()
                    frame = stack[-1] if stack else None
            elif kind in start_events:
                if (
                    frame is not None
                    and event.anchor is None
                    and event.tag is None
                    and len(stack) < MAX_DEPTH
                    and (not frame.is_map or frame.key is not None)
                ):
                    # A mapping or list as a value: recorded where it starts, then filled.
                    mark = event.start_mark
                    if frame.is_map:
                        path = frame.key_path or (*frame.path, frame.key or "")
                    else:
                        path = (*frame.path, len(frame.container))
                    positions[path] = (mark.line + 1, mark.column + 1)
                    frame = _Frame({} if kind is mapping_start else [], path)
                    stack.append(frame)
                else:
                    self._check_node(event)
                    self._start(event)
                    frame = stack[-1] if stack else None
            elif kind is yaml.AliasEvent:
                self.fail(
                    event.start_mark,
                    f"aliases (*{event.anchor}) are not allowed",
                    "write the value out in full",
                )
                self._attach(None)
            elif kind is yaml.DocumentStartEvent:
                self.documents += 1
                if self.documents > 1:
                    self.fail(
                        event.start_mark,
                        "the file holds several YAML documents",
                        "keep one document: remove the `---` line and what follows",
                        fatal=True,
                    )
            if self.fatal:
                break

    def _number(self, text: str, mark: Any) -> Any:
        """A plain scalar that starts like a number: the number, or the text."""
        if _INT.match(text):
            return int(text)
        if _FLOAT.match(text):
            value = float(text)
            if not math.isfinite(value):
                # 1e999 reads as infinity, which no figure can be: refuse it here, where it stands.
                message = f"{shorten(text)} is too large to be a number"
                self.fail(mark, message, "write a realistic figure in plain digits")
                return None
            return value
        return text

    def _not_a_mapping(self, mark: Any) -> None:
        self.fail(
            mark,
            "the top level must be a mapping of keys to values",
            "start with `cycleaudit: 1` (questionnaire) or `cycleaudit-rubric: 1`",
            fatal=True,
        )

    def _check_node(self, event: Any) -> None:
        if event.anchor is None and event.tag is None:
            return
        if event.anchor is not None:
            self.fail(
                event.start_mark,
                f"anchors (&{event.anchor}) are not allowed",
                "write each value out in full",
            )
        if event.tag is not None and event.tag != "!":
            self.fail(
                event.start_mark,
                f"explicit tags ({shorten(event.tag)}) are not allowed",
                "remove the tag; quote the value if it must stay text",
            )

    def _start(self, event: Any) -> None:
        mark = event.start_mark
        if len(self.stack) >= MAX_DEPTH:
            self.fail(
                mark,
                f"nesting is deeper than {MAX_DEPTH} levels",
                "flatten the structure",
                fatal=True,
            )
            return
        if not self.stack and not isinstance(event, yaml.MappingStartEvent):
            self._not_a_mapping(mark)
            return
        container: dict[str, Any] | list[Any] = (
            {} if isinstance(event, yaml.MappingStartEvent) else []
        )
        if self.stack and self._awaiting_key():
            # A mapping or list used as a key: YAML allows it, we do not.
            self.fail(mark, "keys must be plain text", "use a word as the key")
            self.stack[-1].node_key = True
            self.stack[-1].key = "\0"
        path = self._child_path()
        self.positions[path] = (mark.line + 1, mark.column + 1)
        self.stack.append(_Frame(container, path))

    def _end(self) -> None:
        if not self.stack:
            return
        frame = self.stack.pop()
        if not self.stack:
            assert isinstance(frame.container, dict)
            self.root = frame.container
            return
        parent = self.stack[-1]
        if parent.node_key:
            parent.node_key, parent.bad_key = False, True
            return
        self._store(frame.container)

    def _key(self, frame: _Frame, value: Any, event: Any, plain: bool) -> None:
        mark = event.start_mark
        assert isinstance(frame.container, dict)
        if plain and value == "<<":
            self.fail(mark, "merge keys (<<) are not allowed", "write the keys out in full")
            frame.bad_key, frame.key = True, "\0"
            return
        if not isinstance(value, str):
            self.fail(
                mark,
                f"key {event.value!r} must be text",
                f'put it in quotes ("{event.value}") or use a word',
            )
            frame.bad_key, frame.key = True, "\0"
            return
        if value in frame.container:
            first = self.key_positions.get((*frame.path, value))
            where = f" (first defined on line {first[0]})" if first else ""
            self.fail(
                mark,
                f"duplicate key {shorten(value)}{where}",
                "keep one of them: YAML would silently drop the first",
            )
            frame.bad_key, frame.key = True, "\0"
            return
        frame.key, frame.bad_key = value, False
        self.key_positions[(*frame.path, value)] = (mark.line + 1, mark.column + 1)

    def _awaiting_key(self) -> bool:
        frame = self.stack[-1]
        return frame.is_map and frame.key is None

    def _child_path(self) -> DocPath:
        if not self.stack:
            return ()
        frame = self.stack[-1]
        if frame.is_map:
            return (*frame.path, frame.key if frame.key is not None else "")
        return (*frame.path, len(frame.container))

    def _attach(self, value: Any) -> None:
        if self.stack and not self._awaiting_key():
            self._store(value)

    def _store(self, value: Any) -> None:
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            frame.container.append(value)
            return
        if not frame.bad_key and frame.key is not None:
            frame.container[frame.key] = value
        frame.key, frame.bad_key, frame.key_path = None, False, None
