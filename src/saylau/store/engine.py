"""Database URLs and engines: the embedded SQLite file by default, PostgreSQL on request.

``None`` means ``$SAYLAU_DB`` if set, else ``./saylau.sqlite``. A bare path is a
SQLite file. ``postgresql://`` (and ``postgres://``) map to the psycopg 3 driver.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from saylau.errors import InputError
from saylau.store.schema import use_postgresql

__all__ = ["BUSY_TIMEOUT_MS", "DEFAULT_PATH", "is_sqlite", "make_engine", "resolve_url", "sync_log",
           "write_transaction"]

DEFAULT_PATH = "saylau.sqlite"
#: How long a SQLite writer waits for another writer before giving up (a big ingest holds the lock).
BUSY_TIMEOUT_MS = 120_000


def resolve_url(url: str | os.PathLike[str] | None = None) -> str:
    """The SQLAlchemy URL for ``url``, a path, or the default embedded file."""
    if url is None or str(url) == "":
        url = os.environ.get("SAYLAU_DB") or DEFAULT_PATH
    text_url = str(url)
    if "://" not in text_url:
        return f"sqlite:///{Path(text_url).expanduser()}"
    for prefix in ("postgresql://", "postgres://"):
        if text_url.startswith(prefix):
            return "postgresql+psycopg://" + text_url[len(prefix):]
    return text_url


def is_sqlite(engine: Engine | Connection) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str | os.PathLike[str] | None = None, *, sync_on_commit: bool = True) -> Engine:
    """An engine for ``url`` with saylau's connection settings (WAL, foreign keys, busy timeout).

    ``sync_on_commit`` False (SQLite only): a commit writes the log without syncing it
    (``synchronous = NORMAL``); whoever acknowledges the write must first call
    :func:`sync_log`, which makes every commit so far durable with one sync (group commit).
    """
    resolved = resolve_url(url)
    try:
        parsed = make_url(resolved)
    except ArgumentError:
        raise InputError("not a database URL or path", field="db", value=str(url)) from None
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            folder = Path(database).expanduser().resolve().parent
            if not folder.is_dir():
                raise InputError("the database's folder does not exist", field="db", value=str(url))
        engine = create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine, "FULL" if sync_on_commit else "NORMAL")
        return engine
    if parsed.get_backend_name() == "postgresql":
        use_postgresql()
        return create_engine(parsed, pool_pre_ping=True)
    raise InputError("only SQLite and PostgreSQL are supported", field="db", value=str(url))


def _configure_sqlite(engine: Engine, synchronous: str = "FULL") -> None:
    # pysqlite's own transaction handling would defer BEGIN; take control so that
    # writers can BEGIN IMMEDIATE (take the write lock first, then read and decide).
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute(f"PRAGMA synchronous = {synchronous}")
        # A big ingest is one transaction: keep its pages in memory instead of spilling them twice.
        cursor.execute("PRAGMA cache_size = -65536")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("saylau_write", False)
        # Straight to the driver: a write transaction begins many times a second on election night, and
        # SQLAlchemy's statement machinery cost more than SQLite's BEGIN itself.
        conn.connection.driver_connection.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")  # type: ignore[union-attr]


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that holds the store's single write lock from its first statement.

    Every writer appends to the audit chain, so writers are serialized: on
    SQLite by ``BEGIN IMMEDIATE``, on PostgreSQL by a row lock on the chain head.
    Reading, deciding and writing then happen under the lock, so concurrent
    ingests can neither duplicate a protocol nor fork the chain.
    The audit entries the transaction appended are sealed (their row ledgers
    recorded, their hashes set, the head moved) just before it commits.
    """
    from saylau.store import (  # audit imports the schema; the engine is needed before it
        audit,
        blocks,
        chain,
    )

    with engine.connect().execution_options(saylau_write=True) as conn, conn.begin():
        chain.discard_pending(conn)  # the pooled connection's info outlives a transaction
        if not is_sqlite(conn):
            conn.execute(text("SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE"))
        try:
            with blocks.writing():
                # A block another process committed after this connection was opened is unpacked here, under the
                # lock, before this writer reads or writes any station row.
                if blocks.writing_rows() and blocks.table_present(engine, conn) and blocks.has_pending(conn):
                    blocks.unpack_in(conn)
                yield conn
        except BaseException:
            chain.discard_pending(conn)
            raise
        audit.seal(conn)


def sync_log(engine: Engine) -> None:
    """Make every commit made so far durable: sync SQLite's write-ahead log (one sync, however many commits).

    Needed only after commits made with ``sync_on_commit=False``. On PostgreSQL a
    commit is durable when it returns, and this does nothing. With
    ``synchronous = NORMAL`` SQLite has written each commit's pages to the log
    (so a killed process loses nothing) and syncs the log before copying it into
    the database; syncing the log file here covers everything it holds.
    """
    if not is_sqlite(engine):
        return
    database = engine.url.database or ""
    if not database or database == ":memory:":
        return
    path = Path(database).expanduser()
    # The log may be gone after a checkpoint on close, its pages then synced into the database file.
    for target in (Path(f"{path}-wal"), path):
        try:
            fd = os.open(target, os.O_RDONLY)
        except FileNotFoundError:
            continue
        try:
            os.fdatasync(fd)
        finally:
            os.close(fd)
        return
