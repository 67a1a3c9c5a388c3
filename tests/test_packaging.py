"""A non-editable install finds its rubrics, templates and schemas.

Builds the wheel, installs it into a fresh virtual environment (reusing the
already installed dependencies) and runs the installed command from a
folder far from the source tree.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("cycleaudit-*.whl")
    return built


def test_wheel_carries_rubrics_templates_and_schemas(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "cycleaudit/rubrics/default.yaml" in names
    assert "cycleaudit/formats/schemas/questionnaire.schema.json" in names
    assert "cycleaudit/formats/schemas/rubric.schema.json" in names
    assert any(name.startswith("cycleaudit/templates/") for name in names)


def test_installed_wheel_scores_the_example(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    # A PYTHONPATH pointing at a source tree would shadow the wheel under test.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-index",
            "--force-reinstall",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "client"
    elsewhere.mkdir()
    shutil.copy(ROOT / "examples" / "online-shop.yaml", elsewhere / "shop.yaml")
    where = subprocess.run(
        [str(python), "-c", "import cycleaudit; print(cycleaudit.__file__)"],
        cwd=elsewhere,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert str(venv) in where, "the installed wheel, not the source tree, must be imported"
    listed = subprocess.run(
        [str(venv / "bin" / "cycleaudit"), "rubric", "list"],
        cwd=elsewhere,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert listed.startswith("default\t")
    scored = subprocess.run(
        [str(venv / "bin" / "cycleaudit"), "score", "shop.yaml"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert scored.returncode == 0, scored.stderr
    assert "Overall:" in scored.stdout
