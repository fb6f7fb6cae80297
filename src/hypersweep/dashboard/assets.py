"""The files the dashboard serves: a fixed list, from the package (and plotly.js from ``plotly``)."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"
OWN_FILES = ("plots.js", "app.js", "style.css")


def plotly_js() -> Path:
    """plotly.min.js as bundled by the ``plotly`` package (no CDN)."""
    return Path(str(resources.files("plotly") / "package_data" / "plotly.min.js"))


def static_file(name: str) -> Path | None:
    """The file served as ``/static/NAME``; None for any other name (no paths, no traversal)."""
    if name == "plotly.min.js":
        return plotly_js()
    return STATIC / name if name in OWN_FILES else None


@lru_cache(maxsize=1)
def page_html() -> str:
    """The single page of the dashboard."""
    return (STATIC / "index.html").read_text(encoding="utf-8")


def own_text(name: str) -> str:
    """The text of one of the package's own static files."""
    return (STATIC / name).read_text(encoding="utf-8")
