"""The protocol API: submit, correct, batch-submit, history, warnings, certification, users and tokens.

Every write is checked by the same code as ``saylau ingest`` (the store runs
the protocol checker: a failed control relation answers 422 listing every
violation), then authorised by role and scope (:mod:`saylau.web.access`).
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from saylau.errors import InputError
from saylau.protocols import Form, ProtocolBatch, StationProtocol, load_form
from saylau.store import Store
from saylau.store.unit_tree import CLERKS_OPEN_STATIONS
from saylau.tabulate.model import PartyInfo
from saylau.web.access import (
    NotAuthenticated,
    check_central,
    check_protocol_write,
    check_warning_handler,
)
from saylau.web.app import NotFound, WebState
from saylau.web.auth import Identity, check_csrf, check_login_rate, client_address, identify
from saylau.web.policy import store_policy_warnings
from saylau.web.status import CERTIFIED, stored_status
from saylau.web.tables import ROLES
from saylau.web.units import nation_unit, station_parent, territory_id
from saylau.web.users import User

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["api"])
#: The route single protocols are posted to, under the router's prefix.
_SUBMIT_ROUTE = "/elections/{election_id}/protocols"

Count = Annotated[int, Field(ge=0, le=10**12)]
Name = Annotated[str, Field(min_length=1, max_length=300)]


class ProtocolIn(BaseModel):
    """One station's protocol: the form's lines by key and the votes by party code."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": {
        "station": "Akmola Region/Akmola Region territorial commission 01/0001", "region": "Akmola Region",
        "territory": "Akmola Region territorial commission 01",
        "lines": {"voters_on_list": 1303, "ballots_received": 1242, "ballots_issued_in_premises": 738,
                  "ballots_issued_outside": 56, "ballots_cancelled": 448, "ballots_in_boxes": 793,
                  "invalid": 29, "valid": 764},
        "votes": {"QHP": 86, "NO": 606, "AUYL": 15, "AJ": 46, "ADAL": 11}}})

    station: Name
    region: Name
    territory: Annotated[str, Field(min_length=1, max_length=300)] | None = None
    lines: dict[str, Count]
    votes: dict[str, Count]


_Body = TypeVar("_Body", bound=BaseModel)


class CorrectionIn(ProtocolIn):
    reason: Annotated[str, Field(min_length=1, max_length=2000)]


class BatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    protocols: Annotated[list[ProtocolIn], Field(min_length=1, max_length=20000)]


class HandleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    explanation: Annotated[str, Field(min_length=1, max_length=4000)]


class UserIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, Field(min_length=1, max_length=200)]
    role: Literal["public", "station", "typist", "territorial", "central"]
    scope: Annotated[str, Field(min_length=1, max_length=300)] | None = None
    election_id: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    password: Annotated[str, Field(min_length=8, max_length=1000)] | None = None


class CredentialsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, Field(min_length=1, max_length=200)]
    password: Annotated[str, Field(min_length=1, max_length=1000)]
    label: Annotated[str, Field(max_length=200)] | None = None


class SubmitOut(BaseModel):
    status: Literal["stored", "corrected", "unchanged"]
    station: str
    version: int
    warnings: list[dict[str, Any]]
    audit_seq: int | None


def _state(request: Request) -> WebState:
    return request.app.state.web  # type: ignore[no-any-return]


def _writer(request: Request) -> tuple[WebState, Identity]:
    state = _state(request)
    identity = identify(request, state.users)
    check_csrf(request, identity)
    return state, identity


def _require_election(store: Store, election_id: str) -> None:
    if not store.has_election(election_id):
        raise NotFound("no such election", field="election", value=election_id)


@dataclasses.dataclass(frozen=True, slots=True)
class _Ballot:
    """What a submission is checked against; fixed once the election takes protocols, so kept per process."""

    form: Form
    parties: tuple[PartyInfo, ...]
    nation: str


