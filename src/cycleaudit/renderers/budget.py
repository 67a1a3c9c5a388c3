"""A time budget for laying out a PDF.

Caps on sizes and counts keep ordinary hostile input fast, but layout cost
multiplies in ways no single cap sees (a theme's sizes times a client's text).
So the PDF layout also runs under a wall-clock budget: past it, the render
stops with a message instead of running for minutes. The budget uses
SIGALRM, so it applies in the main thread of a process (the CLI); elsewhere
(a web app's worker thread) the caller keeps its own timeout.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from types import FrameType

DEFAULT_SECONDS = 60


class OverBudget(Exception):
    """The layout ran past its budget."""


def seconds() -> int:
    """The budget: CYCLEAUDIT_RENDER_SECONDS when set to a whole number, else 60."""
    chosen = os.environ.get("CYCLEAUDIT_RENDER_SECONDS", "").strip()
    return int(chosen) if chosen.isdigit() and int(chosen) > 0 else DEFAULT_SECONDS


@contextlib.contextmanager
def time_budget(limit: int) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise OverBudget(f"the report took longer than {limit} s to lay out")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(limit)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
