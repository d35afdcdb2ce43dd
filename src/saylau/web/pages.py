"""Pages and their JSON twins, the live event stream, the progress board, and signing in and out.

Each page is one dict (:mod:`saylau.web.views`, :mod:`saylau.web.progress`)
served as JSON at ``….json`` and rendered by a template at the bare path, so
the page never shows anything its twin lacks. Pages reload nothing: their
script listens to ``/elections/{id}/events`` and re-fetches the twin.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from saylau.errors import AccessDenied, InputError
from saylau.store.users import SESSION_SECONDS
from saylau.web.app import NotFound, WebState
from saylau.web.auth import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    Identity,
    begin_login,
    check_csrf,
    client_address,
    end_login,
    identify,
)
from saylau.web.i18n import LANG_COOKIE, LANGUAGES, choose_language
from saylau.web.render import render, render_results

__all__ = ["render_error", "router"]

router = APIRouter(tags=["pages"])

MinChange = Annotated[int | None, Query(ge=0, le=2**62, description="wait for a snapshot at least this new")]
Lang = Annotated[Literal["en", "kk", "ru"] | None, Query(description="language of the page (remembered)")]
Show = Literal["all", "warnings", "unreported", "corrected"]


def _state(request: Request) -> WebState:
    return request.app.state.web  # type: ignore[no-any-return]


def _identity(request: Request) -> Identity:
    try:
        return identify(request, _state(request).users)
    except AccessDenied:
        return Identity(None, "anonymous")


def _language(request: Request, lang: str | None) -> str:
    return choose_language(lang, request.cookies.get(LANG_COOKIE), request.headers.get("accept-language"))


def _html(request: Request, html: str | bytes, lang: str | None, status: int = 200) -> HTMLResponse:
    response = HTMLResponse(html, status_code=status, headers={"cache-control": "no-store"})
    if lang in LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax", httponly=True,
                            secure=_secure(request))
    return response


def _page(request: Request, template: str, context: dict[str, Any], lang: str | None,
          status: int = 200) -> HTMLResponse:
    identity = _identity(request)
    html = render(template, lang=_language(request, lang), path=request.url.path, user=identity.user,
                  csrf=identity.csrf, **context)
    return _html(request, html, lang, status)


def _anonymous(request: Request) -> bool:
    """No credentials at all: the page is the same for every such reader."""
    return "authorization" not in request.headers and SESSION_COOKIE not in request.cookies


async def _results_page(request: Request, election_id: str, unit_id: str | None, lang: str | None) -> HTMLResponse:
    """A results page: for anonymous readers the bytes rendered with the snapshot (off this process's
    event loop), for a signed-in user rendered for them in a worker thread."""
    view, _, rendered = await _results(request, election_id, unit_id, None)
    chosen = _language(request, lang)
    if _anonymous(request):
        return _html(request, rendered[chosen], lang)
    identity = await run_in_threadpool(_identity, request)
    html = await run_in_threadpool(render_results, view, chosen, user=identity.user, csrf=identity.csrf)
    return _html(request, html, lang)


def render_error(request: Request, status: int, message: str) -> str:
    """An error page in the visitor's language."""
    return render("error.html.j2", lang=_language(request, request.query_params.get("lang")), path=request.url.path,
                  status=status, message=message)


def _secure(request: Request) -> bool:
    forced = _state(request).secure_cookies
    return forced if forced is not None else request.url.scheme == "https"


def _json(body: bytes) -> Response:
    return Response(body, media_type="application/json", headers={"cache-control": "no-cache"})


