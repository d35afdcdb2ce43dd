"""Where units are: the election's nation unit, a unit's row, and the stations an election expects.

The store creates region, territory and station units when protocols arrive.
On election night the stations are known before their protocols are, so that
"stations reported X of Y" has its Y from the start: :func:`register_stations`
adds the expected stations with the same ids and parents the store's ingest
gives them (``{nation}/{region}``, ``{nation}/{region}/{territory}``, the
station id), and records an audit entry naming how many it added.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from sqlalchemy import Connection, Engine, and_, select

from saylau.errors import InputError
from saylau.store.schema import elections, units

__all__ = ["ExpectedStation", "NotFound", "UnitRow", "nation_unit", "register_stations", "station_parent", "territory_id",
           "unit_row"]


class NotFound(InputError):
    """An election, unit, station or warning that does not exist (HTTP 404 on the web)."""


class UnitRow(NamedTuple):
    unit_id: str
    name: str
    level: str
    parent: str | None


class ExpectedStation(NamedTuple):
    """A station the election expects a protocol from."""

    station: str
    region: str
    territory: str | None


def nation_unit(conn: Connection, election_id: str) -> str:
    """The id of the election's nation unit; InputError if there is no such election."""
    value = conn.execute(select(elections.c.nation_unit).where(elections.c.id == election_id)).scalar()
    if value is None:
        raise InputError("no such election", field="election", value=election_id)
    return str(value)


def territory_id(nation: str, region: str, territory: str | None) -> str:
    """The unit id the store gives the commission a protocol names (its territory, else its region)."""
    return f"{nation}/{region}/{territory}" if territory else f"{nation}/{region}"


def unit_row(conn: Connection, election_id: str, unit_id: str) -> UnitRow | None:
    u = units.c
    row = conn.execute(select(u.unit_id, u.name, u.level, u.parent)
                       .where(and_(u.election_id == election_id, u.unit_id == unit_id))).first()
    return None if row is None else UnitRow(*row)


def station_parent(conn: Connection, election_id: str, station: str) -> str | None:
    """The unit a registered station belongs to (None if the station is not known yet)."""
    row = unit_row(conn, election_id, station)
    return None if row is None or row.level != "station" else row.parent


def register_stations(engine: Engine, election_id: str, stations: Iterable[ExpectedStation], *, user: str) -> int:
    """Add the expected stations (and their regions and territories) not yet known; how many stations were added."""
    from saylau.store import Store

    return Store(engine).register_stations(election_id, stations, user=user)
