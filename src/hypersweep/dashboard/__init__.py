"""The web dashboard: sweeps, plots and trials, live, read through the Storage interface.

``create_app`` builds the ASGI app (Starlette); ``serve`` runs it with uvicorn; ``write_report``
writes one self-contained offline HTML file. Needs the ``dashboard`` extra.
"""
from hypersweep.dashboard.app import create_app, serve
from hypersweep.dashboard.report import write_report

__all__ = ["create_app", "serve", "write_report"]
