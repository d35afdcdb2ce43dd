"""Where units are, as the web needs them: a protocol's commission id, the stations an election expects.

On election night the stations are known before their protocols are, so that
"stations reported X of Y" has its Y from the start: :func:`register_stations`
adds the expected stations with the same ids and parents the store's ingest
gives them (``{nation}/{region}``, ``{nation}/{region}/{territory}``, the
station id), and records an audit entry naming how many it added. The reads
(:func:`nation_unit`, :func:`unit_row`) are the store's (SQL lives only there).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from saylau.errors import InputError
from saylau.store.unit_tree import UnitRow, nation_unit, unit_row

__all__ = ["ExpectedStation", "NotFound", "UnitRow", "nation_unit", "register_stations", "territory_id", "unit_row"]


class NotFound(InputError):
    """An election, unit, station or warning that does not exist (HTTP 404 on the web)."""


class ExpectedStation(NamedTuple):
    """A station the election expects a protocol from."""

    station: str
    region: str
    territory: str | None


def territory_id(nation: str, region: str, territory: str | None) -> str:
    """The unit id the store gives the commission a protocol names (its territory, else its region)."""
    return f"{nation}/{region}/{territory}" if territory else f"{nation}/{region}"


def register_stations(store_engine: object, election_id: str, stations: Iterable[ExpectedStation], *,
                      user: str) -> int:
    """Add the expected stations (and their regions and territories) not yet known; how many stations were added."""
    from saylau.store import Store

    return Store(store_engine).register_stations(election_id, stations, user=user)  # type: ignore[arg-type]
