"""Writing protocols under the lock: current versions, units, superseded flags, versions, warnings, audit entry."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, and_, select, update

from saylau.protocols import ProtocolBatch, Violation
from saylau.store import audit
from saylau.store.elections import election_row, next_ordinal, unit_parents
from saylau.store.protocol_rows import Current, Encoded, Plan
from saylau.store.schema import protocol_versions, protocol_warnings, units

__all__ = ["current_versions", "write_plan"]

#: Stations per ``IN (...)`` query (well under every backend's parameter limit).
_IN_BATCH = 500


def current_versions(conn: Connection, election_id: str, stations: Collection[str] | None = None) -> dict[str, Current]:
    """The current version of each station (of ``stations``, or of all) of the election."""
    pv = protocol_versions.c
    query = select(pv.id, pv.station, pv.version, pv.region, pv.territory, pv.lines, pv.votes,
                   pv.synthetic).where(and_(pv.election_id == election_id, pv.is_current))
    if stations is None or len(stations) > 4 * _IN_BATCH:
        queries = [query]  # one scan beats many lookups for big batches
        wanted = None if stations is None else set(stations)
    else:
        ordered = sorted(set(stations))
        queries = [query.where(pv.station.in_(ordered[i:i + _IN_BATCH])) for i in range(0, len(ordered), _IN_BATCH)]
        wanted = None
    found: dict[str, Current] = {}
    for q in queries:
        for r in conn.execute(q):
            if wanted is None or r.station in wanted:
                found[r.station] = Current(r.id, r.version, r.region, r.territory, r.lines, r.votes, bool(r.synthetic))
    return found


def write_plan(conn: Connection, election_id: str, plan: Plan, batch: ProtocolBatch,
               warnings: Mapping[int, Sequence[Violation]], *, user: str, action: str, reason: str | None,
               subject: str) -> tuple[int | None, int]:
    """Write ``plan`` (the caller holds the write lock); the audit entry's number and how many carry warnings."""
    if plan.empty:
        return None, 0
    rows: list[tuple[Encoded, int]] = [(e, 1) for e in plan.new]
    rows += [(e, old.version + 1) for e, old in plan.corrections]
    payload = audit.records_hash(e.record(version) for e, version in rows)
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
    extras = table.extras or [{}] * len(table)
    source_rows = table.rows
    source = batch.source
    at = entry.at
    conn.execute(protocol_versions.insert(), [
        {"election_id": election_id, "station": e.station, "version": version, "is_current": True,
         "region": e.region, "territory": e.territory, "lines": e.lines, "votes": e.votes,
         "registered": e.totals[0], "ballots_cast": e.totals[1], "valid": e.totals[2], "invalid": e.totals[3],
         "synthetic": e.synthetic, "source": source, "source_row": source_rows[e.index], "url": urls[e.index],
         "extra": json.dumps(dict(extras[e.index]), ensure_ascii=False) if extras[e.index] else "{}",
         "recorded_by": user, "recorded_at": at, "reason": reason, "audit_seq": entry.seq}
        for e, version in rows])
    warned = [(e, warnings[e.index]) for e, _ in rows if e.index in warnings]
    if warned:
        pv = protocol_versions.c
        ids = {r.station: r.id for r in conn.execute(select(pv.station, pv.id).where(pv.audit_seq == entry.seq))}
        conn.execute(protocol_warnings.insert(), [
            {"version_id": ids[e.station], "relation": v.relation, "message": v.describe(), "handled": False}
            for e, violations in warned for v in violations])
    return entry.seq, len(warned)


def _ensure_units(conn: Connection, election_id: str, protocols: Sequence[Encoded]) -> None:
    """Add the regions, territories and stations not yet known; move a station a correction moves."""
    nation = election_row(conn, election_id)["nation_unit"]
    existing = unit_parents(conn, election_id)
    ordinal = next_ordinal(conn, election_id)
    new: list[dict[str, Any]] = []
    moved: list[tuple[str, str]] = []

    def add(unit_id: str, name: str, level: str, parent: str) -> None:
        nonlocal ordinal
        new.append({"election_id": election_id, "unit_id": unit_id, "ordinal": ordinal, "name": name,
                    "level": level, "parent": parent, "kind": level, "synthetic": False, "stations_total": None})
        existing[unit_id] = parent
        ordinal += 1

    for p in protocols:
        region_id = f"{nation}/{p.region}"
        if region_id not in existing:
            add(region_id, p.region, "region", nation)
        parent = region_id
        if p.territory:
            parent = f"{region_id}/{p.territory}"
            if parent not in existing:
                add(parent, p.territory, "territory", region_id)
        if p.station not in existing:
            add(p.station, p.station, "station", parent)
        elif existing[p.station] != parent:
            moved.append((p.station, parent))
    if new:
        conn.execute(units.insert(), new)
    for station, parent in moved:
        conn.execute(update(units).where(and_(units.c.election_id == election_id, units.c.unit_id == station))
                     .values(parent=parent))
