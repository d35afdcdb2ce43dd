"""Reading an election back: aggregated counts, current protocols, a station's history, warnings."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from sqlalchemy import BigInteger, Connection, Integer, and_, case, cast, func, select

from saylau.errors import InputError
from saylau.protocols.model import StationProtocol
from saylau.store.blocks import add_leaves, leaves_of, pending_blocks
from saylau.store.bulk import fetch_rows, query_rows
from saylau.store.elections import election_row, info_from_row, line_keys_of, parties_of
from saylau.store.protocol_rows import TOTAL_NAMES, decode_protocol
from saylau.store.records import ProtocolVersion, StoredWarning
from saylau.store.schema import (
    audit_log,
    protocol_batches,
    protocol_urls,
    protocol_versions,
    protocol_warnings,
    unit_results,
    units,
)
from saylau.tabulate.aggregate import Leaf, Unit, aggregate
from saylau.tabulate.model import LEVELS, ElectionData, Level, UnitCounts

__all__ = ["StationCountRows", "election_data", "protocol_history", "station_count_rows", "station_protocols",
           "stations_below", "warnings"]


def election_data(conn: Connection, election_id: str, levels: Iterable[Level] | None) -> ElectionData:
    """Counts of the election's units at ``levels`` (all when None), nation first.

    Units with stored results (official tables) give those; every other unit is
    the sum of the current protocols below it. Without the station level the
    database sums the protocols by territory (one GROUP BY) and Python adds up
    the few thousand groups, and pending blocks are summed per territory from
    their count matrices; with it, every station's row is read (the caller
    unpacks pending blocks first).
    """
    levels = list(levels) if levels is not None else list(LEVELS)
    row = election_row(conn, election_id)
    info = info_from_row(row)
    party_info = parties_of(conn, election_id)
    codes = [p.code for p in party_info]
    by_unit = (("election_id", election_id),)
    if "station" in levels:
        tree = [Unit(*r) for r in fetch_rows(conn, units, Unit._fields, by_unit, order_by="ordinal")]
        rows = fetch_rows(conn, protocol_versions, ("station", "registered", "ballots_cast", "valid", "invalid",
                                                    "votes", "synthetic"), (*by_unit, ("is_current", True)))
        # Votes are stored as arrays in ballot order: parse them all in one call.
        votes = json.loads("[" + ",".join(r[5] for r in rows) + "]")
        leaves = {r[0]: Leaf([*r[1:5], *v], 1, bool(r[6])) for r, v in zip(rows, votes, strict=True)}
        known = None
    else:
        u = units.c
        # A few thousand units: plain DB-API tuples, not one Row object each.
        tree = [Unit(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6]) for r in query_rows(
            conn, f"SELECT {', '.join(Unit._fields)} FROM units WHERE election_id = ? AND level <> 'station' "
            "ORDER BY ordinal", (election_id,))]
        known = dict(conn.execute(select(u.parent, func.count()).where(
            and_(u.election_id == election_id, u.level == "station")).group_by(u.parent)).all())
        pending = pending_blocks(conn, election_id)
        # An election with pending blocks has no protocol rows (the blocks' invariant): nothing to group in SQL.
        leaves = {} if pending else _grouped_leaves(conn, election_id, row["nation_unit"], len(codes))
        if pending:  # the stations of pending blocks, summed per territory from their count matrices
            block_leaves, block_known = leaves_of(pending, row["nation_unit"])
            for unit_id, leaf in block_leaves.items():
                leaves[unit_id] = add_leaves(leaves[unit_id], leaf) if unit_id in leaves else leaf
            for unit_id, count in block_known.items():
                known[unit_id] = known.get(unit_id, 0) + count
    official = {r.unit_id: r for r in conn.execute(select(unit_results).where(unit_results.c.election_id == election_id))}
    counted = aggregate(tree, leaves, codes, stations_known=known, levels=levels)
    merged = [_official(c, official[c.unit_id], codes) if c.unit_id in official else c for c in counted]
    return ElectionData(info, party_info, tuple(merged))


def _grouped_leaves(conn: Connection, election_id: str, nation: str, n_parties: int) -> dict[str, Leaf]:
    """The current protocols summed per territory (or per region, for stations with no territory) in SQL."""
    pv = protocol_versions.c
    n = func.count()

    def total(column: Any) -> Any:  # None unless every protocol has it
        return case((func.count(column) == n, cast(func.sum(column), BigInteger)), else_=None)

    votes = [cast(func.sum(_vote(conn, pv.votes, i)), BigInteger) for i in range(n_parties)]
    query = (select(pv.region, pv.territory, n, total(pv.registered), total(pv.ballots_cast), total(pv.valid),
                    total(pv.invalid), func.max(cast(pv.synthetic, Integer)), *votes)
             .where(and_(pv.election_id == election_id, pv.is_current)).group_by(pv.region, pv.territory))
    leaves: dict[str, Leaf] = {}
    for r in conn.execute(query):
        region, territory, count = r[0], r[1], r[2]
        unit_id = f"{nation}/{region}/{territory}" if territory else f"{nation}/{region}"
        leaves[unit_id] = Leaf([*r[3:7], *r[8:]], count, bool(r[7]))
    return leaves


def _vote(conn: Connection, column: Any, index: int) -> Any:
    """The ``index``-th element of a stored votes array, as an integer, in this database's SQL."""
    if conn.dialect.name == "postgresql":  # imported here: a SQLite-only process never loads the dialect
        from sqlalchemy.dialects.postgresql import JSONB

        return cast(cast(column, JSONB)[index].astext, BigInteger)
    return func.json_extract(column, f"$[{index}]")


