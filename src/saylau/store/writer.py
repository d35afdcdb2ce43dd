"""Writing protocols under the lock: current versions, units, superseded flags, versions, warnings, audit entry.

Every id a write needs (new units, new protocol versions, new URLs) is
reserved before inserting, so rows refer to each other without reading
anything back, and each table gets one bulk insert.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from itertools import repeat
from typing import NamedTuple

from sqlalchemy import Connection, and_, select, update

from saylau.errors import InputError
from saylau.protocols import ProtocolBatch, Violation
from saylau.store import audit, chain
from saylau.store.bulk import fetch_rows, insert_rows, query_rows, reserve_ids
from saylau.store.elections import election_row, next_ordinal
from saylau.store.protocol_rows import Current, Encoded, Plan
from saylau.store.schema import (
    protocol_batches,
    protocol_urls,
    protocol_versions,
    protocol_warnings,
    units,
)
from saylau.store.unit_tree import check_level, check_new_units, unit_tree

__all__ = [
    "MAX_URL",
    "Sources",
    "begin_protocol_write",
    "current_versions",
    "ensure_units",
    "station_parents",
    "units_named",
    "url_refs",
    "urls_of",
    "write_plan",
    "write_versions",
]

#: Stations per ``IN (...)`` query (well under every backend's parameter limit).
_IN_BATCH = 500
#: Longest protocol URL accepted (a unique index entry must fit in a PostgreSQL index page).
MAX_URL = 2000


def current_versions(conn: Connection, election_id: str, stations: Collection[str] | None = None) -> dict[str, Current]:
    """The current version of each station (of ``stations``, or of all) of the election."""
    columns = ("id", "station", "version", "region", "territory", "lines", "votes", "synthetic")
    if stations is None or len(stations) > 4 * _IN_BATCH:
        # One scan beats many lookups for big batches.
        rows = fetch_rows(conn, protocol_versions, columns, (("election_id", election_id), ("is_current", True)))
        wanted = None if stations is None else set(stations)
        return {r[1]: Current(r[0], r[1], r[2], r[3], r[4], r[5], r[6], bool(r[7])) for r in rows
                if wanted is None or r[1] in wanted}
    pv, u = protocol_versions.c, units.c
    # Found through the units' index on their names, then the current-version index on unit keys.
    query = (select(*(pv[c] for c in columns)).join_from(protocol_versions, units, u.id == pv.unit_ref)
             .where(and_(pv.election_id == election_id, pv.is_current, u.election_id == election_id)))
    ordered = sorted(set(stations))
    found: dict[str, Current] = {}
    for i in range(0, len(ordered), _IN_BATCH):
        for r in conn.execute(query.where(u.unit_id.in_(ordered[i:i + _IN_BATCH]))):
            found[r.station] = Current(r.id, r.station, r.version, r.region, r.territory, r.lines, r.votes,
                                       bool(r.synthetic))
    return found


_VERSION_COLUMNS = ("id", "election_id", "unit_ref", "station", "version", "is_current", "region", "territory",
                    "lines", "votes", "registered", "ballots_cast", "valid", "invalid", "synthetic", "source_row",
                    "url_ref", "extra", "audit_seq")


class Sources(NamedTuple):
    """Where each protocol of a write came from, by its ``Encoded.index``: the file, its rows, URLs and extras."""

    source: str | None
    rows: Sequence[int | None]
    urls: Sequence[str | None] | None
    extras: Sequence[Mapping[str, str]] | None

    @classmethod
    def of(cls, batch: ProtocolBatch) -> Sources:
        table = batch.table
        return cls(batch.source, table.rows, table.urls, table.extras)


def write_plan(conn: Connection, election_id: str, plan: Plan, batch: ProtocolBatch,
               warnings: Mapping[int, Sequence[Violation]], *, user: str, action: str, reason: str | None,
               subject: str) -> tuple[int | None, int]:
    """Write ``plan`` (the caller holds the write lock); the audit entry's number and how many carry warnings."""
    if plan.empty:
        return None, 0
    # No separate payload hash: the entry's row ledger holds the hash of every row written (one pass, not two).
    seq = begin_protocol_write(conn, election_id, batch.source, user=user, action=action, reason=reason,
                               subject=subject)
    described = {i: [(v.relation, v.describe()) for v in vs] for i, vs in warnings.items()}
    return seq, write_versions(conn, election_id, plan, Sources.of(batch), described, seq=seq)


