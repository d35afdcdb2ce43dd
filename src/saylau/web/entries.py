"""Double entry over HTTP: typists' entries, their state, and a coordinator settling two that differ.

* ``POST /api/elections/{id}/entries/{station}``: an entry. The first is
  answered 202 and not counted; the same typist cannot make the second (403);
  a second by another typist that matches is stored and counted through the
  store's checked, audited submission path (201); one that differs is kept and
  answered 409 with ``differences: [{field, first, second}]``, nothing counted.
  Resubmitting the same entry changes nothing (202 again, or 200 once counted).
* ``GET /api/elections/{id}/entries/{station}``: the state and both entries
  (a coordinator: the station's territorial commission, or central).
* ``POST /api/elections/{id}/entries/{station}/resolve``: the coordinator keeps,
  per differing field, the first or the second value (``choose``), or discards
  one entry (``discard``) so that a fresh one is made. Fields both typists
  agreed on are never chosen nor re-typed.
* ``PUT /api/elections/{id}/double-entry``: the setting (central only).

Every entry is checked against the form (keys, control relations) before it is
kept, exactly as a direct submission is. With double entry ``required`` a direct
submission by a station or territorial commission is taken as an entry (see
:func:`enter`); central's is stored directly, as ``saylau ingest`` is.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from saylau.errors import AccessDenied, ConflictError, InputError, ProtocolError
from saylau.protocols import StationProtocol
from saylau.protocols.checker import check_protocols, errors_only
from saylau.protocols.double_entry import Entry, differences, settle
from saylau.protocols.expr import PARTIES
from saylau.store import Submission, SubmitContext, SubmitResult
from saylau.store.entries import EntryState, StationPlace
from saylau.store.users import User
from saylau.web.access import check_central, check_entry_coordinator, check_entry_write
from saylau.web.api.common import Ballot as _Ballot
from saylau.web.api.common import ballot as _ballot
from saylau.web.api.common import require_election as _require_election
from saylau.web.api.common import web_state as _state
from saylau.web.api.common import writer as _writer
from saylau.web.app import NotFound, WebState
from saylau.web.auth import identify
from saylau.web.policy import policy_warnings
from saylau.web.status import CERTIFIED, stored_status
from saylau.web.units import territory_id

__all__ = ["Answer", "cached_mode", "enter", "entries_of", "mode_of", "resolve", "router"]

router = APIRouter(prefix="/api", tags=["double entry"])

Count = Annotated[int, Field(ge=0, le=10**12)]
#: How long a process trusts its copy of an election's setting (a change by another process shows after this).
MODE_SECONDS = 2.0


class EntryIn(BaseModel):
    """One typist's entry: the form's lines by key and the votes by party code (region and territory are the
    station's registered ones; given, they must match)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": {
        "lines": {"voters_on_list": 1303, "ballots_received": 1242, "ballots_issued_in_premises": 738,
                  "ballots_issued_outside": 56, "ballots_cancelled": 448, "ballots_in_boxes": 793,
                  "invalid": 29, "valid": 764},
        "votes": {"QHP": 86, "NO": 606, "AUYL": 15, "AJ": 46, "ADAL": 11}}})

    lines: Annotated[dict[str, Count], Field(max_length=200)]
    votes: Annotated[dict[str, Count], Field(max_length=200)]
    region: Annotated[str, Field(min_length=1, max_length=300)] | None = None
    territory: Annotated[str, Field(min_length=1, max_length=300)] | None = None


