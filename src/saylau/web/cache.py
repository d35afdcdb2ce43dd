"""Snapshots of computed pages, keyed by what they show and valid for one value of the change counter.

A page (the national JSON, say) is computed once per change of the store and
then served from memory. While the store changes many times a second (election
night), recomputing on every read would make reads as slow as the computation,
so a reader gets the newest finished snapshot when a newer one is being
computed and it is younger than ``max_stale`` seconds (None: however old, the
newer one being already under way), and one computation at a time runs per key. Every snapshot carries the counter value it reflects,
so nothing is passed off as newer than it is. Computations of one key start at
least ``min_interval`` seconds apart.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

import anyio.to_thread

__all__ = ["Snapshot", "Snapshots"]


@dataclass(frozen=True, slots=True)
class Snapshot:
    seq: int
    computed_at: float
    value: Any


class Snapshots:
    """The newest snapshot per key, with single-flight recomputation in a worker thread."""

    def __init__(self, *, max_stale: float | None = None, max_keys: int = 2048, min_interval: float = 0.0) -> None:
        self.max_stale = max_stale
        self.max_keys = max_keys
        self.min_interval = min_interval
        """Seconds between the starts of two computations of one key: while writes pour in, a page is
        recomputed a few times a second rather than continuously (which would take a core from the writers)."""
        self._entries: dict[Hashable, Snapshot] = {}
        self._running: dict[Hashable, asyncio.Task[Snapshot]] = {}
        self._started: dict[Hashable, float] = {}
        self.computations = 0

    def peek(self, key: Hashable) -> Snapshot | None:
        return self._entries.get(key)

    def clear(self) -> None:
        self._entries.clear()

    async def get(self, key: Hashable, seq: int, compute: Callable[[], Any]) -> Snapshot:
        """A snapshot of ``key`` for counter ``seq`` (or a slightly older one, see the module docstring).

        ``compute()`` returns ``(counter it read, value)``; it runs in a worker thread.
        """
        entry = self._entries.get(key)
        if entry is not None and entry.seq >= seq:
            return entry
        if self.max_stale == 0:
            return await self.refresh(key, seq, compute)
        task = self._running.get(key)
        if task is None:
            task = self._start(key, seq, compute)
            fresh_enough = entry is not None and (
                self.max_stale is None or time.monotonic() - entry.computed_at < self.max_stale)
        else:
            fresh_enough = entry is not None
        if fresh_enough and entry is not None:
            return entry
        return await asyncio.shield(task)

    async def refresh(self, key: Hashable, seq: int, compute: Callable[[], Any]) -> Snapshot:
        """Wait until the snapshot of ``key`` reflects ``seq`` (at most the store's current counter)."""
        entry = self._entries.get(key)
        for _ in range(3):  # a write between the read and the computation needs one more round at most
            if entry is not None and entry.seq >= seq:
                break
            task = self._running.get(key)
            if task is None:
                task = self._start(key, seq, compute)
            entry = await asyncio.shield(task)
        assert entry is not None
        return entry

    def _start(self, key: Hashable, seq: int, compute: Callable[[], Any]) -> asyncio.Task[Snapshot]:
        task = asyncio.ensure_future(self._compute(key, seq, compute))
        # A reader served a stale snapshot does not await the task: its error is still collected.
        task.add_done_callback(lambda t: t.cancelled() or t.exception())
        self._running[key] = task
        return task

    async def _compute(self, key: Hashable, seq: int, compute: Callable[[], Any]) -> Snapshot:
        try:
            wait = self._started.get(key, -1e9) + self.min_interval - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self._started[key] = time.monotonic()
            self.computations += 1
            actual, value = await anyio.to_thread.run_sync(compute)
            # Labelled with the counter the computation itself read: never newer than what it shows.
            snapshot = Snapshot(actual, time.monotonic(), value)
            old = self._entries.get(key)
            if old is None or old.seq <= actual:
                if len(self._entries) >= self.max_keys and key not in self._entries:
                    self._entries.pop(next(iter(self._entries)))
                self._entries[key] = snapshot
            return self._entries[key]
        finally:
            self._running.pop(key, None)
