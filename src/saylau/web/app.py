"""The ASGI app: results pages with JSON twins, live updates, the progress board and the protocol API.

>>> app = create_app("saylau.sqlite")     # doctest: +SKIP
>>> uvicorn.run(app)                      # doctest: +SKIP

Errors map to HTTP once, here: bad input 422 (a failed control relation lists
every violation), unknown things 404, no credentials 401, outside one's role
or scope 403, a conflicting protocol 409, too many sign-ins 429, the database 503.
"""

from __future__ import annotations

import contextlib
import gc
import math
import os
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from saylau.errors import (
    AccessDenied,
    AllocationError,
    ConflictError,
    InputError,
    ProtocolError,
    StorageError,
)
from saylau.store import Store, open_store
from saylau.store.engine import is_sqlite
from saylau.store.migrate import upgrade
from saylau.store.users import TOKEN_DAYS, UserStore
from saylau.web.access import NotAuthenticated
from saylau.web.auth import RateLimited
from saylau.web.cache import Snapshots
from saylau.web.commit import GroupCommitter
from saylau.web.compute import Computer
from saylau.web.events import ChangeHub
from saylau.web.limits import BATCH_LIMIT, BODY_LIMIT, BodyLimit, BodyTooLarge
from saylau.web.units import NotFound

__all__ = ["NotFound", "WebState", "create_app"]

SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}

# As ASGI sends them (lower-case bytes): added to each response without building a headers object.
_RAW_SECURITY_HEADERS = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in SECURITY_HEADERS.items()]


@dataclass
class WebState:
    """What the routes share: the store, the users, the page snapshots and the change hub."""

    store: Store
    users: UserStore
    snapshots: Snapshots
    hub: ChangeHub
    computer: Computer
    secure_cookies: bool | None = None
    """Force the cookies' Secure flag (None: set it when the request came over https)."""
    write_lock: threading.RLock = field(default_factory=threading.RLock)
    """Write requests of this process run one at a time: they take turns here rather than in the database's
    busy handler (which sleeps), and one writer thread at a time competes with the event loop for the GIL."""
    extra: dict[str, Any] = field(default_factory=dict)
    committer: GroupCommitter = field(init=False)
    """Writes single-protocol submissions together (see :mod:`saylau.web.commit`)."""

    def __post_init__(self) -> None:
        url = self.store.engine.url.render_as_string(hide_password=False)
        writer = self.store
        if is_sqlite(self.store.engine):  # its own connections, whose commits the committer syncs itself
            writer = open_store(url, migrate=False, sync_on_commit=False)
        self.committer = GroupCommitter(writer, self.users, write_lock=self.write_lock, wrote=self.hub.wrote)

    def close_committer(self) -> None:
        """Stop the committer (after what it holds) and close what it opened."""
        self.committer.close()
        if self.committer.store is not self.store:
            self.committer.store.close()


