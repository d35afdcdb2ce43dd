"""Who is asking: an API token (``Authorization: Bearer``) or a session cookie with its CSRF token.

Requests signed in by cookie that change something must also carry the
session's CSRF token (synchronizer token: the ``X-CSRF-Token`` header or a
``csrf`` form field); token-authenticated API calls need none, since a
browser never adds a bearer token by itself. Failed sign-ins are limited per
user and address, with a per-address budget (HTTP 429 with ``Retry-After``; see :func:`begin_login`).
"""

from __future__ import annotations

import hmac
import math
from dataclasses import dataclass

from starlette.requests import Request

from saylau.errors import AccessDenied, InputError, SaylauError
from saylau.store.users import User, UserStore
from saylau.web.access import NotAuthenticated

__all__ = ["SESSION_COOKIE", "Identity", "RateLimited", "begin_login", "check_csrf", "end_login", "identify"]

SESSION_COOKIE = "saylau_session"
LOGIN_CSRF_COOKIE = "saylau_login_csrf"
#: How far back failed sign-ins count.
WINDOW_SECONDS = 900.0
#: Failed sign-ins an address may make in the window, whatever the user names.
MAX_FAILURES_PER_IP = 30
#: Failed sign-ins of one user from one address before each further try has to wait.
FREE_FAILURES = 3
#: The wait after the first failure past the free ones (seconds); each further failure doubles it.
BACKOFF_SECONDS = 2.0
#: The longest wait between two tries of one user from one address (seconds).
MAX_DELAY = 300.0
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


def begin_login(users: UserStore, ip: str, name: str) -> int:
    """Reserve a sign-in attempt for ``name`` from ``ip``, or refuse it (429); the attempt's id for
    :func:`end_login`. The check and the reservation are one write transaction, and the attempt counts as
    failed until it succeeds, so concurrent guesses cannot all pass the check before any is recorded.

    Per (user, address): :data:`FREE_FAILURES` failures cost nothing, each further one doubles the wait
    before the next try (2 s, 4 s, 8 s ... at most :data:`MAX_DELAY`); a success clears it. Per address:
    at most :data:`MAX_FAILURES_PER_IP` failures in :data:`WINDOW_SECONDS`, whatever the names. A guesser
    is slowed at once, while the user signing in from elsewhere is never held up by them.
    """
    def decide(pair: int, last_pair: float | None, per_ip: int, oldest_ip: float | None, now: float) -> str | None:
        if per_ip >= MAX_FAILURES_PER_IP and oldest_ip is not None:
            retry = max(1, math.ceil(oldest_ip + WINDOW_SECONDS - now))
            raise RateLimited(f"too many failed sign-ins from address {ip}: {per_ip} in the last "
                              f"{int(WINDOW_SECONDS // 60)} minutes; try again in {retry} s", retry)
        if pair >= FREE_FAILURES and last_pair is not None:
            wait = min(BACKOFF_SECONDS * 2.0 ** (pair - FREE_FAILURES), MAX_DELAY)
            if now < last_pair + wait:
                retry = max(1, math.ceil(last_pair + wait - now))
                raise RateLimited(f"too many failed sign-ins for user {name!r} from address {ip}: "
                                  f"{pair} in a row; try again in {retry} s", retry)
        return None

    if "\x00" in name or len(name) > 200:  # no such user can exist; PostgreSQL refuses NUL in text
        raise InputError("a user name has at most 200 characters and no NUL", field="name", value=name[:80])
    return users.reserve_attempt(ip, name, window=WINDOW_SECONDS, decide=decide)


def end_login(users: UserStore, attempt: int, ok: bool) -> None:
    """Record how a reserved attempt ended (a success clears the pair's failures)."""
    if ok:
        users.attempt_succeeded(attempt)
