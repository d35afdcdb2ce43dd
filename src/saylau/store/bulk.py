"""Bulk rows straight through the driver: COPY on PostgreSQL, executemany on SQLite.

Tens of thousands of protocols go in and out in one call each; building a
SQLAlchemy parameter dict or Row per protocol would cost more than the database.
Used inside a SQLAlchemy transaction: the raw cursor shares its connection.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table

__all__ = ["fetch_rows", "insert_rows"]


def _placeholder(conn: Connection) -> str:
    return "?" if conn.dialect.paramstyle == "qmark" else "%s"


def _quote(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote(name)


def insert_rows(conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert ``rows`` (tuples in ``columns`` order) into ``table``."""
    if not rows:
        return
    names = ", ".join(_quote(conn, c) for c in columns)
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    if conn.dialect.name == "postgresql":
        with dbapi.cursor() as cursor, cursor.copy(f"COPY {_quote(conn, table.name)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join([_placeholder(conn)] * len(columns))
    cursor = dbapi.cursor()
    try:
        cursor.executemany(f"INSERT INTO {_quote(conn, table.name)} ({names}) VALUES ({marks})", rows)
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