def _ballot(state: WebState, election_id: str) -> _Ballot:
    cache = state.extra.setdefault("ballots", {})
    if election_id not in cache:
        store = state.store
        _require_election(store, election_id)
        form_name = store.election_form(election_id)
        if not form_name:  # not cached: the election may still get a form (saylau ingest)
            raise InputError(f"election {election_id!r} was loaded from result tables and takes no protocols",
                             field="election", value=election_id)
        with store.engine.connect() as conn:
            nation = nation_unit(conn, election_id)
        cache[election_id] = _Ballot(load_form(form_name), store.parties(election_id), nation)
    return cache[election_id]  # type: ignore[no-any-return]


def _protocol(body: ProtocolIn, ballot: _Ballot, source: str) -> StationProtocol:
    """The protocol, after checking its keys are exactly the form's lines and the election's parties."""
    for what, given, expected in (("lines", body.lines, ballot.form.line_keys),
                                  ("votes", body.votes, [p.code for p in ballot.parties])):
        unknown = sorted(set(given) - set(expected))
        missing = [k for k in expected if k not in given]
        if unknown:
            raise InputError(f"not a {what} key of this election", source=source, field=f"{what}.{unknown[0]}",
                             value=unknown[0])
        if missing:
            raise InputError(f"missing {what} key", source=source, field=f"{what}.{missing[0]}", value=None)
    return StationProtocol(body.station, body.region, body.territory, dict(body.lines), dict(body.votes),
                           source=source)


def _authorise(state: WebState, identity: Identity, election_id: str, protocols: list[ProtocolIn],
               correction: bool) -> None:
    store = state.store
    nation = _ballot(state, election_id).nation
    tree = store.unit_tree(election_id)
    certified = store.election_info(election_id).status == CERTIFIED
    open_stations = bool(store.election_settings(election_id)[CLERKS_OPEN_STATIONS])
    for p in protocols:
        level, parent = tree.get(p.station, (None, None))
        check_protocol_write(identity.user, election_id=election_id, station=p.station,
                             commission=territory_id(nation, p.region, p.territory),
                             registered_under=parent if level == "station" else None, registered=level == "station",
                             correction=correction, certified=certified, clerks_open_stations=open_stations)


def _bearer(request: Request) -> str | None:
    """The request's API token (None without an Authorization header); a malformed header is refused (401)."""
    header = request.headers.get("authorization", "")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("the Authorization header must be 'Bearer <token>'")
    return token.strip()


async def _submit(request: Request, election_id: str, body: ProtocolIn, *, correction: bool,
                  reason: str | None) -> JSONResponse:
    """Queue one protocol for the group committer and answer once the transaction holding it has committed."""
    state = _state(request)
    token = _bearer(request)
    user = None
    if token is None:  # signed in by cookie (a form): the session and its CSRF token are checked here
        identity = await run_in_threadpool(identify, request, state.users)
        check_csrf(request, identity)
        user = identity.user
        if user is None:
            raise NotAuthenticated("sign in, or send an API token (Authorization: Bearer ...)")
    cached = state.extra.get("ballots", {}).get(election_id)
    ballot = cached or await run_in_threadpool(_ballot, state, election_id)
    if not correction:
        taken = await _as_entry(state, election_id, body, user, token)
        if taken is not None:
            return taken
    protocol = StationProtocol(body.station, body.region, body.territory, dict(body.lines), dict(body.votes))
    # Keys, control relations, role and scope are checked by the writer, each protocol on its own.
    result = await state.committer.submit(election_id, ballot.nation, protocol, user=user, token=token,
                                          correction=correction, reason=reason)
    out = {"status": result.status, "station": result.station, "version": result.version,  # SubmitOut's fields
           "warnings": [w.to_dict() for w in result.stored_warnings], "audit_seq": result.audit_seq}
    return JSONResponse(out, status_code=200 if result.status == "unchanged" else 201)


async def _as_entry(state: WebState, election_id: str, body: ProtocolIn, user: User | None,
                    token: str | None) -> JSONResponse | None:
    """With double entry ``required``, a station's or territorial commission's direct submission is taken as
    an entry (answered as ``POST .../entries/{station}`` answers); None when it is to be stored directly
    (double entry not required, or the central commission submits)."""
    from saylau.web.entries import cached_mode, enter, mode_of

    if (cached_mode(state, election_id) or await run_in_threadpool(mode_of, state, election_id)) != "required":
        return None
    if user is None and token is not None:
        user = await run_in_threadpool(state.users.user_for_token, token)
        if user is None:
            raise NotAuthenticated("the API token is not valid (unknown or revoked)")
    if user is not None and user.role == "central":
        return None
    answer = await run_in_threadpool(enter, state, user, election_id, body.station, dict(body.lines),
                                     dict(body.votes), region=body.region, territory=body.territory, direct=True)
    return JSONResponse(answer.body, status_code=answer.status)