def create_app(db: str | Store | None = None, *, secure_cookies: bool | None = None,
               max_stale: float | None = None, poll_interval: float = 0.25, compute_processes: int = 0,
               refresh_interval: float = 0.5, body_limit: int = BODY_LIMIT, batch_limit: int = BATCH_LIMIT,
               token_days: float = TOKEN_DAYS) -> FastAPI:
    """The app serving the store at ``db`` (a URL, a path, an open :class:`Store`; default ``$SAYLAU_DB``).

    ``max_stale``: how old a snapshot a reader may get while a newer one is computed (None: any, the
    newer one being already under way; 0: always wait for the newest). ``compute_processes``: worker
    processes that compute snapshots (0: threads of this process). ``refresh_interval``: least seconds
    between the starts of two computations of one page. ``body_limit`` and ``batch_limit``: the largest
    request body (bytes) of an ordinary and of a batch route; a larger one is refused with 413 unread.
    ``token_days``: how long an API token is valid after it is issued.
    """
    from saylau.web import api, apidocs, entries, entry_pages, pages
    from saylau.web.policy import store_policy_warnings

    store = db if isinstance(db, Store) else open_store(db)
    upgrade(store.engine)
    for election in store.list_elections():  # protocols stored by other means get their policy warnings too
        if store.election_form(election.id):
            store_policy_warnings(store, election.id)
    state = WebState(store, UserStore(store.engine, token_days=token_days),
                     Snapshots(max_stale=max_stale, min_interval=refresh_interval),
                     ChangeHub(store.engine, interval=poll_interval), Computer(store, compute_processes),
                     secure_cookies)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        state.hub.ensure_started()
        await run_in_threadpool(state.computer.warm_up)
        # Everything loaded so far (modules, the app, the store's caches) lives as long as the server:
        # keep it out of the collector's full passes, which would otherwise stall every request now and then.
        gc.collect()
        gc.freeze()
        yield
        await state.hub.stop()
        await run_in_threadpool(state.close_committer)
        state.computer.close()

    app = FastAPI(
        title="saylau",
        version="1",
        summary="Election night: live results with JSON twins, and protocol submission with roles.",
        description=(
            "Every page has a JSON twin (`/elections/{id}` and `/elections/{id}.json`, "
            "`/elections/{id}/units/{unit}` and `.json`). Writes need an API token "
            "(`Authorization: Bearer ...`) or a session cookie with its CSRF token. "
            "A protocol that fails a control relation is refused with 422 listing every violation."),
        lifespan=lifespan,
        # /docs is saylau's own page (saylau.web.apidocs): Swagger UI from the package, no outside host.
        docs_url=None,
        redoc_url=None,
    )
    app.state.web = state
    # The protocol API first: election night's hot route is matched before the pages are tried,
    # and answered without FastAPI's parameter solving (documented by its declaration in api.router).
    app.add_route(api.SUBMIT_PATH, api.submit_protocol_plain, methods=["POST"], include_in_schema=False)
    app.include_router(api.router)
    app.include_router(entries.router)
    app.include_router(pages.router)
    app.include_router(entry_pages.router)
    app.include_router(apidocs.router)
    app.mount("/static", StaticFiles(packages=[("saylau.web", "static")]), name="static")
    _add_error_handlers(app)

    app.add_middleware(BodyLimit, limit=body_limit, batch_limit=batch_limit)
    app.add_middleware(SecurityHeaders)
    return app


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` to every response (plain ASGI: no per-request task or body copy)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers.extend(h for h in _RAW_SECURITY_HEADERS if h[0] not in present)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _wants_html(request: Request) -> bool:
    path = request.url.path
    return not (path.startswith("/api/") or path.endswith(".json") or path.endswith("/events")) and \
        "text/html" in request.headers.get("accept", "")


def _error(request: Request, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    if _wants_html(request):
        from saylau.web.pages import render_error

        return HTMLResponse(render_error(request, status, body["error"]), status_code=status, headers=headers)
    return JSONResponse(body, status_code=status, headers=headers)


def _located(exc: InputError) -> dict[str, Any]:
    where = {k: getattr(exc, k) for k in ("source", "row", "field")}
    value = exc.value
    where["value"] = value if value is None or isinstance(value, (int, str, float, bool)) else str(value)
    return {"error": str(exc), **where}


def _json_safe(value: Any) -> Any:
    """A value from a refused request, as JSON can carry it back: finite numbers and short texts only."""
    if value is None or (isinstance(value, (bool, int)) and abs(value) < 2**63) or (isinstance(value, str) and len(value) <= 200):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    text = value.decode("utf-8", "replace") if isinstance(value, (bytes, bytearray)) else repr(value)
    return text[:200]


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        # FastAPI's own handler echoes each error's input: NaN, 1e400 or bytes that are not UTF-8 made it a 500.
        detail = [{"type": str(e.get("type", "")), "loc": [_json_safe(part) for part in e.get("loc", ())],
                   "msg": str(e.get("msg", "")), "input": _json_safe(e.get("input"))} for e in exc.errors()[:50]]
        return _error(request, 422, {"error": "the request is not valid", "detail": detail})

    @app.exception_handler(BodyTooLarge)
    async def body_too_large(request: Request, exc: BodyTooLarge) -> Response:
        return _error(request, 413, {"error": str(exc.detail)}, {"connection": "close"})

    @app.exception_handler(ProtocolError)
    async def protocol_error(request: Request, exc: ProtocolError) -> Response:
        violations = [v.to_dict() if hasattr(v, "to_dict") else {"problem": str(v)} for v in exc.violations]
        return _error(request, 422, {**_located(exc), "violations": violations})

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return _error(request, 404, _located(exc))

    @app.exception_handler(InputError)
    async def input_error(request: Request, exc: InputError) -> Response:
        return _error(request, 422, _located(exc))

    @app.exception_handler(NotAuthenticated)
    async def not_authenticated(request: Request, exc: NotAuthenticated) -> Response:
        return _error(request, 401, {"error": str(exc)}, {"www-authenticate": "Bearer"})

    @app.exception_handler(AccessDenied)
    async def access_denied(request: Request, exc: AccessDenied) -> Response:
        return _error(request, 403, {"error": str(exc)})

    @app.exception_handler(ConflictError)
    async def conflict(request: Request, exc: ConflictError) -> Response:
        return _error(request, 409, {"error": str(exc)})

    @app.exception_handler(RateLimited)
    async def rate_limited(request: Request, exc: RateLimited) -> Response:
        return _error(request, 429, {"error": str(exc), "retry_after": exc.retry_after},
                      {"retry-after": str(exc.retry_after)})

    @app.exception_handler(AllocationError)
    async def allocation_error(request: Request, exc: AllocationError) -> Response:
        return _error(request, 422, {"error": str(exc)})

    @app.exception_handler(StorageError)
    async def storage_error(request: Request, exc: StorageError) -> Response:
        return _error(request, 503, {"error": str(exc)})


def default_db() -> str | None:
    """The store the ``serve`` command uses when given none."""
    return os.environ.get("SAYLAU_DB")
