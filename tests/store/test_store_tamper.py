"""Every table of a populated store is covered by the audit chain: each single-cell edit and each row deletion
made outside saylau makes verification fail and name the row, on SQLite and on PostgreSQL.

The tables are enumerated from the database itself, so a table another engineer adds later fails here until
it is declared in the schema (``info["chain"]``) and its writes are tracked in the row ledger.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import pytest
from protocols_helper import CODES, PARTIES, kz_batch, kz_protocol, stations
from sqlalchemy import Connection, inspect

from saylau.protocols.double_entry import Entry
from saylau.store import Store, audit, blocks
from saylau.store.coverage import Unaudited
from saylau.store.schema import metadata
from saylau.tabulate.model import ElectionData, ElectionInfo, UnitCounts

pytest.importorskip("argon2")

#: The only tables the chain leaves out, each with its stated reason in the schema. Adding one is a decision
#: a reviewer sees here.
UNAUDITED = {"web_login_attempts"}


def test_every_declared_table_says_how_the_chain_covers_it() -> None:
    kinds = {t.name: t.info.get("chain") for t in metadata.sorted_tables}
    assert all(k is not None for k in kinds.values()), [n for n, k in kinds.items() if k is None]
    assert {n for n, k in kinds.items() if isinstance(k, Unaudited)} == UNAUDITED
    assert all(k.reason for k in kinds.values() if isinstance(k, Unaudited))  # type: ignore[union-attr]
    from saylau.store.chain import DERIVED_CHECKS

    for kind in kinds.values():
        for _, check in getattr(kind, "derived", ()):
            assert check in DERIVED_CHECKS


def _populate(store: Store) -> None:
    """One of everything: an election from tables (unit results), one with protocols, corrections, URLs,
    handled and open warnings, a certification, double entries (live and discarded), users, a token and a
    session."""
    from saylau.store.users import UserStore

    votes = {c: 100 * (i + 1) for i, c in enumerate(CODES)}
    info = ElectionInfo(id="t", title="tables", date=dt.date(2021, 1, 10), country="KZ", official_seats={"NO": 1})
    nation = UnitCounts("KZ", "Kazakhstan", "nation", None, votes, sum(votes.values()), 900, 700, 10,
                        stations_total=4)
    region = UnitCounts("KZ/R", "R", "region", "KZ", votes, sum(votes.values()), 900, 700, 10, stations_total=4)
    store.put_election_data(ElectionData(info, PARTIES, (nation, region)), source="table.csv", user="loader")
    first = [replace(p, url=f"https://example.org/{i % 2}") for i, p in enumerate(stations(6))]
    store.ingest(kz_batch(first), election_id="e", user="alice")
    # A bulk ingest's block (unpacked into rows by the first connection that needs them as rows).
    saved, blocks.BLOCK_MIN = blocks.BLOCK_MIN, 1
    try:
        store.ingest(kz_batch([replace(p, url="https://example.org/b") for p in stations(3)]), election_id="b",
                     user="alice")
    finally:
        blocks.BLOCK_MIN = saved
    # A protocol with a warning (more ballots in the boxes than issued), then corrected.
    warned = kz_protocol("W1", [10, 20, 30], outside=0, ballots_issued_in_premises=62, ballots_received=82)
    store.ingest(kz_batch([warned]), election_id="e", user="alice")
    fixed = kz_protocol(first[0].station, [1, 2, 3], region=first[0].region, territory=first[0].territory)
    store.ingest(kz_batch([fixed]), election_id="e", user="chair", correction=True, reason="recount")
    store.register_stations("e", [("LATER", "Region 0", "T0")], user="chair")
    open_warning = store.warnings("e")[0]
    store.handle_warning(open_warning.id, user="chair", explanation="checked the boxes")
    store.submit_protocol("e", kz_protocol("W2", [5, 5, 5], outside=0, ballots_issued_in_premises=17,
                                           ballots_received=37), user="clerk")
    store.set_election_status("t", "certified", user="chair", summary={"valid": 600})
    store.set_double_entry("e", "optional", user="chair")
    typed = kz_protocol("LATER", [4, 5, 6])
    store.record_entry("e", "LATER", "typist1", Entry(dict(typed.lines), dict(typed.votes)))
    store.record_entry("e", "LATER", "typist2", Entry(dict(typed.lines), {**typed.votes, CODES[0]: 5}))
    store.discard_entry("e", "LATER", "second", user="chair", reason="misread")
    users = UserStore(store.engine)
    users.add_user("chair", "central", password="long enough password")
    users.add_user("clerk", "station", scope="S00001", election_id="e")
    users.create_token("clerk", label="phone")
    users.create_session(users.get("chair"))  # type: ignore[arg-type]
    users.record_attempt("10.0.0.1", "chair", False)


def _tables(conn: Connection) -> list[str]:
    return sorted(inspect(conn).get_table_names())


@contextmanager
def _tamper(store: Store) -> Iterator[Connection]:
    """A connection whose changes verification sees and which are rolled back after; foreign keys off, as a
    database editor has them (SQLite's default; PostgreSQL's replica role)."""
    with store.engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            conn.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
        try:
            with conn.begin() as trans:
                if not sqlite:
                    conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
                yield conn
                trans.rollback()
        finally:
            if sqlite:
                conn.connection.driver_connection.execute("PRAGMA foreign_keys = ON")  # type: ignore[union-attr]


def _other(value: Any, column: Any) -> Any:
    """A different value of the column's type."""
    from sqlalchemy import Boolean, Float, Integer

    if isinstance(column.type, Boolean):
        return not value if value is not None else True
    if isinstance(column.type, Integer):
        return 7 if value is None else value + 1_000_003
    if isinstance(column.type, Float):
        return 1.5 if value is None else value + 1.0
    if isinstance(value, bytes | memoryview):  # a blob: its last byte changed
        data = bytes(value)
        return data[:-1] + bytes([data[-1] ^ 1])
    if not value:
        return "x"
    return value[:-1] + ("y" if value[-1] == "x" else "x")  # same length: fits the column


