"""Protocol routes: submit one (election night's hot route), correct one, submit a batch, read a station's history.

Every write is checked by the same code as ``saylau ingest`` (the store runs
the protocol checker: a failed control relation answers 422 listing every
violation), then authorised by role and scope (:mod:`saylau.web.access`).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from saylau.errors import InputError
from saylau.protocols import ProtocolBatch, StationProtocol
from saylau.store.unit_tree import CLERKS_OPEN_STATIONS
from saylau.store.users import User
from saylau.web.access import NotAuthenticated, check_central, check_protocol_write
from saylau.web.api.common import (
    Ballot,
    ballot,
    bearer,
    json_body,
    require_election,
    web_state,
    writer,
)
from saylau.web.api.models import BatchIn, CorrectionIn, ProtocolIn, SubmitOut
from saylau.web.app import NotFound, WebState
from saylau.web.auth import Identity, check_csrf, identify
from saylau.web.policy import store_policy_warnings
from saylau.web.status import CERTIFIED
from saylau.web.units import territory_id

__all__ = ["SUBMIT_PATH", "router", "submit_protocol_plain"]

router = APIRouter(prefix="/api", tags=["api"])
#: The route single protocols are posted to, under the router's prefix.
_SUBMIT_ROUTE = "/elections/{election_id}/protocols"


def _protocol(body: ProtocolIn, ballot: Ballot, source: str) -> StationProtocol:
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
    nation = ballot(state, election_id).nation
    tree = store.unit_tree(election_id)
    certified = store.election_info(election_id).status == CERTIFIED
    open_stations = bool(store.election_settings(election_id)[CLERKS_OPEN_STATIONS])
    for p in protocols:
        level, parent = tree.get(p.station, (None, None))
        check_protocol_write(identity.user, election_id=election_id, station=p.station,
                             commission=territory_id(nation, p.region, p.territory),
                             registered_under=parent if level == "station" else None, registered=level == "station",
                             correction=correction, certified=certified, clerks_open_stations=open_stations)


async def _submit(request: Request, election_id: str, body: ProtocolIn, *, correction: bool,
                  reason: str | None) -> JSONResponse:
    """Queue one protocol for the group committer and answer once the transaction holding it has committed."""
    state = web_state(request)
    token = bearer(request)
    user = None
    if token is None:  # signed in by cookie (a form): the session and its CSRF token are checked here
        identity = await run_in_threadpool(identify, request, state.users)
        check_csrf(request, identity)
        user = identity.user
        if user is None:
            raise NotAuthenticated("sign in, or send an API token (Authorization: Bearer ...)")
    cached = state.extra.get("ballots", {}).get(election_id)
    found = cached or await run_in_threadpool(ballot, state, election_id)
    if not correction:
        taken = await _as_entry(state, election_id, body, user, token)
        if taken is not None:
            return taken
    protocol = StationProtocol(body.station, body.region, body.territory, dict(body.lines), dict(body.votes))
    # Keys, control relations, role and scope are checked by the writer, each protocol on its own.
    result = await state.committer.submit(election_id, found.nation, protocol, user=user, token=token,
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
                        413: {"description": "the body is larger than the server's limit"},
                        422: {"description": "a failed control relation (every violation is listed) or bad input"}},
             openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                 "schema": ProtocolIn.model_json_schema()}}}})
async def submit_protocol(election_id: str, request: Request) -> JSONResponse:
    """Submit one station's protocol. Warnings do not block; they are stored with it and returned.

    Concurrent submissions are written together (one transaction) but each is
    checked, authorised, audited and answered on its own; 201 comes after the commit.
    """
    return await _submit(request, election_id, await json_body(request, ProtocolIn), correction=False, reason=None)


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
                        413: {"description": "the body is larger than the server's batch limit"},
                        422: {"description": "failed control relations, every one listed; nothing stored"}})
def submit_batch(election_id: str, body: BatchIn, request: Request) -> dict[str, Any]:
    """Submit many protocols in one transaction: all are stored, or none (each within the user's scope)."""
    state, identity = writer(request)
    with state.write_lock:
        return _submit_batch(state, identity, election_id, body)


def _submit_batch(state: WebState, identity: Identity, election_id: str, body: BatchIn) -> dict[str, Any]:
    store = state.store
    found = ballot(state, election_id)
    from saylau.web.entries import mode_of

    if mode_of(state, election_id) == "required" and (identity.user is None or identity.user.role != "central"):
        check_central(identity.user, election_id)  # 401 without credentials, else 403 naming the role
    _authorise(state, identity, election_id, body.protocols, correction=False)
    assert identity.user is not None
    source = f"web:{identity.user.name}"
    protocols = [_protocol(p, found, source) for p in body.protocols]
    stations = [p.station for p in protocols]
    if len(set(stations)) != len(stations):
        duplicate = next(s for s in stations if stations.count(s) > 1)
        raise InputError("a station appears twice in the batch", field="station", value=duplicate)
    batch = ProtocolBatch(found.form, found.parties, protocols, source=source)
    nation = found.nation
    user = identity.user
    open_stations = bool(store.election_settings(election_id)[CLERKS_OPEN_STATIONS])

    def authorise(status: str, registered_under: dict[str, str | None]) -> None:
        # Again inside the write transaction: a certification committed since the check above is seen here.
        for p in body.protocols:
            check_protocol_write(user, election_id=election_id, station=p.station,
                                 commission=territory_id(nation, p.region, p.territory),
                                 registered_under=registered_under.get(p.station), correction=False,
                                 certified=status == CERTIFIED, registered=p.station in registered_under,
                                 clerks_open_stations=open_stations)

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
    store = web_state(request).store
    require_election(store, election_id)
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
