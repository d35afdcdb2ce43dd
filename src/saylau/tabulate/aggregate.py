"""Summing station counts up the hierarchy: station → territory → region → nation, in one pass.

Pure: takes the units and the current station counts, returns :class:`UnitCounts`
for every unit. Each level is summed from the level below (column sums over
grouped rows), so the work is linear in the number of stations.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from saylau.tabulate.model import LEVELS, Level, UnitCounts

__all__ = ["StationCounts", "Unit", "aggregate"]

#: The totals every station row carries, in this order, before the party votes.
TOTALS = ("registered", "ballots_cast", "valid", "invalid")


@dataclass(frozen=True, slots=True)
class Unit:
    """A node of the hierarchy as the store keeps it."""

    unit_id: str
    name: str
    level: Level
    parent: str | None
    kind: str = ""
    synthetic: bool = False
    stations_total: int | None = None
    """Stations the unit declares (an official table's count); else the stations known below it."""


@dataclass(frozen=True, slots=True)
class StationCounts:
    """One station's current counts: the four totals (None where the form has none), then votes in party order."""

    station: str
    totals: tuple[int | None, int | None, int | None, int | None]
    votes: Sequence[int]
    synthetic: bool = False


def aggregate(
    units: Iterable[Unit],
    stations: Iterable[StationCounts],
    parties: Sequence[str],
    *,
    levels: Iterable[Level] | None = None,
) -> list[UnitCounts]:
    """Counts of every unit at ``levels`` (default all) from the stations' current counts.

    ``units`` must hold every station's chain of parents. Units with no station
    reported below them are returned with zero votes and ``stations_reported`` 0.
    A total some station lacks (None) is None for every unit above it.
    """
    wanted = set(levels or LEVELS)
    by_id: dict[str, Unit] = {}
    by_level: dict[str, list[Unit]] = {level: [] for level in LEVELS}
    children: dict[str, list[str]] = {}
    for unit in units:
        by_id[unit.unit_id] = unit
        by_level[unit.level].append(unit)
        if unit.parent is not None:
            children.setdefault(unit.parent, []).append(unit.unit_id)

    width = len(TOTALS) + len(parties)
    sums: dict[str, list[int | None]] = {}
    reported: dict[str, int] = {}
    known: dict[str, int] = {}
    synthetic: dict[str, bool] = {}
    for row in stations:
        sums[row.station] = [*row.totals, *row.votes]
        reported[row.station] = 1
        synthetic[row.station] = row.synthetic

    # Deepest level first, so that each unit sums children already summed.
    for unit in by_level["station"]:
        known[unit.unit_id] = 1
    for level in reversed(LEVELS[:-1]):
        for unit in by_level[level]:
            kids = children.get(unit.unit_id, ())
            rows = [sums[k] for k in kids if k in sums]
            sums[unit.unit_id] = _column_sums(rows) if rows else [0] * width
            reported[unit.unit_id] = sum(reported.get(k, 0) for k in kids)
            known[unit.unit_id] = sum(known.get(k, 0) for k in kids)
            synthetic[unit.unit_id] = any(synthetic.get(k, False) for k in kids)

    result: list[UnitCounts] = []
    for unit in by_id.values():
        if unit.level not in wanted:
            continue
        row = sums.get(unit.unit_id, [0] * width)
        registered, ballots_cast, valid, invalid = row[: len(TOTALS)]
        votes = dict(zip(parties, row[len(TOTALS):], strict=True))
        total_votes = sum(v or 0 for v in votes.values())
        result.append(UnitCounts(
            unit_id=unit.unit_id,
            name=unit.name,
            level=unit.level,
            parent=unit.parent,
            votes=votes,  # type: ignore[arg-type]
            valid=total_votes if valid is None else valid,
            registered=registered,
            ballots_cast=ballots_cast,
            invalid=invalid,
            stations_reported=reported.get(unit.unit_id, 0),
            stations_total=unit.stations_total if unit.stations_total is not None else known.get(unit.unit_id, 0),
            synthetic=unit.synthetic or synthetic.get(unit.unit_id, False),
            kind=unit.kind,
        ))
    return result


def _column_sums(rows: list[list[int | None]]) -> list[int | None]:
    try:
        return [sum(column) for column in zip(*rows, strict=True)]  # type: ignore[arg-type]
    except TypeError:  # some row lacks a total: that total is unknown above it
        return [None if None in column else sum(column) for column in zip(*rows, strict=True)]  # type: ignore[arg-type]