def begin_protocol_write(conn: Connection, election_id: str, source: str | None, *, user: str, action: str,
                         reason: str | None, subject: str) -> int:
    """Append a protocol write's audit entry and record its source; the entry's number."""
    entry = audit.append_entry(conn, actor=user, action=action, election_id=election_id, subject=subject,
                               reason=reason)
    insert_rows(conn, protocol_batches, ("audit_seq", "source"), [(entry.seq, source)])
    chain.track(conn, protocol_batches, [entry.seq])
    return entry.seq


def write_versions(conn: Connection, election_id: str, plan: Plan, sources: Sources,
                   warnings: Mapping[int, Sequence[tuple[str, str]]], *, seq: int) -> int:
    """Store the plan's protocols as version rows of the write ``seq`` (units, URLs, superseded flags,
    warnings as (relation, message)); how many carry warnings. The rows are tracked under the transaction's
    newest audit entry."""
    rows: list[Encoded] = [*plan.new, *(e for e, _ in plan.corrections)]
    versions = [1] * len(plan.new) + [old.version + 1 for _, old in plan.corrections]
    # Column by column (one C-level transpose): the hash and the insert read the same columns.
    stations, regions, territories, synthetic, lines, votes, totals, indices = (list(c) for c in zip(*rows, strict=True))
    urls = urls_of(sources.urls, indices, sources.source, sources.rows)
    # A station's kind where its source names one (remote electronic voting), else "station".
    given = sources.extras
    kinds = {e.station: given[e.index]["kind"] for e in rows if given and given[e.index].get("kind")}
    unit_refs = ensure_units(conn, election_id, rows, kinds, source=sources.source)
    refs_of_urls = url_refs(conn, urls)
    if plan.corrections:
        superseded = [old.id for _, old in plan.corrections]
        for i in range(0, len(superseded), _IN_BATCH):
            conn.execute(update(protocol_versions).where(protocol_versions.c.id.in_(superseded[i:i + _IN_BATCH]))
                         .values(is_current=False))
    first = reserve_ids(conn, protocol_versions, len(rows))
    n = len(rows)
    extras = ["{}"] * n if not given else [_extra(given, i) for i in indices]
    version_rows = list(zip(
        range(first, first + n), repeat(election_id, n), map(unit_refs.__getitem__, stations), stations, versions,
        repeat(True, n), regions, territories, lines, votes, *zip(*totals, strict=True), synthetic,
        map(sources.rows.__getitem__, indices), map(refs_of_urls.get, urls), extras, repeat(seq, n), strict=True))
    insert_rows(conn, protocol_versions, _VERSION_COLUMNS, version_rows)
    chain.track_inserted(conn, protocol_versions, _VERSION_COLUMNS, version_rows)
    warned = [(first + k, warnings[e.index]) for k, e in enumerate(rows) if e.index in warnings]
    if warned:
        rows_of_warnings = [(version_id, relation, message, False)
                            for version_id, described in warned for relation, message in described]
        first_warning = reserve_ids(conn, protocol_warnings, len(rows_of_warnings))
        insert_rows(conn, protocol_warnings, ("id", "version_id", "relation", "message", "handled"),
                    [(first_warning + k, *r) for k, r in enumerate(rows_of_warnings)])
        chain.track_range(conn, protocol_warnings, first_warning, first_warning + len(rows_of_warnings) - 1)
    return len(warned)


def urls_of(urls: Sequence[str | None] | None, indices: Sequence[int], source: str | None,
             source_rows: Sequence[int | None], *, everything: bool = False) -> Sequence[str | None]:
    """The URLs at ``indices`` (``everything``: the indices are every row in order), none over :data:`MAX_URL`."""
    if not urls:
        return [None] * len(indices)
    picked = urls if everything else list(map(urls.__getitem__, indices))
    if max(map(len, filter(None, set(picked))), default=0) <= MAX_URL:  # a few thousand distinct URLs
        return picked
    for index, url in zip(indices, picked, strict=True):
        if url is not None and len(url) > MAX_URL:
            raise InputError(f"URL longer than {MAX_URL} characters", source=source, row=source_rows[index],
                             field="url", value=url[:80] + "...")
    return picked