@router.post(_SUBMIT_ROUTE, status_code=201, response_model=SubmitOut,
             responses={200: {"description": "identical to the accepted protocol: nothing changed"},
                        401: {"description": "no credentials"}, 403: {"description": "outside the user's scope"},
                        404: {"description": "no such election"},
                        409: {"description": "a different protocol is accepted for this station"},
                        422: {"description": "a failed control relation (every violation is listed) or bad input"}},
             openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                 "schema": ProtocolIn.model_json_schema()}}}})
async def submit_protocol(election_id: str, request: Request) -> JSONResponse:
    """Submit one station's protocol. Warnings do not block; they are stored with it and returned.

    Concurrent submissions are written together (one transaction) but each is
    checked, authorised, audited and answered on its own; 201 comes after the commit.
    """
    return await _submit(request, election_id, await _json_body(request, ProtocolIn), correction=False, reason=None)


#: Where single protocols are submitted; :func:`submit_protocol_plain` answers it (see :func:`create_app`).
SUBMIT_PATH = router.prefix + _SUBMIT_ROUTE


async def submit_protocol_plain(request: Request) -> JSONResponse:
    """:func:`submit_protocol` as a plain Starlette endpoint, registered ahead of the documented route.

    Election night calls this route thousands of times a minute, and FastAPI's
    per-route handling (parameter solving and its wrappers) cost more than the
    route's own work: in process, with the writer stubbed out, a submission took
    130-175 µs through the FastAPI route and 77 µs this way. The endpoint already takes
    the raw request and parses its body itself, so nothing is lost: the same
    function answers, the app's error handlers and middleware apply, and the
    OpenAPI schema still documents the route through its FastAPI declaration.
    """
    return await submit_protocol(request.path_params["election_id"], request)


async def _json_body(request: Request, model: type[_Body]) -> _Body:
    """The request's JSON body as ``model``, parsed and validated in one pass (the route election night calls
    most); a bad body is refused with 422 exactly as FastAPI refuses one (``detail``, locations under ``body``)."""
    raw = await request.body()
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
        raise RequestValidationError(errors, body=raw) from None


@router.put("/elections/{election_id}/protocols/{station:path}", status_code=201, response_model=SubmitOut,
            responses={401: {"description": "no credentials"}, 403: {"description": "outside the user's scope"},
                       404: {"description": "no such election"}, 422: {"description": "bad protocol"}})
async def correct_protocol(election_id: str, station: str, body: CorrectionIn, request: Request) -> JSONResponse:
    """Correct a station's protocol, with a reason: a new version is stored and the old one kept."""
    if body.station != station:
        raise InputError("the protocol's station differs from the station in the path", field="station",
                         value=body.station)
    return await _submit(request, election_id, body, correction=True, reason=body.reason)


@router.post("/elections/{election_id}/protocols/batch", status_code=201,
             responses={401: {"description": "no credentials"}, 403: {"description": "outside the user's scope"},
                        404: {"description": "no such election"}, 409: {"description": "a conflicting protocol"},
                        422: {"description": "failed control relations, every one listed; nothing stored"}})
def submit_batch(election_id: str, body: BatchIn, request: Request) -> dict[str, Any]:
    """Submit many protocols in one transaction: all are stored, or none (each within the user's scope)."""
    state, identity = _writer(request)
    with state.write_lock:
        return _submit_batch(state, identity, election_id, body)


