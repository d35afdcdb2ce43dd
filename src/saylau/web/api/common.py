"""What the API's routes share: the app's state, who is writing, the election's ballot, the request's body."""

from __future__ import annotations

import dataclasses
from typing import TypeVar

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

from saylau.errors import InputError
from saylau.protocols import Form, load_form
from saylau.store import Store
from saylau.tabulate.model import PartyInfo
from saylau.web.access import NotAuthenticated
from saylau.web.app import NotFound, WebState
from saylau.web.auth import Identity, check_csrf, identify

__all__ = ["Ballot", "ballot", "bearer", "json_body", "require_election", "web_state", "writer"]

_Body = TypeVar("_Body", bound=BaseModel)


def web_state(request: Request) -> WebState:
    return request.app.state.web  # type: ignore[no-any-return]


def writer(request: Request) -> tuple[WebState, Identity]:
    """The state and the identity of a request that changes something (its CSRF token checked if by cookie)."""
    state = web_state(request)
    identity = identify(request, state.users)
    check_csrf(request, identity)
    return state, identity


def require_election(store: Store, election_id: str) -> None:
    if not store.has_election(election_id):
        raise NotFound("no such election", field="election", value=election_id)


@dataclasses.dataclass(frozen=True, slots=True)
class Ballot:
    """What a submission is checked against; fixed once the election takes protocols, so kept per process."""

    form: Form
    parties: tuple[PartyInfo, ...]
    nation: str


def ballot(state: WebState, election_id: str) -> Ballot:
    cache = state.extra.setdefault("ballots", {})
    if election_id not in cache:
        store = state.store
        require_election(store, election_id)
        form_name = store.election_form(election_id)
        if not form_name:  # not cached: the election may still get a form (saylau ingest)
            raise InputError(f"election {election_id!r} was loaded from result tables and takes no protocols",
                             field="election", value=election_id)
        cache[election_id] = Ballot(load_form(form_name), store.parties(election_id),
                                    store.nation_unit(election_id))
    return cache[election_id]  # type: ignore[no-any-return]


def bearer(request: Request) -> str | None:
    """The request's API token (None without an Authorization header); a malformed header is refused (401)."""
    header = request.headers.get("authorization", "")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("the Authorization header must be 'Bearer <token>'")
    return token.strip()


async def json_body(request: Request, model: type[_Body]) -> _Body:
    """The request's JSON body as ``model``, parsed and validated in one pass (the route election night calls
    most); a bad body is refused with 422 exactly as FastAPI refuses one (``detail``, locations under ``body``)."""
    raw = await request.body()
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
        raise RequestValidationError(errors, body=raw) from None
