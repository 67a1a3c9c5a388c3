"""WeasyPrint is imported with its libraries found by soname, and find_library is restored."""

from __future__ import annotations

import ctypes.util
import subprocess
import sys

from cycleaudit.renderers.weasyload import SONAMES, SonameFirst


def test_known_names_are_answered_by_soname_without_the_slow_lookup() -> None:
    asked: list[str] = []
    find = SonameFirst(lambda name: asked.append(name) or None, loads=lambda soname: True)
    assert find("libpango-1.0-0") == "libpango-1.0.so.0"
    assert find("pango-1.0") == "libpango-1.0.so.0"
    assert find("libharfbuzz-subset.so.0") == "libharfbuzz-subset.so.0"
    assert asked == []


def test_other_names_go_to_the_real_lookup() -> None:
    find = SonameFirst(lambda name: f"real:{name}", loads=lambda soname: True)
    assert find("ssl") == "real:ssl"
    assert find("libcairo-2") == "real:libcairo-2"


def test_a_soname_that_does_not_load_falls_back_once_per_library() -> None:
    asked: list[str] = []

    def real(name: str) -> str | None:
        asked.append(name)
        return "libharfbuzz-vector.so.1"

    find = SonameFirst(real, loads=lambda soname: soname != "libharfbuzz-vector.so.0")
    for name in SONAMES["libharfbuzz-vector.so.0"]:
        assert find("lib" + name) == "libharfbuzz-vector.so.1"
    assert asked == ["harfbuzz-vector"]


def test_import_restores_find_library_and_loads_every_library() -> None:
    code = (
        "import ctypes.util; before = ctypes.util.find_library; "
        "from cycleaudit.renderers.weasyload import import_weasyprint; "
        "w = import_weasyprint(); from weasyprint.text import ffi; "
        "print(ctypes.util.find_library is before, ffi.pango is not None, "
        "ffi.harfbuzz_subset is not None)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True", "True"]
    assert ctypes.util.find_library.__module__ == "ctypes.util"
