"""Account routes: who am I, users (central commission), API tokens (issued, exchanged for a password)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from saylau.web.access import NotAuthenticated, check_central
from saylau.web.api.common import web_state, writer
from saylau.web.api.models import CredentialsIn, UserIn
from saylau.web.app import NotFound
from saylau.web.auth import begin_login, client_address, end_login, identify
from saylau.web.roles import ROLES

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["api"])


@router.get("/me")
def me(request: Request) -> dict[str, Any]:
    """Who the request is signed in as (``user`` null when anonymous)."""
    identity = identify(request, web_state(request).users)
    return {"user": identity.user.to_dict() if identity.user else None, "via": identity.via}


@router.get("/users", responses={401: {"description": "no credentials"}, 403: {"description": "not central"}})
def list_users(request: Request) -> dict[str, Any]:
    """Every user (central commission only)."""
    state = web_state(request)
    check_central(identify(request, state.users).user)
    return {"users": [u.to_dict() for u in state.users.list_users()], "roles": list(ROLES)}


@router.post("/users", status_code=201,
             responses={401: {"description": "no credentials"}, 403: {"description": "not central"}})
def add_user(body: UserIn, request: Request) -> dict[str, Any]:
    """Create a user (central commission only)."""
    state, identity = writer(request)
    admin = check_central(identity.user)
    user = state.users.add_user(body.name, body.role, password=body.password, scope=body.scope,
                                election_id=body.election_id, created_by=admin.name)
    return user.to_dict()


@router.post("/users/{name}/tokens", status_code=201,
             responses={401: {"description": "no credentials"}, 403: {"description": "not central"},
                        404: {"description": "no such user"}})
def issue_token(name: str, request: Request) -> dict[str, Any]:
    """Issue an API token for a user (central commission only); shown once, stored as a hash."""
    state, identity = writer(request)
    admin = check_central(identity.user)
    if state.users.get(name) is None:
        raise NotFound("no such user", field="name", value=name)
    return {"name": name, "token": state.users.create_token(name, label=f"issued by {admin.name}")}


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
    token = await run_in_threadpool(state.users.create_token, user.name, label=body.label)
    return {"name": user.name, "role": user.role, "token": token}
