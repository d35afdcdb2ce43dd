"""Run as a separate process by the concurrency tests: ingest stations [start, stop) into a store.

Usage: python ingest_worker.py URL START STOP [CHUNK]   (CHUNK: commit every CHUNK protocols)
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from protocols_helper import kz_batch, stations

from saylau.store import open_store


def main(url: str, start: int, stop: int, chunk: int | None = None) -> None:
    with open_store(url) as store:
        store.ingest(kz_batch(stations(stop - start, start=start)), election_id="e", user=f"worker-{start}",
                     chunk_size=chunk or None)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]) if len(sys.argv) > 4 else None)
