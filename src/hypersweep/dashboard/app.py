"""The dashboard's ASGI app: JSON API, page, static files and actions (through ``hypersweep.api``)."""
from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from hypersweep import api
from hypersweep.dashboard import export, pareto, queries
from hypersweep.dashboard.overview import overview
from hypersweep.dashboard.assets import own_text, page_html, static_body
from hypersweep.dashboard.security import TOKEN_COOKIE, Guard, Policy
from hypersweep.exceptions import HypersweepError, SweepNotFoundError, TrialNotFoundError
from hypersweep.records import TrialState
from hypersweep.storage import Storage

log = logging.getLogger(__name__)
MAX_OFFSET = 10_000_000
MAX_TABLE_PAGE = 500
MAX_CHANGES = 5000
STATIC_CACHE = "public, max-age=31536000, immutable"  # the page links static files by content hash

Handler = Callable[[Request], Awaitable[Response]]


class BadRequest(ValueError):
    """A query or body the dashboard refuses (HTTP 400 with this one-line message)."""


def int_arg(request: Request, name: str, default: int, low: int, high: int) -> int:
    """An integer query parameter within ``[low, high]``."""
    text = request.query_params.get(name)
    if text is None:
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise BadRequest(f"{name}: must be an integer from {low} to {high}; got {text[:40]!r}")
    return int(text)


def table_query(request: Request) -> dict[str, Any]:
    """The trial table's filter and order (``states``, ``order``, ``desc``) as ``get_trial_page`` arguments."""
    states = [s for s in request.query_params.get("states", "").split(",") if s]
    if any(s not in {t.value for t in TrialState} for s in states):
        raise BadRequest(f"states: must be among {', '.join(t.value for t in TrialState)}; got {states!r}"[:200])
    return {"states": [TrialState(s) for s in states] or None, "order_by": request.query_params.get("order", "id"),
            "descending": request.query_params.get("desc") == "1"}


async def note_text(request: Request) -> str:
    """The ``text`` of a JSON body like ``{"text": "..."}``."""
    try:
        body = json.loads(await request.body())
    except ValueError:
        raise BadRequest('body: must be JSON like {"text": "my note"}') from None
    if not isinstance(body, dict) or not isinstance(body.get("text"), str):
        raise BadRequest('text: must be a string, e.g. {"text": "my note"}')
    return body["text"]


