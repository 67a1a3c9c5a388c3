"""The report context: one JSON-ready dict built from a scored audit, read by every renderer."""

from cycleaudit.report.common import Context
from cycleaudit.report.context import FORMAT, build_context

__all__ = ["FORMAT", "Context", "build_context"]
