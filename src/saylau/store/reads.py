"""Reading an election back: aggregated counts, current protocols, a station's history, warnings."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, and_, select

from saylau.errors import InputError
from saylau.protocols.model import StationProtocol
from saylau.store.elections import election_row, info_from_row, parties_of
from saylau.store.protocol_rows import TOTAL_NAMES, decode_protocol
from saylau.store.records import ProtocolVersion, StoredWarning
from saylau.store.schema import protocol_versions, protocol_warnings, unit_results, units
from saylau.tabulate.aggregate import StationCounts, Unit, aggregate
from saylau.tabulate.model import ElectionData, Level, UnitCounts

__all__ = ["election_data", "protocol_history", "station_protocols", "stations_below", "warnings"]


def election_data(conn: Connection, election_id: str, levels: Iterable[Level] | None) -> ElectionData:
    """Counts of the election's units at ``levels`` (all when None), nation first.

    Units with stored results (official tables) give those; every other unit is
    the sum of the current protocols below it.
    """
    info = info_from_row(election_row(conn, election_id))
    party_info = parties_of(conn, election_id)
    codes = [p.code for p in party_info]
    u = units.c
    tree = [Unit(r.unit_id, r.name, r.level, r.parent, r.kind, bool(r.synthetic), r.stations_total)
            for r in conn.execute(select(u.unit_id, u.name, u.level, u.parent, u.kind, u.synthetic, u.stations_total)
                                  .where(u.election_id == election_id).order_by(u.ordinal))]
    pv = protocol_versions.c
    rows = conn.execute(select(pv.station, pv.registered, pv.ballots_cast, pv.valid, pv.invalid, pv.votes,
                               pv.synthetic).where(and_(pv.election_id == election_id, pv.is_current))).all()
    official = {r.unit_id: r for r in conn.execute(select(unit_results).where(unit_results.c.election_id == election_id))}
    loads = json.loads
    # Votes are stored in ballot order, so the parsed values line up with ``codes``.
    stations = (StationCounts(r.station, (r.registered, r.ballots_cast, r.valid, r.invalid),
                              list(loads(r.votes).values()), bool(r.synthetic)) for r in rows)
    counted = aggregate(tree, stations, codes, levels=levels)
    merged = [_official(c, official[c.unit_id], codes) if c.unit_id in official else c for c in counted]
    return ElectionData(info, party_info, tuple(merged))


def _official(counted: UnitCounts, row: Any, codes: Sequence[str]) -> UnitCounts:
    votes = json.loads(row.votes)
    return UnitCounts(
        unit_id=counted.unit_id, name=counted.name, level=counted.level, parent=counted.parent,
        votes={c: votes[c] for c in codes}, valid=row.valid, registered=row.registered,
        ballots_cast=row.ballots_cast, invalid=row.invalid,
        stations_reported=row.stations_reported if row.stations_reported is not None else counted.stations_reported,
        stations_total=row.stations_total if row.stations_total is not None else counted.stations_total,
        synthetic=bool(row.synthetic), kind=counted.kind)


def stations_below(conn: Connection, election_id: str, unit: str) -> set[str]:
    """The station ids at or below ``unit`` (an id, or a name)."""
    rows = conn.execute(select(units.c.unit_id, units.c.name, units.c.parent, units.c.level)
                        .where(units.c.election_id == election_id)).all()
    by_id = {r.unit_id: r for r in rows}
    start = unit if unit in by_id else next((r.unit_id for r in rows if r.name == unit), None)
    if start is None:
        raise InputError(f"no unit {unit!r} in election {election_id!r}", field="unit", value=unit)
    children: dict[str | None, list[str]] = {}
    for r in rows:
        children.setdefault(r.parent, []).append(r.unit_id)
    found: set[str] = set()
    stack = [start]
    while stack:
        current = stack.pop()
        if by_id[current].level == "station":
            found.add(current)
        stack.extend(children.get(current, ()))
    return found


def station_protocols(conn: Connection, election_id: str, unit: str | None) -> Iterator[StationProtocol]:
    """The current protocol of every station (below ``unit`` when given), in the order they were stored."""
    election_row(conn, election_id)
    below = stations_below(conn, election_id, unit) if unit is not None else None
    pv = protocol_versions.c
    query = (select(pv.station, pv.region, pv.territory, pv.lines, pv.votes, pv.synthetic, pv.source, pv.source_row,
                    pv.url, pv.extra).where(and_(pv.election_id == election_id, pv.is_current)).order_by(pv.id))
    for r in conn.execute(query):
        if below is None or r.station in below:
            yield decode_protocol(r.station, r.region, r.territory, r.lines, r.votes, synthetic=r.synthetic,
                                  source=r.source, row=r.source_row, url=r.url, extra=r.extra)


def protocol_history(conn: Connection, election_id: str, station: str) -> list[ProtocolVersion]:
    """Every stored version of a station's protocol, oldest first."""
    election_row(conn, election_id)
    pv = protocol_versions.c
    rows = conn.execute(select(protocol_versions).where(and_(pv.election_id == election_id, pv.station == station))
                        .order_by(pv.version)).mappings().all()
    return [ProtocolVersion(
        station=r["station"], version=r["version"], current=bool(r["is_current"]),
        protocol=decode_protocol(r["station"], r["region"], r["territory"], r["lines"], r["votes"],
                                 synthetic=r["synthetic"], source=r["source"], row=r["source_row"], url=r["url"],
                                 extra=r["extra"]),
        recorded_by=r["recorded_by"], recorded_at=r["recorded_at"], reason=r["reason"], audit_seq=r["audit_seq"],
        totals={k: r[k] for k in TOTAL_NAMES}) for r in rows]


def warnings(conn: Connection, election_id: str, handled: bool | None) -> list[StoredWarning]:
    """Warnings of the current protocols (all, or only handled / unhandled ones)."""
    pv, pw = protocol_versions.c, protocol_warnings.c
    query = (select(pw.id, pv.election_id, pv.station, pv.version, pw.relation, pw.message, pw.handled,
                    pw.explanation, pw.handled_by, pw.handled_at)
             .join_from(protocol_warnings, protocol_versions, pw.version_id == pv.id)
             .where(and_(pv.election_id == election_id, pv.is_current)).order_by(pw.id))
    if handled is not None:
        query = query.where(pw.handled == handled)
    return [StoredWarning(**{**r._mapping, "handled": bool(r.handled)}) for r in conn.execute(query)]
