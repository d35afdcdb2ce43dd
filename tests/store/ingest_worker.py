"""Run as a separate process by the concurrency and crash tests: ingest stations [start, stop) into a store.

Usage: python ingest_worker.py URL START STOP [CHUNK [PAUSE_FILE]]
    CHUNK: commit every CHUNK protocols (0: one transaction)
    PAUSE_FILE: once every protocol row is written but before the commit, create this file and wait
    (to be killed there); the page cache is kept small so that uncommitted pages reach the write-ahead log.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from protocols_helper import kz_batch, stations

from saylau.store import open_store


def _pause_before_commit(pause_file: Path) -> None:
    from saylau.store import writer

    real_insert = writer.insert_rows

    def insert_then_wait(conn: Any, table: Any, columns: Any, rows: Any) -> None:
        real_insert(conn, table, columns, rows)
        if table.name == "protocol_versions":
            pause_file.write_text("written, not committed")
            while True:
                time.sleep(1)

    writer.insert_rows = insert_then_wait  # type: ignore[assignment]


def main(url: str, start: int, stop: int, chunk: int | None = None, pause_file: str | None = None) -> None:
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
