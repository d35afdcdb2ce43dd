"""Bulk rows straight through the driver: COPY on PostgreSQL, executemany on SQLite.

Tens of thousands of protocols go in and out in one call each; building a
SQLAlchemy parameter dict or Row per protocol would cost more than the database.
Used inside a SQLAlchemy transaction: the raw cursor shares its connection.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table

__all__ = ["fetch_rows", "insert_rows", "query_rows", "reserve_ids"]


def _placeholder(conn: Connection) -> str:
    return "?" if conn.dialect.paramstyle == "qmark" else "%s"


def _quote(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote(name)


def _insert_sql(conn: Connection, table: Table, columns: Sequence[str]) -> str:
    """``INSERT ... VALUES (?, ...)`` or ``COPY ... FROM STDIN`` for these columns, built once per shape
    (election night inserts a few rows at a time, many times a second)."""
    key = (conn.dialect.name, table.name, tuple(columns))
    sql = _INSERT_SQL.get(key)
    if sql is None:
        names = ", ".join(_quote(conn, c) for c in columns)
        if conn.dialect.name == "postgresql":
            sql = f"COPY {_quote(conn, table.name)} ({names}) FROM STDIN"
        else:
            marks = ", ".join([_placeholder(conn)] * len(columns))
            sql = f"INSERT INTO {_quote(conn, table.name)} ({names}) VALUES ({marks})"
        _INSERT_SQL[key] = sql
    return sql


_INSERT_SQL: dict[tuple[str, str, tuple[str, ...]], str] = {}


def insert_rows(conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert ``rows`` (tuples in ``columns`` order) into ``table``."""
    if not rows:
        return
    sql = _insert_sql(conn, table, columns)
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    if conn.dialect.name == "postgresql":
        with dbapi.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
        return
    cursor = dbapi.cursor()
    try:
        cursor.executemany(sql, rows)
    finally:
        cursor.close()


def reserve_ids(conn: Connection, table: Table, count: int) -> int:
    """The first of ``count`` consecutive unused ``id`` values of ``table`` (the caller holds the write lock).

    Knowing the ids before inserting lets rows refer to each other without
    reading them back. On PostgreSQL the id sequence is moved past them, so
    later inserts that let the database number rows still get fresh ids.
    """
    quoted = _quote(conn, table.name)
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(f"SELECT max(id) FROM {quoted}")
        first = (cursor.fetchone()[0] or 0) + 1
        if count and conn.dialect.name == "postgresql":
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", (table.name, first + count - 1))
        return first  # type: ignore[no-any-return]
    finally:
        cursor.close()


def fetch_rows(conn: Connection, table: Table, columns: Sequence[str], where: Sequence[tuple[str, Any]],
               order_by: str | None = None) -> list[tuple[Any, ...]]:
    """``SELECT columns FROM table WHERE a = ? AND b ...`` as plain tuples (a bare column name in ``where``
    with the value True means ``AND column``, i.e. a true boolean)."""
    names = ", ".join(_quote(conn, c) for c in columns)
    clauses, params = [], []
    for column, value in where:
        if value is True:
            clauses.append(_quote(conn, column))
        else:
            clauses.append(f"{_quote(conn, column)} = {_placeholder(conn)}")
            params.append(value)
    sql = f"SELECT {names} FROM {_quote(conn, table.name)}"
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    if order_by:
        sql += f" ORDER BY {_quote(conn, order_by)}"
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    cursor = dbapi.cursor()
    try:
        cursor.execute(sql, params)
        return cursor.fetchall()  # type: ignore[no-any-return]
    finally:
        cursor.close()


def query_rows(conn: Connection, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Run ``sql`` (``?`` placeholders, plain names) straight through the driver; its rows as tuples.

    For the few statements a group commit runs many times a second, where building
    and caching a SQLAlchemy statement costs more than the database's own work.
    """
    if _placeholder(conn) != "?":
        sql = sql.replace("?", _placeholder(conn))
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    cursor = dbapi.cursor()
    try:
        cursor.execute(sql, tuple(params))
        return list(cursor.fetchall()) if cursor.description is not None else []
    finally:
        cursor.close()
