"""Election night on loopback: 8 clients submit the 10,060 kz-2021 protocols while 20 readers poll the national page.

A real server (``saylau serve``, uvicorn, embedded SQLite) runs in a subprocess.
Eight writers, each a territorial commission's API token, first submit
protocols one per request (``POST /api/elections/kz-2021/protocols``, the
figure the 1,000/s target is about) for ``SINGLE_SECONDS``, then the rest in
batches of ``BATCH`` (``POST .../protocols/batch``, one transaction each),
while 20 readers fetch ``/elections/kz-2021.json`` every ``READ_EVERY``
seconds. Afterwards the database must hold exactly 10,060 current protocols
and the national totals must equal the generated ones. The anchor is the
store's own ``submit_protocol`` called in process, without HTTP.
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import Report, fmt_seconds

WRITERS = 8
READERS = 20
SINGLE_SECONDS = 20.0
BATCH = 200
READ_EVERY = 0.5
ELECTION = "kz-2021"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _payload(p: Any) -> dict[str, Any]:
    return {"station": p.station, "region": p.region, "territory": p.territory, "lines": dict(p.lines),
            "votes": dict(p.votes)}


def run(report: Report) -> None:

    from saylau.store import open_store
    from saylau.web.migrate import upgrade
    from saylau.web.setup import prepare_election
    from saylau.web.users import UserStore

    folder = Path(tempfile.mkdtemp(prefix="saylau-bench-web-"))
    db = folder / "night.sqlite"
    store = open_store(db)
    done = prepare_election(store, ELECTION, reported=0)
    protocols = done["protocols"]
    upgrade(store.engine)
    users = UserStore(store.engine)
    tokens: dict[str, str] = {}
    for p in protocols:
        territory = f"KZ/{p.region}/{p.territory}"
        if territory not in tokens:
            name = f"tec:{territory}"
            users.add_user(name, "territorial", scope=territory)
            tokens[territory] = users.create_token(name)

    # The anchor: the store's submit_protocol in process (a copy of the database, so the real run starts empty).
    anchor_db = folder / "anchor.sqlite"
    anchor_store = open_store(anchor_db)
    prepare_election(anchor_store, ELECTION, reported=0)
    sample = protocols[:200]
    start = time.perf_counter()
    for p in sample:
        anchor_store.submit_protocol(ELECTION, p, user="anchor")
    anchor_s = (time.perf_counter() - start) / len(sample)
    anchor_store.close()

    port = _free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    server = subprocess.Popen([sys.executable, "-m", "saylau", "serve", "--db", str(db), "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, server)
        result = asyncio.run(_night(base, protocols, tokens))
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()

    single_rate = result["single"] / result["single_s"]
    batch_rate = result["batched"] / result["batch_s"] if result["batch_s"] else 0.0
    reads = sorted(result["reads"])
    p50 = statistics.median(reads)
    p99 = reads[min(len(reads) - 1, int(0.99 * len(reads)))]
    report.figure(f"single-protocol submissions, {WRITERS} clients", f"{single_rate:,.0f} protocols/s "
                  f"({result['single']:,} in {result['single_s']:.1f} s)", ">= 1,000/s", single_rate >= 1000)
    report.compare("time per protocol, HTTP with 8 clients vs in process", result["single_s"] / result["single"],
                   "submit_protocol", anchor_s)
    report.figure(f"batch submissions ({BATCH}/request), {WRITERS} clients",
                  f"{batch_rate:,.0f} protocols/s ({result['batched']:,} in {result['batch_s']:.1f} s)")
    report.figure(f"national page read p50, {READERS} readers every {READ_EVERY:g} s", fmt_seconds(p50).strip())
    report.figure(f"national page read p99 ({len(reads):,} reads)", fmt_seconds(p99).strip(), "<= 100 ms",
                  p99 <= 0.100)
    for phase in ("single", "batch"):
        during = sorted(t for t, when in zip(result["reads"], result["phases"], strict=True) if when == phase)
        if during:
            report.figure(f"  read p99 while {phase} submissions run", fmt_seconds(
                during[min(len(during) - 1, int(0.99 * len(during)))]).strip())

    # Nothing lost, nothing doubled: exactly the generated protocols and their totals.
    from sqlalchemy import func, select

    from saylau.store.schema import protocol_versions

    with store.engine.connect() as conn:
        current = conn.execute(select(func.count()).select_from(protocol_versions)
                               .where(protocol_versions.c.is_current)).scalar_one()
    nation = store.election_data(ELECTION, level="nation").nation
    expected = {code: sum(p.votes[code] for p in protocols) for code in nation.votes}
    assert current == len(protocols) == 10060, current
    assert dict(nation.votes) == expected, (dict(nation.votes), expected)
    assert nation.valid == sum(p.lines["valid"] for p in protocols)
    assert result["last_view"]["stations"]["reported"] == 10060
    assert {p["code"]: p["votes"] for p in result["last_view"]["parties"]} == expected
    report.figure("stored protocols / national totals", f"{current:,} / equal to the generated ones",
                  "10,060 / equal", True)
    store.close()


def _wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            out = server.stdout.read().decode() if server.stdout else ""
            raise RuntimeError(f"saylau serve exited: {out}")
        try:
            if httpx.get(f"{base}/elections.json", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("saylau serve did not start")


async def _night(base: str, protocols: list[Any], tokens: dict[str, str]) -> dict[str, Any]:
    import httpx

    queue = list(reversed(protocols))
    reads: list[float] = []
    phases: list[str] = []
    phase = ["single"]
    stop = asyncio.Event()
    limits = httpx.Limits(max_connections=WRITERS + READERS + 4)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:

        def auth(p: Any) -> dict[str, str]:
            return {"authorization": f"Bearer {tokens[f'KZ/{p.region}/{p.territory}']}"}

        async def reader() -> None:
            while not stop.is_set():
                start = time.perf_counter()
                r = await client.get(f"/elections/{ELECTION}.json")
                reads.append(time.perf_counter() - start)
                phases.append(phase[0])
                assert r.status_code == 200, r.text
                await asyncio.sleep(READ_EVERY)

        async def single_writer(deadline: float) -> int:
            sent = 0
            while queue and time.monotonic() < deadline:
                p = queue.pop()
                r = await client.post(f"/api/elections/{ELECTION}/protocols", json=_payload(p), headers=auth(p))
                assert r.status_code == 201, r.text
                sent += 1
            return sent

        async def batch_writer() -> int:
            sent = 0
            while queue:
                # One territory per batch: a territorial commission submits its own stations.
                first = queue.pop()
                chunk = [first]
                while queue and len(chunk) < BATCH and queue[-1].territory == first.territory:
                    chunk.append(queue.pop())
                r = await client.post(f"/api/elections/{ELECTION}/protocols/batch",
                                      json={"protocols": [_payload(p) for p in chunk]}, headers=auth(first))
                assert r.status_code == 201, r.text
                sent += len(chunk)
            return sent

        # Steady state, not a cold start: the first national page (imports, first aggregation) comes first.
        assert (await client.get(f"/elections/{ELECTION}.json")).status_code == 200
        readers = [asyncio.create_task(reader()) for _ in range(READERS)]
        start = time.perf_counter()
        deadline = time.monotonic() + SINGLE_SECONDS
        single = sum(await asyncio.gather(*(single_writer(deadline) for _ in range(WRITERS))))
        single_s = time.perf_counter() - start
        phase[0] = "batch"
        start = time.perf_counter()
        batched = sum(await asyncio.gather(*(batch_writer() for _ in range(WRITERS))))
        batch_s = time.perf_counter() - start
        stop.set()
        await asyncio.gather(*readers)
        seq = (await client.get(f"/elections/{ELECTION}.json")).json()["change"]
        last = await client.get(f"/elections/{ELECTION}.json", params={"min_change": seq + 10**9})
        view = last.json()
    return {"single": single, "single_s": single_s, "batched": batched, "batch_s": batch_s, "reads": reads,
            "phases": phases, "last_view": view}
