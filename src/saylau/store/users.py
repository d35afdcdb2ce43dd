"""Users of the web app, their roles and scopes, passwords (argon2), API tokens and sessions.

Roles (:data:`~saylau.store.schema.ROLES`, ranked in :mod:`saylau.web.roles`):

* ``station``: a polling-station commission; submits its own station's protocol (scope: the station id);
* ``territorial``: a territorial commission; submits, corrects and handles warnings within its
  territory (scope: the territory's unit id, e.g. ``KZ/Akmola Region/... 01``);
* ``typist``: types protocols of the stations of one territory for double entry, and nothing else
  (scope: the territory's unit id, as a territorial user's);
* ``central``: the central commission; everything, including certifying an election and managing users;
* ``public``: reads only (as anyone without an account does).

Passwords are hashed with argon2id (``argon2-cffi``); API tokens and session ids
are random and stored only as SHA-256 digests (they carry 256 bits, so a fast
hash is enough), so a copy of the database reveals no credential.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, and_, delete, func, select, update

from saylau.errors import InputError
from saylau.store import chain
from saylau.store.audit import append_entry, payload_hash
from saylau.store.engine import write_transaction
from saylau.store.schema import ROLES, api_tokens, login_attempts, sessions, users

__all__ = ["SESSION_SECONDS", "TOKEN_PREFIX", "User", "UserStore", "digest"]

TOKEN_PREFIX = "sly_"
#: How long an API token is valid after it is issued (days); the server may set another (``saylau serve``).
TOKEN_DAYS = 30
SESSION_SECONDS = 12 * 3600


def digest(secret: str) -> str:
    """The SHA-256 hex digest under which a token or session id is stored."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class User:
    """An authenticated user: name, role, and what the role's scope is (a station or territory id)."""

    name: str
    role: str
    election_id: str | None = None
    scope: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {"name": self.name, "role": self.role, "election_id": self.election_id, "scope": self.scope}


