"""The unit tree's rules, kept by every write that adds units: nation → region → territory → station.

A unit's parent is always of a strictly higher level, so the tree can hold no
loop; an id already used by a unit of one level is never taken as another's
(a protocol filed under a nation, region or territory id is refused); a new
id is normalised (:func:`saylau.ids.check_id`) and may not look like an
existing one (:func:`saylau.ids.check_distinct`). The store's writers (ingest,
submissions, registering stations) call :func:`check_new_units` before they
insert, whoever asks; the web layer decides *who* may add units.

Election settings (a JSON object on the election's row) hold the central
commission's choices; :data:`CLERKS_OPEN_STATIONS` lets territorial
commissions add stations in their own territory (default: no).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from sqlalchemy import Connection, and_, select, update

from saylau.errors import InputError
from saylau.ids import check_distinct, check_id, ids_valid, joined_skeletons_distinct
from saylau.protocols.station_paths import StationPaths
from saylau.store import audit, chain
from saylau.store.bulk import fetch_rows
from saylau.store.schema import elections, units

__all__ = [
    "CLERKS_OPEN_STATIONS",
    "LEVELS",
    "SETTINGS",
    "UnitRow",
    "check_level",
    "check_new_stations",
    "check_new_units",
    "election_settings",
    "levels_of",
    "nation_unit",
    "set_election_settings",
    "unit_of",
    "unit_row",
    "unit_tree",
]

#: The levels of the tree, from the top.
LEVELS = ("nation", "region", "territory", "station")
_RANK = {level: rank for rank, level in enumerate(LEVELS)}

CLERKS_OPEN_STATIONS = "clerks_open_stations"
#: Every election setting and its default.
SETTINGS: Mapping[str, Any] = {CLERKS_OPEN_STATIONS: False}


def unit_tree(conn: Connection, election_id: str) -> dict[str, tuple[str, str | None]]:
    """Every unit of the election: its level and its parent."""
    return {u: (level, parent) for u, level, parent in
            fetch_rows(conn, units, ("unit_id", "level", "parent"), (("election_id", election_id),))}


class UnitRow(NamedTuple):
    unit_id: str
    name: str
    level: str
    parent: str | None


def nation_unit(conn: Connection, election_id: str) -> str:
    """The id of the election's nation unit; InputError if there is no such election."""
    value = conn.execute(select(elections.c.nation_unit).where(elections.c.id == election_id)).scalar()
    if value is None:
        raise InputError("no such election", field="election", value=election_id)
    return str(value)


def unit_row(conn: Connection, election_id: str, unit_id: str) -> UnitRow | None:
    """One unit's id, name, level and parent (None if there is no such unit)."""
    u = units.c
    row = conn.execute(select(u.unit_id, u.name, u.level, u.parent)
                       .where(and_(u.election_id == election_id, u.unit_id == unit_id))).first()
    return None if row is None else UnitRow(*row)


def unit_of(conn: Connection, election_id: str, unit_id: str) -> tuple[str, str | None] | None:
    """One unit's level and parent (None if there is no such unit)."""
    u = units.c
    row = conn.execute(select(u.level, u.parent).where(and_(u.election_id == election_id, u.unit_id == unit_id))).first()
    return None if row is None else (row.level, row.parent)


def levels_of(conn: Connection, unit_id: str, election_id: str | None = None) -> dict[str, str]:
    """The level of the unit ``unit_id`` in each election that has one (only ``election_id``, if given)."""
    u = units.c
    query = select(u.election_id, u.level).where(u.unit_id == unit_id)
    if election_id is not None:
        query = query.where(u.election_id == election_id)
    return {row.election_id: row.level for row in conn.execute(query)}


def check_level(unit_id: str, level: str, found: str | None, *, source: str | None = None) -> None:
    """Refuse ``unit_id`` as a ``level`` unit when it is stored as a unit of another level (``found``)."""
    if found is not None and found != level:
        raise InputError(f"{unit_id!r} is the id of a {found} unit, not of a {level}: a protocol is filed only "
                         "under a station", source=source, field=level, value=unit_id)


