"""Writing protocols under the lock: current versions, units, superseded flags, versions, warnings, audit entry."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, and_, select, update

from saylau.protocols import ProtocolBatch, Violation
from saylau.store import audit
from saylau.store.bulk import fetch_rows, insert_rows
from saylau.store.elections import election_row, next_ordinal, unit_parents
from saylau.store.protocol_rows import Current, Encoded, Plan
from saylau.store.schema import protocol_versions, protocol_warnings, units

__all__ = ["current_versions", "write_plan"]

#: Stations per ``IN (...)`` query (well under every backend's parameter limit).
_IN_BATCH = 500


def current_versions(conn: Connection, election_id: str, stations: Collection[str] | None = None) -> dict[str, Current]:
    """The current version of each station (of ``stations``, or of all) of the election."""
    columns = ("id", "station", "version", "region", "territory", "lines", "votes", "synthetic")
    if stations is None or len(stations) > 4 * _IN_BATCH:
        # One scan beats many lookups for big batches.
        rows = fetch_rows(conn, protocol_versions, columns, (("election_id", election_id), ("is_current", True)))
        wanted = None if stations is None else set(stations)
        return {r[1]: Current(r[0], r[1], r[2], r[3], r[4], r[5], r[6], bool(r[7])) for r in rows
                if wanted is None or r[1] in wanted}
    pv = protocol_versions.c
    query = select(*(pv[c] for c in columns)).where(and_(pv.election_id == election_id, pv.is_current))
    ordered = sorted(set(stations))
    found: dict[str, Current] = {}
    for i in range(0, len(ordered), _IN_BATCH):
        for r in conn.execute(query.where(pv.station.in_(ordered[i:i + _IN_BATCH]))):
            found[r.station] = Current(r.id, r.station, r.version, r.region, r.territory, r.lines, r.votes,
                                       bool(r.synthetic))
    return found


_VERSION_COLUMNS = ("election_id", "station", "version", "is_current", "region", "territory", "lines", "votes",
                    "registered", "ballots_cast", "valid", "invalid", "synthetic", "source", "source_row", "url",
                    "extra", "recorded_by", "recorded_at", "reason", "audit_seq")


def write_plan(conn: Connection, election_id: str, plan: Plan, batch: ProtocolBatch,
               warnings: Mapping[int, Sequence[Violation]], *, user: str, action: str, reason: str | None,
               subject: str) -> tuple[int | None, int]:
    """Write ``plan`` (the caller holds the write lock); the audit entry's number and how many carry warnings."""
    if plan.empty:
        return None, 0
    rows: list[tuple[Encoded, int]] = [(e, 1) for e in plan.new]
    rows += [(e, old.version + 1) for e, old in plan.corrections]
    payload = audit.payload_hash([e.record(version) for e, version in rows])
    entry = audit.append_entry(conn, actor=user, action=action, election_id=election_id, subject=subject,
                               reason=reason, payload_hash=payload)
    _ensure_units(conn, election_id, [e for e, _ in rows])
    if plan.corrections:
        superseded = [old.id for _, old in plan.corrections]
        for i in range(0, len(superseded), _IN_BATCH):
            conn.execute(update(protocol_versions).where(protocol_versions.c.id.in_(superseded[i:i + _IN_BATCH]))
                         .values(is_current=False))
    table = batch.table
    urls = table.urls or [None] * len(table)
    extras = table.extras
    source_rows = table.rows
    source, at, seq = batch.source, entry.at, entry.seq
    insert_rows(conn, protocol_versions, _VERSION_COLUMNS, [
        (election_id, e.station, version, True, e.region, e.territory, e.lines, e.votes, *e.totals, e.synthetic,
         source, source_rows[e.index], urls[e.index], _extra(extras, e.index), user, at, reason, seq)
        for e, version in rows])
    warned = [(e, warnings[e.index]) for e, _ in rows if e.index in warnings]
    if warned:
        pv = protocol_versions.c
        ids = {r.station: r.id for r in conn.execute(select(pv.station, pv.id).where(and_(
            pv.election_id == election_id, pv.is_current, pv.station.in_([e.station for e, _ in warned]))))}
        conn.execute(protocol_warnings.insert(), [
            {"version_id": ids[e.station], "relation": v.relation, "message": v.describe(), "handled": False}
            for e, violations in warned for v in violations])
    return seq, len(warned)


def _extra(extras: Sequence[Mapping[str, str]] | None, index: int) -> str:
    if not extras or not extras[index]:
        return "{}"
    return json.dumps(dict(extras[index]), ensure_ascii=False, sort_keys=True)


_UNIT_COLUMNS = ("election_id", "unit_id", "ordinal", "name", "level", "parent", "kind", "synthetic",
                 "stations_total")


def _ensure_units(conn: Connection, election_id: str, protocols: Sequence[Encoded]) -> None:
    """Add the regions, territories and stations not yet known; move a station a correction moves."""
    nation = election_row(conn, election_id)["nation_unit"]
    existing = unit_parents(conn, election_id)
    ordinal = next_ordinal(conn, election_id)
    new: list[tuple[Any, ...]] = []
    moved: list[tuple[str, str]] = []
    for p in protocols:
        region_id = f"{nation}/{p.region}"
        if region_id not in existing:
            new.append((election_id, region_id, ordinal + len(new), p.region, "region", nation, "region", False, None))
            existing[region_id] = nation
        parent = region_id
        if p.territory:
            parent = f"{region_id}/{p.territory}"
            if parent not in existing:
                new.append((election_id, parent, ordinal + len(new), p.territory, "territory", region_id, "territory",
                            False, None))
                existing[parent] = region_id
        if p.station not in existing:
            new.append((election_id, p.station, ordinal + len(new), p.station, "station", parent, "station", False,
                        None))
            existing[p.station] = parent
        elif existing[p.station] != parent:
            moved.append((p.station, parent))
    insert_rows(conn, units, _UNIT_COLUMNS, new)
    for station, parent in moved:
        conn.execute(update(units).where(and_(units.c.election_id == election_id, units.c.unit_id == station))
                     .values(parent=parent))
