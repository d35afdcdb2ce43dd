"""The progress board: per region and territory, stations expected, reported, with open alarms, corrected.

The counts come from the store's GROUP BY reads (:mod:`saylau.store.live`), so
the board costs the same at 10,060 stations as at ten. Open warnings are
counted per station and split by severity (``high_warnings``: the alarms of
:mod:`saylau.tabulate.alarms` ranked high, and the form's own warnings), and
regions and territories are listed most alarming first, then in the order
registered; a unit whose every station reported says so (``complete``).
"""

from __future__ import annotations

from typing import Any

from saylau.store.live import open_warnings_by_territory, progress_by_unit, upper_units
from saylau.web.units import nation_unit, territory_id

__all__ = ["progress_board"]

KEYS = ("expected", "reported", "open_warnings", "high_warnings", "corrected")


def progress_board(conn: Any, election_id: str) -> dict[str, Any]:
    """Rows per region (each with its territories) and national sums, as plain JSON-ready values.

    ``conn`` is an open store connection (one connection for the whole board).
    """
    nation = nation_unit(conn, election_id)
    upper = upper_units(conn, election_id)
    expected, progress = progress_by_unit(conn, election_id)
    reported = {territory_id(nation, p.region, p.territory): (p.reported, p.corrected) for p in progress}
    warned = {territory_id(nation, region, territory): (count, high)
              for region, territory, count, high in open_warnings_by_territory(conn, election_id)}

    def counts(unit_id: str) -> dict[str, Any]:
        got, fixed = reported.get(unit_id, (0, 0))
        open_, high = warned.get(unit_id, (0, 0))
        return {"expected": max(expected.get(unit_id, 0), got), "reported": got, "open_warnings": open_,
                "high_warnings": high, "corrected": fixed}

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
            for key in KEYS:
                region[key] += entry[key]
    for region in regions.values():
        _finish(region)
        for territory in region["territories"]:
            _finish(territory)
        region["territories"].sort(key=_alarming)
    ordered = sorted(regions.values(), key=_alarming)
    total = {key: sum(r[key] for r in ordered) for key in KEYS}
    _finish(total)
    return {"election_id": election_id, "nation": nation, "totals": total, "regions": ordered}


def _finish(row: dict[str, Any]) -> None:
    """The unit's share reported (a number) and whether it is complete."""
    from saylau.report.export import percent_number
    from saylau.report.model import percent_text

    row["percent"] = percent_number(percent_text(row["reported"], row["expected"])) if row["expected"] else None
    row["complete"] = bool(row["expected"]) and row["reported"] >= row["expected"]


def _alarming(row: dict[str, Any]) -> tuple[int, int]:
    # Most high alarms first, then most open ones; ties keep the registered order (the sort is stable).
    return (-row["high_warnings"], -row["open_warnings"])