class ResolveIn(BaseModel):
    """Either ``choose`` (every differing field: ``first`` or ``second``) or ``discard`` (one entry)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": {"choose": {"lines.invalid": "second"}}})

    choose: Annotated[dict[str, Literal["first", "second"]], Field(max_length=400)] | None = None
    discard: Literal["first", "second"] | None = None
    reason: Annotated[str, Field(max_length=2000)] | None = None


class ModeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    mode: Literal["off", "optional", "required"]


@dataclass(frozen=True, slots=True)
class Answer:
    """An outcome to answer with: the HTTP status and the JSON body (the page renders the same body)."""

    status: int
    body: dict[str, Any]


# -- the setting ----------------------------------------------------------------------------------


def cached_mode(state: WebState, election_id: str) -> str | None:
    """The setting if this process read it in the last :data:`MODE_SECONDS` (no database, no thread)."""
    found = state.extra.get("double_entry", {}).get(election_id)
    return found[0] if found is not None and time.monotonic() - found[1] < MODE_SECONDS else None


def mode_of(state: WebState, election_id: str) -> str:
    """The election's double-entry setting (kept for :data:`MODE_SECONDS`: it is read on every submission)."""
    cache: dict[str, tuple[str, float]] = state.extra.setdefault("double_entry", {})
    found = cache.get(election_id)
    if found is not None and time.monotonic() - found[1] < MODE_SECONDS:
        return found[0]
    _require_election(state.store, election_id)
    mode = state.store.double_entry(election_id)
    cache[election_id] = (mode, time.monotonic())
    return mode


@router.put("/elections/{election_id}/double-entry",
            responses={401: {"description": "no credentials"}, 403: {"description": "not central"},
                       404: {"description": "no such election"}})
def set_mode(election_id: str, body: ModeIn, request: Request) -> dict[str, Any]:
    """Set the election's double entry: ``off``, ``optional`` or ``required`` (central commission only)."""
    state, identity = _writer(request)
    _require_election(state.store, election_id)
    user = check_central(identity.user, election_id)
    with state.write_lock:
        changed = state.store.set_double_entry(election_id, body.mode, user=user.name)
    state.extra.setdefault("double_entry", {})[election_id] = (body.mode, time.monotonic())
    return {"election_id": election_id, "double_entry": body.mode, "changed": changed}


# -- the form as data (the page's script checks the relations the server checks, from this) ----------------


def _formula(expr: Any, numbers: dict[str, int], parties_label: str) -> str:
    """An expression with the form's line numbers (``(6) = (7) + (8)``): the same in every language."""
    parts: list[str] = []
    for key, coefficient in expr.terms:
        term = parties_label if key == PARTIES else f"({numbers.get(key, key)})"
        term = term if abs(coefficient) == 1 else f"{abs(coefficient)}×{term}"
        parts.append(term if not parts and coefficient > 0 else f"{'−' if coefficient < 0 else '+'} {term}")
    return " ".join(parts) if parts else "0"


def form_data(ballot: _Ballot, lang: str) -> dict[str, Any]:
    """The form's lines and the parties in ballot order with their wording in ``lang``, and every control
    relation as coefficients: what the entry page shows and what its script evaluates as the clerk types."""
    from saylau.web.i18n import catalog

    t = catalog(lang)
    form = ballot.form
    numbers = {line.key: line.number for line in form.lines}
    first_party = form.first_party_line or len(form.lines) + 1
    parties = sorted(ballot.parties, key=lambda p: p.registration_order)
    relations = []
    for r in form.relations:
        text = f"{_formula(r.left, numbers, t['entry_parties_sum'])} {r.operator.replace('>=', '≥').replace('<=', '≤')} " \
               f"{_formula(r.right, numbers, t['entry_parties_sum'])}"
        label = r.labels.get(lang) or (r.labels.get("en") if lang == "en" else "") or ""
        relations.append({"name": r.name, "operator": r.operator, "severity": r.severity,
                          "left": [list(term) for term in r.left.terms], "right": [list(term) for term in r.right.terms],
                          "text": text, "label": label})
    return {"form": form.name, "title": form.title, "language": lang,
            "lines": [{"key": line.key, "number": line.number, "field": f"lines.{line.key}",
                       "label": line.label(lang)} for line in form.lines],
            "parties": [{"code": p.code, "number": first_party + i, "field": f"votes.{p.code}",
                         "label": p.names.get(lang) or p.name} for i, p in enumerate(parties)],
            "relations": relations, "parties_key": PARTIES}


