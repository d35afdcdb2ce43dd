"""Run as a separate process by the concurrency and crash tests: ingest stations [start, stop) into a store.

Usage: python ingest_worker.py URL START STOP [CHUNK [PAUSE_FILE]]
    CHUNK: commit every CHUNK protocols (0: one transaction)
    PAUSE_FILE: once every protocol row (or the protocol block) is written but before the commit, create this
    file and wait (to be killed there); the page cache is kept small so that uncommitted pages reach the
    write-ahead log.
$SAYLAU_TEST_BLOCK_MIN: the fewest new stations stored as a block (default: saylau's own).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from protocols_helper import kz_batch, stations

from saylau.store import open_store


def _wait_there(pause_file: Path) -> None:
    pause_file.write_text("written, not committed")
    while True:
        time.sleep(1)


def _pause_before_commit(pause_file: Path) -> None:
    from saylau.store import blocks, writer

    real_insert = writer.insert_rows
    real_store_block = blocks.store_block

    def insert_then_wait(conn: Any, table: Any, columns: Any, rows: Any) -> None:
        real_insert(conn, table, columns, rows)
        if table.name == "protocol_versions":
            _wait_there(pause_file)

    def store_block_then_wait(*args: Any, **kwargs: Any) -> int:
        real_store_block(*args, **kwargs)
        _wait_there(pause_file)
        raise AssertionError("unreachable")

    writer.insert_rows = insert_then_wait  # type: ignore[assignment]
    blocks.store_block = store_block_then_wait  # type: ignore[assignment]


def main(url: str, start: int, stop: int, chunk: int | None = None, pause_file: str | None = None) -> None:
    if os.environ.get("SAYLAU_TEST_BLOCK_MIN"):
        from saylau.store import blocks

        blocks.BLOCK_MIN = int(os.environ["SAYLAU_TEST_BLOCK_MIN"])
    with open_store(url) as store:
        if pause_file:
            from sqlalchemy import event

            @event.listens_for(store.engine, "connect")
            def _small_cache(dbapi_connection: Any, _record: Any) -> None:
                dbapi_connection.execute("PRAGMA cache_size = 50")

            store.engine.dispose()  # connections opened from now on get the small cache
            _pause_before_commit(Path(pause_file))
        store.ingest(kz_batch(stations(stop - start, start=start)), election_id="e", user=f"worker-{start}",
                     chunk_size=chunk or None)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]) if len(sys.argv) > 4 else None,
         sys.argv[5] if len(sys.argv) > 5 else None)
