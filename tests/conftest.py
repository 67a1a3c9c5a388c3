from __future__ import annotations

from pathlib import Path

import pytest

# The `browser` fixture: one headless Chromium for the whole session, shared
# by every module (a second Playwright in the same process is refused).
pytest_plugins = ["tests.browser"]

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def mini_rubric_path() -> Path:
    return FIXTURES / "rubrics" / "mini.yaml"


@pytest.fixture(autouse=True)
def _private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests never touch the user's cache, and start with an empty one per session.
    monkeypatch.setenv("CYCLEAUDIT_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))
