"""Shared CLI pieces: the --storage option, error reporting, tables, value formatting."""
from __future__ import annotations

import functools
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from hypersweep.exceptions import HypersweepError
from hypersweep.storage import Storage, open_storage
from hypersweep.storage.urls import mask_password

DEFAULT_STORAGE = "hypersweep.db"
EXIT_OK = 0  # the run ended normally with at least one completed trial (or nothing was left to do)
EXIT_NO_TRIAL_COMPLETED = 1  # trials ran but none completed (also: an unexpected internal error)
EXIT_BAD_INPUT = 2  # bad input, usage or store errors; nothing was written
EXIT_INTERRUPTED = 130  # Ctrl-C
EXIT_TERMINATED = 143  # SIGTERM
F = TypeVar("F", bound=Callable[..., Any])

storage_option = click.option(
    "--storage",
    default=DEFAULT_STORAGE,
    show_default=True,
    envvar="HYPERSWEEP_STORAGE",
    help="SQLite file path or SQLAlchemy URL (e.g. postgresql://user:pw@host/db).",
)


def open_store(target: str, *, create: bool = False) -> Storage:
    """Open the store named on the command line; only a run (``create``) may create a SQLite file."""
    return open_storage(target, create=create)


def one_line_errors(command: F) -> F:
    """Turn any error into one line on stderr and its exit code (docs/command_line.md): 2 for bad
    input, usage and store errors, 130 for Ctrl-C, 1 for an unexpected error; a closed pipe
    (``| head``) ends the command silently."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            _quiet_broken_pipe()
        except (HypersweepError, ValueError) as exc:
            _fail(str(exc), EXIT_BAD_INPUT)
        except KeyboardInterrupt:
            _fail("interrupted", EXIT_INTERRUPTED)
        except Exception as exc:  # the CLI promises no tracebacks
            logging.getLogger("hypersweep.cli").debug("unexpected error", exc_info=True)
            _fail(f"unexpected {type(exc).__name__}: {exc} (set HYPERSWEEP_DEBUG=1 for details)", EXIT_NO_TRIAL_COMPLETED)

    return wrapper  # type: ignore[return-value]


def _quiet_broken_pipe() -> None:
    """The reader went away (``| head``): point stdout at /dev/null so the interpreter's final
    flush cannot fail again, and exit as ``head``'s writers do."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(EXIT_OK)


def _fail(message: str, code: int) -> None:
    click.echo(f"error: {mask_password(' '.join(str(message).split()))}", err=True)
    sys.exit(code)


def format_value(value: Any) -> str:
    """Numbers with 6 significant digits; None as '-'."""
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def render_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain aligned text table."""
    cells = [[format_value(c) for c in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells)
    return "\n".join(lines)
