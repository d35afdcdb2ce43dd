"""The audit log's hash chain catches edited and deleted entries, and edited data, on both backends."""

from __future__ import annotations

import itertools

from protocols_helper import kz_batch, kz_protocol, stations
from sqlalchemy import text

from saylau.store import Store


def _three_entries(store: Store) -> None:
    store.ingest(kz_batch(stations(6)), election_id="e", user="alice")                  # 1 create, 2 ingest
    store.ingest(kz_batch(stations(4, start=50)), election_id="e", user="bob")           # 3 ingest
    p = stations(1)[0]
    fixed = kz_protocol(p.station, [1, 2, 3], region=p.region, territory=p.territory)
    store.ingest(kz_batch([fixed]), election_id="e", user="chair", correction=True, reason="recount")  # 4


def _sql(store: Store, statement: str, **params: object) -> None:
    with store.engine.begin() as conn:
        conn.execute(text(statement), params)


def test_an_untouched_log_verifies(store: Store) -> None:
    _three_entries(store)
    check = store.verify_audit_log()
    assert check.ok and check.entries == 4
    entries = store.audit_entries()
    assert [e.action for e in entries] == ["create-election", "ingest", "ingest", "correct"]
    assert [e.actor for e in entries] == ["alice", "alice", "bob", "chair"]
    assert entries[3].reason == "recount"
    assert all(later.prev_hash == earlier.hash for earlier, later in itertools.pairwise(entries))
    assert check.head_hash == entries[-1].hash


def test_an_edited_entry_is_caught(store: Store) -> None:
    _three_entries(store)
    _sql(store, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 3")
    check = store.verify_audit_log()
    assert not check.ok and check.bad_seq == 3 and "hash" in (check.problem or "")


def test_an_edited_reason_with_a_recomputed_hash_breaks_the_next_link(store: Store) -> None:
    from saylau.store.audit import entry_hash

    _three_entries(store)
    e = store.audit_entries()[1]
    forged = entry_hash(e.seq, e.at, "mallory", e.action, e.election_id, e.subject, e.reason, e.payload_hash,
                        e.prev_hash, e.rows_hash)
    _sql(store, "UPDATE audit_log SET actor = 'mallory', hash = :h WHERE seq = 2", h=forged)
    check = store.verify_audit_log()
    assert not check.ok and check.bad_seq == 3 and "previous hash" in (check.problem or "")


def test_a_deleted_entry_is_caught(store: Store) -> None:
    _three_entries(store)
    # The rows an entry recorded refer to it; drop them first, as a tamperer would have to.
    _sql(store, "DELETE FROM protocol_versions WHERE audit_seq = 3")
    _sql(store, "DELETE FROM protocol_batches WHERE audit_seq = 3")
    _sql(store, "DELETE FROM audit_rows WHERE seq = 3")
    _sql(store, "DELETE FROM audit_log WHERE seq = 3")
    check = store.verify_audit_log()
    assert not check.ok and check.bad_seq == 3 and "missing" in (check.problem or "")


def test_a_deleted_last_entry_is_caught_by_the_head(store: Store) -> None:
    _three_entries(store)
    # Undo the correction everywhere a tamperer could: its version, the flag, then the entry.
    _sql(store, "DELETE FROM protocol_versions WHERE audit_seq = 4")
    _sql(store, "UPDATE protocol_versions SET is_current = true WHERE station = 'S00000'")
    _sql(store, "DELETE FROM protocol_batches WHERE audit_seq = 4")
    _sql(store, "DELETE FROM audit_rows WHERE seq = 4")
    _sql(store, "DELETE FROM audit_log WHERE seq = 4")
    check = store.verify_audit_log()
    assert not check.ok and check.bad_seq == 4 and "head" in (check.problem or "")


def test_edited_counts_are_caught_and_the_row_named(store: Store) -> None:
    _three_entries(store)
    with store.engine.connect() as conn:
        (ident,) = conn.execute(text("SELECT id FROM protocol_versions WHERE station = 'S00051'")).one()
    _sql(store, "UPDATE protocol_versions SET votes = '[1,2,4]' WHERE station = 'S00051'")
    check = store.verify_audit_log()
    assert not check.ok and (check.table, check.key) == ("protocol_versions", ident)
    assert "changed outside saylau" in (check.problem or "") and f"protocol_versions row {ident}" in str(check)
