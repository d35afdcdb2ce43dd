"""Migrations of the web tables: their own alembic chain, run after the store's when the app opens a store.

Kept apart from the store's chain (``saylau.store.migrations``) so that the
store's schema stays exactly what the store declares; the two chains share the
database and the write lock, not a version table.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from saylau.store.engine import write_transaction

__all__ = ["MIGRATIONS", "VERSION_TABLE", "current_revision", "head_revision", "upgrade"]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "saylau_web_version"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str | None:
    """The newest web migration saylau ships."""
    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The web migration the database is at (None before the first)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE}).get_current_revision()


def upgrade(engine: Engine) -> bool:
    """Bring the web tables to the newest revision; True if anything was migrated.

    Runs under the store's write lock (one transaction), so concurrent first
    starts migrate once and a crash leaves the old schema.
    """
    head = head_revision()
    if current_revision(engine) == head:
        return False
    with write_transaction(engine) as conn:
        if MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE}).get_current_revision() == head:
            return False
        config = _config()
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    return True