def _encode(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


async def _known(state: WebState, election_id: str) -> None:
    """NotFound unless the election is stored (elections are never removed: known ones are remembered)."""
    known: set[str] = state.extra.setdefault("elections", set())
    if election_id in known:
        return
    if not await run_in_threadpool(state.store.has_election, election_id):
        raise NotFound("no such election", field="election", value=election_id)
    known.add(election_id)


async def _results(request: Request, election_id: str, unit_id: str | None, min_change: int | None) -> Any:
    state = _state(request)
    await _known(state, election_id)

    from saylau.web.compute import results_snapshot

    compute = state.computer.bind(results_snapshot, election_id, unit_id)
    key = ("results", election_id, unit_id)
    seq = await state.hub.current()
    if min_change is not None:
        snapshot = await state.snapshots.refresh(key, min(min_change, seq), compute)
    else:
        snapshot = await state.snapshots.get(key, seq, compute)
    return snapshot.value


# -- JSON Schemas of the twins, served beside them ---------------------------------------------------

SCHEMAS = ("results", "board", "elections", "report")


def _schema(name: str) -> Response:
    from importlib import resources

    if name not in SCHEMAS:  # a fixed list: no path from the request reaches the package's files
        raise NotFound("no such schema", field="schema", value=name)
    text = (resources.files("saylau.web") / "schemas" / f"{name}.schema.json").read_bytes()
    return Response(text, media_type="application/schema+json", headers={"cache-control": "max-age=3600"})


@router.get("/schemas/{name}.schema.json", tags=["results"], responses={404: {"description": "no such schema"}})
def schema(name: str) -> Response:
    """The JSON Schema of a twin: ``results``, ``board``, ``elections`` or ``report`` (``saylau report --format json``)."""
    return _schema(name)


@router.get("/elections.schema.json", tags=["results"])
def elections_schema() -> Response:
    """The JSON Schema of ``/elections.json``."""
    return _schema("elections")


@router.get("/elections/{election_id}.schema.json", tags=["results"])
def results_schema(election_id: str) -> Response:
    """The JSON Schema of every results twin of the election (the nation and each unit)."""
    return _schema("results")


@router.get("/elections/{election_id}/board.schema.json", tags=["results"])
def board_schema(election_id: str) -> Response:
    """The JSON Schema of the progress board's twin."""
    return _schema("board")


# -- the list of elections ------------------------------------------------------------------------


def _elections(request: Request) -> dict[str, Any]:
    store = _state(request).store
    return {"$schema": "/elections.schema.json",
            "elections": [{"id": e.id, "title": e.title, "date": e.date.isoformat() if e.date else None,
                           "url": f"/elections/{quote(e.id, safe='')}"} for e in store.list_elections()]}


@router.get("/elections.json", tags=["results"])
def elections_json(request: Request) -> dict[str, Any]:
    """The stored elections."""
    return _elections(request)


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def index(request: Request, lang: Lang = None) -> HTMLResponse:
    return _page(request, "index.html.j2", {"v": _elections(request), "json_url": "/elections.json"}, lang)


# -- results: the nation and every unit below it --------------------------------------------------


@router.get("/elections/{election_id}.json", tags=["results"], responses={404: {"description": "no such election"}})
async def nation_json(election_id: str, request: Request, min_change: MinChange = None) -> Response:
    """The national result: votes, shares, seats with the explanation and the arch, stations reported, status."""
    _, body, _ = await _results(request, election_id, None, min_change)
    return _json(body)


@router.get("/elections/{election_id}/arch.svg", tags=["results"],
            responses={200: {"content": {"image/svg+xml": {}}, "description": "the seat arch (SVG)"},
                       404: {"description": "no such election, or no seats to draw"}})
async def arch_svg(election_id: str, request: Request, lang: Lang = None, min_change: MinChange = None) -> Response:
    """The national seat arch as SVG in the page's language (the twins link it as ``seats.arch_url``)."""
    view, _, _ = await _results(request, election_id, None, min_change)
    svg = (view.get("_arch") or {}).get(_language(request, lang))
    if not svg:
        raise NotFound("this election has no seats to draw", field="election", value=election_id)
    return Response(svg, media_type="image/svg+xml", headers={"cache-control": "no-cache"})


@router.get("/elections/{election_id}", response_class=HTMLResponse, include_in_schema=False)
async def nation_page(election_id: str, request: Request, lang: Lang = None) -> HTMLResponse:
    return await _results_page(request, election_id, None, lang)


@router.get("/elections/{election_id}/units/{unit_id:path}.json", tags=["results"],
            responses={404: {"description": "no such election or unit"}})
async def unit_json(election_id: str, unit_id: str, request: Request, min_change: MinChange = None) -> Response:
    """The result of a region, a territorial commission or a station (ids as in the twin's ``children``)."""
    _, body, _ = await _results(request, election_id, unit_id, min_change)
    return _json(body)


@router.get("/elections/{election_id}/units/{unit_id:path}", response_class=HTMLResponse, include_in_schema=False)
async def unit_page(election_id: str, unit_id: str, request: Request, lang: Lang = None) -> HTMLResponse:
    return await _results_page(request, election_id, unit_id, lang)


# -- the progress board ---------------------------------------------------------------------------


def _filtered(board: dict[str, Any], q: str | None, show: Show) -> dict[str, Any]:
    def keep(row: dict[str, Any]) -> bool:
        if show == "warnings" and not row["open_warnings"]:
            return False
        if show == "unreported" and row["reported"] >= row["expected"]:
            return False
        return not (show == "corrected" and not row["corrected"])

    needle = (q or "").strip().lower()
    regions = []
    for region in board["regions"]:
        region_match = needle in region["name"].lower()
        territories = [t for t in region["territories"] if keep(t) and (region_match or needle in t["name"].lower())]
        if territories or (keep(region) and region_match and not region["territories"]):
            regions.append({**region, "territories": territories})
    return {**board, "regions": regions, "filter": {"q": q or "", "show": show}}


async def _board(request: Request, election_id: str, q: str | None, show: Show, min_change: int | None) -> Any:
    state = _state(request)
    await _known(state, election_id)

    from saylau.web.compute import board_snapshot

    compute = state.computer.bind(board_snapshot, election_id)
    key = ("board", election_id)
    seq = await state.hub.current()
    if min_change is not None:
        snapshot = await state.snapshots.refresh(key, min(min_change, seq), compute)
    else:
        snapshot = await state.snapshots.get(key, seq, compute)
    return _filtered(snapshot.value, q, show)


BoardQuery = Annotated[str | None, Query(max_length=200, description="keep regions and territories whose name has this")]


@router.get("/elections/{election_id}/board.json", tags=["results"], responses={404: {"description": "no such election"}})
async def board_json(election_id: str, request: Request, q: BoardQuery = None, show: Show = "all",
                     min_change: MinChange = None) -> Response:
    """Progress per region and territory: stations expected, reported, with open warnings, corrected."""
    return _json(_encode(await _board(request, election_id, q, show, min_change)))


@router.get("/elections/{election_id}/board", response_class=HTMLResponse, include_in_schema=False)
async def board_page(election_id: str, request: Request, q: BoardQuery = None, show: Show = "all",
                     lang: Lang = None) -> HTMLResponse:
    board = await _board(request, election_id, q, show, None)
    query = f"?q={quote(q or '')}&show={show}"
    return _page(request, "board.html.j2",
                 {"v": board, "json_url": f"/elections/{quote(election_id, safe='')}/board.json{query}"}, lang)


# -- live updates ---------------------------------------------------------------------------------


@router.get("/elections/{election_id}/events", tags=["results"],
            responses={200: {"content": {"text/event-stream": {}},
                             "description": "server-sent events: `change` with the new change counter"}})
async def events(election_id: str, request: Request) -> StreamingResponse:
    """Server-sent events: one ``change`` event (data: ``{"change": N}``) when the store has changed."""
    state = _state(request)
    await _known(state, election_id)
    state.hub.ensure_started()
    first = await state.hub.current()

    async def stream() -> Any:
        yield "retry: 2000\n\n"
        yield f"event: change\ndata: {json.dumps({'change': first})}\n\n"
        last = first
        while True:
            seq = await state.hub.wait(last, 15.0)
            if seq > last:
                last = seq
                yield f"event: change\ndata: {json.dumps({'change': seq})}\n\n"
                await asyncio.sleep(0.3)  # many writes a second become a few events a second
            else:
                yield ": keep-alive\n\n"

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"cache-control": "no-store", "x-accel-buffering": "no"})


