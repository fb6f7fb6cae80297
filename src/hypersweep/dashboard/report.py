"""``hypersweep report``: one self-contained offline HTML file with the dashboard's sweep page."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypersweep.dashboard import queries
from hypersweep.dashboard.assets import STATIC, own_text, plotly_js
from hypersweep.dashboard.overview import overview
from hypersweep.storage import Storage


def report_data(store: Storage, name: str) -> dict[str, Any]:
    """Everything the sweep page shows, read once: the overview the page draws, every trial for the
    table and the trials' notes (the sweep's note is in ``info``)."""
    info = queries.sweep_info(store, name)
    trials = store.get_trials(name, with_reports=False)
    names = info["params"]
    row = next(r for r in queries.sweep_rows(store) if r["name"] == name)
    return {
        "info": info, "row": row, "names": names, "trials": [queries.compact(t, names) for t in trials],
        "overview": overview(store, name), "notes": {str(k): v for k, v in store.get_trial_notes(name).items()},
    }


def _script(text: str) -> str:
    """Text safe inside an inline <script> element."""
    return text.replace("</script", "<\\/script").replace("<!--", "<\\!--")


def render(store: Storage, name: str) -> str:
    """The report's HTML: plotly.js, the page's script and style and the data, all inline."""
    data = json.dumps(report_data(store, name), separators=(",", ":"), allow_nan=False).replace("<", "\\u003c")
    page = (STATIC / "index.html").read_text(encoding="utf-8")
    shim = (Path(__file__).parent / "report_shim.js").read_text(encoding="utf-8")
    inline = (
        f'<style>{own_text("style.css")}</style>\n'
        f'<script>{_script(plotly_js().read_text(encoding="utf-8"))}</script>\n'
        f'<script type="application/json" id="hs-data">{data}</script>\n'
        f"<script>{_script(shim)}</script>\n"
    )
    page = page.replace('<link rel="stylesheet" href="/static/style.css">\n', "")
    page = page.replace('<script src="/static/plotly-hypersweep.min.js"></script>\n', "")
    page = page.replace('<script src="/static/early.js"></script>\n', "")  # the report reads no API
    for own in ("plots.js", "app.js"):
        page = page.replace(f'<script src="/static/{own}" defer></script>\n', "")
    code = "".join(f"<script>{_script(own_text(own))}</script>\n" for own in ("plots.js", "app.js"))
    page = page.replace("</body>", f"{inline}{code}</body>")
    return page.replace("<title>hypersweep dashboard</title>", f"<title>hypersweep report: {_html(name)}</title>")


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def write_report(store: Storage, name: str, path: str | Path) -> Path:
    """Write the report of sweep ``name`` to ``path``; return the path."""
    target = Path(path)
    target.write_text(render(store, name), encoding="utf-8")
    return target
