"""The progress board: per region and territory, stations expected, reported, with open warnings, corrected.

Three GROUP BY queries over the store's tables, so the board costs the same
at 10,060 stations as at ten: the units below each territory, the current
protocols (and how many are corrections) per territory, and the current
protocols with an unhandled warning per territory.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Integer, and_, case, cast, distinct, func, select

from saylau.store.schema import protocol_versions, protocol_warnings, units
from saylau.web.units import nation_unit, territory_id

__all__ = ["progress_board"]


def progress_board(conn: Connection, election_id: str) -> dict[str, Any]:
    """Rows per region (each with its territories) and national sums, as plain JSON-ready values."""
    nation = nation_unit(conn, election_id)
    u, pv, pw = units.c, protocol_versions.c, protocol_warnings.c
    upper = conn.execute(select(u.unit_id, u.name, u.level, u.parent).where(
        and_(u.election_id == election_id, u.level.in_(("region", "territory")))).order_by(u.ordinal)).all()
    expected = dict(conn.execute(select(u.parent, func.count()).where(
        and_(u.election_id == election_id, u.level == "station")).group_by(u.parent)).all())
    reported: dict[str, tuple[int, int]] = {}
    for region, territory, count, corrected in conn.execute(
            select(pv.region, pv.territory, func.count(), func.sum(cast(case((pv.version > 1, 1), else_=0), Integer)))
            .where(and_(pv.election_id == election_id, pv.is_current)).group_by(pv.region, pv.territory)):
        reported[territory_id(nation, region, territory)] = (int(count), int(corrected or 0))
    warned = {territory_id(nation, region, territory): int(count) for region, territory, count in conn.execute(
        select(pv.region, pv.territory, func.count(distinct(pv.station)))
        .join_from(protocol_warnings, protocol_versions, pw.version_id == pv.id)
        .where(and_(pv.election_id == election_id, pv.is_current, ~pw.handled)).group_by(pv.region, pv.territory))}

    def counts(unit_id: str) -> dict[str, int]:
        got, fixed = reported.get(unit_id, (0, 0))
        return {"expected": max(expected.get(unit_id, 0), got), "reported": got,
                "open_warnings": warned.get(unit_id, 0), "corrected": fixed}

    regions: dict[str, dict[str, Any]] = {}
    for row in upper:
        if row.level == "region":
            regions[row.unit_id] = {"unit_id": row.unit_id, "name": row.name, **counts(row.unit_id),
                                    "territories": []}
    for row in upper:
        if row.level == "territory" and row.parent in regions:
            region = regions[row.parent]
            entry = {"unit_id": row.unit_id, "name": row.name, **counts(row.unit_id)}
            region["territories"].append(entry)
            for key in ("expected", "reported", "open_warnings", "corrected"):
                region[key] += entry[key]
    keys = ("expected", "reported", "open_warnings", "corrected")
    total = {key: sum(r[key] for r in regions.values()) for key in keys}
    return {"election_id": election_id, "nation": nation, "totals": total, "regions": list(regions.values())}
