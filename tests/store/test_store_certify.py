"""Certification is atomic: the totals its audit entry records are read in the transaction that changes the
status, and a batch's authorisation sees the status under the same write lock (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from protocols_helper import kz_batch, stations

from saylau.errors import SaylauError
from saylau.store import Store, audit, open_store


def _totals_before(store: Store, seq: int) -> dict[str, object]:
    """The national totals of the protocols stored by entries before ``seq`` (recomputed from the history)."""
    kept = {}
    for p in store.station_protocols("e"):
        history = [v for v in store.protocol_history("e", p.station) if v.audit_seq < seq]
        if history:
            kept[p.station] = history[-1]
    votes: dict[str, int] = {}
    for v in kept.values():
        for code, n in v.protocol.votes.items():
            votes[code] = votes.get(code, 0) + n
    total = {k: sum(v.totals[k] or 0 for v in kept.values()) for k in ("valid", "invalid", "ballots_cast", "registered")}
    return {"votes": votes, **total, "stations_reported": len(kept), "stations_total": len(kept)}


def test_certified_totals_are_the_ones_stored_when_the_status_changed(store_url: str) -> None:
    with open_store(store_url) as store:
        store.ingest(kz_batch(stations(5)), election_id="e", user="alice")
    stop = threading.Event()

    def keep_ingesting() -> None:
        with open_store(store_url) as writer:
            i = 100
            while not stop.is_set() and i < 160:
                writer.ingest(kz_batch(stations(1, start=i)), election_id="e", user="clerk")
                i += 1

    thread = threading.Thread(target=keep_ingesting)
    thread.start()
    try:
        with open_store(store_url) as store:
            for _ in range(3):  # let some protocols land first
                if len(list(store.station_protocols("e"))) > 8:
                    break
                threading.Event().wait(0.05)
            changed, summary = store.certify("e", user="chair")
    finally:
        stop.set()
        thread.join()
    assert changed
    with open_store(store_url) as store:
        (entry,) = [e for e in store.audit_entries() if e.action == "certify"]
        assert entry.payload_hash == audit.payload_hash(summary)
        assert summary == _totals_before(store, entry.seq)
        assert store.election_info("e").status == "certified"
        assert store.certify("e", user="chair")[0] is False
        assert store.verify_audit_log().ok


def test_a_batch_authorised_under_the_lock_sees_a_certification_made_after_its_first_check(store_url: str) -> None:
    seen: list[str] = []

    class Refused(SaylauError):
        pass

    def authorise(status: str, registered_under: dict[str, str | None]) -> None:
        seen.append(status)
        if status == "certified":
            raise Refused("certified")

    with open_store(store_url) as store:
        store.ingest(kz_batch(stations(3)), election_id="e", user="alice")
        assert store.election_info("e").status != "certified"   # what a check before the transaction would see
        with open_store(store_url) as other:                   # certified meanwhile, by another connection
            other.certify("e", user="chair")
        with pytest.raises(Refused):
            store.ingest(kz_batch(stations(2, start=50)), election_id="e", user="clerk", authorise=authorise)
        assert seen == ["certified"]
        assert len(list(store.station_protocols("e"))) == 3
        report = store.ingest(kz_batch(stations(2, start=3)), election_id="e", user="cec",
                              authorise=lambda status, under: seen.append(f"{status}: {sorted(under.items())}"))
        assert seen[-1] == "certified: []"  # the two stations are not registered yet
        assert report.stored == 2 and store.verify_audit_log().ok
