"""Who is asking: an API token (``Authorization: Bearer``) or a session cookie with its CSRF token.

Requests signed in by cookie that change something must also carry the
session's CSRF token (synchronizer token: the ``X-CSRF-Token`` header or a
``csrf`` form field); token-authenticated API calls need none, since a
browser never adds a bearer token by itself. Failed sign-ins are limited per
client address and per user name (HTTP 429 with ``Retry-After``).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from starlette.requests import Request

from saylau.errors import AccessDenied, SaylauError
from saylau.web.access import NotAuthenticated
from saylau.web.users import User, UserStore

__all__ = ["SESSION_COOKIE", "Identity", "RateLimited", "check_csrf", "check_login_rate", "identify"]

SESSION_COOKIE = "saylau_session"
LOGIN_CSRF_COOKIE = "saylau_login_csrf"
#: Failed sign-ins allowed per window, per client address and per user name.
WINDOW_SECONDS = 600.0
MAX_FAILURES_PER_IP = 20
MAX_FAILURES_PER_USER = 5
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class RateLimited(SaylauError):
    """Too many failed sign-ins: HTTP 429."""

    def __init__(self, message: str, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class Identity:
    """The user behind a request (None: anonymous), how they proved it, and their session's CSRF token."""

    user: User | None
    via: str  # "token", "session" or "anonymous"
    csrf: str | None = None


def identify(request: Request, users: UserStore) -> Identity:
    """The request's identity; a bearer token that is not valid is refused (401), never ignored."""
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthenticated("the Authorization header must be 'Bearer <token>'")
        user = users.user_for_token(token.strip())
        if user is None:
            raise NotAuthenticated("the API token is not valid (unknown or revoked)")
        return Identity(user, "token")
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        found = users.session(session_id)
        if found is not None:
            return Identity(found[0], "session", found[1])
    return Identity(None, "anonymous")


def check_csrf(request: Request, identity: Identity, form_token: str | None = None) -> None:
    """Refuse a cookie-signed change without the session's CSRF token (403)."""
    if identity.via != "session" or request.method in SAFE_METHODS:
        return
    given = form_token or request.headers.get("x-csrf-token") or ""
    if not identity.csrf or not hmac.compare_digest(given.encode(), identity.csrf.encode()):
        raise AccessDenied("missing or wrong CSRF token (send the page's token as X-CSRF-Token or the csrf field)")


def client_address(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"


def check_login_rate(users: UserStore, ip: str, name: str) -> None:
    """Refuse a sign-in attempt from an address or for a user with too many recent failures (429)."""
    import time

    for count, oldest, limit, what in (
            (*users.recent_failures(ip=ip, seconds=WINDOW_SECONDS), MAX_FAILURES_PER_IP, f"address {ip}"),
            (*users.recent_failures(name=name, seconds=WINDOW_SECONDS), MAX_FAILURES_PER_USER, f"user {name!r}")):
        if count >= limit:
            retry = max(1, int(oldest + WINDOW_SECONDS - time.time()) + 1)
            raise RateLimited(f"too many failed sign-ins for {what}: {count} in the last "
                              f"{int(WINDOW_SECONDS // 60)} minutes; try again in {retry} s", retry)
