"""The protocol entry pages: a clerk types a station's protocol, checks it, confirms it; a coordinator settles.

* ``/elections/{id}/entry``: the stations of one's scope and where each stands
  (not entered, awaiting a second entry, entries differ, accepted);
* ``/elections/{id}/entry/{station}``: the form, its lines and parties in ballot
  order with the form's own wording; ``static/entry.js`` checks every control
  relation as the clerk types (from :func:`saylau.web.entries.form_data`, the
  relations the server checks) and moves to the next field on Enter. Posting
  it shows a confirmation page with what will be stored (the server's check:
  the same violations); confirming makes the entry (or, with double entry
  ``off``, submits the protocol);
* ``/elections/{id}/resolve/{station}``: the coordinator keeps, per differing
  field, the first or the second value, or discards an entry.

The answers are those of the API (:mod:`saylau.web.entries`), rendered; every
form carries the session's CSRF token; nothing is rendered unescaped.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from saylau.errors import AccessDenied, InputError, ProtocolError
from saylau.protocols import StationProtocol
from saylau.protocols.checker import check_protocols
from saylau.store.users import User
from saylau.web.api.common import ballot as _ballot
from saylau.web.app import WebState
from saylau.web.auth import check_csrf, identify
from saylau.web.entries import (
    _place,
    enter,
    entries_of,
    form_data,
    mode_of,
    resolve,
)
from saylau.web.i18n import LANGUAGES

__all__ = ["router"]

router = APIRouter(tags=["pages"], include_in_schema=False)

#: Roles that enter protocols, and the most stations one list shows (a central user filters by name).
ENTERING = ("station", "typist", "territorial", "central")
MAX_LISTED = 300
_NEGATED = {"=": "≠", ">=": "<", "<=": ">"}


def _state(request: Request) -> WebState:
    return request.app.state.web  # type: ignore[no-any-return]


def _lang(request: Request) -> str | None:
    lang = request.query_params.get("lang")
    return lang if lang in LANGUAGES else None


def _page(request: Request, template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    from saylau.web.pages import _page as page

    return page(request, template, context, _lang(request), status)


def _entering_user(request: Request, election_id: str) -> User:
    user = identify(request, _state(request).users).user
    if user is None:
        from saylau.web.access import NotAuthenticated

        raise NotAuthenticated("sign in to enter protocols")
    if user.role not in ENTERING:
        raise AccessDenied(f"user {user.name!r} ({user.role}) does not enter protocols")
    if user.election_id is not None and user.election_id != election_id:
        raise AccessDenied(f"user {user.name!r} acts for election {user.election_id!r} only")
    return user


def _station_url(election_id: str, station: str, what: str = "entry") -> str:
    return f"/elections/{quote(election_id, safe='')}/{what}/{quote(station, safe='/')}"


# -- the station list -----------------------------------------------------------------------------


def _listing(state: WebState, user: User, election_id: str, q: str) -> dict[str, Any]:
    store = state.store
    ballot = _ballot(state, election_id)
    if user.role == "station":
        stations = [user.scope or ""]
    else:
        unit = ballot.nation if user.role == "central" else (user.scope or "")
        stations = sorted(store.stations_below(election_id, unit))
    needle = q.strip().lower()
    matching = [s for s in stations if needle in s.lower()]
    shown = matching[:MAX_LISTED]
    states = store.entry_states(election_id, shown)
    counts: dict[str, int] = {}
    for s in shown:
        counts[states[s]] = counts.get(states[s], 0) + 1
    return {"election_id": election_id, "double_entry": mode_of(state, election_id), "q": q,
            "stations": [{"station": s, "state": states[s], "url": _station_url(election_id, s)} for s in shown],
            "total": len(matching), "shown": len(shown), "counts": counts}


def _sign_in_first(request: Request) -> Response | None:
    """Anonymous visitors are sent to sign in, and back here after."""
    try:
        identity = identify(request, _state(request).users)
    except AccessDenied:
        identity = None
    if identity is None or identity.user is None:
        back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        lang = _lang(request)
        return RedirectResponse(f"/login?next={quote(back, safe='')}" + (f"&lang={lang}" if lang else ""),
                                status_code=303)
    return None


@router.get("/elections/{election_id}/entry", response_class=HTMLResponse)
async def entry_list(election_id: str, request: Request, q: str = "") -> Response:
    state = _state(request)
    redirect = await run_in_threadpool(_sign_in_first, request)
    if redirect is not None:
        return redirect
    user = await run_in_threadpool(_entering_user, request, election_id)
    listing = await run_in_threadpool(_listing, state, user, election_id, q[:200])
    return _page(request, "entry_list.html.j2", {"v": listing})


# -- the form -------------------------------------------------------------------------------------


def _violations(form: dict[str, Any], found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The server's violations as the page shows them (the same text the script writes)."""
    by_name = {r["name"]: r for r in form["relations"]}
    out = []
    for v in found:
        r = by_name.get(str(v["relation"]))
        if r is None:
            continue
        out.append({"name": r["name"], "severity": r["severity"], "text": r["text"], "label": r["label"],
                    "values": f"{v['left_value']} {_NEGATED[r['operator']]} {v['right_value']}"})
    return out


