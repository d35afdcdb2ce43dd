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
from typing import Any, NamedTuple

from sqlalchemy import Connection, Engine, and_, func, select

from saylau.errors import InputError
from saylau.store import audit
from saylau.store.engine import write_transaction
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
    with write_transaction(engine) as conn:
        nation = nation_unit(conn, election_id)
        u = units.c
        known = dict(conn.execute(select(u.unit_id, u.parent).where(u.election_id == election_id)).all())
        ordinal = conn.execute(select(func.max(u.ordinal)).where(u.election_id == election_id)).scalar() or 0
        rows: list[dict[str, Any]] = []
        added = 0

        def add(unit_id: str, name: str, level: str, parent: str) -> None:
            nonlocal ordinal
            ordinal += 1
            rows.append({"election_id": election_id, "unit_id": unit_id, "ordinal": ordinal, "name": name,
                         "level": level, "parent": parent, "kind": level, "synthetic": False,
                         "stations_total": None})
            known[unit_id] = parent

        for s in stations:
            region_id = f"{nation}/{s.region}"
            if region_id not in known:
                add(region_id, s.region, "region", nation)
            parent = territory_id(nation, s.region, s.territory)
            if parent not in known:
                add(parent, s.territory or s.region, "territory", region_id)
            if s.station in known:
                if known[s.station] != parent:
                    raise InputError(f"station {s.station!r} is registered under {known[s.station]!r}",
                                     field="station", value=s.station)
                continue
            add(s.station, s.station, "station", parent)
            added += 1
        if rows:
            audit.append_entry(conn, actor=user, action="register-stations", election_id=election_id,
                               subject=f"{added} expected stations",
                               payload_hash=audit.payload_hash([[r["unit_id"], r["parent"]] for r in rows]))
            conn.execute(units.insert(), rows)
    return added
