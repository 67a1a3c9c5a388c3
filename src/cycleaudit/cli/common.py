"""What every command shares: exit codes, problem printing, the error guard, writing.

Exit codes: 0 success, 1 score below ``--fail-under``, 2 bad input or
output (every problem printed as ``file:line:col: error: message``), 3 an
internal error (a bug: set CYCLEAUDIT_DEBUG=1 for the traceback).
Heavy libraries are imported inside the commands that need them.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import click

from cycleaudit.errors import InputError, OutputError, Problem

EXIT_OK, EXIT_BELOW, EXIT_INPUT, EXIT_BUG = 0, 1, 2, 3
MAX_SHOWN_PROBLEMS = 20

F = TypeVar("F", bound=Callable[..., Any])


def print_problems(problems: Iterable[Problem], show_all: bool = False) -> None:
    listed = list(problems)
    shown = listed if show_all else listed[:MAX_SHOWN_PROBLEMS]
    for problem in shown:
        click.echo(problem.format(), err=True)
    if len(listed) > len(shown):
        click.echo(
            f"... and {len(listed) - len(shown)} more problems (use --all to see them)", err=True
        )


def guarded(command: F) -> F:
    """Turn library errors into messages and exit codes; no traceback reaches the user."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except InputError as error:
            print_problems(error.problems, kwargs.get("show_all", False))
            sys.exit(EXIT_INPUT)
        except OutputError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(EXIT_INPUT)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            sys.exit(EXIT_OK)
        except Exception as error:  # a bug: say so plainly instead of a traceback
            if os.environ.get("CYCLEAUDIT_DEBUG"):
                raise
            click.echo(
                f"internal error: {type(error).__name__}: {error}\n"
                "This is a bug in cycleaudit; run again with CYCLEAUDIT_DEBUG=1 "
                "and report the traceback.",
                err=True,
            )
            sys.exit(EXIT_BUG)

    return wrapper  # type: ignore[return-value]


def write(target: str, data: str | bytes, inputs: Iterable[Path] = ()) -> None:
    """Write atomically to a file, or to standard output for ``-``."""
    from cycleaudit.output import write_atomic

    write_atomic(target, data.encode("utf-8") if isinstance(data, str) else data, inputs)


def output_option(what: str) -> Callable[[F], F]:
    return click.option(
        "--output",
        "-o",
        "target",
        default="-",
        show_default=True,
        help=f"{what}; - for standard output.",
    )