def _parse(form: dict[str, Any], posted: Any) -> tuple[dict[str, int], dict[str, int], dict[str, str], dict[str, str]]:
    """Lines and votes from the posted fields; what was typed as text, and the fields that are not counts."""
    typed: dict[str, str] = {}
    bad: dict[str, str] = {}
    lines: dict[str, int] = {}
    votes: dict[str, int] = {}
    for item, target in [(x, lines) for x in form["lines"]] + [(x, votes) for x in form["parties"]]:
        raw = str(posted.get(item["field"]) or "").strip()[:20]
        typed[item["field"]] = raw
        digits = raw.replace(" ", "").replace("\u00a0", "")
        if not digits.isascii() or not digits.isdigit() or len(digits) > 12:
            bad[item["field"]] = raw
            continue
        target[item["key"] if "key" in item else item["code"]] = int(digits)
    return lines, votes, typed, bad


def _form_context(state: WebState, user: User, election_id: str, station: str, lang: str) -> dict[str, Any]:
    place = _place(state, election_id, station)
    form = form_data(_ballot(state, election_id), lang)
    mode = mode_of(state, election_id)
    now = state.store.entry_state(election_id, station)
    coordinator = None
    if now.state in ("conflict", "matched", "awaiting"):
        try:
            coordinator = entries_of(state, user, election_id, station)
        except AccessDenied:  # not its coordinator: it sees only where the station stands
            coordinator = None
    mine = any(e is not None and e.typist == user.name for e in (now.first, now.second))
    return {"election_id": election_id, "station": station, "place": place, "form": form, "mode": mode,
            "state": now.state, "mine": mine, "coordinator": coordinator,
            "labels": {item["field"]: item for item in form["lines"] + form["parties"]},
            "action": _station_url(election_id, station), "resolve_action": _station_url(election_id, station, "resolve"),
            "list_url": f"/elections/{quote(election_id, safe='')}/entry"}


@router.get("/elections/{election_id}/entry/{station:path}", response_class=HTMLResponse)
async def entry_form(election_id: str, station: str, request: Request) -> Response:
    from saylau.web.pages import _language

    state = _state(request)
    redirect = await run_in_threadpool(_sign_in_first, request)
    if redirect is not None:
        return redirect
    user = await run_in_threadpool(_entering_user, request, election_id)
    lang = _language(request, _lang(request))
    context = await run_in_threadpool(_form_context, state, user, election_id, station, lang)
    return _page(request, "entry.html.j2", {"v": context, "typed": {}, "bad": {}, "violations": []})


