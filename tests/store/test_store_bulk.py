"""Bulk helpers: ids reserved for bulk rows stay clear of rows the database numbers itself; GC is restored."""

from __future__ import annotations

import gc

import pytest
from protocols_helper import kz_batch, stations
from sqlalchemy import func, select

from saylau.gcpause import gc_paused
from saylau.store import Store, chain
from saylau.store.audit import append_entry
from saylau.store.engine import write_transaction
from saylau.store.schema import units


def test_rows_numbered_by_the_database_after_a_bulk_ingest_get_fresh_ids(store: Store) -> None:
    store.ingest(kz_batch(stations(20)), election_id="e", user="alice")
    with write_transaction(store.engine) as conn:  # as the web app registers an expected station
        append_entry(conn, actor="alice", action="register-stations", election_id="e", subject="later")
        conn.execute(units.insert().values(election_id="e", unit_id="later", ordinal=999, name="later",
                                           level="station", parent=None, kind="station", synthetic=False))
        chain.track_where(conn, units, "unit_id", ["later"])
    with store.engine.connect() as conn:
        count, distinct, largest = conn.execute(
            select(func.count(), func.count(units.c.id.distinct()), func.max(units.c.id))).one()
        later = conn.execute(select(units.c.id).where(units.c.unit_id == "later")).scalar_one()
    assert count == distinct and later == largest
    # And a second bulk ingest numbers its rows after that one.
    report = store.ingest(kz_batch(stations(5, start=100)), election_id="e", user="bob")
    assert report.stored == 5 and store.verify_audit_log().ok


def test_gc_paused_restores_collection_even_after_an_error() -> None:
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), gc_paused():
        assert not gc.isenabled()
        _ = 1 / 0
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # it was off before: left off
    finally:
        gc.enable()


def test_rows_hashed_as_written_hash_as_they_read_back(store: Store) -> None:
    """A bulk write's ledger hashes the values it passed to the driver; verification hashes what the database
    gives back (SQLite: 0/1 for booleans). The two must agree for every covered table a bulk write fills."""
    from dataclasses import replace

    from sqlalchemy import Boolean

    from saylau.store.schema import protocol_urls

    store.ingest(kz_batch([replace(p, url=f"https://example.org/{i % 4}") for i, p in enumerate(stations(30))]),
                 election_id="e", user="alice")
    with store.engine.connect() as conn:
        for table in (units, protocol_urls):
            s = chain.shape(table)
            rows = [tuple(r) for r in conn.execute(table.select().order_by(table.c.id))]
            assert rows, table.name
            written = [tuple(bool(v) if isinstance(table.c[c].type, Boolean) and v is not None else v
                             for c, v in zip(s.columns, row, strict=True)) for row in rows]
            assert s.hashes(written, as_written=True) == s.hashes(rows)
            # A boolean column holding 0/1 as written is normalised, not hashed as numbers.
            if table is units:
                raw = [tuple(int(v) if isinstance(v, bool) else v for v in row) for row in written]
                assert s.hashes(raw, as_written=True) == s.hashes(rows)
    assert store.verify_audit_log().ok
