"""The layering in DESIGN.md holds: data flows one way, scoring is pure."""

from __future__ import annotations

import ast
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "src" / "cycleaudit"
PURE = ["model.py", *sorted(f"engine/{p.name}" for p in (PACKAGE / "engine").glob("*.py"))]
IO_MODULES = {"os", "pathlib", "io", "shutil", "tempfile", "subprocess", "socket", "urllib"}


def test_import_contracts_are_kept() -> None:
    command = shutil.which("lint-imports")
    if command is None:
        pytest.fail("import-linter is part of the test extras: pip install -e '.[test]'")
    done = subprocess.run([command, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "broken" in done.stdout and "0 broken" in done.stdout


@pytest.mark.parametrize("name", PURE)
def test_scoring_modules_do_no_io(name: str) -> None:
    tree = ast.parse((PACKAGE / name).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            assert not {alias.name.split(".")[0] for alias in node.names} & IO_MODULES
        elif isinstance(node, ast.ImportFrom) and node.module:
            assert node.module.split(".")[0] not in IO_MODULES, f"{name} imports {node.module}"
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in {"open", "print", "input"}, f"{name} calls {node.func.id}"