def create_app(store: Storage, policy: Policy) -> Any:
    """The dashboard on ``store``; every request passes ``policy`` (see ``security``)."""

    async def run(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return await asyncio.to_thread(partial(fn, *args, **kwargs))

    def reads(handler: Handler) -> Handler:
        async def wrapped(request: Request) -> Response:
            if not policy.may_read(request):
                return JSONResponse({"error": "token: required; open the link the dashboard printed"}, 401)
            return await answer(handler, request)

        return wrapped

    def acts(handler: Handler) -> Handler:
        async def wrapped(request: Request) -> Response:
            if not policy.may_act(request):
                return JSONResponse({"error": "token: actions need the dashboard token in the X-Hypersweep-Token header"}, 403)
            return await answer(handler, request)

        return wrapped

    async def answer(handler: Handler, request: Request) -> Response:
        try:
            return await handler(request)
        except (SweepNotFoundError, TrialNotFoundError) as exc:
            return JSONResponse({"error": str(exc)}, 404)
        except (BadRequest, HypersweepError, ValueError) as exc:
            return JSONResponse({"error": " ".join(str(exc).split())[:500]}, 400)

    async def index(request: Request) -> Response:
        token = request.query_params.get("token")
        if token is not None:  # a login link: keep the token in a strict cookie, drop it from the URL
            response: Response = RedirectResponse("/", 303)
            if policy.matches(token):
                response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
            return response
        if not policy.may_read(request):
            return HTMLResponse("token required: open the link the dashboard printed", 401)
        return HTMLResponse(page_html())

    async def pareto_page(request: Request) -> Response:
        if not policy.may_read(request):
            return HTMLResponse("token required: open the link the dashboard printed", 401)
        return HTMLResponse(own_text("pareto.html"))

    async def pareto_of(request: Request) -> Response:
        return JSONResponse(await run(pareto.pareto_data, store, request.path_params["name"]))

    async def static(request: Request) -> Response:
        found = static_body(request.path_params["name"])
        if found is None:
            return Response("not found", 404)
        return Response(found[0], media_type=found[1], headers={"cache-control": STATIC_CACHE})

    async def sweeps(request: Request) -> Response:
        return JSONResponse(await run(queries.sweep_rows, store))

    async def sweep(request: Request) -> Response:
        return JSONResponse(await run(queries.sweep_info, store, request.path_params["name"]))

    async def overview_of(request: Request) -> Response:
        return JSONResponse(await run(overview, store, request.path_params["name"]))

    async def changes(request: Request) -> Response:
        after = int_arg(request, "after", 0, 0, 2**62)
        limit = int_arg(request, "limit", MAX_CHANGES, 1, MAX_CHANGES)
        with_reports = request.query_params.get("reports", "1") != "0"
        return JSONResponse(await run(queries.changes, store, request.path_params["name"], after, limit, with_reports))

    async def trials(request: Request) -> Response:
        page = await run(
            store.get_trial_page, request.path_params["name"], **table_query(request),
            offset=int_arg(request, "offset", 0, 0, MAX_OFFSET), limit=int_arg(request, "limit", 50, 1, MAX_TABLE_PAGE),
        )
        return JSONResponse({"total": page.total, "rows": [queries.row(t) for t in page.trials]})

    async def trials_csv(request: Request) -> Response:
        name, query = request.path_params["name"], table_query(request)
        text = await run(lambda: "".join(export.csv_rows(store, name, **query)))
        return Response(text, media_type="text/csv; charset=utf-8",
                                 headers={"content-disposition": f'attachment; filename="{export.filename(name)}"'})

    async def trial(request: Request) -> Response:
        name, number = request.path_params["name"], request.path_params["trial"]
        found = await run(store.get_trial, name, number)
        folder = await run(api.trial_folder, name, number, storage=store)
        note = await run(store.get_note, name, trial=number)
        return JSONResponse({**queries.detail(found, folder if folder.is_dir() else None), "note": note})

    async def sweep_note(request: Request) -> Response:
        await run(store.set_note, request.path_params["name"], await note_text(request))
        return JSONResponse({"ok": True})

    async def trial_note(request: Request) -> Response:
        await run(store.set_note, request.path_params["name"], await note_text(request), trial=request.path_params["trial"])
        return JSONResponse({"ok": True})

    async def stop(request: Request) -> Response:
        await run(api.stop_sweep, request.path_params["name"], storage=store, reason="stopped from the dashboard")
        return JSONResponse({"ok": True})

    async def resumable(request: Request) -> Response:
        await run(api.mark_resumable, request.path_params["name"], storage=store)
        return JSONResponse({"ok": True})

    async def restart(request: Request) -> Response:
        made = await run(api.restart_trial, request.path_params["name"], request.path_params["trial"], storage=store)
        return JSONResponse({"ok": True, "trial": made.id})

    async def enqueue(request: Request) -> Response:
        try:
            body = json.loads(await request.body())
        except ValueError:
            raise BadRequest("body: must be JSON like {\"params\": {\"lr\": 0.01}}") from None
        if not isinstance(body, dict) or not isinstance(body.get("params"), dict):
            raise BadRequest("params: must be an object of parameter values, e.g. {\"params\": {\"lr\": 0.01}}")

        def queue() -> int:
            return api.Sweep.load(request.path_params["name"], storage=store).enqueue(body["params"]).id

        return JSONResponse({"ok": True, "trial": await run(queue)})

    prefix = "/api/sweeps/{name:str}"
    routes = [
        Route("/", index),
        Route("/static/{name:str}", static),
        Route("/pareto", pareto_page),
        Route("/api/sweeps", reads(sweeps)),
        Route(prefix, reads(sweep)),
        Route(prefix + "/overview", reads(overview_of)),
        Route(prefix + "/changes", reads(changes)),
        Route(prefix + "/trials", reads(trials)),
        Route(prefix + "/trials.csv", reads(trials_csv)),
        Route(prefix + "/trials/{trial:int}", reads(trial)),
        Route(prefix + "/pareto", reads(pareto_of)),
        Route(prefix + "/stop", acts(stop), methods=["POST"]),
        Route(prefix + "/resumable", acts(resumable), methods=["POST"]),
        Route(prefix + "/trials/{trial:int}/restart", acts(restart), methods=["POST"]),
        Route(prefix + "/enqueue", acts(enqueue), methods=["POST"]),
        Route(prefix + "/note", acts(sweep_note), methods=["POST"]),
        Route(prefix + "/trials/{trial:int}/note", acts(trial_note), methods=["POST"]),
    ]
    return Guard(Starlette(routes=routes), policy)


def serve(store: Storage, *, host: str = "127.0.0.1", port: int = 8080, policy: Policy) -> None:
    """Run the dashboard until interrupted."""
    import uvicorn

    uvicorn.run(create_app(store, policy), host=host, port=port, log_level="warning", server_header=False)
