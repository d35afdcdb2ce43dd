"""Computing page snapshots, in this process or in a worker process of their own.

A national snapshot costs a database aggregation plus the report (seats,
explanation, arch); on election night it is recomputed after every burst of
writes. In a worker process that work runs beside the server's event loop
instead of competing with it for the interpreter lock, so reading a cached
page stays fast while the next one is computed. The worker opens the same
store by URL and keeps it open.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any
from urllib.parse import quote

from saylau.store import Store, open_store

__all__ = ["Computer", "board_snapshot", "results_snapshot"]

_STORES: dict[str, Store] = {}


def _store(url: str) -> Store:
    if url not in _STORES:
        _STORES[url] = open_store(url, migrate=False)
    return _STORES[url]


def _open(url: str) -> None:
    _store(url)


def _watch_parent(parent: int) -> None:
    """In a worker: exit as soon as the server that started it is gone (killed, not shut down)."""
    import os
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def _encode(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def results_snapshot(store: Store | str, election_id: str,
                     unit_id: str | None) -> tuple[int, tuple[dict[str, Any], bytes, dict[str, bytes]]]:
    """(change counter, (page dict, its JSON, its page for anonymous readers in each language)) of the nation
    or a unit."""
    from saylau.web.i18n import LANGUAGES
    from saylau.web.render import render_results
    from saylau.web.views import results_view

    view = results_view(_store(store) if isinstance(store, str) else store, election_id, unit_id)
    pages = {lang: render_results(view, lang).encode("utf-8") for lang in LANGUAGES}
    twin = {k: v for k, v in view.items() if not k.startswith("_")}  # "_arch": the page's, not the twin's
    return view["change"], (view, _encode(twin), pages)


def board_snapshot(store: Store | str, election_id: str) -> tuple[int, dict[str, Any]]:
    """(change counter, board dict) of the election's progress board."""
    from saylau.web.progress import progress_board
    from saylau.web.status import change_counter, last_updated

    opened = _store(store) if isinstance(store, str) else store
    with opened.engine.connect() as conn:
        seq = change_counter(conn)
        board = progress_board(conn, election_id)
        board["last_updated"] = last_updated(conn, election_id)
    board["title"] = opened.election_info(election_id).title
    board["$schema"] = f"/elections/{quote(election_id, safe='')}/board.schema.json"
    board["change"] = seq
    return seq, board


class Computer:
    """Runs snapshot functions: in the calling thread, or in ``processes`` worker processes."""

    def __init__(self, store: Store, processes: int = 0) -> None:
        self.store = store
        self.url = store.engine.url.render_as_string(hide_password=False)
        self.processes = processes
        self._pool: Executor | None = None

    def _executor(self) -> Executor:
        if self._pool is None:
            # spawn: the server has threads, which fork would copy in an undefined state.
            self._pool = ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_watch_parent, initargs=(os.getpid(),))
        return self._pool

    def bind(self, fn: Callable[..., Any], *args: Any) -> Callable[[], Any]:
        """A no-argument callable computing ``fn(store, *args)`` where this computer runs things."""
        if not self.processes:
            return lambda: fn(self.store, *args)
        executor = self._executor()
        url = self.url
        return lambda: executor.submit(fn, url, *args).result()

    def warm_up(self) -> None:
        """Start the worker processes now rather than on the first page."""
        if self.processes:
            self._executor().submit(_open, self.url).result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