def url_refs(conn: Connection, urls: Sequence[str | None]) -> dict[str | None, int]:
    """The key of each distinct URL, storing the ones not yet stored."""
    found = dict.fromkeys(urls)
    found.pop(None, None)
    distinct = list(found)
    if not distinct:
        return {}
    known: dict[str | None, int] = {}
    # A store holding no URL yet (a first ingest) has none of these: nothing to look up.
    stored = query_rows(conn, "SELECT id FROM protocol_urls LIMIT 1")
    for i in range(0, len(distinct) if stored else 0, _IN_BATCH):
        chunk = distinct[i:i + _IN_BATCH]
        known.update((url, ref) for url, ref in conn.execute(
            select(protocol_urls.c.url, protocol_urls.c.id).where(protocol_urls.c.url.in_(chunk))))
    missing = [u for u in distinct if u not in known]
    first = reserve_ids(conn, protocol_urls, len(missing))
    url_rows = [(first + k, u) for k, u in enumerate(missing)]
    insert_rows(conn, protocol_urls, ("id", "url"), url_rows)
    chain.track_inserted(conn, protocol_urls, ("id", "url"), url_rows)
    known.update((u, first + k) for k, u in enumerate(missing))
    return known


def _extra(extras: Sequence[Mapping[str, str]] | None, index: int) -> str:
    if not extras or not extras[index]:
        return "{}"
    return json.dumps(dict(extras[index]), ensure_ascii=False, sort_keys=True)


_UNIT_COLUMNS = ("id", "election_id", "unit_id", "ordinal", "name", "level", "parent", "kind", "synthetic",
                 "stations_total")