def check_new_units(new: Sequence[tuple[str, str, str | None]], tree: Mapping[str, tuple[str, str | None]], *,
                    source: str | None = None) -> None:
    """Refuse (InputError naming the field) new units (id, level, parent), given the election's ``tree``:
    an id not normalised, a parent that is unknown or not of a higher level, an id looking like another."""
    levels = {unit_id: level for unit_id, (level, _) in tree.items()}
    valid = ids_valid([unit_id for unit_id, _, _ in new])  # one scan of them all; one by one only if it fails
    for unit_id, level, parent in new:
        if not valid:
            check_id(unit_id, field=level, source=source)
        check_level(unit_id, level, levels.get(unit_id), source=source)
        above = levels.get(parent) if parent is not None else None
        if level not in _RANK or above is None or _RANK[above] >= _RANK[level]:
            raise InputError(f"a {level} cannot be placed under {parent!r} ({above or 'no such unit'}): a unit's "
                             "parent is always of a higher level", source=source, field=level, value=unit_id)
        levels[unit_id] = level
    if new:
        by_level: dict[str, list[str]] = {}
        for unit_id, level, _ in new:
            by_level.setdefault(level, []).append(unit_id)
        existing = list(tree)
        for level, ids in by_level.items():
            check_distinct(ids, existing, field=level, source=source)
            existing.extend(ids)


def check_new_stations(stations: Sequence[str], tree: Mapping[str, tuple[str, str | None]], *,
                       source: str | None = None, paths: StationPaths | None = None) -> None:
    """Refuse new station ids (distinct, each already checked by :func:`saylau.ids.check_ids`) that are the id of
    a stored unit or look like one, or like each other (the bulk form of :func:`check_new_units` for a block).
    ``paths``, when the reader says how it composed the ids, lets both checks judge their parts instead."""
    # One C-level pass (or a look at the few tree ids, given the parts); the loop only names the first one found.
    if (paths.among(tree) if paths is not None else not tree.keys().isdisjoint(stations)):
        for station in stations:
            found = tree.get(station)
            if found is not None:
                check_level(station, "station", found[0], source=source)
                raise InputError("the station is already stored", source=source, field="station", value=station)
    if paths is not None and joined_skeletons_distinct(paths.heads, paths.place_of, paths.leaves, paths.leaf_of,
                                                       tree):
        return
    check_distinct(stations, list(tree), field="station", source=source)


def election_settings(row: Mapping[str, Any]) -> dict[str, Any]:
    """The election's settings (every known one, with its default where unset) from its row."""
    stored = json.loads(row.get("settings") or "{}")
    return {name: stored.get(name, default) for name, default in SETTINGS.items()}


def set_election_settings(conn: Connection, election_id: str, row: Mapping[str, Any], changes: Mapping[str, Any], *,
                          user: str) -> dict[str, Any]:
    """Change settings (the caller holds the write lock; ``row`` is the election's row); an audit entry names each
    change. Unknown names or values of the wrong type are refused."""
    current = election_settings(row)
    for name, value in changes.items():
        if name not in SETTINGS:
            raise InputError(f"unknown election setting; one of {', '.join(SETTINGS)}", field=name, value=name)
        if type(value) is not type(SETTINGS[name]):
            raise InputError(f"setting {name} takes a {type(SETTINGS[name]).__name__}", field=name, value=value)
    changed = {name: value for name, value in changes.items() if current[name] != value}
    if not changed:
        return current
    current.update(changed)
    text = audit.canonical_json(current)
    audit.append_entry(conn, actor=user, action="set-settings", election_id=election_id,
                       subject=", ".join(f"{k}={json.dumps(v)}" for k, v in sorted(changed.items())),
                       payload_hash=audit.payload_hash(current))
    conn.execute(update(elections).where(elections.c.id == election_id).values(settings=text))
    chain.track(conn, elections, [(election_id,)])
    return current
