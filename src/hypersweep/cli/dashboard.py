"""`hypersweep dashboard` (serve the web dashboard) and `hypersweep report` (offline HTML)."""
from __future__ import annotations

import click

from hypersweep.cli.common import one_line_errors, open_store, storage_option


def _dashboard() -> object:
    """The dashboard package, or a one-line error naming the extra to install."""
    try:
        import hypersweep.dashboard as dashboard
    except ImportError as exc:
        raise click.ClickException(f"dashboard: needs the 'dashboard' extra ({exc.name} missing); pip install 'hypersweep[dashboard]'") from None
    return dashboard


@click.command("dashboard")
@storage_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind; any non-loopback host needs the token.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--allow-host", multiple=True, help="Extra Host header name to accept (e.g. the machine's DNS name).")
@one_line_errors
def dashboard_command(storage: str, host: str, port: int, allow_host: tuple[str, ...]) -> None:
    """Serve the web dashboard of every sweep in the store (read-only but for token-guarded actions)."""
    dashboard = _dashboard()
    from hypersweep.dashboard.security import TOKEN_ENV, Policy

    policy = Policy.for_bind(host, port, allow_hosts=allow_host)
    store = open_store(storage)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"hypersweep dashboard on http://{shown}:{port}/ (storage {getattr(store, 'url', storage)})")
    click.echo(f"token (actions{'' if policy.open_reads else ' and every page'}): open http://{shown}:{port}/?token={policy.token}"
               f" once, or set {TOKEN_ENV}")
    dashboard.serve(store, host=host, port=port, policy=policy)  # type: ignore[attr-defined]


@click.command("report")
@click.argument("name")
@storage_option
@click.option("-o", "--output", default=None, help="HTML file to write (default: NAME.html).")
@one_line_errors
def report_command(name: str, storage: str, output: str | None) -> None:
    """Write sweep NAME's dashboard page as one self-contained offline HTML file."""
    dashboard = _dashboard()
    path = dashboard.write_report(open_store(storage), name, output or f"{name}.html")  # type: ignore[attr-defined]
    click.echo(f"wrote {path}")
