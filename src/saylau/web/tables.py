"""The web app's own tables: users, API tokens, sessions and login attempts (SQLAlchemy Core).

They live in the store's database beside the store's tables but in their own
:class:`MetaData` and their own migration chain (``saylau.web.migrations``,
version table ``saylau_web_version``), so the store's schema and its
migrations stay exactly as the store declares them. Secrets are never stored:
passwords as argon2 hashes, tokens and session ids as SHA-256 digests.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

__all__ = ["ROLES", "api_tokens", "login_attempts", "metadata", "sessions", "users"]

#: Roles, from the narrowest scope to the widest (a typist's scope is a territory, as a territorial user's).
ROLES = ("public", "station", "typist", "territorial", "central")

metadata = MetaData()

users = Table(
    "web_users", metadata,
    Column("name", String(200), primary_key=True),
    Column("role", String(20), nullable=False),
    Column("election_id", String(100)),
    Column("scope", Text),
    Column("password_hash", Text),
    Column("disabled", Boolean, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("created_by", String(200), nullable=False),
)

api_tokens = Table(
    "web_api_tokens", metadata,
    Column("id", Integer, primary_key=True),
    Column("user_name", String(200), ForeignKey("web_users.name"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("label", Text),
    Column("created_at", String(32), nullable=False),
    Column("revoked", Boolean, nullable=False),
)

sessions = Table(
    "web_sessions", metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("user_name", String(200), ForeignKey("web_users.name"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False),
)

login_attempts = Table(
    "web_login_attempts", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", Float, nullable=False),
    Column("ip", String(64), nullable=False),
    Column("user_name", String(200), nullable=False),
    Column("ok", Boolean, nullable=False),
)
Index("ix_web_login_attempts_ip", login_attempts.c.ip, login_attempts.c.at)
Index("ix_web_login_attempts_user", login_attempts.c.user_name, login_attempts.c.at)