@router.get("/elections/{election_id}/form", responses={404: {"description": "no such election"}})
def election_form(election_id: str, request: Request, lang: Literal["en", "kk", "ru"] = "en") -> dict[str, Any]:
    """The election's protocol form: lines and parties in ballot order, labelled in ``lang``, and its control
    relations as coefficients (``left`` and ``right``: ``[key, coefficient]``; ``parties`` is every party's
    votes summed), as the entry page's script evaluates them."""
    return form_data(_ballot(_state(request), election_id), lang)


# -- entering -------------------------------------------------------------------------------------


def _place(state: WebState, election_id: str, station: str) -> StationPlace:
    _require_election(state.store, election_id)
    # No station id has control characters (PostgreSQL refuses NUL in a parameter) or more than 300 characters.
    known = len(station) <= 300 and not any(ord(c) < 32 or ord(c) == 127 for c in station)
    place = state.store.station_place(election_id, station) if known else None
    if place is None:
        raise NotFound("no such station is registered for this election", field="station", value=station)
    return place


def _certified(state: WebState, election_id: str) -> bool:
    with state.store.engine.connect() as conn:
        return stored_status(conn, election_id) == CERTIFIED


def checked_protocol(ballot: _Ballot, place: StationPlace, lines: dict[str, int], votes: dict[str, int],
                     source: str) -> tuple[StationProtocol, list[dict[str, object]]]:
    """The protocol an entry makes, after the checks a submission gets: exactly the form's lines and the
    election's parties, and no failed error relation (ProtocolError listing every one). Its warnings too."""
    protocol = StationProtocol(place.station, place.region, place.territory, dict(lines), dict(votes), source=source)
    for what, given, expected in (("lines", lines, ballot.form.line_keys),
                                  ("votes", votes, [p.code for p in ballot.parties])):
        unknown = sorted(set(given) - set(expected))
        if unknown:
            raise ProtocolError(f"not a {what} key of this election", source=source, field=f"{what}.{unknown[0]}",
                                value=unknown[0])
        missing = [k for k in expected if k not in given]
        if missing:
            raise ProtocolError(f"missing {what} key", source=source, field=f"{what}.{missing[0]}")
    violations = check_protocols([protocol], ballot.form)
    errors = errors_only(violations)
    if errors:
        raise ProtocolError(f"{len(errors)} failed control relation(s): "
                            + "; ".join(v.describe() for v in errors), violations=errors, source=source,
                            field=errors[0].relation)
    return protocol, [v.to_dict() for v in violations]


def _store(state: WebState, election_id: str, protocol: StationProtocol, user: User, *,
           coordinator: bool) -> SubmitResult:
    """Store and count a settled protocol through the store's checked, audited submission path."""

    def authorise(s: Submission, ctx: SubmitContext) -> None:
        commission = ctx.registered_under or territory_id(ctx.nation, s.protocol.region, s.protocol.territory)
        if ctx.status == CERTIFIED and user.role != "central":
            raise AccessDenied(f"election {election_id!r} is certified: only the central commission may change it")
        if coordinator:
            check_entry_coordinator(user, election_id=election_id, commission=commission)
        else:
            check_entry_write(user, election_id=election_id, station=s.protocol.station, commission=commission,
                              certified=ctx.status == CERTIFIED)

    def extra(p: StationProtocol, totals: Any) -> list[tuple[str, str]]:
        return policy_warnings(p.station, totals["registered"], totals["ballots_cast"], totals["invalid"])

    (outcome,) = state.store.submit_protocols(
        election_id, [Submission(replace(protocol, source=f"web:{user.name}"), user.name, False, None)],
        authorise=authorise, extra_warnings=extra)
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