# -- signing in and out, and the warning form -----------------------------------------------------


def _local(target: str | None) -> str:
    """Only same-site paths are followed after signing in (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_form(request: Request, lang: Lang = None, next: str | None = None) -> HTMLResponse:
    token = secrets.token_urlsafe(32)
    response = _page(request, "login.html.j2", {"login_csrf": token, "next": _local(next), "message": None}, lang)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, max_age=3600, httponly=True, samesite="lax",
                        secure=_secure(request))
    return response


@router.post("/login", include_in_schema=False)
async def login(request: Request) -> Response:
    import hmac

    from saylau.web.access import NotAuthenticated

    state = _state(request)
    form = await request.form()
    name, password = str(form.get("name") or ""), str(form.get("password") or "")
    given, expected = str(form.get("csrf") or ""), request.cookies.get(LOGIN_CSRF_COOKIE) or ""
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        raise AccessDenied("missing or wrong CSRF token: reload the sign-in page")
    if not name or not password:
        raise InputError("give a user name and a password", field="name")
    ip = client_address(request)
    attempt = await run_in_threadpool(begin_login, state.users, ip, name)
    user = await run_in_threadpool(state.users.check_password, name, password)
    await run_in_threadpool(end_login, state.users, attempt, user is not None)
    if user is None:
        raise NotAuthenticated("wrong user name or password")
    session_id, _ = await run_in_threadpool(state.users.create_session, user)
    response = RedirectResponse(_local(str(form.get("next") or "/")), status_code=303)
    response.set_cookie(SESSION_COOKIE, session_id, max_age=SESSION_SECONDS, httponly=True, samesite="lax",
                        secure=_secure(request), path="/")
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout", include_in_schema=False)
async def logout(request: Request) -> Response:
    state = _state(request)
    identity = _identity(request)
    form = await request.form()
    check_csrf(request, identity, str(form.get("csrf") or ""))
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        await run_in_threadpool(state.users.end_session, session_id)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/elections/{election_id}/warnings/{warning_id}/handle", include_in_schema=False)
async def handle_warning_form(election_id: str, warning_id: int, request: Request) -> Response:
    from saylau.web.api.warnings import handle_warning_as

    state = _state(request)
    identity = identify(request, state.users)
    form = await request.form()
    check_csrf(request, identity, str(form.get("csrf") or ""))
    await run_in_threadpool(handle_warning_as, state, identity, election_id, warning_id,
                            str(form.get("explanation") or ""))
    return RedirectResponse(_local(str(form.get("back") or f"/elections/{quote(election_id, safe='')}")),
                            status_code=303)
