"""Group commit: concurrent single submissions share a transaction, yet each is checked, authorised, audited and
answered on its own, and only once its transaction is durable (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from web_helpers import ELECTION, REPORTED, Night, body

pytestmark = pytest.mark.anyio

API = f"/api/elections/{ELECTION}"


def committer(night: Night) -> Any:
    return night.app.state.web.committer


async def reported(client: Any) -> int:
    return (await client.get(f"/elections/{ELECTION}.json")).json()["stations"]["reported"]  # type: ignore[no-any-return]


async def _queued(night: Night, count: int) -> None:
    """Wait until ``count`` submissions have reached the committer (taken in a group, or queued)."""
    for _ in range(500):
        if committer(night).items + committer(night)._queue.qsize() >= count:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the submissions did not reach the queue")


async def test_concurrent_submissions_share_a_transaction_with_an_audit_entry_each(night: Night, client: Any) -> None:
    mine = night.unreported(inside=True)[:12]
    lock = night.app.state.web.write_lock
    lock.acquire()  # the writer waits at the lock with its first group while the others queue behind it
    try:
        tasks = [asyncio.ensure_future(client.post(f"{API}/protocols", json=body(p), headers=night.auth("tec")))
                 for p in mine]
        await _queued(night, len(mine))
    finally:
        lock.release()
    answers = await asyncio.gather(*tasks)
    assert [r.status_code for r in answers] == [201] * len(mine)
    assert committer(night).items == len(mine) and committer(night).groups < len(mine)
    seqs = [r.json()["audit_seq"] for r in answers]
    assert len(set(seqs)) == len(mine)
    entries = {e.seq: e for e in night.store.audit_entries(election_id=ELECTION)}
    assert all(entries[s].actor == "tec" and entries[s].subject == f"station {p.station}"
               for s, p in zip(seqs, mine, strict=True))
    assert await reported(client) == REPORTED + len(mine)
    assert night.store.verify_audit_log().ok


async def test_a_bad_submission_does_not_stop_the_others_in_its_group(night: Night, client: Any) -> None:
    good, broken = night.unreported(inside=True)[:2]
    outside = night.unreported(inside=False)[0]
    bad_lines = {**broken.lines, "valid": broken.lines["valid"] + 1}
    lock = night.app.state.web.write_lock
    lock.acquire()
    try:
        tasks = [asyncio.ensure_future(c) for c in (
            client.post(f"{API}/protocols", json=body(good), headers=night.auth("tec")),
            client.post(f"{API}/protocols", json=body(broken, lines=bad_lines), headers=night.auth("tec")),
            client.post(f"{API}/protocols", json=body(outside), headers=night.auth("tec")),
            client.post(f"{API}/protocols", json=body(outside), headers={"authorization": "Bearer sly_forged"}),
            client.post(f"{API}/protocols", json=body(good, votes={**good.votes, "XX": 1}), headers=night.auth("cec")),
        )]
        await _queued(night, 5)
    finally:
        lock.release()
    answers = await asyncio.gather(*tasks)
    assert [r.status_code for r in answers] == [201, 422, 403, 401, 422]
    assert answers[1].json()["violations"] and answers[4].json()["field"] == "votes.XX"
    stored = {p.station for p in night.store.station_protocols(ELECTION)}
    assert good.station in stored and broken.station not in stored and outside.station not in stored
    assert await reported(client) == REPORTED + 1


async def test_no_answer_before_the_sync_that_makes_the_protocol_durable(night: Night, client: Any) -> None:
    p = night.unreported(inside=True)[0]
    writer = committer(night).store
    released = threading.Event()
    synced: list[bool] = []
    real_sync = writer.sync

    def slow_sync() -> None:
        released.wait(10)
        real_sync()
        synced.append(True)

    writer.sync = slow_sync
    try:
        task = asyncio.ensure_future(client.post(f"{API}/protocols", json=body(p), headers=night.auth("tec")))
        for _ in range(500):  # committed (readable by anyone) but not yet synced: the client still waits
            if any(q.station == p.station for q in night.store.station_protocols(ELECTION)):
                break
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.1)
        assert not task.done() and not synced
        released.set()
        answer = await task
    finally:
        released.set()
        writer.sync = real_sync
    assert answer.status_code == 201 and synced == [True]


async def test_a_failed_sync_is_a_503_not_a_201(night: Night, client: Any) -> None:
    p = night.unreported(inside=True)[0]
    writer = committer(night).store
    real_sync = writer.sync

    def failing_sync() -> None:
        raise OSError("disk gone")

    writer.sync = failing_sync
    try:
        answer = await client.post(f"{API}/protocols", json=body(p), headers=night.auth("tec"))
    finally:
        writer.sync = real_sync
    assert answer.status_code == 503 and "on disk" in answer.json()["error"]
    # Committed all the same: submitting it again is a no-op, not a conflict.
    again = await client.post(f"{API}/protocols", json=body(p), headers=night.auth("tec"))
    assert again.status_code == 200 and again.json()["status"] == "unchanged"


async def test_a_queued_submission_is_written_even_if_its_client_gives_up(night: Night, client: Any) -> None:
    gone, later = night.unreported(inside=True)[:2]
    lock = night.app.state.web.write_lock
    lock.acquire()
    try:
        task = asyncio.ensure_future(client.post(f"{API}/protocols", json=body(gone), headers=night.auth("tec")))
        await _queued(night, 1)
        task.cancel()  # the request goes away while its protocol waits for the writer
        with pytest.raises(asyncio.CancelledError):
            await task
    finally:
        lock.release()
    # The writer still stores it, answers nobody, and goes on answering the next one.
    r = await client.post(f"{API}/protocols", json=body(later), headers=night.auth("tec"))
    assert r.status_code == 201
    stored = {p.station for p in night.store.station_protocols(ELECTION)}
    assert {gone.station, later.station} <= stored
    assert await reported(client) == REPORTED + 2
