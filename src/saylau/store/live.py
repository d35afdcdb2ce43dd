"""What the live web pages ask the store, each read named for what it answers.

The change counter and when an election last changed (the audit chain's
head), its stored status, the progress of the count per territory, the
stations registered under a commission, and the figures and warnings the
alarm rules work on. Every function takes an open connection (or the engine,
for writes), so a page reads everything it needs in one connection.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from sqlalchemy import Connection, Engine, Integer, and_, case, cast, distinct, func, select

from saylau.errors import InputError
from saylau.store.engine import write_transaction
from saylau.store.schema import (
    audit_head,
    audit_log,
    elections,
    protocol_versions,
    protocol_warnings,
    units,
)

__all__ = [
    "StationFigures",
    "TerritoryProgress",
    "add_station_warnings",
    "change_counter",
    "current_station_figures",
    "last_updated",
    "open_warnings_by_territory",
    "progress_by_unit",
    "station_warnings",
    "stations_registered_under",
    "stored_status",
    "upper_units",
]


def change_counter(conn: Connection) -> int:
    """The number of the newest audit entry: it grows with every write."""
    return int(conn.execute(select(audit_head.c.seq).where(audit_head.c.id == 1)).scalar_one())


def last_updated(conn: Connection, election_id: str) -> str | None:
    """When the election last changed (its newest audit entry's time, UTC ISO 8601)."""
    seq = conn.execute(select(func.max(audit_log.c.seq)).where(audit_log.c.election_id == election_id)).scalar()
    if seq is None:
        return None
    return conn.execute(select(audit_log.c.at).where(audit_log.c.seq == seq)).scalar()  # type: ignore[no-any-return]


def stored_status(conn: Connection, election_id: str) -> str:
    """The election's stored status; InputError for an unknown election."""
    value = conn.execute(select(elections.c.status).where(elections.c.id == election_id)).scalar()
    if value is None:
        raise InputError("no such election", field="election", value=election_id)
    return str(value)


def upper_units(conn: Connection, election_id: str) -> list[Any]:
    """The regions and territorial commissions, in the order registered (unit_id, name, level, parent)."""
    u = units.c
    return list(conn.execute(select(u.unit_id, u.name, u.level, u.parent).where(
        and_(u.election_id == election_id, u.level.in_(("region", "territory")))).order_by(u.ordinal)).all())


class TerritoryProgress(NamedTuple):
    """The count's progress below one territorial commission (keyed by region and territory names)."""

    region: str
    territory: str | None
    reported: int
    corrected: int


def progress_by_unit(conn: Connection, election_id: str) -> tuple[dict[str, int], list[TerritoryProgress]]:
    """Stations registered per parent unit, and current protocols (and corrections) per region and territory.

    Two GROUP BY queries: the board costs the same at 10,060 stations as at ten.
    """
    u, pv = units.c, protocol_versions.c
    expected = {str(parent): int(n) for parent, n in conn.execute(select(u.parent, func.count()).where(
        and_(u.election_id == election_id, u.level == "station")).group_by(u.parent)).all()}
    reported = [TerritoryProgress(region, territory, int(count), int(corrected or 0))
                for region, territory, count, corrected in conn.execute(
                    select(pv.region, pv.territory, func.count(),
                           func.sum(cast(case((pv.version > 1, 1), else_=0), Integer)))
                    .where(and_(pv.election_id == election_id, pv.is_current)).group_by(pv.region, pv.territory))]
    return expected, reported


def open_warnings_by_territory(conn: Connection, election_id: str) -> list[tuple[str, str | None, int, int]]:
    """(region, territory, stations with an open warning, of them with a high-severity one) per territory."""
    from saylau.tabulate.alarms import HIGH, SEVERITY

    pv, pw = protocol_versions.c, protocol_warnings.c
    low = [relation for relation, severity in SEVERITY.items() if severity < HIGH]
    return [(region, territory, int(count), int(high or 0)) for region, territory, count, high in conn.execute(
        select(pv.region, pv.territory, func.count(distinct(pv.station)),
               func.count(distinct(case((~pw.relation.in_(low), pv.station), else_=None))))
        .join_from(protocol_warnings, protocol_versions, pw.version_id == pv.id)
        .where(and_(pv.election_id == election_id, pv.is_current, ~pw.handled)).group_by(pv.region, pv.territory))]


def stations_registered_under(conn: Connection, election_id: str, parent: str) -> list[str]:
    """The stations registered under a commission, in the order registered."""
    u = units.c
    return [r[0] for r in conn.execute(select(u.unit_id).where(and_(
        u.election_id == election_id, u.parent == parent, u.level == "station")).order_by(u.ordinal))]


class StationFigures(NamedTuple):
    """A current protocol's figures the alarm rules read."""

    version_id: int
    station: str
    region: str
    registered: int | None
    ballots_cast: int | None
    invalid: int | None
    votes: dict[str, int]


def current_station_figures(conn: Connection, election_id: str,
                            stations: Sequence[str] | None = None) -> tuple[list[str], list[StationFigures]]:
    """(party codes, the figures of every current protocol, or of ``stations``) in the order stored."""
    import json

    from saylau.store.reads import parties_of

    codes = [p.code for p in parties_of(conn, election_id)]
    pv = protocol_versions.c
    query = (select(pv.id, pv.station, pv.region, pv.registered, pv.ballots_cast, pv.invalid, pv.votes)
             .where(and_(pv.election_id == election_id, pv.is_current)).order_by(pv.id))
    rows: list[Any] = []
    if stations is None:
        rows = list(conn.execute(query).all())
    else:
        wanted = list(stations)
        for start in range(0, len(wanted), 500):
            rows.extend(conn.execute(query.where(pv.station.in_(wanted[start:start + 500]))).all())
    figures = []
    for r in rows:
        counts = json.loads(r.votes) if isinstance(r.votes, str) else list(r.votes or [])
        figures.append(StationFigures(r.id, r.station, r.region, r.registered, r.ballots_cast, r.invalid,
                                      dict(zip(codes, counts, strict=False))))
    return codes, figures


def region_vote_totals(conn: Connection, election_id: str) -> dict[str, dict[str, int]]:
    """Votes per party in each region over the current protocols (the alarms' reference shares)."""
    codes, figures = current_station_figures(conn, election_id)
    totals: dict[str, dict[str, int]] = {}
    for f in figures:
        region = totals.setdefault(f.region, dict.fromkeys(codes, 0))
        for code, v in f.votes.items():
            region[code] = region.get(code, 0) + v
    return totals


def add_station_warnings(engine: Engine, election_id: str, rows: Iterable[tuple[int, str, str]],
                         relations: Sequence[str]) -> int:
    """Store (version id, relation, message) warnings a protocol lacks (among ``relations``); how many were new.

    The new rows are written with their own audit entry and tracked by the row ledger, as every stored row.
    """
    from saylau.store import chain
    from saylau.store.audit import append_entry

    pw = protocol_warnings.c
    wanted = list(rows)
    if not wanted:
        return 0
    with write_transaction(engine) as conn:
        ids = sorted({version for version, _, _ in wanted})
        have: set[tuple[int, str]] = set()
        for start in range(0, len(ids), 500):
            have.update((int(v), str(r)) for v, r in conn.execute(select(pw.version_id, pw.relation).where(and_(
                pw.version_id.in_(ids[start:start + 500]), pw.relation.in_(list(relations))))).all())
        new = [{"version_id": version, "relation": relation, "message": message, "handled": False}
               for version, relation, message in wanted if (version, relation) not in have]
        if new:
            append_entry(conn, actor="saylau", action="policy-warnings", election_id=election_id,
                         subject=f"{len(new)} policy warnings")
            conn.execute(protocol_warnings.insert(), new)
            chain.track_where(conn, protocol_warnings, "version_id", [r["version_id"] for r in new])
    return len(new)


def station_warnings(conn: Connection, election_id: str, station: str) -> list[dict[str, object]]:
    """The stored warnings of a station's current protocol (one indexed query, whatever the election's size)."""
    pv, pw = protocol_versions.c, protocol_warnings.c
    query = (select(pw.id, pv.election_id, pv.station, pv.version, pw.relation, pw.message, pw.handled,
                    pw.explanation, pw.handled_by, pw.handled_at)
             .join_from(protocol_warnings, protocol_versions, pw.version_id == pv.id)
             .where(and_(pv.election_id == election_id, pv.station == station, pv.is_current)).order_by(pw.id))
    return [{**row._mapping, "handled": bool(row.handled)} for row in conn.execute(query)]