class UserStore:
    """Users, tokens, sessions and login attempts in the store's database (the web tables)."""

    def __init__(self, engine: Engine, *, token_days: float = TOKEN_DAYS) -> None:
        self.engine = engine
        self.token_days = token_days
        """How long a token is valid after it is issued (days)."""
        self._hasher = None

    @property
    def hasher(self):  # type: ignore[no-untyped-def]
        """The argon2id hasher (argon2-cffi's recommended parameters)."""
        if self._hasher is None:
            from argon2 import PasswordHasher

            self._hasher = PasswordHasher()
        return self._hasher

    # -- users -------------------------------------------------------------------------------------

    def add_user(self, name: str, role: str, *, password: str | None = None, scope: str | None = None,
                 election_id: str | None = None, created_by: str = "cli") -> User:
        """Create a user; InputError for a bad name, role, scope or password, or a name already taken."""
        name = (name or "").strip()
        if not name or len(name) > 200:
            raise InputError("a user name must be 1 to 200 characters", field="name", value=name)
        if role not in ROLES:
            raise InputError(f"unknown role; one of {', '.join(ROLES)}", field="role", value=role)
        if role in ("station", "territorial", "typist") and not scope:
            raise InputError(f"a {role} user needs a scope (the {role}'s id)", field="scope", value=scope)
        if role in ("central", "public") and scope:
            raise InputError(f"a {role} user has no scope", field="scope", value=scope)
        if password is not None and len(password) < 8:
            raise InputError("a password needs at least 8 characters", field="password")
        hashed = self.hasher.hash(password) if password is not None else None
        with write_transaction(self.engine) as conn:
            if conn.execute(select(users.c.name).where(users.c.name == name)).first() is not None:
                raise InputError("a user with this name exists", field="name", value=name)
            entry = append_entry(conn, actor=created_by, action="add-user", election_id=election_id,
                                 subject=f"user {name}: {role}" + (f" of {scope}" if scope else ""),
                                 payload_hash=payload_hash([name, role, election_id, scope, hashed is not None]))
            conn.execute(users.insert().values(name=name, role=role, election_id=election_id, scope=scope,
                                               password_hash=hashed, disabled=False, created_at=entry.at,
                                               created_by=created_by))
            chain.track(conn, users, [(name,)])
        return User(name, role, election_id, scope)

    def get(self, name: str) -> User | None:
        """The enabled user ``name``, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(users).where(and_(users.c.name == name, ~users.c.disabled))).first()
        return None if row is None else User(row.name, row.role, row.election_id, row.scope)

    def list_users(self) -> list[User]:
        """Every enabled user, by name."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(users).where(~users.c.disabled).order_by(users.c.name)).all()
        return [User(r.name, r.role, r.election_id, r.scope) for r in rows]

    def disable(self, name: str, *, by: str = "cli") -> None:
        """Disable a user: their tokens and sessions stop working at once."""
        with write_transaction(self.engine) as conn:
            if conn.execute(select(users.c.name).where(users.c.name == name)).first() is None:
                raise InputError("no such user", field="name", value=name)
            append_entry(conn, actor=by, action="disable-user", election_id=None, subject=f"user {name}")
            conn.execute(update(users).where(users.c.name == name).values(disabled=True))
            chain.track(conn, users, [(name,)])
            chain.track_where(conn, sessions, "user_name", [name])
            conn.execute(delete(sessions).where(sessions.c.user_name == name))

    def check_password(self, name: str, password: str) -> User | None:
        """The user if ``password`` is theirs, else None (the same work is done for unknown names)."""
        from argon2.exceptions import InvalidHashError, VerificationError

        with self.engine.connect() as conn:
            row = conn.execute(select(users).where(and_(users.c.name == name, ~users.c.disabled))).first()
        stored = row.password_hash if row is not None and row.password_hash else None
        try:
            # Unknown users are verified against a dummy hash: timing does not tell which names exist.
            ok = self.hasher.verify(stored or _dummy_hash(self.hasher), password)
        except (VerificationError, InvalidHashError):
            return None
        if row is None or stored is None or not ok:
            return None
        return User(row.name, row.role, row.election_id, row.scope)

    # -- API tokens --------------------------------------------------------------------------------

    def create_token(self, name: str, *, label: str | None = None, by: str | None = None) -> str:
        """A new API token for user ``name`` (issued by ``by``, default the user); only its digest is stored, so
        it is shown this once. An audit entry names the user and who issued it (the digest in its payload)."""
        user = self.get(name)
        if user is None:
            raise InputError("no such user", field="name", value=name)
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with write_transaction(self.engine) as conn:
            entry = append_entry(conn, actor=by or name, action="issue-token", election_id=user.election_id,
                                 subject=f"token of user {name}", reason=label,
                                 payload_hash=payload_hash([name, digest(token)]))
            conn.execute(api_tokens.insert().values(user_name=name, token_hash=digest(token), label=label,
                                                    created_at=entry.at, revoked=False))
            chain.track_where(conn, api_tokens, "token_hash", [digest(token)])
        return token

    def _issued_since(self) -> str:
        """The oldest issue time of a token still valid (ISO 8601 UTC, as stored: compared as text)."""
        return (dt.datetime.now(dt.UTC) - dt.timedelta(days=self.token_days)).isoformat(timespec="microseconds")

    def user_for_token(self, token: str) -> User | None:
        """The user an API token belongs to (None if unknown, revoked, expired or the user is disabled)."""
        query = (select(users).join_from(api_tokens, users, api_tokens.c.user_name == users.c.name)
                 .where(and_(api_tokens.c.token_hash == digest(token), ~api_tokens.c.revoked, ~users.c.disabled,
                             api_tokens.c.created_at >= self._issued_since())))
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else User(row.name, row.role, row.election_id, row.scope)

    def users_for_tokens(self, tokens: Collection[str]) -> dict[str, User]:
        """The user of each valid API token among ``tokens`` (one query: the group committer's)."""
        from saylau.store.bulk import query_rows

        by_digest = {digest(t): t for t in tokens}
        found: dict[str, User] = {}
        hashes = list(by_digest)
        since = self._issued_since()
        with self.engine.connect() as conn:
            # Straight through the driver: this runs once per group commit, many times a second.
            for i in range(0, len(hashes), 500):
                chunk = hashes[i:i + 500]
                rows = query_rows(conn, "SELECT t.token_hash, u.name, u.role, u.election_id, u.scope "
                                        "FROM web_api_tokens t JOIN web_users u ON u.name = t.user_name "
                                        f"WHERE t.token_hash IN ({', '.join(['?'] * len(chunk))}) "
                                        "AND NOT t.revoked AND NOT u.disabled AND t.created_at >= ?",
                                  [*chunk, since])
                found.update((by_digest[h], User(name, role, election, scope)) for h, name, role, election, scope in rows)
        return found

    def tokens(self, name: str | None = None) -> list[dict[str, Any]]:
        """The API tokens (of user ``name``, or all), newest first: id, user, label, issued, expires, state
        (``valid``, ``expired`` or ``revoked``). Never the token itself: only its digest is stored."""
        t = api_tokens.c
        query = select(t.id, t.user_name, t.label, t.created_at, t.revoked).order_by(t.id.desc())
        if name is not None:
            query = query.where(t.user_name == name)
        since = self._issued_since()
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        out = []
        for r in rows:
            expires = (dt.datetime.fromisoformat(r.created_at) + dt.timedelta(days=self.token_days))
            state = "revoked" if r.revoked else "expired" if r.created_at < since else "valid"
            out.append({"id": r.id, "user": r.user_name, "label": r.label, "issued_at": r.created_at,
                        "expires_at": expires.isoformat(timespec="seconds"), "state": state})
        return out

    def token_owner(self, token_id: int) -> str | None:
        """The user a token (by its id) was issued to, or None."""
        with self.engine.connect() as conn:
            return conn.execute(select(api_tokens.c.user_name).where(api_tokens.c.id == token_id)).scalar()

    def revoke_token(self, token_id: int, *, by: str) -> bool:
        """Revoke a token at once (an audit entry names it and who revoked it); False if it already was."""
        with write_transaction(self.engine) as conn:
            row = conn.execute(select(api_tokens.c.user_name, api_tokens.c.revoked)
                               .where(api_tokens.c.id == token_id)).first()
            if row is None:
                raise InputError("no such token", field="token", value=token_id)
            if row.revoked:
                return False
            append_entry(conn, actor=by, action="revoke-token", election_id=None,
                         subject=f"token {token_id} of user {row.user_name}")
            conn.execute(update(api_tokens).where(api_tokens.c.id == token_id).values(revoked=True))
            chain.track(conn, api_tokens, [token_id])
        return True

    # -- sessions ----------------------------------------------------------------------------------

    def create_session(self, user: User) -> tuple[str, str]:
        """A new session for ``user``: (session id for the cookie, CSRF token for its forms)."""
        session_id, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        at = time.time()
        with write_transaction(self.engine) as conn:
            append_entry(conn, actor=user.name, action="login", election_id=None, subject=f"session of {user.name}")
            expired = [r.id_hash for r in conn.execute(select(sessions.c.id_hash).where(sessions.c.expires_at < at))]
            chain.track(conn, sessions, [(h,) for h in [*expired, digest(session_id)]])
            conn.execute(delete(sessions).where(sessions.c.expires_at < at))
            conn.execute(sessions.insert().values(id_hash=digest(session_id), user_name=user.name, csrf=csrf,
                                                  created_at=at, expires_at=at + SESSION_SECONDS))
        return session_id, csrf

    def session(self, session_id: str) -> tuple[User, str] | None:
        """The user and CSRF token of a live session, or None."""
        query = (select(users, sessions.c.csrf).join_from(sessions, users, sessions.c.user_name == users.c.name)
                 .where(and_(sessions.c.id_hash == digest(session_id), sessions.c.expires_at > time.time(),
                             ~users.c.disabled)))
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        return User(row.name, row.role, row.election_id, row.scope), row.csrf

    def end_session(self, session_id: str) -> None:
        with write_transaction(self.engine) as conn:
            row = conn.execute(select(sessions.c.user_name).where(sessions.c.id_hash == digest(session_id))).first()
            if row is None:
                return
            append_entry(conn, actor=row.user_name, action="logout", election_id=None,
                         subject=f"session of {row.user_name}")
            chain.track(conn, sessions, [(digest(session_id),)])
            conn.execute(delete(sessions).where(sessions.c.id_hash == digest(session_id)))

    # -- login attempts ----------------------------------------------------------------------------

    def reserve_attempt(self, ip: str, name: str, *, window: float,
                        decide: Callable[[int, float | None, int, float | None, float], object]) -> int:
        """Record a sign-in attempt as failed (until :meth:`attempt_succeeded`) and return its id, in one write
        transaction with the counts ``decide`` sees: the pair's failures since its last success and the newest
        of them, the address's failures in ``window`` and the oldest of them, and now. ``decide`` raises to
        refuse (nothing is recorded then)."""
        la = login_attempts.c
        at = time.time()
        since = at - window
        with write_transaction(self.engine) as conn:
            last_ok = conn.execute(select(func.max(la.at)).where(and_(la.ip == ip, la.user_name == name, la.ok,
                                                                      la.at >= since))).scalar()
            pair, last_pair = conn.execute(select(func.count(), func.max(la.at)).where(and_(
                la.ip == ip, la.user_name == name, ~la.ok, la.at >= max(since, last_ok or since)))).one()
            per_ip, oldest_ip = conn.execute(select(func.count(), func.min(la.at)).where(and_(
                la.ip == ip, ~la.ok, la.at >= since))).one()
            decide(int(pair), last_pair, int(per_ip), oldest_ip, at)
            conn.execute(delete(login_attempts).where(la.at < at - 4 * window))  # keep the table small
            return int(conn.execute(login_attempts.insert().values(at=at, ip=ip, user_name=name, ok=False))
                       .inserted_primary_key[0])

    def attempt_succeeded(self, attempt: int) -> None:
        with write_transaction(self.engine) as conn:
            conn.execute(update(login_attempts).where(login_attempts.c.id == attempt).values(ok=True))

    def record_attempt(self, ip: str, name: str, ok: bool) -> None:
        with write_transaction(self.engine) as conn:
            conn.execute(login_attempts.insert().values(at=time.time(), ip=ip, user_name=name, ok=ok))


_DUMMY: dict[int, str] = {}


def _dummy_hash(hasher) -> str:  # type: ignore[no-untyped-def]
    key = id(hasher)
    if key not in _DUMMY:
        _DUMMY[key] = hasher.hash(secrets.token_urlsafe(16))
    return _DUMMY[key]