def _official(counted: UnitCounts, row: Any, codes: Sequence[str]) -> UnitCounts:
    votes = dict(zip(codes, json.loads(row.votes), strict=True))
    return UnitCounts(
        unit_id=counted.unit_id, name=counted.name, level=counted.level, parent=counted.parent,
        votes={c: votes[c] for c in codes}, valid=row.valid, registered=row.registered,
        ballots_cast=row.ballots_cast, invalid=row.invalid,
        # A table that does not count stations leaves them unknown, unless protocols below the unit say more.
        stations_reported=row.stations_reported if row.stations_reported is not None
        else (counted.stations_reported or None),
        stations_total=row.stations_total if row.stations_total is not None else (counted.stations_total or None),
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
    row = election_row(conn, election_id)
    line_keys, codes = line_keys_of(row) or [], [p.code for p in parties_of(conn, election_id)]
    below = stations_below(conn, election_id, unit) if unit is not None else None
    pv, pb, pu = protocol_versions.c, protocol_batches.c, protocol_urls.c
    query = (select(pv.station, pv.region, pv.territory, pv.lines, pv.votes, pv.synthetic, pb.source, pv.source_row,
                    pu.url, pv.extra)
             .join_from(protocol_versions, protocol_batches, pb.audit_seq == pv.audit_seq)
             .outerjoin(protocol_urls, pu.id == pv.url_ref)
             .where(and_(pv.election_id == election_id, pv.is_current)).order_by(pv.id))
    for r in conn.execute(query):
        if below is None or r.station in below:
            yield decode_protocol(r.station, r.region, r.territory, r.lines, r.votes, line_keys=line_keys,
                                  parties=codes, synthetic=r.synthetic, source=r.source, row=r.source_row, url=r.url,
                                  extra=r.extra)


class StationCountRows(NamedTuple):
    """The current protocols' counts as two integer matrices (NumPy int64), a row per station, for columnar
    readers (forensics, ballots issued): no protocol record is built for a hundred thousand stations."""

    line_keys: list[str]
    party_codes: list[str]
    stations: list[str]
    regions: list[str]
    territories: list[str]
    line_counts: Any
    """stations x ``line_keys``."""
    vote_counts: Any
    """stations x ``party_codes``."""

    def lines(self) -> list[list[int]]:
        return self.line_counts.tolist()  # type: ignore[no-any-return]

    def votes(self) -> list[list[int]]:
        return self.vote_counts.tolist()  # type: ignore[no-any-return]


def _matrix(texts: Sequence[str], width: int) -> Any:
    """Stored JSON arrays of ``width`` integers as one matrix: their insides joined, parsed in one C-level call."""
    import numpy as np

    if not texts or not width:
        return np.zeros((len(texts), width), dtype=np.int64)
    values = np.array(",".join(t[1:-1] for t in texts).split(","), dtype=np.int64)
    if values.size != len(texts) * width:
        raise InputError(f"the stored counts hold {values.size} values for {len(texts)} stations x {width}")
    return values.reshape(len(texts), width)


def station_count_rows(conn: Connection, election_id: str, unit: str | None) -> StationCountRows:
    """The counts of every station's current protocol (below ``unit`` when given), in the order stored: rows,
    or the election's pending blocks (which it has only while it has no protocol rows)."""
    import numpy as np

    row = election_row(conn, election_id)
    line_keys, codes = line_keys_of(row) or [], [p.code for p in parties_of(conn, election_id)]
    pending = pending_blocks(conn, election_id)
    if pending:
        stations = [s for b in pending for s in b.stations]
        places = [b.places[i] for b in pending for i in b.place_index.tolist()]
        matrix = np.concatenate([b.counts for b in pending]) if len(pending) > 1 else pending[0].counts
        if unit is not None:
            keep = _block_stations_below(conn, election_id, unit, row["nation_unit"], stations, places)
            stations = [s for s, k in zip(stations, keep, strict=True) if k]
            places = [p for p, k in zip(places, keep, strict=True) if k]
            matrix = matrix[np.asarray(keep, dtype=bool)]
        n_lines = len(line_keys)
        return StationCountRows(line_keys, codes, stations, [r for r, _ in places], [t or "" for _, t in places],
                                matrix[:, 4:4 + n_lines], matrix[:, 4 + n_lines:4 + n_lines + len(codes)])
    below = stations_below(conn, election_id, unit) if unit is not None else None
    # A hundred thousand rows: plain DB-API tuples, not one Row object each.
    rows = fetch_rows(conn, protocol_versions, ("station", "region", "territory", "lines", "votes"),
                      (("election_id", election_id), ("is_current", True)), order_by="id")
    if below is not None:
        rows = [r for r in rows if r[0] in below]
    stations, regions, territories, line_texts, vote_texts = zip(*rows, strict=True) if rows else ((),) * 5
    return StationCountRows(line_keys, codes, list(stations), list(regions), [t or "" for t in territories],
                            _matrix(line_texts, len(line_keys)), _matrix(vote_texts, len(codes)))


def _block_stations_below(conn: Connection, election_id: str, unit: str, nation: str, stations: Sequence[str],
                          places: Sequence[tuple[str, str | None]]) -> list[bool]:
    """Which of a pending block's stations are at or below ``unit`` (an id or a name of a unit above them, or a
    station id); InputError if no unit has that id or name."""
    rows = conn.execute(select(units.c.unit_id, units.c.name).where(units.c.election_id == election_id)).all()
    start = unit if any(r.unit_id == unit for r in rows) else next((r.unit_id for r in rows if r.name == unit), None)
    if start is None:
        if unit in stations:
            return [s == unit for s in stations]
        raise InputError(f"no unit {unit!r} in election {election_id!r}", field="unit", value=unit)
    cache: dict[tuple[str, str | None], bool] = {}
    for region, territory in dict.fromkeys(places):
        region_id = f"{nation}/{region}"
        cache[region, territory] = start in (nation, region_id, f"{region_id}/{territory}" if territory else None)
    return [cache[p] for p in places]


def protocol_history(conn: Connection, election_id: str, station: str) -> list[ProtocolVersion]:
    """Every stored version of a station's protocol, oldest first (who, when and why from its audit entry)."""
    election = election_row(conn, election_id)
    line_keys, codes = line_keys_of(election) or [], [p.code for p in parties_of(conn, election_id)]
    pv, pb, pu, a = protocol_versions.c, protocol_batches.c, protocol_urls.c, audit_log.c
    query = (select(protocol_versions, pb.source, pu.url, a.actor, a.at, a.reason)
             .join_from(protocol_versions, protocol_batches, pb.audit_seq == pv.audit_seq)
             .join(audit_log, a.seq == pv.audit_seq)
             .outerjoin(protocol_urls, pu.id == pv.url_ref)
             .join(units, units.c.id == pv.unit_ref)  # by the units' name index, then the (unit, version) one
             .where(and_(units.c.election_id == election_id, units.c.unit_id == station)).order_by(pv.version))
    rows = conn.execute(query).mappings().all()
    return [ProtocolVersion(
        station=r["station"], version=r["version"], current=bool(r["is_current"]),
        protocol=decode_protocol(r["station"], r["region"], r["territory"], r["lines"], r["votes"],
                                 line_keys=line_keys, parties=codes, synthetic=r["synthetic"], source=r["source"],
                                 row=r["source_row"], url=r["url"], extra=r["extra"]),
        recorded_by=r["actor"], recorded_at=r["at"], reason=r["reason"], audit_seq=r["audit_seq"],
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