def _submit_batch(state: WebState, identity: Identity, election_id: str, body: BatchIn) -> dict[str, Any]:
    store = state.store
    ballot = _ballot(state, election_id)
    from saylau.web.entries import mode_of

    if mode_of(state, election_id) == "required" and (identity.user is None or identity.user.role != "central"):
        check_central(identity.user, election_id)  # 401 without credentials, else 403 naming the role
    _authorise(state, identity, election_id, body.protocols, correction=False)
    assert identity.user is not None
    source = f"web:{identity.user.name}"
    protocols = [_protocol(p, ballot, source) for p in body.protocols]
    stations = [p.station for p in protocols]
    if len(set(stations)) != len(stations):
        duplicate = next(s for s in stations if stations.count(s) > 1)
        raise InputError("a station appears twice in the batch", field="station", value=duplicate)
    batch = ProtocolBatch(ballot.form, ballot.parties, protocols, source=source)
    nation = ballot.nation
    user = identity.user

    def authorise(status: str, registered_under: dict[str, str | None]) -> None:
        # Again inside the write transaction: a certification committed since the check above is seen here.
        for p in body.protocols:
            check_protocol_write(user, election_id=election_id, station=p.station,
                                 commission=territory_id(nation, p.region, p.territory),
                                 registered_under=registered_under.get(p.station), correction=False,
                                 certified=status == CERTIFIED)

    with state.write_lock:
        report = store.ingest(batch, election_id=election_id, user=identity.user.name, authorise=authorise)
        store_policy_warnings(store, election_id, stations)
    for seq in report.audit_seqs:
        state.hub.wrote(seq)
    return {"election_id": election_id, "stored": report.stored, "corrected": report.corrected,
            "unchanged": report.unchanged, "warnings": report.warnings, "audit_seqs": list(report.audit_seqs)}


@router.get("/elections/{election_id}/stations/{station:path}/history", responses={404: {"description": "unknown"}})
def station_history(election_id: str, station: str, request: Request) -> dict[str, Any]:
    """Every version of a station's protocol, oldest first, and the audit entries that touched it."""
    store = _state(request).store
    _require_election(store, election_id)
    versions = store.protocol_history(election_id, station)
    if not versions:
        raise NotFound("no protocol for this station", field="station", value=station)
    seqs = {v.audit_seq for v in versions}
    entries = [e.to_dict() for e in store.audit_entries(election_id=election_id)
               if e.seq in seqs or e.subject.endswith(f"station {station}")]
    return {"election_id": election_id, "station": station, "versions": [{
        "version": v.version, "current": v.current, "recorded_by": v.recorded_by, "recorded_at": v.recorded_at,
        "reason": v.reason, "audit_seq": v.audit_seq, "region": v.protocol.region, "territory": v.protocol.territory,
        "lines": dict(v.protocol.lines), "votes": dict(v.protocol.votes), "totals": v.totals} for v in versions],
        "audit": entries}


@router.get("/elections/{election_id}/warnings")
def list_warnings(election_id: str, request: Request, handled: bool | None = None,
                  unit: Annotated[str | None, Query(max_length=300)] = None) -> dict[str, Any]:
    """Warnings of the current protocols (optionally only open or handled ones, only below ``unit``)."""
    store = _state(request).store
    _require_election(store, election_id)
    found = store.warnings(election_id, handled=handled)
    if unit is not None:
        prefix_units = _stations_below(store, election_id, unit)
        found = [w for w in found if w.station in prefix_units]
    return {"election_id": election_id, "warnings": [w.to_dict() for w in found]}


def _stations_below(store: Store, election_id: str, unit: str) -> set[str]:
    from saylau.store.reads import stations_below

    with store.engine.connect() as conn:
        return stations_below(conn, election_id, unit)


def handle_warning_as(state: WebState, identity: Identity, election_id: str, warning_id: int,
                      explanation: str) -> dict[str, Any]:
    """Explain and close a warning (shared by the API and the page's form)."""
    store = state.store
    if identity.user is None:  # who asks comes first: a stranger learns nothing of which warnings exist
        from saylau.web.access import NotAuthenticated

        raise NotAuthenticated("sign in to handle a warning")
    _require_election(store, election_id)
    warning = next((w for w in store.warnings(election_id) if w.id == warning_id), None)
    if warning is None:
        raise NotFound("no such warning of a current protocol", field="warning", value=warning_id)
    with store.engine.connect() as conn:
        under = station_parent(conn, election_id, warning.station)
    user = check_warning_handler(identity.user, election_id=election_id, station_under=under)
    with state.write_lock:
        store.handle_warning(warning_id, user=user.name, explanation=explanation)
    state.hub.wrote(_head(store))
    return {"id": warning_id, "handled": True, "explanation": explanation, "handled_by": user.name}


