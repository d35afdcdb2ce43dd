"""Election night on loopback: 8 clients submit the 10,060 kz-2021 protocols one per request while 20 readers poll the national page.

A real server (``saylau serve``: uvicorn, embedded SQLite) runs in a
subprocess. Eight writers, each signed in with a territorial commission's API
token, submit every one of the 10,060 synthetic protocols one per request
(``POST /api/elections/kz-2021/protocols``: the figure the 1,000/s target is
about), while 20 readers fetch the national page (``/elections/kz-2021``,
HTML) every ``READ_EVERY`` seconds. Afterwards the database must hold exactly
10,060 current protocols and the national totals must equal the generated
ones. Then a second server with a fresh database takes the same protocols
through the batch endpoint (``BATCH`` per request, one transaction each),
reported separately. The anchors are the store's own ``submit_protocol``
called in process, without HTTP, and the web stack's floor: FastAPI on
uvicorn answering the same requests with nothing behind the route
(``bench/bare_app.py``), loaded by the same writers. The load generator is aiohttp (its C
parser keeps the client from starving the server it measures on 2 cores);
the machine's load average is printed with each figure, since other
processes share the machine.
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
BATCH = 200
READ_EVERY = 0.5
ELECTION = "kz-2021"
PAGE = f"/elections/{ELECTION}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _payload(p: Any) -> dict[str, Any]:
    return {"station": p.station, "region": p.region, "territory": p.territory, "lines": dict(p.lines),
            "votes": dict(p.votes)}


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.2f}/{five:.2f}"


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


def _night_db(folder: Path, name: str) -> tuple[Any, list[Any], dict[str, str], Path]:
    """A store with kz-2021 prepared (10,060 stations expected, none reported) and a token per territory."""
    from saylau.store import open_store
    from saylau.store.users import UserStore
    from saylau.web.setup import prepare_election

    db = folder / name
    store = open_store(db)
    # Territorial commissions submit directly: the synthetic election runs without double entry (the built-in
    # default is ``required``, under which each protocol would be typed twice).
    protocols = prepare_election(store, ELECTION, reported=0, double_entry="off")["protocols"]
    users = UserStore(store.engine)
    tokens: dict[str, str] = {}
    for p in protocols:
        territory = f"KZ/{p.region}/{p.territory}"
        if territory not in tokens:
            users.add_user(f"tec:{territory}", "territorial", scope=territory)
            tokens[territory] = users.create_token(f"tec:{territory}")
    return store, protocols, tokens, db


def run(report: Report) -> None:
    from saylau.store import open_store
    from saylau.web.setup import prepare_election

    folder = Path(tempfile.mkdtemp(prefix="saylau-bench-web-"))
    store, protocols, tokens, db = _night_db(folder, "night.sqlite")

    # The anchor: the store's submit_protocol in process, one protocol per transaction.
    anchor_store = open_store(folder / "anchor.sqlite")
    prepare_election(anchor_store, ELECTION, reported=0, double_entry="off")
    sample = protocols[:200]
    start = time.perf_counter()
    for p in sample:
        anchor_store.submit_protocol(ELECTION, p, user="anchor")
    anchor_s = (time.perf_counter() - start) / len(sample)
    anchor_store.close()

    with _server(db) as server:
        before = server.cpu_seconds()
        single = asyncio.run(_single_night(server.base, protocols, tokens))
        after = server.cpu_seconds()
    rate = len(protocols) / single["seconds"]
    report.figure(f"single-protocol submissions, {WRITERS} clients", f"{rate:,.0f} protocols/s "
                  f"({len(protocols):,} in {single['seconds']:.1f} s; {single['load']})", ">= 1,000/s", rate >= 1000)
    report.compare("time per protocol, HTTP with 8 clients vs in process", single["seconds"] / len(protocols),
                   "submit_protocol", anchor_s)
    if before is not None and after is not None:  # CPU is steadier than wall time on a shared machine
        server_cpu, helpers_cpu = (a - b for a, b in zip(after, before, strict=True))
        report.figure("CPU per protocol: server process / its helper processes",
                      f"{fmt_seconds(server_cpu / len(protocols)).strip()} / "
                      f"{fmt_seconds(helpers_cpu / len(protocols)).strip()}")
    floor = _stack_floor(protocols)
    report.figure("  the web stack alone (bench/bare_app.py), same load",
                  f"{len(protocols) / floor['seconds']:,.0f} requests/s ({floor['load']})")
    if floor["cpu"] is not None and before is not None and after is not None:
        report.compare("server CPU per protocol vs the web stack alone", server_cpu / len(protocols),
                       "FastAPI+uvicorn", floor["cpu"] / len(protocols))
    reads = single["reads"]
    report.figure(f"national page read p50, {READERS} readers every {READ_EVERY:g} s", fmt_seconds(
        statistics.median(reads)).strip())
    report.figure(f"national page read p99 ({len(reads):,} reads)", fmt_seconds(_p99(reads)).strip(), "<= 100 ms",
                  _p99(reads) <= 0.100)
    _check_exact(report, store, protocols, single["last_view"])
    store.close()

    # The batch endpoint, on a fresh database: a territory's protocols per request, one transaction each.
    batch_store, _, batch_tokens, batch_db = _night_db(folder, "batch.sqlite")
    with _server(batch_db) as server:
        batched = asyncio.run(_batch_night(server.base, protocols, batch_tokens))
    report.figure(f"batch submissions ({BATCH}/request), {WRITERS} clients",
                  f"{len(protocols) / batched['seconds']:,.0f} protocols/s ({len(protocols):,} in "
                  f"{batched['seconds']:.1f} s; {batched['load']})")
    report.figure("  national page read p99 meanwhile", fmt_seconds(_p99(batched["reads"])).strip())
    _check_exact(report, batch_store, protocols, batched["last_view"], label="batch: ")
    batch_store.close()


def _check_exact(report: Report, store: Any, protocols: list[Any], view: dict[str, Any], label: str = "") -> None:
    """Nothing lost, nothing doubled: exactly the generated protocols and their totals, stored and shown."""
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
    assert view["stations"]["reported"] == 10060
    assert {p["code"]: p["votes"] for p in view["parties"]} == expected
    assert store.verify_audit_log().ok
    report.figure(f"{label}stored protocols / national totals / audit log",
                  f"{current:,} / equal to the generated ones / verified", "10,060 / equal", True)


def _stack_floor(protocols: list[Any]) -> dict[str, Any]:
    """The same writers posting the same bodies to ``bench/bare_app.py``: its seconds and server CPU seconds."""
    with _server(None) as server:
        before = server.cpu_seconds()
        seconds = asyncio.run(_post_all(server.base, protocols, None))
        after = server.cpu_seconds()
        load = _load()
    cpu = after[0] - before[0] if before is not None and after is not None else None
    return {"seconds": seconds, "cpu": cpu, "load": load}


class _server:
    """``saylau serve`` on a free loopback port, in a subprocess (``db`` None: ``bench/bare_app.py`` on uvicorn)."""

    def __init__(self, db: Path | None) -> None:
        self.db = db

    def __enter__(self) -> _server:
        port = _free_port()
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        if self.db is None:
            command = ["-m", "uvicorn", "bench.bare_app:app", "--port", str(port), "--log-level", "warning"]
            ready = "/openapi.json"
        else:
            command = ["-m", "saylau", "serve", "--db", str(self.db), "--port", str(port)]
            ready = "/elections.json"
        self.process = subprocess.Popen([sys.executable, *command], stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, env=env, cwd=Path(__file__).resolve().parents[1])
        self.base = f"http://127.0.0.1:{port}"
        _wait_until_up(self.base + ready, self.process)
        return self

    def cpu_seconds(self) -> tuple[float, float] | None:
        """CPU seconds used so far by the server process and by its child processes (Linux /proc; else None)."""
        try:
            # A helper is the child of the thread that started it: ask every thread of the server.
            tasks = Path(f"/proc/{self.process.pid}/task")
            children = {int(c) for t in tasks.iterdir() for c in (t / "children").read_text().split()}
            return _cpu_of(self.process.pid), sum(_cpu_of(c) for c in children)
        except OSError:
            return None

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _cpu_of(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _wait_until_up(url: str, server: subprocess.Popen[bytes]) -> None:
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            out = server.stdout.read().decode() if server.stdout else ""
            raise RuntimeError(f"saylau serve exited: {out}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("saylau serve did not start")


def _readers_process(base: str, stop: Any, results: Any) -> None:
    """The readers, in a process of their own (as they would be on other machines): each fetches the national
    page every ``READ_EVERY`` seconds until ``stop`` is set; the timings go to ``results``."""
    import aiohttp

    async def main() -> list[float]:
        reads: list[float] = []
        connector = aiohttp.TCPConnector(limit=READERS + 2)
        async with aiohttp.ClientSession(base, connector=connector) as session:

            async def reader() -> None:
                while not stop.is_set():
                    start = time.perf_counter()
                    async with session.get(PAGE) as r:
                        await r.read()
                        assert r.status == 200, r.status
                    reads.append(time.perf_counter() - start)
                    await asyncio.sleep(READ_EVERY)

            await asyncio.gather(*(reader() for _ in range(READERS)))
        return reads

    results.put(asyncio.run(main()))


async def _with_readers(base: str, work: Any) -> dict[str, Any]:
    """Run ``work(session)`` while the readers poll the national page; its seconds, the reads, the last view."""
    import multiprocessing

    import aiohttp

    connector = aiohttp.TCPConnector(limit=WRITERS + 4)
    async with aiohttp.ClientSession(base, connector=connector, timeout=aiohttp.ClientTimeout(total=120)) as session:
        # Steady state, not a cold start: the first national page (imports, first aggregation) comes first.
        async with session.get(PAGE) as r:
            assert r.status == 200
        context = multiprocessing.get_context("spawn")
        stop, results = context.Event(), context.Queue()
        readers = context.Process(target=_readers_process, args=(base, stop, results), daemon=True)
        readers.start()
        await asyncio.sleep(1.5)  # the readers' process is up and polling
        start = time.perf_counter()
        await work(session)
        seconds = time.perf_counter() - start
        load = _load()
        stop.set()
        reads = await asyncio.to_thread(results.get, True, 60)
        readers.join(10)
        # The newest snapshot: the server waits for one reflecting its own newest change (at most that).
        async with session.get(f"{PAGE}.json", params={"min_change": str(2**62)}) as r:
            view = await r.json()
    return {"seconds": seconds, "reads": reads, "last_view": view, "load": load}


def _auth(tokens: dict[str, str], p: Any) -> dict[str, str]:
    return {"authorization": f"Bearer {tokens[f'KZ/{p.region}/{p.territory}']}"}


async def _single_night(base: str, protocols: list[Any], tokens: dict[str, str]) -> dict[str, Any]:
    return await _with_readers(base, lambda session: _writers(session, protocols, tokens))


async def _writers(session: Any, protocols: list[Any], tokens: dict[str, str] | None) -> None:
    """``WRITERS`` clients posting ``protocols`` one per request, each waiting for its answer (201)."""
    queue = list(reversed(protocols))

    async def writer() -> None:
        while queue:
            p = queue.pop()
            async with session.post(f"/api/elections/{ELECTION}/protocols", json=_payload(p),
                                    headers=_auth(tokens, p) if tokens else None) as r:
                body = await r.read()
                assert r.status == 201, body

    await asyncio.gather(*(writer() for _ in range(WRITERS)))


async def _post_all(base: str, protocols: list[Any], tokens: dict[str, str] | None) -> float:
    """Seconds for the writers alone to post ``protocols`` to ``base``."""
    import aiohttp

    connector = aiohttp.TCPConnector(limit=WRITERS + 4)
    async with aiohttp.ClientSession(base, connector=connector, timeout=aiohttp.ClientTimeout(total=120)) as session:
        start = time.perf_counter()
        await _writers(session, protocols, tokens)
        return time.perf_counter() - start


async def _batch_night(base: str, protocols: list[Any], tokens: dict[str, str]) -> dict[str, Any]:
    queue = list(reversed(protocols))

    async def work(session: Any) -> None:
        async def writer() -> None:
            while queue:
                # One territory per batch: a territorial commission submits its own stations.
                first = queue.pop()
                chunk = [first]
                while queue and len(chunk) < BATCH and queue[-1].territory == first.territory:
                    chunk.append(queue.pop())
                async with session.post(f"/api/elections/{ELECTION}/protocols/batch",
                                        json={"protocols": [_payload(p) for p in chunk]},
                                        headers=_auth(tokens, first)) as r:
                    body = await r.read()
                    assert r.status == 201, body

        await asyncio.gather(*(writer() for _ in range(WRITERS)))

    return await _with_readers(base, work)
