"""The web app (``saylau serve``): live results pages with JSON twins, the progress board, and the protocol API.

Needs the ``web`` extra (FastAPI, uvicorn, argon2-cffi). No business logic
lives here: counts come from the store, seats from the engine, pictures from
the report; this package lays them out, authorises writes and streams changes.

>>> from saylau.web import create_app     # doctest: +SKIP
>>> app = create_app("saylau.sqlite")     # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["create_app", "prepare_election"]

if TYPE_CHECKING:
    from saylau.web.app import create_app
    from saylau.web.setup import prepare_election


def __getattr__(name: str) -> Any:
    # FastAPI is imported only when the app is asked for (the 'web' extra).
    if name == "create_app":
        from saylau.web.app import create_app

        return create_app
    if name == "prepare_election":
        from saylau.web.setup import prepare_election

        return prepare_election
    raise AttributeError(name)
