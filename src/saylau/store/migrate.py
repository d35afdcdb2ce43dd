"""Schema migrations (alembic), shipped inside the package and run when a store is opened."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

from saylau.store.engine import is_sqlite

__all__ = ["MIGRATIONS", "current_revision", "head_revision", "upgrade"]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Any constant: concurrent first opens of one PostgreSQL database take turns migrating.
_PG_MIGRATION_LOCK = 0x5A1_1A0


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str | None:
    """The newest migration saylau ships."""
    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(conn: Connection) -> str | None:
    """The migration the database is at (None for an empty database)."""
    return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> bool:
    """Bring the database to the newest schema; True if anything was migrated.

    Runs inside one write transaction (DDL is transactional on SQLite and
    PostgreSQL), so a crash leaves the old schema and concurrent openers
    migrate once.
    """
    head = head_revision()
    with engine.connect() as conn:
        if current_revision(conn) == head:
            return False
    with _migration_transaction(engine) as conn:
        if current_revision(conn) == head:
            return False
        config = _config()
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    return True


@contextmanager
def _migration_transaction(engine: Engine) -> Iterator[Connection]:
    if is_sqlite(engine):
        # BEGIN IMMEDIATE: the first opener migrates, the others wait for it.
        with engine.connect().execution_options(saylau_write=True) as conn, conn.begin():
            yield conn
    else:
        with engine.connect() as conn, conn.begin():
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
            yield conn
