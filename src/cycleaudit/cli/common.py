"""What every command shares: exit codes, problem printing, the error guard, writing.

Exit codes: 0 success, 1 score below ``--fail-under``, 2 bad input or
output (every problem printed as ``file:line:col: error: message``), 3 an
internal error (a bug: set CYCLEAUDIT_DEBUG=1 for the traceback), 130
interrupted (Ctrl-C), 143 terminated (SIGTERM); an interrupted run leaves
no temporary file behind.
Heavy libraries are imported inside the commands that need them.
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
import signal
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from types import FrameType
from typing import Any, TypeVar

import click

from cycleaudit.errors import InputError, OutputError, Problem, printable

EXIT_OK, EXIT_BELOW, EXIT_INPUT, EXIT_BUG = 0, 1, 2, 3
EXIT_INTERRUPTED, EXIT_TERMINATED = 128 + signal.SIGINT, 128 + signal.SIGTERM
MAX_SHOWN_PROBLEMS = 20

F = TypeVar("F", bound=Callable[..., Any])


class Terminated(BaseException):
    """SIGTERM arrived: unwind like Ctrl-C so temporary files are removed."""


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise Terminated()


def say(message: str) -> None:
    """A message on standard error, control characters shown escaped."""
    click.echo(printable(message), err=True)


class ScoreBound(click.ParamType[float]):
    """A score from 0 to 100; ``nan`` and ``inf`` are not scores."""

    name = "score"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number", param, ctx)
        if not math.isfinite(number) or not 0 <= number <= 100:
            self.fail(f"{value!r} is not a score from 0 to 100", param, ctx)
        return number


def say_skipped(skipped: Iterable[Path]) -> None:
    """Rubrics found beside the questionnaires in a folder or by a pattern: left out, said once."""
    for path in skipped:
        say(f"{path}: skipped: a rubric, not a questionnaire")


def print_problems(problems: Iterable[Problem], show_all: bool = False) -> None:
    listed = list(problems)
    shown = listed if show_all else listed[:MAX_SHOWN_PROBLEMS]
    for problem in shown:
        click.echo(problem.format(), err=True)  # format() escapes control characters
    if len(listed) > len(shown):
        click.echo(
            f"... and {len(listed) - len(shown)} more problems (use --all to see them)", err=True
        )


def guarded(command: F) -> F:
    """Turn library errors into messages and exit codes; no traceback reaches the user."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from cycleaudit.output import remove_pending

        previous = signal.signal(signal.SIGTERM, _on_sigterm)
        try:
            return command(*args, **kwargs)
        except InputError as error:
            print_problems(error.problems, kwargs.get("show_all", False))
            sys.exit(EXIT_INPUT)
        except OutputError as error:
            say(f"error: {error}")
            sys.exit(EXIT_INPUT)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except (KeyboardInterrupt, Terminated) as error:
            remove_pending()
            say("interrupted; nothing was written")
            sys.exit(EXIT_INTERRUPTED if isinstance(error, KeyboardInterrupt) else EXIT_TERMINATED)
        except BrokenPipeError:
            # The reader left (`| head`); stop quietly, and keep Python from
            # complaining again when it flushes standard output at exit.
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(EXIT_OK)
        except OSError as error:  # the system refused something: not a bug, say what
            say(f"error: {error.filename or ''}{': ' if error.filename else ''}{error.strerror}")
            sys.exit(EXIT_INPUT)
        except Exception as error:  # a bug: say so plainly instead of a traceback
            if os.environ.get("CYCLEAUDIT_DEBUG"):
                raise
            say(f"internal error: {type(error).__name__}: {error}")  # the text may hold anything
            say(
                "This is a bug in cycleaudit; run again with CYCLEAUDIT_DEBUG=1 "
                "and report the traceback."
            )
            sys.exit(EXIT_BUG)
        finally:
            remove_pending()
            signal.signal(signal.SIGTERM, previous)

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


def rubric_option(
    help: str = "A built-in rubric name or a rubric file.", default: str | None = "default"
) -> Callable[[F], F]:
    shown: dict[str, Any] = {"default": default, "show_default": True} if default else {}
    return click.option("--rubric", "-r", "rubric_ref", help=help, **shown)


def theme_option() -> Callable[[F], F]:
    return click.option(
        "--theme", "-t", "theme", help="A built-in theme (default, mono) or a theme folder."
    )


def detail_option() -> Callable[[F], F]:
    return click.option(
        "--detail",
        type=click.Choice(["brief", "full"]),
        default="brief",
        show_default=True,
        help="brief: the short report an owner reads; full: every table, finding and source.",
    )


def rendered(produce: Callable[[], bytes]) -> bytes:
    """Run a renderer: each of its warnings said once, a RenderError is exit 2."""
    import warnings

    from cycleaudit.renderers import RenderError, RenderWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RenderWarning)
        try:
            data = produce()
        except RenderError as error:
            say(f"error: {error}")
            sys.exit(EXIT_INPUT)
    for message in dict.fromkeys(str(warning.message) for warning in caught):
        say(f"warning: {message}")
    return data
