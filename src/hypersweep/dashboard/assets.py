"""The files the dashboard serves: a fixed list, all from the package (plotly.js is vendored in static/vendor)."""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"
OWN_FILES = ("early.js", "plots.js", "app.js", "style.css", "pareto.js")  # pareto.js: the Pareto page (pareto.html)
PLOTLY = "plotly-hypersweep.min.js"  # plotly.js core with only the trace types the pages draw; see static/vendor/README.md
PLOTLY_VERSION = "4.1.1"


def plotly_js() -> Path:
    """The vendored plotly.js bundle (built by tools/plotly-bundle; no CDN, no npm at install time)."""
    return STATIC / "vendor" / PLOTLY


def static_file(name: str) -> Path | None:
    """The file served as ``/static/NAME``; None for any other name (no paths, no traversal)."""
    if name == PLOTLY:
        return plotly_js()
    return STATIC / name if name in OWN_FILES else None


@lru_cache(maxsize=None)
def static_body(name: str) -> tuple[bytes, str] | None:
    """The content and media type of ``/static/NAME``, read once: sent in one piece from memory, so a
    first visit gets plotly.js at once even while a worker thread builds an overview (a file streamed
    in chunks waits for the interpreter between chunks)."""
    path = static_file(name)
    if path is None:
        return None
    media = "text/css; charset=utf-8" if path.suffix == ".css" else "text/javascript; charset=utf-8"
    return path.read_bytes(), media


@lru_cache(maxsize=None)
def fingerprint(name: str) -> str:
    """A short hash of a served file's content: its URL changes whenever the file does."""
    found = static_body(name)
    return hashlib.sha256(found[0]).hexdigest()[:16] if found else ""


@lru_cache(maxsize=1)
def page_html() -> str:
    """The single page of the dashboard; its scripts and style are linked by content hash, so
    browsers may cache them for good (and keep plotly.js compiled between visits)."""
    return re.sub(r'"/static/([\w.-]+)"', lambda m: f'"/static/{m[1]}?v={fingerprint(m[1])}"',
                  (STATIC / "index.html").read_text(encoding="utf-8"))


def own_text(name: str) -> str:
    """The text of one of the package's own static files."""
    return (STATIC / name).read_text(encoding="utf-8")
