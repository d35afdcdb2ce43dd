"""Summing counts up the hierarchy: station → territory → region → nation, in one pass.

Pure: takes the units and the counts of the lowest units the caller has
(stations, or territories already summed by the database), returns
:class:`UnitCounts` for the units asked for. Each level is summed from the
level below with column sums, so the work is linear in the number of leaves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from saylau.tabulate.model import LEVELS, Level, UnitCounts

__all__ = ["TOTALS", "Leaf", "Unit", "aggregate"]

#: The totals every count row carries, in this order, before the party votes.
TOTALS = ("registered", "ballots_cast", "valid", "invalid")


class Unit(NamedTuple):
    """A node of the hierarchy as the store keeps it."""

    unit_id: str
    name: str
    level: Level
    parent: str | None
    kind: str = ""
    synthetic: bool = False
    stations_total: int | None = None
    """Stations the unit declares (an official table's count); else the stations known below it are counted."""


class Leaf(NamedTuple):
    """Counts reported directly at a unit: one station's protocol, or a group of stations summed."""

    counts: Sequence[int | None]
    """The four :data:`TOTALS` (None where unknown), then votes in party order."""
    reported: int = 1
    synthetic: bool = False


def aggregate(
    units: Iterable[Unit],
    leaves: Mapping[str, Leaf],
    parties: Sequence[str],
    *,
    stations_known: Mapping[str, int] | None = None,
    levels: Iterable[Level] | None = None,
) -> list[UnitCounts]:
    """Counts of every unit at ``levels`` (default all), in the order of ``units``.

    A unit's counts are its own leaf (if any) plus its children's counts.
    ``stations_known`` gives, per unit, stations known directly below it when
    the station units themselves are not passed. A unit with nothing reported
    below it has zero counts and ``stations_reported`` 0; a total some leaf
    lacks (None) is None for every unit above it.
    """
    wanted = set(levels or LEVELS)
    width = len(TOTALS) + len(parties)
    all_units = list(units)
    by_level: dict[str, list[Unit]] = {level: [] for level in LEVELS}
    children: dict[str, list[str]] = {}
    for unit in all_units:
        by_level[unit.level].append(unit)
        if unit.parent is not None:
            children.setdefault(unit.parent, []).append(unit.unit_id)

    sums: dict[str, Sequence[int | None]] = {}
    reported: dict[str, int] = {}
    known: dict[str, int] = dict(stations_known or {})
    marked: set[str] = set()
    for level in reversed(LEVELS):  # deepest first: children are summed before their parent
        for unit in by_level[level]:
            uid = unit.unit_id
            leaf = leaves.get(uid)
            if uid not in children:  # a station, or a territory the database or a block summed: kept cheap
                known[uid] = 1 if level == "station" else known.get(uid, 0)
                reported[uid] = 0
                if leaf is not None:
                    sums[uid], reported[uid] = leaf.counts, leaf.reported
                    if leaf.synthetic:
                        marked.add(uid)
                continue
            kids = children.get(uid, ())
            rows = [sums[k] for k in kids if k in sums]
            count = sum(reported.get(k, 0) for k in kids)
            if leaf is not None:
                rows.append(leaf.counts)
                count += leaf.reported
                if leaf.synthetic:
                    marked.add(uid)
            if rows:
                sums[uid] = _column_sums(rows)
            reported[uid] = count
            known[uid] = known.get(uid, 0) + sum(known.get(k, 0) for k in kids)
            if any(k in marked for k in kids):
                marked.add(uid)

    result: list[UnitCounts] = []
    zero = [0] * width
    n_totals = len(TOTALS)
    for unit in all_units:
        if unit.level not in wanted:
            continue
        row = sums.get(unit.unit_id, zero)
        registered, ballots_cast, valid, invalid = row[:n_totals]
        votes = dict(zip(parties, row[n_totals:], strict=True))
        result.append(UnitCounts(
            unit_id=unit.unit_id,
            name=unit.name,
            level=unit.level,
            parent=unit.parent,
            votes=votes,  # type: ignore[arg-type]
            valid=sum(v or 0 for v in votes.values()) if valid is None else valid,
            registered=registered,
            ballots_cast=ballots_cast,
            invalid=invalid,
            stations_reported=reported.get(unit.unit_id, 0),
            stations_total=unit.stations_total if unit.stations_total is not None else known.get(unit.unit_id, 0),
            synthetic=bool(unit.synthetic) or unit.unit_id in marked,
            kind=unit.kind,
        ))
    return result


def _column_sums(rows: list[Sequence[int | None]]) -> list[int | None]:
    if len(rows) == 1:
        return list(rows[0])
    try:
        return [sum(column) for column in zip(*rows, strict=True)]  # type: ignore[arg-type]
    except TypeError:  # some row lacks a total: that total is unknown above it
        return [None if None in column else sum(column) for column in zip(*rows, strict=True)]  # type: ignore[misc]
