"""Migrations of the web tables: their own alembic chain, run after the store's when the app opens a store.

Kept apart from the store's chain (``saylau.store.migrations``) so that the
store's schema stays exactly what the store declares; the two chains share the
database and the way they migrate, not a version table.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from saylau.store.migrate import MigrationChain

__all__ = ["MIGRATIONS", "VERSION_TABLE", "WEB_CHAIN", "current_revision", "head_revision", "upgrade"]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "saylau_web_version"
WEB_CHAIN = MigrationChain(MIGRATIONS, VERSION_TABLE)


def head_revision() -> str | None:
    """The newest web migration saylau ships."""
    return WEB_CHAIN.head_revision()


def current_revision(engine: Engine) -> str | None:
    """The web migration the database is at (None before the first)."""
    with engine.connect() as conn:
        return WEB_CHAIN.current_revision(conn)


def upgrade(engine: Engine) -> bool:
    """Bring the web tables to the newest revision; True if anything was migrated."""
    return WEB_CHAIN.upgrade(engine)
