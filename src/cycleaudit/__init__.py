"""cycleaudit: declarative sales-cycle audits."""

__version__ = "0.1.0"