def ensure_units(conn: Connection, election_id: str, protocols: Sequence[Encoded],
                 kinds: Mapping[str, str] | None = None, *, source: str | None = None,
                 places: Iterable[tuple[str, str | None]] | None = None,
                 tree: dict[str, tuple[str, str | None]] | None = None) -> dict[str, int]:
    """Add the regions, territories and stations not yet known, move a station a correction moves;
    the unit key of each protocol's station. ``kinds`` names a new station's kind where it is not
    a plain station (``electronic``: a remote electronic voting unit). The tree's rules hold
    (:mod:`saylau.store.unit_tree`): a protocol is never filed under a region, territory or nation id,
    and a new id is normalised and unlike any other (InputError, nothing written). ``tree``, the election's
    unit tree when the caller read it under this write lock, is used instead of reading it again and is given
    the new units (the caller checks its own ids against the tree as it now is). ``places``, instead of
    ``protocols`` (then empty): only these (region, territory) pairs' units, for a block's stations."""
    nation = election_row(conn, election_id)["nation_unit"]
    # Each (region, territory) pair once: the unit ids of the commissions above the stations.
    places_only = places is not None
    places = dict.fromkeys(places if places is not None else ((p.region, p.territory) for p in protocols))
    wanted = {p.station for p in protocols}
    wanted.add(nation)
    ids_of: dict[tuple[str, str | None], tuple[str, str | None]] = {}  # each place's region and territory ids
    for region, territory in places:
        region_id = f"{nation}/{region}"
        territory_id = f"{region_id}/{territory}" if territory else None
        ids_of[region, territory] = region_id, territory_id
        wanted.add(region_id)
        if territory_id is not None:
            wanted.add(territory_id)
    existing = units_named(conn, election_id, wanted)
    refs = {unit_id: ref for unit_id, (ref, _, _) in existing.items()}
    first = reserve_ids(conn, units, 0)  # nothing is inserted into units before the insert below
    # The new units as columns, numbered in the order the batch first names them (depth first, as before).
    new_ids: list[str] = []
    names: list[str] = []
    levels: list[str] = []
    parents: list[str] = []
    unit_kinds: list[str] = []

    def add(unit_id: str, name: str, level: str, parent: str) -> None:
        refs[unit_id] = first + len(new_ids)
        new_ids.append(unit_id)
        names.append(name)
        levels.append(level)
        parents.append(parent)
        unit_kinds.append(kinds.get(unit_id, level) if kinds else level)

    def known_as(unit_id: str, level: str) -> bool:
        found = existing.get(unit_id)
        if found is not None:
            check_level(unit_id, level, found[2], source=source)
        return unit_id in refs

    def place(region: str, territory: str | None) -> str:
        region_id, territory_id = ids_of[region, territory]
        if not known_as(region_id, "region"):
            add(region_id, region, "region", nation)
        if territory_id is None:
            return region_id
        if not known_as(territory_id, "territory"):
            add(territory_id, territory, "territory", region_id)  # type: ignore[arg-type]
        return territory_id

    parent_of: dict[tuple[str, str | None], str] = {}
    moved: list[tuple[str, str]] = []
    if places_only:  # each place once, in the order the batch first names it (place() inlined: 2,746 in 2011)
        for (region, territory), (region_id, territory_id) in ids_of.items():
            if region_id not in refs:
                add(region_id, region, "region", nation)
            elif region_id in existing:
                check_level(region_id, "region", existing[region_id][2], source=source)
            if territory_id is None:
                continue
            if territory_id not in refs:
                add(territory_id, territory, "territory", region_id)  # type: ignore[arg-type]
            elif territory_id in existing:
                check_level(territory_id, "territory", existing[territory_id][2], source=source)
    for p in protocols:  # a plan names each station once
        parent = parent_of.get((p.region, p.territory))
        if parent is None:
            parent = parent_of[p.region, p.territory] = place(p.region, p.territory)
        known = existing.get(p.station)
        if known is None:
            if p.station in refs:  # a station id equal to a region or territory id this batch adds
                check_level(p.station, "station", levels[new_ids.index(p.station)], source=source)
            add(p.station, p.station, "station", parent)
        else:
            check_level(p.station, "station", known[2], source=source)
            if known[1] != parent:
                moved.append((p.station, parent))
    count = len(new_ids)
    if count:
        check_new_units(list(zip(new_ids, levels, parents, strict=True)),
                        tree if tree is not None else unit_tree(conn, election_id), source=source)
        if tree is not None:
            tree.update(zip(new_ids, zip(levels, parents, strict=True), strict=True))
    # Only a write that adds units needs the next ordinal (a scan of the election's units).
    ordinal = next_ordinal(conn, election_id) if count else 0
    reserve_ids(conn, units, count)
    unit_rows = list(zip(
        range(first, first + count), repeat(election_id, count), new_ids, range(ordinal, ordinal + count), names,
        levels, parents, unit_kinds, repeat(False, count), repeat(None, count), strict=True))
    insert_rows(conn, units, _UNIT_COLUMNS, unit_rows)
    chain.track_inserted(conn, units, _UNIT_COLUMNS, unit_rows)
    for station, parent in moved:
        if tree is not None:
            tree[station] = ("station", parent)
        conn.execute(update(units).where(and_(units.c.election_id == election_id, units.c.unit_id == station))
                     .values(parent=parent))
    chain.track(conn, units, [refs[station] for station, _ in moved])
    return refs


def station_parents(conn: Connection, election_id: str, stations: Collection[str]) -> dict[str, str | None]:
    """The unit each of ``stations`` is registered under (stations not registered, or not stations, are left out)."""
    u = units.c
    query = select(u.unit_id, u.parent).where(and_(u.election_id == election_id, u.level == "station"))
    ordered = sorted(set(stations))
    found: dict[str, str | None] = {}
    for i in range(0, len(ordered), _IN_BATCH):
        found.update((r.unit_id, r.parent) for r in conn.execute(query.where(u.unit_id.in_(ordered[i:i + _IN_BATCH]))))
    return found


def units_named(conn: Connection, election_id: str,
                unit_ids: Collection[str]) -> dict[str, tuple[int, str | None, str]]:
    """Key, parent and level of each of ``unit_ids`` already stored (one scan when there are many)."""
    if len(unit_ids) > 4 * _IN_BATCH:
        rows = fetch_rows(conn, units, ("unit_id", "id", "parent", "level"), (("election_id", election_id),))
        return {r[0]: (r[1], r[2], r[3]) for r in rows if r[0] in unit_ids}
    u = units.c
    query = select(u.unit_id, u.id, u.parent, u.level).where(u.election_id == election_id)
    ordered = sorted(unit_ids)
    found: dict[str, tuple[int, str | None, str]] = {}
    for i in range(0, len(ordered), _IN_BATCH):
        for r in conn.execute(query.where(u.unit_id.in_(ordered[i:i + _IN_BATCH]))):
            found[r.unit_id] = (r.id, r.parent, r.level)
    return found
