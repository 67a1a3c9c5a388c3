"""Workshops and re-audits: many questionnaires at once, summaries across teams, comparisons.

Sits beside ``cycleaudit.api``: it may use formats, engine, report and
renderers, and never prints (the CLI shows what it returns).
"""
