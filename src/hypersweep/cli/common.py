"""Shared CLI pieces: the --storage option, error reporting, tables, value formatting."""
from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from hypersweep.exceptions import HypersweepError, SpecError
from hypersweep.storage import Storage, open_storage

DEFAULT_STORAGE = "hypersweep.db"
F = TypeVar("F", bound=Callable[..., Any])

storage_option = click.option(
    "--storage",
    default=DEFAULT_STORAGE,
    show_default=True,
    envvar="HYPERSWEEP_STORAGE",
    help="SQLite file path or SQLAlchemy URL (e.g. postgresql://user:pw@host/db).",
)


def open_store(target: str) -> Storage:
    """Open the store named on the command line."""
    return open_storage(target)


def one_line_errors(command: F) -> F:
    """Turn any error into one line on stderr and a non-zero exit: 2 for bad input, 1 otherwise."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except (SpecError, ValueError) as exc:
            _fail(str(exc), 2)
        except HypersweepError as exc:
            _fail(str(exc), 1)
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except Exception as exc:  # the CLI promises no tracebacks
            logging.getLogger("hypersweep.cli").debug("unexpected error", exc_info=True)
            _fail(f"unexpected {type(exc).__name__}: {exc} (set HYPERSWEEP_DEBUG=1 for details)", 1)

    return wrapper  # type: ignore[return-value]


def _fail(message: str, code: int) -> None:
    click.echo(f"error: {' '.join(str(message).split())}", err=True)
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