def _verify(conn: Connection, store: Store) -> audit.AuditCheck:
    return store.verify_connection(conn)


def _rows(conn: Connection, table: Any) -> list[dict[str, Any]]:
    pk = list(table.primary_key.columns)
    return [dict(r) for r in conn.execute(table.select().order_by(*pk)).mappings()]


def _key(table: Any, row: dict[str, Any]) -> Any:
    pk = [c.name for c in table.primary_key.columns]
    if len(pk) == 1 and table.c[pk[0]].type.python_type is int:
        return row[pk[0]]
    return tuple(row[c] for c in pk)


def _named(check: audit.AuditCheck, table: Any, keys: list[Any]) -> bool:
    if check.ok:
        return False
    if table.info["chain"].kind == "log":
        return check.table in {"audit_log", "audit_head", "audit_rows"}
    return check.table == table.name and any(r.table == table.name and r.key in keys for r in check.rows)


def test_every_edit_and_deletion_of_every_covered_row_is_named(store: Store) -> None:
    _populate(store)
    assert store.verify_audit_log().ok
    with store.engine.connect() as conn:
        names = _tables(conn)
    declared = {t.name: t for t in metadata.sorted_tables}
    assert set(names) - {"alembic_version"} == set(declared), "a table the schema does not declare"
    edited: set[tuple[str, str]] = set()
    deleted: set[str] = set()
    wanted: set[tuple[str, str]] = set()
    missed: list[str] = []
    for name in names:
        if name == "alembic_version":
            with _tamper(store) as conn:
                conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0002'")
                check = _verify(conn, store)
            assert not check.ok and check.table == "alembic_version"
            continue
        table = declared[name]
        if isinstance(table.info["chain"], Unaudited):
            continue
        with store.engine.connect() as conn:
            rows = _rows(conn, table)
        assert rows, f"the populated store has no {name} row: populate it so its coverage is tested"
        for row in rows[:1] + rows[-1:] if len(rows) > 1 else rows:
            key = _key(table, row)
            for column in table.columns:
                wanted.add((name, column.name))
                new = _other(row[column.name], column)
                try:
                    with _tamper(store) as conn:
                        conn.execute(table.update().where(*(c == row[c.name] for c in table.primary_key.columns))
                                     .values({column.name: new}))
                        check = _verify(conn, store)
                except Exception:  # the database itself refuses it (a unique or check constraint): not an edit
                    continue
                edited.add((name, column.name))
                new_key = _key(table, {**row, column.name: new})
                if not _named(check, table, [key, new_key]):
                    missed.append(f"edit {name}.{column.name} of {key!r}: {check}")
                derived = dict(getattr(table.info["chain"], "derived", ()))
                if column.name in derived and check.column != column.name:
                    missed.append(f"edit {name}.{column.name} of {key!r} not named by column: {check}")
            with _tamper(store) as conn:
                conn.execute(table.delete().where(*(c == row[c.name] for c in table.primary_key.columns)))
                check = _verify(conn, store)
            deleted.add(name)
            if not _named(check, table, [key]):
                missed.append(f"deletion of {name} {key!r}: {check}")
    assert missed == []
    assert edited == wanted  # every column of every covered table was edited (in its first or last row) at least once
    assert deleted == {n for n in names if n in declared and not isinstance(declared[n].info["chain"], Unaudited)}


def test_a_row_added_outside_saylau_is_named(store: Store) -> None:
    _populate(store)
    with _tamper(store) as conn:
        conn.exec_driver_sql("INSERT INTO web_users (name, role, election_id, scope, password_hash, disabled, "
                             "created_at, created_by) VALUES ('mallory', 'central', NULL, NULL, NULL, false, 'now', "
                             "'cli')")
        check = _verify(conn, store)
    assert not check.ok and (check.table, check.key) == ("web_users", ("mallory",))
    assert "added outside saylau" in str(check)


def test_a_deleted_head_row_is_a_clear_failure_not_a_crash(store: Store) -> None:
    _populate(store)
    with _tamper(store) as conn:
        conn.exec_driver_sql("DELETE FROM audit_head")
        check = _verify(conn, store)
    assert not check.ok and check.table == "audit_head" and "head row is missing" in str(check)


def test_deleting_the_newest_entries_consistently_is_caught_against_the_published_head(store: Store) -> None:
    _populate(store)
    published = store.verify_audit_log().head_hash
    entries = store.audit_entries()
    last = entries[-1]
    with _tamper(store) as conn:  # remove the last entry, its ledger and its rows, and rewind the head
        conn.exec_driver_sql(f"DELETE FROM audit_rows WHERE seq = {last.seq}")
        conn.exec_driver_sql(f"DELETE FROM audit_log WHERE seq = {last.seq}")
        conn.exec_driver_sql("DELETE FROM web_login_attempts")
        conn.exec_driver_sql("DELETE FROM web_sessions")
        conn.exec_driver_sql(f"UPDATE audit_head SET seq = {last.seq - 1}, hash = '{entries[-2].hash}'")
        alone = _verify(conn, store)
        anchored = store.verify_connection(conn, expect_head=published)
    assert alone.ok  # consistent: only the published head tells
    assert not anchored.ok and published in str(anchored)
    assert store.verify_audit_log(expect_head=published).ok
