"""Import WeasyPrint without paying for ``ctypes.util.find_library``.

WeasyPrint 70 loads GObject, Pango, HarfBuzz and fontconfig through cffi,
trying several names for each library. For a name that is not a path cffi
asks ``ctypes.util.find_library``, which on Linux starts ``ldconfig`` and a
C compiler: about 170 ms of a cold import (WeasyPrint issues #1125, #2073).
The dynamic loader finds these libraries at once by their sonames.

So while ``weasyprint`` is imported, and only then, ``find_library``
answers the names WeasyPrint uses with the library's soname when the loader
can open it, and otherwise falls back to the real lookup, once per library.
Any other name goes to the real function, which is restored afterwards.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import importlib
import sys
from collections.abc import Callable
from types import ModuleType

FindLibrary = Callable[[str], str | None]

# Linux soname -> every name WeasyPrint 70's text/ffi.py tries for that
# library (without a leading "lib"); the last one is the plain library name
# the real lookup is asked for when the soname does not load.
SONAMES: dict[str, tuple[str, ...]] = {
    "libgobject-2.0.so.0": (
        "gobject-2.0-0",
        "gobject-2.0.so.0",
        "gobject-2.0.0.dylib",
        "gobject-2.0-0.dll",
        "gobject-2.0",
    ),
    "libpango-1.0.so.0": (
        "pango-1.0-0",
        "pango-1.0.so.0",
        "pango-1.0.dylib",
        "pango-1.0-0.dll",
        "pango-1.0",
    ),
    "libharfbuzz.so.0": (
        "harfbuzz-0",
        "harfbuzz-0.0",
        "harfbuzz.so.0",
        "harfbuzz.0.dylib",
        "harfbuzz-0.dll",
        "harfbuzz",
    ),
    "libharfbuzz-subset.so.0": (
        "harfbuzz-subset-0",
        "harfbuzz-subset-0.0",
        "harfbuzz-subset.so.0",
        "harfbuzz-subset.0.dylib",
        "harfbuzz-subset-0.dll",
        "harfbuzz-subset",
    ),
    "libharfbuzz-vector.so.0": (
        "harfbuzz-vector-0",
        "harfbuzz-vector-0.0",
        "harfbuzz-vector.so.0",
        "harfbuzz-vector.0.dylib",
        "harfbuzz-vector-0.dll",
        "harfbuzz-vector",
    ),
    "libfontconfig.so.1": (
        "fontconfig-1",
        "fontconfig.so.1",
        "fontconfig.1.dylib",
        "fontconfig-1.dll",
        "fontconfig",
    ),
    "libpangoft2-1.0.so.0": (
        "pangoft2-1.0-0",
        "pangoft2-1.0.so.0",
        "pangoft2-1.0.dylib",
        "pangoft2-1.0-0.dll",
        "pangoft2-1.0",
    ),
}
SONAME_BY_NAME = {name: soname for soname, names in SONAMES.items() for name in names}


def _loads(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


class SonameFirst:
    """A ``find_library`` that knows WeasyPrint's libraries by soname."""

    def __init__(self, original: FindLibrary, loads: Callable[[str], bool] = _loads) -> None:
        self.original = original
        self.loads = loads
        self.answers: dict[str, str | None] = {}  # soname -> what to answer

    def __call__(self, name: str) -> str | None:
        soname = SONAME_BY_NAME.get(name.removeprefix("lib"))
        if soname is None:
            return self.original(name)
        if soname not in self.answers:
            if self.loads(soname):
                self.answers[soname] = soname
            else:  # another soname on this system: the real lookup, once
                self.answers[soname] = self.original(SONAMES[soname][-1])
        return self.answers[soname]


def import_weasyprint() -> ModuleType:
    """``import weasyprint``, with library lookups by soname on Linux."""
    if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
        return importlib.import_module("weasyprint")
    original = ctypes.util.find_library
    ctypes.util.find_library = SonameFirst(original)
    try:
        return importlib.import_module("weasyprint")
    finally:
        ctypes.util.find_library = original
