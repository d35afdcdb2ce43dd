"""An ingest killed with SIGKILL midway leaves a consistent store, and a rerun completes it without duplicates."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from saylau.store import open_store

WORKER = Path(__file__).with_name("ingest_worker.py")
N, CHUNK = 15_000, 500


def _versions(url: str) -> list[tuple[str, int]]:
    with open_store(url) as store, store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text("SELECT station, version FROM protocol_versions"))]


def _wait_then_kill(proc: subprocess.Popen[bytes], ready, timeout: float = 240) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not ready():
        if proc.poll() is not None or time.monotonic() > deadline:
            pytest.fail("the ingest ended (or never started writing) before it could be killed midway")
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL


def _assert_consistent_then_rerun(url: str, *, chunked: bool) -> None:
    with open_store(url) as store:
        check = store.verify_audit_log()
        assert check.ok, check
        entries = store.audit_entries()
        ingests = [e for e in entries if e.action == "ingest"]
    kept = _versions(url)
    assert len(kept) == len(set(kept))                               # no duplicate protocol
    # Exactly whole transactions survive: for chunks, a multiple of the chunk size, one entry per chunk.
    if chunked:
        assert len(kept) % CHUNK == 0 and len(kept) == CHUNK * len(ingests) and 0 < len(kept) < N
    else:
        assert kept == [] and ingests == []
    rerun = subprocess.run([sys.executable, str(WORKER), url, "0", str(N), str(CHUNK) if chunked else "0"],
                           capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    final = _versions(url)
    assert len(final) == N and len({s for s, _ in final}) == N and all(v == 1 for _, v in final)
    with open_store(url) as store:
        assert store.verify_audit_log().ok
        assert store.election_data("e", level="nation").nation.stations_reported == N


@pytest.mark.slow
def test_sigkill_between_chunks(store_url: str) -> None:
    proc = subprocess.Popen([sys.executable, str(WORKER), store_url, "0", str(N), str(CHUNK)])

    def some_chunks_committed() -> bool:
        try:
            return len(_versions(store_url)) >= 3 * CHUNK
        except Exception:  # the store may not exist yet
            return False

    _wait_then_kill(proc, some_chunks_committed)
    _assert_consistent_then_rerun(store_url, chunked=True)


@pytest.mark.slow
@pytest.mark.parametrize(("shape", "block_min", "wal_bytes"), [("rows", N + 1, 1_000_000), ("block", 1, 100_000)])
def test_sigkill_inside_the_single_transaction(tmp_path: Path, shape: str, block_min: int, wal_bytes: int) -> None:
    db = tmp_path / "crash.sqlite"
    url = str(db)
    written = tmp_path / "written"
    # The worker writes every row (or the block) of its one transaction, says so, and waits there to be killed.
    env = {**os.environ, "SAYLAU_TEST_BLOCK_MIN": str(block_min)}
    proc = subprocess.Popen([sys.executable, str(WORKER), url, "0", str(N), "0", str(written)], env=env)
    wal = Path(f"{db}-wal")
    _wait_then_kill(proc, written.exists)
    # Uncommitted pages did reach the write-ahead log: recovery must ignore them.
    assert wal.stat().st_size > wal_bytes, shape
    _assert_consistent_then_rerun(url, chunked=False)
