"""Account routes: who am I, users (central commission), API tokens (issued, exchanged for a password, listed,
revoked). A token is valid for ``UserStore.token_days`` (30 by default) after it is issued."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from starlette.concurrency import run_in_threadpool

from saylau.web.access import (
    NotAuthenticated,
    check_central,
    check_grant,
    check_manages,
    check_scope,
)
from saylau.web.api.common import web_state, writer
from saylau.web.api.models import CredentialsIn, UserIn
from saylau.web.app import NotFound
from saylau.web.auth import begin_login, client_address, end_login, identify
from saylau.web.roles import ROLES, SCOPE_LEVEL

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["api"])


@router.get("/me")
def me(request: Request) -> dict[str, Any]:
    """Who the request is signed in as (``user`` null when anonymous)."""
    identity = identify(request, web_state(request).users)
    return {"user": identity.user.to_dict() if identity.user else None, "via": identity.via}


@router.get("/users", responses={401: {"description": "no credentials"}, 403: {"description": "not central"}})
def list_users(request: Request) -> dict[str, Any]:
    """Every user the central commission manages (a central user of one election: that election's users)."""
    state = web_state(request)
    admin = check_central(identify(request, state.users).user)
    listed = [u for u in state.users.list_users() if admin.election_id is None or u.election_id == admin.election_id]
    return {"users": [u.to_dict() for u in listed], "roles": list(ROLES)}


@router.post("/users", status_code=201,
             responses={401: {"description": "no credentials"},
                        403: {"description": "not central, or beyond the granter's own rights"},
                        422: {"description": "bad name, role or password; a scope that is not a unit of its level"}})
def add_user(body: UserIn, request: Request) -> dict[str, Any]:
    """Create a user (central commission only; a central user of one election creates users of that election
    only). A station or territorial user's scope must be a station or territory of the election."""
    state, identity = writer(request)
    election_id = check_grant(identity.user, role=body.role, election_id=body.election_id)
    assert identity.user is not None
    if body.scope is not None and body.role in SCOPE_LEVEL:
        check_scope(body.role, body.scope, state.store.unit_levels(body.scope, election_id))
    user = state.users.add_user(body.name, body.role, password=body.password, scope=body.scope,
                                election_id=election_id, created_by=identity.user.name)
    return user.to_dict()


@router.post("/users/{name}/tokens", status_code=201,
             responses={401: {"description": "no credentials"}, 403: {"description": "not central"},
                        404: {"description": "no such user"}})
def issue_token(name: str, request: Request) -> dict[str, Any]:
    """Issue an API token for a user (central commission only, for users it manages); shown once, stored as a
    hash."""
    state, identity = writer(request)
    admin = check_central(identity.user)
    target = state.users.get(name)
    if target is None:
        raise NotFound("no such user", field="name", value=name)
    check_manages(admin, target)
    return {"name": name, "token": state.users.create_token(name, label=f"issued by {admin.name}", by=admin.name)}


@router.get("/tokens", responses={401: {"description": "no credentials"}})
def list_tokens(request: Request) -> dict[str, Any]:
    """The API tokens one may revoke: one's own, and a central user's those of the users it manages (never the
    tokens themselves, which are stored only as digests): id, user, label, issued, expires, state."""
    state = web_state(request)
    me_ = identify(request, state.users).user
    if me_ is None:
        raise NotAuthenticated("sign in, or send an API token (Authorization: Bearer ...)")
    if me_.role != "central":
        return {"tokens": state.users.tokens(me_.name), "valid_days": state.users.token_days}
    managed = None if me_.election_id is None else {
        u.name for u in state.users.list_users() if u.election_id == me_.election_id}
    return {"tokens": [t for t in state.users.tokens() if managed is None or t["user"] in managed],
            "valid_days": state.users.token_days}


@router.delete("/tokens/{token_id}", responses={401: {"description": "no credentials"},
                                                403: {"description": "neither one's own nor a managed user's"},
                                                404: {"description": "no such token"}})
def revoke_token(token_id: Annotated[int, Path(ge=1, le=2**31 - 1)], request: Request) -> dict[str, Any]:
    """Revoke an API token at once (one's own, or as central a managed user's); an audit entry records it."""
    state, identity = writer(request)
    if identity.user is None:
        raise NotAuthenticated("sign in, or send an API token (Authorization: Bearer ...)")
    owner = state.users.token_owner(token_id)
    target = state.users.get(owner) if owner is not None else None
    if owner is None:
        raise NotFound("no such token", field="token", value=token_id)
    if target is None:  # its user is disabled: only the central commission touches it
        check_central(identity.user)
    else:
        check_manages(identity.user, target)
    changed = state.users.revoke_token(token_id, by=identity.user.name)
    return {"id": token_id, "revoked": True, "changed": changed}


@router.post("/tokens", status_code=201, responses={401: {"description": "wrong name or password"},
                                                   429: {"description": "too many failed sign-ins"}})
async def create_token(body: CredentialsIn, request: Request) -> dict[str, Any]:
    """Exchange a user name and password for a new API token (limited per address and per user)."""
    state = web_state(request)
    ip = client_address(request)
    attempt = await run_in_threadpool(begin_login, state.users, ip, body.name)
    user = await run_in_threadpool(state.users.check_password, body.name, body.password)
    await run_in_threadpool(end_login, state.users, attempt, user is not None)
    if user is None:
        raise NotAuthenticated("wrong user name or password")
    token = await run_in_threadpool(lambda: state.users.create_token(user.name, label=body.label, by=user.name))
    return {"name": user.name, "role": user.role, "token": token}
