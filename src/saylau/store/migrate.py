"""Schema migrations (alembic), shipped inside the package and run when a store is opened.

A :class:`MigrationChain` is one alembic chain: its scripts' folder and the table
recording its revision. The store has one; the web app has its own (its tables
are not the store's), and both migrate the same way.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, event, inspect, text
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from alembic.config import Config

from saylau.store.engine import is_sqlite

__all__ = ["MIGRATIONS", "STORE_CHAIN", "MigrationChain", "current_revision", "head_revision", "upgrade"]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Any constant: concurrent first opens of one PostgreSQL database take turns migrating.
_PG_MIGRATION_LOCK = 0x5A1_1A0


@dataclass(frozen=True)
class MigrationChain:
    """An alembic chain shipped in the package, run by saylau on a connection it passes in
    (its ``env.py`` reads ``config.attributes["connection"]``)."""

    folder: Path
    version_table: str = "alembic_version"
    create_tables: Callable[[Connection], None] | None = None
    """Creates the head schema in an empty database (None: replay the migrations)."""

    def config(self, conn: Connection | None = None) -> Config:
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(self.folder))
        if conn is not None:
            config.attributes["connection"] = conn
        return config

    def head_revision(self) -> str | None:
        """The newest migration of the chain (read from the scripts' ``revision`` and ``down_revision``: opening a
        store that is up to date imports no alembic; a test keeps this equal to alembic's own answer)."""
        return _head(self.folder)

    def current_revision(self, conn: Connection) -> str | None:
        """The migration the database is at (None before the first)."""
        try:
            with conn.begin_nested() if conn.in_transaction() else conn.begin():
                found = conn.execute(text(f"SELECT version_num FROM {self.version_table}")).scalars().all()
        except DBAPIError:  # no version table yet: an empty database
            return None
        if len(found) > 1:
            raise RuntimeError(f"{self.version_table} names several revisions: {', '.join(found)}")
        return found[0] if found else None

    def upgrade(self, engine: Engine, revision: str = "head") -> bool:
        """Bring the database to ``revision``; True if anything was migrated.

        Runs inside one transaction (DDL is transactional on SQLite and
        PostgreSQL) that concurrent migrators take in turn, so a crash leaves
        the old schema and concurrent first opens migrate once.
        """
        target = self.head_revision() if revision == "head" else revision
        with engine.connect() as conn:
            if self.current_revision(conn) == target:
                return False
        with _migration_transaction(engine) as conn:
            if self.current_revision(conn) == target:
                return False
            if revision == "head" and self.create_tables is not None and not inspect(conn).get_table_names():
                # An empty database gets the declared tables at once and is stamped at the head (alembic's own
                # recipe): what the migrations would build, as a test keeps them equal, without replaying them.
                self.create_tables(conn)
                conn.execute(text(f"CREATE TABLE {self.version_table} (version_num VARCHAR(32) NOT NULL, "
                                  f"CONSTRAINT {self.version_table}_pkc PRIMARY KEY (version_num))"))
                conn.execute(text(f"INSERT INTO {self.version_table} (version_num) VALUES (:v)"), {"v": target})
                return True
            # alembic only to replay migrations: an empty or a current store opens without it.
            from alembic import command

            command.upgrade(self.config(conn), revision)
        return True


@functools.cache
def _head(folder: Path) -> str | None:
    """The one revision of the scripts in ``folder/versions`` no other names as its ``down_revision``."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in sorted((folder / "versions").glob("*.py")):
        values: dict[str, object] = {}
        for node in ast.parse(script.read_text("utf-8")).body:
            target = node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else None
            if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
                values[target.id] = ast.literal_eval(node.value)  # type: ignore[union-attr]
        if isinstance(values.get("revision"), str):
            revisions.add(values["revision"])  # type: ignore[arg-type]
            down = values.get("down_revision")
            parents.update([down] if isinstance(down, str) else list(down or ()))  # type: ignore[call-overload]
    heads = revisions - parents
    if len(heads) > 1:
        raise RuntimeError(f"the migrations in {folder} have several heads: {', '.join(sorted(heads))}")
    return heads.pop() if heads else None


# The SQLite schema's DDL as create_all emitted it the first time in this process: a new store replays the text.
# Compiling ~20 tables and their indexes took 6 ms of every store's creation (the test suite makes hundreds).
_SQLITE_DDL: list[str] = []


def _create_store_tables(conn: Connection) -> None:
    from saylau.store.schema import GENESIS_HASH, audit_head, metadata

    if is_sqlite(conn) and _SQLITE_DDL:
        for statement in _SQLITE_DDL:
            conn.exec_driver_sql(statement)
    else:
        emitted: list[str] = []

        def record(_conn: Connection, _cursor: object, statement: str, *_: object) -> None:
            emitted.append(statement)

        event.listen(conn, "before_cursor_execute", record)
        try:
            metadata.create_all(conn, checkfirst=False)  # only ever called on a database without tables
        finally:
            event.remove(conn, "before_cursor_execute", record)
        if is_sqlite(conn):
            _SQLITE_DDL[:] = emitted
    conn.execute(audit_head.insert().values(id=1, seq=0, hash=GENESIS_HASH))  # as migration 0001 does


STORE_CHAIN = MigrationChain(MIGRATIONS, create_tables=_create_store_tables)


def head_revision() -> str | None:
    """The newest store migration saylau ships."""
    return STORE_CHAIN.head_revision()


def current_revision(conn: Connection) -> str | None:
    """The store migration the database is at (None for an empty database)."""
    return STORE_CHAIN.current_revision(conn)


def upgrade(engine: Engine) -> bool:
    """Bring the store to the newest schema; True if anything was migrated."""
    return STORE_CHAIN.upgrade(engine)


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