def _head(store: Store) -> int:
    from saylau.web.status import change_counter

    with store.engine.connect() as conn:
        return change_counter(conn)


@router.post("/elections/{election_id}/warnings/{warning_id}/handle",
             responses={401: {"description": "no credentials"}, 403: {"description": "outside the user's scope"},
                        404: {"description": "no such warning"}})
def handle_warning(election_id: str, warning_id: Annotated[int, Path(ge=1, le=2**62)], body: HandleIn,
                   request: Request) -> dict[str, Any]:
    """Attach an explanation to a warning and mark it handled (territorial commission of the station, or central)."""
    state, identity = _writer(request)
    return handle_warning_as(state, identity, election_id, warning_id, body.explanation)


@router.post("/elections/{election_id}/certify",
             responses={401: {"description": "no credentials"}, 403: {"description": "not the central commission"},
                        404: {"description": "no such election"}})
def certify_election(election_id: str, request: Request) -> dict[str, Any]:
    """Certify the election (central commission): its status becomes ``certified``; later changes need central."""
    state, identity = _writer(request)
    store = state.store
    _require_election(store, election_id)
    user = check_central(identity.user, election_id)
    with state.write_lock:  # the totals are read in the transaction that certifies them
        changed, summary = store.certify(election_id, user=user.name, status=CERTIFIED)
    state.hub.wrote(_head(store))
    return {"election_id": election_id, "status": CERTIFIED, "changed": changed, "certified": summary}


@router.get("/me")
def me(request: Request) -> dict[str, Any]:
    """Who the request is signed in as (``user`` null when anonymous)."""
    identity = identify(request, _state(request).users)
    return {"user": identity.user.to_dict() if identity.user else None, "via": identity.via}


@router.get("/users", responses={401: {"description": "no credentials"}, 403: {"description": "not central"}})
def list_users(request: Request) -> dict[str, Any]:
    """Every user (central commission only)."""
    state = _state(request)
    check_central(identify(request, state.users).user)
    return {"users": [u.to_dict() for u in state.users.list_users()], "roles": list(ROLES)}


@router.post("/users", status_code=201,
             responses={401: {"description": "no credentials"}, 403: {"description": "not central"}})
def add_user(body: UserIn, request: Request) -> dict[str, Any]:
    """Create a user (central commission only)."""
    state, identity = _writer(request)
    admin = check_central(identity.user)
    user = state.users.add_user(body.name, body.role, password=body.password, scope=body.scope,
                                election_id=body.election_id, created_by=admin.name)
    return user.to_dict()


@router.post("/users/{name}/tokens", status_code=201,
             responses={401: {"description": "no credentials"}, 403: {"description": "not central"},
                        404: {"description": "no such user"}})
def issue_token(name: str, request: Request) -> dict[str, Any]:
    """Issue an API token for a user (central commission only); shown once, stored as a hash."""
    state, identity = _writer(request)
    check_central(identity.user)
    if state.users.get(name) is None:
        raise NotFound("no such user", field="name", value=name)
    return {"name": name, "token": state.users.create_token(name, label=f"issued by {identity.user.name}")}  # type: ignore[union-attr]


@router.post("/tokens", status_code=201, responses={401: {"description": "wrong name or password"},
                                                   429: {"description": "too many failed sign-ins"}})
async def create_token(body: CredentialsIn, request: Request) -> dict[str, Any]:
    """Exchange a user name and password for a new API token (limited per address and per user)."""
    from saylau.web.access import NotAuthenticated

    state = _state(request)
    ip = client_address(request)
    await run_in_threadpool(check_login_rate, state.users, ip, body.name)
    user = await run_in_threadpool(state.users.check_password, body.name, body.password)
    await run_in_threadpool(state.users.record_attempt, ip, body.name, user is not None)
    if user is None:
        raise NotAuthenticated("wrong user name or password")
    token = await run_in_threadpool(state.users.create_token, user.name, label=body.label)
    return {"name": user.name, "role": user.role, "token": token}