def _stored_body(result: SubmitResult, state: EntryState | None = None) -> dict[str, Any]:
    return {"status": "accepted", "station": result.station, "version": result.version,
            "stored": result.status, "warnings": [w.to_dict() for w in result.stored_warnings],
            "audit_seq": result.audit_seq, **({"entries": state.to_dict()} if state else {})}


def _current(state: WebState, election_id: str, station: str) -> Entry | None:
    current = [v for v in state.store.protocol_history(election_id, station) if v.current]
    return Entry(dict(current[0].protocol.lines), dict(current[0].protocol.votes)) if current else None


def enter(state: WebState, user: User | None, election_id: str, station: str, lines: dict[str, int],
          votes: dict[str, int], *, region: str | None = None, territory: str | None = None,
          direct: bool = False) -> Answer:
    """Record ``user``'s entry of ``station``'s protocol and answer as the API does (see the module's doc).

    ``direct``: a direct submission taken as an entry (double entry ``required``).
    """
    mode = mode_of(state, election_id)
    if mode == "off":
        raise ConflictError(f"double entry is off for election {election_id!r}: submit the protocol directly "
                            "(POST /api/elections/{id}/protocols)")
    place = _place(state, election_id, station)
    if (region is not None and region != place.region) or (territory is not None and territory != place.territory):
        raise InputError(f"station {station!r} is registered under {place.commission!r}", field="territory",
                         value=f"{region}/{territory}")
    user = check_entry_write(user, election_id=election_id, station=station, commission=place.commission,
                             certified=_certified(state, election_id))
    ballot = _ballot(state, election_id)
    protocol, warnings = checked_protocol(ballot, place, lines, votes, f"web:{user.name}")
    entry = Entry(dict(protocol.lines), dict(protocol.votes))
    with state.write_lock:
        outcome = state.store.record_entry(election_id, station, user.name, entry)
        if outcome.audit_seq is not None:
            state.hub.wrote(outcome.audit_seq)
        now = outcome.state
        if now.state == "accepted":
            accepted = _current(state, election_id, station)
            if accepted is not None and not differences(accepted, entry):
                return Answer(200, {"status": "unchanged", "station": station, "entries": now.to_dict()})
            raise ConflictError(f"station {station!r} already has an accepted protocol that differs from this "
                                "entry: its territorial commission corrects it (PUT .../protocols/{station})")
        if now.state == "matched":
            result = _store(state, election_id, protocol, user, coordinator=False)
            seq = state.store.close_entries(election_id, station, user=user.name, reason="two entries agree")
            state.hub.wrote(seq or result.audit_seq)
            return Answer(201, _stored_body(result, state.store.entry_state(election_id, station)))
    body = {"station": station, "entries": now.to_dict(), "warnings": warnings, "double_entry": mode,
            "direct": direct}
    if now.state == "conflict":
        diffs = body["entries"]["differences"]
        fields = ", ".join(d["field"] for d in diffs)
        return Answer(409, {"error": f"the two entries of station {station} differ in {fields}: nothing is "
                                     "counted until a coordinator settles them", "status": "conflict",
                            "differences": diffs, **body})
    return Answer(202, {"status": "awaiting", **body})


def entries_of(state: WebState, user: User | None, election_id: str, station: str) -> dict[str, Any]:
    """A station's state and both entries, for its coordinator."""
    place = _place(state, election_id, station)
    check_entry_coordinator(user, election_id=election_id, commission=place.commission)
    return {"election_id": election_id, "double_entry": mode_of(state, election_id),
            **state.store.entry_state(election_id, station).to_dict()}


