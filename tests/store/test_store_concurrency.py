"""Four processes ingesting at once, overlapping and disjoint, lose and duplicate nothing (both backends)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from protocols_helper import stations, total_votes
from sqlalchemy import text

from saylau.store import open_store

WORKER = Path(__file__).with_name("ingest_worker.py")
# Overlapping ranges (the same stations, identical protocols) and a disjoint one; the first process
# to reach the election creates it, the others find it.
RANGES = [(0, 120), (60, 180), (150, 260), (400, 470)]


@pytest.mark.slow
def test_four_concurrent_ingests(store_url: str) -> None:
    procs = [subprocess.Popen([sys.executable, str(WORKER), store_url, str(a), str(b)], stderr=subprocess.PIPE,
                              text=True) for a, b in RANGES]
    errors = [p.communicate(timeout=300)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], errors

    expected = {i for a, b in RANGES for i in range(a, b)}
    with open_store(store_url) as store:
        with store.engine.connect() as conn:
            rows = conn.execute(text("SELECT station, version, is_current FROM protocol_versions")).all()
        assert len(rows) == len(expected)                              # nothing duplicated
        assert {r.station for r in rows} == {f"S{i:05d}" for i in expected}  # nothing lost
        assert all(r.version == 1 and r.is_current for r in rows)
        protocols = [p for i in sorted(expected) for p in stations(1, start=i)]
        assert dict(store.election_data("e", level="nation").nation.votes) == total_votes(protocols)
        check = store.verify_audit_log()
        assert check.ok, check
        entries = store.audit_entries()
        assert [e.action for e in entries].count("create-election") == 1
        assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
