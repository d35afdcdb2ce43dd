"""Helpers of the web tests: the election night under test and protocols as the API takes them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from saylau.protocols import StationProtocol
from saylau.store import Store, open_store

STATIONS = 200
REPORTED = 120
ELECTION = "kz-2021"


@dataclass
class Night:
    """The election night under test: store, app, the synthetic protocols, users' tokens and scopes."""

    store: Store
    app: Any
    protocols: list[StationProtocol]
    tokens: dict[str, str]
    station: StationProtocol
    """The station user's own station (not yet reported)."""
    territory: str
    """The territorial user's territory (the station's)."""

    def auth(self, who: str) -> dict[str, str]:
        return {"authorization": f"Bearer {self.tokens[who]}"}

    def unreported(self, *, inside: bool | None = None) -> list[StationProtocol]:
        """Protocols not yet stored (inside / outside the territorial user's territory)."""
        rest = [p for p in self.protocols[REPORTED:] if p.station != self.station.station]
        if inside is None:
            return rest
        return [p for p in rest if (territory_of(p) == self.territory) == inside]


def territory_of(p: StationProtocol) -> str:
    return f"KZ/{p.region}/{p.territory}"


def body(p: StationProtocol, **changes: Any) -> dict[str, Any]:
    """A protocol as the API takes it."""
    out = {"station": p.station, "region": p.region, "territory": p.territory, "lines": dict(p.lines),
           "votes": dict(p.votes)}
    out.update(changes)
    return out


def unit_path(unit_id: str) -> str:
    return quote(unit_id, safe="/")


def make_night(db: str, *, double_entry: str = "off") -> Night:
    """The night; double entry ``off`` by default (these tests exercise direct submission; the built-in
    default, ``required``, is exercised by test_web_entries)."""
    from saylau.store.users import UserStore
    from saylau.web import create_app, prepare_election

    store = open_store(db)
    done = prepare_election(store, ELECTION, stations=STATIONS, reported=REPORTED, double_entry=double_entry)
    app = create_app(store, max_stale=0.0, refresh_interval=0.0)
    protocols: list[StationProtocol] = done["protocols"]
    own = protocols[-1]
    territory = territory_of(own)
    users = UserStore(store.engine)
    users.add_user("cec", "central")
    users.add_user("tec", "territorial", scope=territory)
    users.add_user("psc", "station", scope=own.station)
    users.add_user("viewer", "public")
    tokens = {name: users.create_token(name) for name in ("cec", "tec", "psc", "viewer")}
    return Night(store, app, protocols, tokens, own, territory)




@contextmanager
def running_server(app: Any) -> Iterator[str]:
    """Serve ``app`` with a real uvicorn server on a free loopback port, in a thread; yields its base URL."""
    import socket
    import threading
    import time

    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           timeout_graceful_shutdown=1, lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
