"""Bulk helpers: ids reserved for bulk rows stay clear of rows the database numbers itself; GC is restored."""

from __future__ import annotations

import gc

import pytest
from protocols_helper import kz_batch, stations
from sqlalchemy import func, select

from saylau.store import Store, chain
from saylau.store.audit import append_entry
from saylau.store.bulk import gc_paused
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
