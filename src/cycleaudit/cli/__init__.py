"""The ``cycleaudit`` command: a thin shell over the library API.

Exit codes: 0 success, 1 score below ``--fail-under``, 2 bad input or
output (every problem printed as ``file:line:col: error: message``), 3 an
internal error (a bug: set CYCLEAUDIT_DEBUG=1 for the traceback).
Heavy libraries are imported inside the commands that need them; each
command family lives in its own module.
"""

from __future__ import annotations

import click

from cycleaudit import __version__
from cycleaudit.cli import audit, files, intake, workshop


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cycleaudit")
def main() -> None:
    """Declarative sales-cycle audits: score a sales process and find its gaps.

    Start with `cycleaudit init -o mine.yaml`, fill it in, then
    `cycleaudit score mine.yaml`.
    """


for command in (
    files.init,
    intake.interview,
    intake.worksheet,
    intake.form,
    files.validate,
    audit.score,
    audit.report,
    files.schema,
    files.rubric,
    workshop.batch,
    workshop.compare,
    workshop.summary,
):
    main.add_command(command)