@router.post("/elections/{election_id}/entry/{station:path}", response_class=HTMLResponse)
async def entry_post(election_id: str, station: str, request: Request) -> Response:
    from saylau.web.pages import _language

    state = _state(request)
    identity = await run_in_threadpool(identify, request, state.users)
    posted = await request.form()
    check_csrf(request, identity, str(posted.get("csrf") or ""))
    user = await run_in_threadpool(_entering_user, request, election_id)
    lang = _language(request, _lang(request))
    context = await run_in_threadpool(_form_context, state, user, election_id, station, lang)
    form = context["form"]
    lines, votes, typed, bad = _parse(form, posted)
    if bad or posted.get("edit"):
        return _page(request, "entry.html.j2", {"v": context, "typed": typed, "bad": bad, "violations": []},
                     422 if bad else 200)
    place = context["place"]
    found = [v.to_dict() for v in check_protocols(
        [StationProtocol(place.station, place.region, place.territory, lines, votes)], _ballot(state, election_id).form)]
    violations = _violations(form, found)
    if any(v["severity"] == "error" for v in violations):
        return _page(request, "entry.html.j2", {"v": context, "typed": typed, "bad": {}, "violations": violations},
                     422)
    if not posted.get("confirm"):
        return _page(request, "entry_confirm.html.j2", {"v": context, "typed": typed, "lines": lines,
                                                         "votes": votes, "violations": violations})
    if context["mode"] == "off":
        answer = await _submit_directly(state, user, election_id, place, lines, votes)
    else:
        answer = await run_in_threadpool(enter, state, user, election_id, station, lines, votes)
    return _page(request, "entry_done.html.j2", {"v": context, "answer": answer.body, "status": answer.status},
                 answer.status if answer.status >= 400 else 200)


async def _submit_directly(state: WebState, user: User, election_id: str, place: Any, lines: dict[str, int],
                           votes: dict[str, int]) -> Any:
    """With double entry off the page submits the protocol as the API's direct route does."""
    from saylau.web.entries import Answer

    ballot = await run_in_threadpool(_ballot, state, election_id)
    protocol = StationProtocol(place.station, place.region, place.territory, lines, votes)
    result = await state.committer.submit(election_id, ballot.nation, protocol, user=user)
    return Answer(200 if result.status == "unchanged" else 201,
                  {"status": "accepted" if result.status != "unchanged" else "unchanged", "station": result.station,
                   "version": result.version, "audit_seq": result.audit_seq})


@router.post("/elections/{election_id}/resolve/{station:path}")
async def resolve_post(election_id: str, station: str, request: Request) -> Response:
    from saylau.web.pages import _language

    state = _state(request)
    identity = await run_in_threadpool(identify, request, state.users)
    posted = await request.form()
    check_csrf(request, identity, str(posted.get("csrf") or ""))
    user = await run_in_threadpool(_entering_user, request, election_id)
    discard = str(posted.get("discard") or "") or None
    choose = None
    if discard is None:
        choose = {key[len("choose:"):]: str(value) for key, value in posted.multi_items() if key.startswith("choose:")}
    reason = str(posted.get("reason") or "").strip()[:2000] or None
    if discard is not None and discard not in ("first", "second"):
        raise InputError("discard the first or the second entry", field="discard", value=discard)
    lang = _language(request, _lang(request))
    context = await run_in_threadpool(_form_context, state, user, election_id, station, lang)
    try:
        answer = await run_in_threadpool(resolve, state, user, election_id, station, choose=choose, discard=discard,
                                         reason=reason)
    except ProtocolError as exc:  # the settled protocol fails a relation: say which, and let them discard instead
        violations = _violations(context["form"], [v.to_dict() for v in exc.violations if hasattr(v, "to_dict")])
        return _page(request, "entry.html.j2", {"v": context, "typed": {}, "bad": {}, "violations": violations,
                                                "resolve_error": str(exc)}, 422)
    if answer.status == 200:  # an entry discarded: back to the station, which now awaits a fresh entry
        return RedirectResponse(_station_url(election_id, station), status_code=303)
    return _page(request, "entry_done.html.j2", {"v": context, "answer": answer.body, "status": answer.status})