def resolve(state: WebState, user: User | None, election_id: str, station: str, *,
            choose: dict[str, str] | None, discard: str | None, reason: str | None) -> Answer:
    """Settle two entries: per differing field keep the first or the second value, or discard one entry."""
    if (choose is None) == (discard is None):
        raise InputError("give either choose (a side per differing field) or discard (first or second)",
                         field="choose")
    place = _place(state, election_id, station)
    user = check_entry_coordinator(user, election_id=election_id, commission=place.commission)
    if _certified(state, election_id) and user.role != "central":
        raise AccessDenied(f"election {election_id!r} is certified: only the central commission may change it")
    with state.write_lock:
        now = state.store.entry_state(election_id, station)
        if now.state == "accepted":
            raise ConflictError(f"station {station!r} already has an accepted protocol: nothing to settle")
        if discard is not None:
            seq = state.store.discard_entry(election_id, station, discard, user=user.name, reason=reason)
            state.hub.wrote(seq)
            return Answer(200, {"status": "discarded", "discarded": discard, "station": station, "audit_seq": seq,
                                "entries": state.store.entry_state(election_id, station).to_dict()})
        if now.first is None or now.second is None:
            raise ConflictError(f"station {station!r} has {'one entry' if now.first else 'no entry'}: "
                                "nothing to settle")
        settled = settle(now.first.entry, now.second.entry, choose or {})
        protocol, _ = checked_protocol(_ballot(state, election_id), place, dict(settled.lines), dict(settled.votes),
                                       f"web:{user.name}")
        result = _store(state, election_id, protocol, user, coordinator=True)
        chosen = ", ".join(f"{field}={side}" for field, side in sorted((choose or {}).items()))
        seq = state.store.close_entries(election_id, station, user=user.name,
                                        reason=f"settled: {chosen}" + (f"; {reason}" if reason else ""))
        state.hub.wrote(seq or result.audit_seq)
        return Answer(201, {**_stored_body(result, state.store.entry_state(election_id, station)),
                            "chosen": dict(choose or {})})


# -- routes ---------------------------------------------------------------------------------------

_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "no credentials"}, 403: {"description": "outside the user's role or scope"},
    404: {"description": "no such election or registered station"}}


@router.post("/elections/{election_id}/entries/{station:path}/resolve", status_code=201,
             responses={**_RESPONSES, 200: {"description": "an entry was discarded: a fresh one is awaited"},
                        409: {"description": "nothing to settle"},
                        422: {"description": "a choice missing or for an agreed field, or the settled protocol "
                                             "fails a control relation"}})
def resolve_entries(election_id: str, station: str, body: ResolveIn, request: Request) -> JSONResponse:
    """Settle a station's two differing entries (its territorial commission, or central)."""
    state, identity = _writer(request)
    answer = resolve(state, identity.user, election_id, station, choose=body.choose, discard=body.discard,
                     reason=body.reason)
    return JSONResponse(answer.body, status_code=answer.status)


@router.get("/elections/{election_id}/entries/{station:path}", responses=_RESPONSES)
def get_entries(election_id: str, station: str, request: Request) -> dict[str, Any]:
    """A station's double-entry state and both live entries (its territorial commission, or central)."""
    state = _state(request)
    return entries_of(state, identify(request, state.users).user, election_id, station)


@router.post("/elections/{election_id}/entries/{station:path}", status_code=202,
             responses={**_RESPONSES, 200: {"description": "the same as the accepted protocol: nothing changed"},
                        201: {"description": "the second entry matches: the protocol is stored and counted"},
                        409: {"description": "the entries differ (``differences``), or a settlement is pending"},
                        422: {"description": "a failed control relation (every violation listed) or bad input"}})
async def post_entry(election_id: str, station: str, body: EntryIn, request: Request) -> JSONResponse:
    """Enter a station's protocol for double entry (a station, typist or territorial user of its scope)."""
    state, identity = await run_in_threadpool(_writer, request)
    answer = await run_in_threadpool(enter, state, identity.user, election_id, station, dict(body.lines),
                                     dict(body.votes), region=body.region, territory=body.territory)
    return JSONResponse(answer.body, status_code=answer.status)

