"""One headless Chromium for the whole test session, driven by Playwright.

The browser is the system's (scripts/setup.sh installs the Debian package);
Playwright's own download is never used. Without Chromium the browser tests
are skipped on a developer's machine and fail in CI (``CI`` set), where a
missing browser means the setup is broken, not that the check can be skipped.

tests/conftest.py registers it once (``pytest_plugins``) for every test module.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"browser tests need {reason} in CI (scripts/setup.sh installs it)")
    pytest.skip(f"{reason} is not installed (scripts/setup.sh installs it)")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        _unavailable("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright (the test extra)")
    executable = CHROMIUM if os.path.exists(CHROMIUM) else str(shutil.which("chromium"))
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=ARGS)
        try:
            yield launched
        finally:
            launched.close()
