"""Change notification: one poller per process watches the store's change counter; pages subscribe by SSE.

Writes made through this process announce their audit number at once
(:meth:`ChangeHub.wrote`); writes made elsewhere (another process, ``saylau
ingest``) are seen by the poller within ``interval`` seconds. Readers ask
:meth:`ChangeHub.current` instead of the database while the poller runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

import anyio.to_thread

from saylau.web.status import change_counter

__all__ = ["ChangeHub"]


class ChangeHub:
    """The newest known change counter, and a way to wait for the next one."""

    def __init__(self, engine: Any, *, interval: float = 0.25) -> None:
        # ``engine``: the store's engine (connections are opened on it; no SQL is written here).
        self.engine = engine
        self.interval = interval
        self.seq = 0
        self._polled_at = 0.0
        self._changed: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None

    def _read(self) -> int:
        with self.engine.connect() as conn:
            return change_counter(conn)

    def ensure_started(self) -> None:
        """Start the poller in the running event loop (once)."""
        if self._task is not None and not self._task.done():
            return
        self._loop = asyncio.get_running_loop()
        self._changed = asyncio.Event()
        self._task = asyncio.ensure_future(self._poll())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None

    async def _poll(self) -> None:
        while True:
            try:
                seq = await anyio.to_thread.run_sync(self._read)
            except Exception:  # a busy or restarting database: try again at the next tick
                seq = self.seq
            self._polled_at = time.monotonic()
            self._bump(seq)
            await asyncio.sleep(self.interval)

    def _bump(self, seq: int) -> None:
        if seq > self.seq:
            self.seq = seq
            if self._changed is not None:
                self._changed.set()
                self._changed = asyncio.Event()

    def wrote(self, seq: int | None) -> None:
        """A write of this process got audit number ``seq`` (callable from any thread)."""
        if seq is None:
            return
        if self._loop is not None and self._loop.is_running():
            try:
                running = asyncio.get_running_loop()
            except RuntimeError:
                running = None
            if running is self._loop:
                self._bump(seq)
            else:
                self._loop.call_soon_threadsafe(self._bump, seq)
        else:
            self.seq = max(self.seq, seq)

    async def current(self) -> int:
        """The newest change counter: from the poller while it is live, else read from the database."""
        if self._task is not None and not self._task.done() and time.monotonic() - self._polled_at < 4 * self.interval:
            return self.seq
        seq = await anyio.to_thread.run_sync(self._read)
        self.seq = max(self.seq, seq)
        return self.seq

    async def wait(self, after: int, timeout: float) -> int:
        """Wait until the counter passes ``after`` (or ``timeout`` seconds); the counter then."""
        self.ensure_started()
        deadline = time.monotonic() + timeout
        while self.seq <= after:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self._changed is None:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)
        return self.seq
