"""Protocol blocks: a bulk ingest's new stations and their protocols stored as one columnar row.

Why: storing a row per station (``units``) and a row per protocol
(``protocol_versions``) costs more than everything else an ingest does. For the
95,225 protocols of the 2011 Duma file the two bulk inserts and their commit
took 1.0 s, five times pandas' whole read and group-sum of the file, before any
checking or hashing. A block holds the same facts in one row: the station ids,
their (region, territory), a matrix of their counts and the few per-station
details (source row, URL, extras, warnings), each zlib-compressed, hashed into
the audit chain's row ledger as one row.

An election's blocks stay *pending* while nothing needs its stations one by
one: the totals of every unit above the stations and the stations' counts as
columns (forensics, ballots issued) are read from the blocks directly. Anything
else (a station's history, a correction, a clerk's protocol, the unit tree, the
live pages) first *unpacks* the pending blocks into ``units`` and
``protocol_versions`` rows, exactly the rows a row-by-row ingest writes, under
an audit entry of its own (``unpack``); the block keeps what the ingest stored
and names that entry (``unpacked_seq``). Unpacking is triggered by opening a
connection (see :func:`install`), so no reader can see an election without its
pending stations; the few readers that understand blocks say so with
:func:`reading_blocks`.

Invariant: while an election has pending blocks it has no protocol rows, and the
stations of its blocks are distinct from each other and from its station units.
An ingest writes a block only when that holds afterwards (see :func:`blockable`).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, and_, event, func, insert, select, update
from sqlalchemy.exc import DBAPIError

from saylau.protocols import PARTIES, Form, ProtocolBatch
from saylau.store import audit, chain
from saylau.store.bulk import reserve_ids
from saylau.store.protocol_rows import TOTAL_NAMES, Encoded, Plan
from saylau.store.schema import protocol_blocks, protocol_urls, protocol_versions, units
from saylau.tabulate.aggregate import Leaf

__all__ = ["BLOCK_MIN", "Block", "BlockData", "add_leaves", "blockable", "encode_block", "install", "leaves_of", "pending_blocks",
           "pending_stations", "reading_blocks", "store_block", "unpack_pending"]

#: Fewest new stations an ingest stores as a block; below it rows cost a few milliseconds and need no unpacking.
BLOCK_MIN = 1000
#: zlib level: level 1 compresses counts about 3x at ~100 MB/s; higher levels cost more than the bytes saved.
_LEVEL = 1
#: Unknown totals are stored as -1 (a count is never negative).
_UNKNOWN = -1

_NATIVE: ContextVar[bool] = ContextVar("saylau_reading_blocks", default=False)


@contextmanager
def reading_blocks() -> Iterator[None]:
    """Connections opened inside read pending blocks themselves (or touch no station): no unpacking first."""
    token = _NATIVE.set(True)
    try:
        yield
    finally:
        _NATIVE.reset(token)


@dataclass(frozen=True, slots=True)
class BlockData:
    """A block ready to store: its columns, encoded and compressed."""

    size: int
    width: int
    dtype: str
    stations: bytes
    places: bytes
    counts: bytes
    details: bytes


@dataclass(frozen=True, slots=True)
class Block:
    """A stored block, decoded: stations in stored order, each one's place, and the counts matrix (int64)."""

    id: int
    audit_seq: int
    stations: list[str]
    places: list[tuple[str, str | None]]
    place_index: Any
    """NumPy int array: each station's index into ``places``."""
    counts: Any
    """NumPy int64 matrix, a row per station: the four totals (-1 where unknown), the lines, the votes."""
    details: dict[str, Any]


def _pack(value: Any) -> bytes:
    return zlib.compress(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), _LEVEL)


def _unpack_json(blob: bytes) -> Any:
    return json.loads(zlib.decompress(bytes(blob)).decode("utf-8"))


def _column(table: Any, key: str, picked: Any) -> Any:
    import numpy as np

    arrays = table.arrays
    values = arrays[key] if arrays is not None and key in arrays else np.asarray(table.columns[key], dtype=np.int64)
    values = values.astype(np.int64, copy=False)
    return values if picked is None else values[picked]


def encode_block(batch: ProtocolBatch, form: Form, line_keys: Sequence[str], parties: Sequence[str],
                 accepted: Sequence[int], warnings: Mapping[int, Sequence[Any]],
                 url_refs: Mapping[str | None, int]) -> BlockData:
    """The protocols at ``accepted`` of ``batch`` as a block: counts in ``line_keys`` then ``parties`` order, the
    totals computed by the form's expressions (exact int64: every count is at most 10^10), warnings as
    (relation, message) by position in the block, URLs as keys of ``protocol_urls``."""
    import numpy as np

    table = batch.table
    n = len(accepted)
    picked = None if n == len(table) and list(accepted) == list(range(n)) else np.asarray(accepted, dtype=np.int64)
    columns = {k: _column(table, k, picked) for k in (*line_keys, *parties)}
    totals = []
    for name in TOTAL_NAMES:
        expr = form.total_exprs.get(name)
        if expr is None:
            totals.append(np.full(n, _UNKNOWN, dtype=np.int64))
            continue
        total = np.zeros(n, dtype=np.int64)
        for key, coefficient in expr.terms:
            for k in (parties if key == PARTIES else (key,)):
                total += coefficient * columns[k]
        totals.append(total)
    matrix = np.column_stack([*totals, *(columns[k] for k in line_keys), *(columns[c] for c in parties)]) if n else (
        np.zeros((0, 4 + len(line_keys) + len(parties)), dtype=np.int64))
    small = n == 0 or (int(matrix.max()) < 2**31 and int(matrix.min()) >= -(2**31))
    dtype = "<i4" if small else "<i8"
    at = (lambda values: values) if picked is None else (lambda values: [values[i] for i in accepted])
    stations = at(table.stations)
    places: dict[tuple[str, str | None], int] = {}
    index = list(map(places.setdefault, zip(at(table.regions), at(table.territories), strict=True),
                     range(len(places), len(places) + n)))
    # setdefault above numbers a new place by its station's position; renumber densely in order of appearance.
    dense = {slot: k for k, slot in enumerate(dict.fromkeys(index))}
    position = {k: i for i, k in enumerate(accepted)}
    details = {
        "parties": len(parties),
        "rows": at(table.rows),
        "synthetic": [bool(v) for v in at(table.synthetic)] if table.synthetic and any(table.synthetic) else None,
        "urls": [url_refs.get(u) for u in at(table.urls)] if table.urls else None,
        "extras": [dict(e) for e in at(table.extras)] if table.extras else None,
        "warnings": [[position[i], v.relation, v.describe()] for i, vs in sorted(warnings.items()) if i in position
                     for v in vs],
    }
    return BlockData(
        size=n, width=matrix.shape[1], dtype=dtype,
        stations=zlib.compress("\n".join(stations).encode("utf-8"), _LEVEL),
        places=_pack({"places": [list(p) for p in places], "index": [dense[i] for i in index]}),
        counts=zlib.compress(matrix.astype(dtype).tobytes(), _LEVEL),
        details=_pack(details))


def store_block(conn: Connection, election_id: str, seq: int, data: BlockData) -> int:
    """Insert the block as part of write ``seq`` (the caller holds the write lock and appended the entry)."""
    block_id = reserve_ids(conn, protocol_blocks, 1)
    values = {"id": block_id, "election_id": election_id, "audit_seq": seq, "size": data.size, "width": data.width,
              "dtype": data.dtype, "stations": data.stations, "places": data.places, "counts": data.counts,
              "details": data.details, "unpacked_seq": None}
    conn.execute(insert(protocol_blocks).values(values))
    chain.track(conn, protocol_blocks, [block_id])
    return block_id


def _decode(row: Sequence[Any]) -> Block:
    import numpy as np

    block_id, seq, size, width, dtype, stations, places, counts, details = row
    names = zlib.decompress(bytes(stations)).decode("utf-8").split("\n") if size else []
    placed = _unpack_json(places)
    matrix = np.frombuffer(zlib.decompress(bytes(counts)), dtype=np.dtype(dtype)).astype(np.int64).reshape(size, width)
    return Block(block_id, seq, names, [(r, t) for r, t in placed["places"]],
                 np.asarray(placed["index"], dtype=np.int64), matrix, _unpack_json(details))


_COLUMNS = ("id", "audit_seq", "size", "width", "dtype", "stations", "places", "counts", "details")


def pending_blocks(conn: Connection, election_id: str) -> list[Block]:
    """The election's pending blocks, decoded, in the order they were stored."""
    rows = conn.execute(select(*(protocol_blocks.c[c] for c in _COLUMNS)).where(and_(
        protocol_blocks.c.election_id == election_id, protocol_blocks.c.unpacked_seq.is_(None)))
        .order_by(protocol_blocks.c.id)).all()
    return [_decode(r) for r in rows]


def pending_stations(conn: Connection, election_id: str) -> set[str]:
    """The station ids of the election's pending blocks (decoded without their counts)."""
    found: set[str] = set()
    for blob, size in conn.execute(select(protocol_blocks.c.stations, protocol_blocks.c.size).where(and_(
            protocol_blocks.c.election_id == election_id, protocol_blocks.c.unpacked_seq.is_(None)))):
        if size:
            found.update(zlib.decompress(bytes(blob)).decode("utf-8").split("\n"))
    return found


def has_pending(conn: Connection, election_id: str | None = None) -> bool:
    query = select(protocol_blocks.c.id).where(protocol_blocks.c.unpacked_seq.is_(None))
    if election_id is not None:
        query = query.where(protocol_blocks.c.election_id == election_id)
    return conn.execute(query.limit(1)).first() is not None


def blockable(conn: Connection, election_id: str, stations: Sequence[str]) -> bool:
    """Whether ``stations`` (the new protocols of one write) may be stored as a block, keeping the invariant: the
    election has no protocol rows and no station units, the stations are distinct and in no pending block."""
    if len(stations) < BLOCK_MIN or len(set(stations)) != len(stations):
        return False
    pv, u = protocol_versions.c, units.c
    if conn.execute(select(pv.id).where(pv.election_id == election_id).limit(1)).first() is not None:
        return False
    if conn.execute(select(u.id).where(and_(u.election_id == election_id, u.level == "station")).limit(1)).first():
        return False
    return pending_stations(conn, election_id).isdisjoint(stations)


# -- reading blocks natively ---------------------------------------------------------------------------------

def leaves_of(blocks: Sequence[Block], nation: str) -> tuple[dict[str, Leaf], dict[str, int]]:
    """The blocks' protocols summed per territory (or region): a leaf per unit, and stations known per unit."""
    import numpy as np

    leaves: dict[str, Leaf] = {}
    known: dict[str, int] = {}
    for block in blocks:
        if not block.stations:
            continue
        order = np.argsort(block.place_index, kind="stable")
        grouped = block.place_index[order]
        starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
        sums = np.add.reduceat(block.counts[order], starts, axis=0)
        unknown = np.add.reduceat((block.counts[order, :4] < 0).astype(np.int64), starts, axis=0) > 0
        sizes = np.diff(np.r_[starts, len(order)])
        synthetic = block.details.get("synthetic")
        flags = (np.add.reduceat(np.asarray(synthetic, dtype=np.int64)[order], starts) > 0 if synthetic
                 else np.zeros(len(starts), dtype=bool))
        width = block.counts.shape[1]
        votes_from = width - _parties_width(block)
        for g, start in enumerate(starts.tolist()):
            region, territory = block.places[int(grouped[start])]
            unit_id = f"{nation}/{region}/{territory}" if territory else f"{nation}/{region}"
            row = sums[g].tolist()
            counts: list[int | None] = [None if unknown[g, k] else row[k] for k in range(4)]
            counts += row[votes_from:]
            leaf = Leaf(counts, int(sizes[g]), bool(flags[g]))
            leaves[unit_id] = add_leaves(leaves[unit_id], leaf) if unit_id in leaves else leaf
            known[unit_id] = known.get(unit_id, 0) + int(sizes[g])
    return leaves, known


def _parties_width(block: Block) -> int:
    return int(block.details["parties"])


def add_leaves(a: Leaf, b: Leaf) -> Leaf:
    """Two leaves of one unit summed (a total either lacks is unknown)."""
    counts = [None if x is None or y is None else x + y for x, y in zip(a.counts[:4], b.counts[:4], strict=True)]
    counts += [x + y for x, y in zip(a.counts[4:], b.counts[4:], strict=True)]  # type: ignore[operator]
    return Leaf(counts, a.reported + b.reported, a.synthetic or b.synthetic)


# -- unpacking -----------------------------------------------------------------------------------------------

def install(engine: Engine) -> None:
    """Unpack pending blocks whenever a connection is opened outside :func:`reading_blocks` (once per engine)."""
    if getattr(engine, "_saylau_blocks", False):
        return
    engine._saylau_blocks = True  # type: ignore[attr-defined]

    @event.listens_for(engine, "engine_connect")
    def _unpack_first(conn: Connection) -> None:
        if _NATIVE.get():
            return
        try:
            found = has_pending(conn)
        except DBAPIError:  # a store not migrated yet has no blocks
            found = False
        conn.rollback()
        if found:
            unpack_pending(engine)


def unpack_pending(engine: Engine, election_id: str | None = None) -> int:
    """Unpack every pending block (of ``election_id``, or of all elections) into rows; how many were unpacked."""
    from saylau.store.engine import write_transaction

    done = 0
    with reading_blocks(), write_transaction(engine) as conn:
        query = select(protocol_blocks.c.election_id).where(protocol_blocks.c.unpacked_seq.is_(None))
        if election_id is not None:
            query = query.where(protocol_blocks.c.election_id == election_id)
        for (eid,) in conn.execute(query.group_by(protocol_blocks.c.election_id)).all():
            done += _unpack_election(conn, eid)
    return done


def _unpack_election(conn: Connection, election_id: str) -> int:
    from saylau.store.elections import election_row, line_keys_of
    from saylau.store.writer import Sources, write_versions

    row = election_row(conn, election_id)
    line_keys = line_keys_of(row) or []
    blocks = pending_blocks(conn, election_id)
    if not blocks:
        return 0
    urls = dict(conn.execute(select(protocol_urls.c.id, protocol_urls.c.url)).all())
    for block in blocks:
        entry = audit.append_entry(conn, actor="saylau", action="unpack", election_id=election_id,
                                   subject=f"{len(block.stations)} protocols of block {block.id} into rows",
                                   reason="a station was needed as a row")
        encoded = _encoded(block, len(line_keys))
        d = block.details
        refs = d.get("urls")
        sources = Sources(None, d["rows"], [urls.get(r) if r is not None else None for r in refs] if refs else None,
                          d.get("extras"))
        warnings: dict[int, list[tuple[str, str]]] = {}
        for position, relation, message in d.get("warnings", []):
            warnings.setdefault(position, []).append((relation, message))
        write_versions(conn, election_id, Plan(tuple(encoded), (), ()), sources, warnings, seq=block.audit_seq)
        conn.execute(update(protocol_blocks).where(protocol_blocks.c.id == block.id).values(unpacked_seq=entry.seq))
        chain.track(conn, protocol_blocks, [block.id])
    return len(blocks)


def _encoded(block: Block, n_lines: int) -> list[Encoded]:
    """The block's protocols as the row writer's records (the same text a row-by-row ingest stores)."""
    n_parties = _parties_width(block)
    lines_template = "[" + ",".join(["%d"] * n_lines) + "]"
    votes_template = "[" + ",".join(["%d"] * n_parties) + "]"
    synthetic = block.details.get("synthetic") or [False] * len(block.stations)
    result = []
    for k, (station, values) in enumerate(zip(block.stations, block.counts.tolist(), strict=True)):
        region, territory = block.places[int(block.place_index[k])]
        totals = tuple(None if v == _UNKNOWN else v for v in values[:4])
        result.append(Encoded(station, region, territory, bool(synthetic[k]), lines_template % tuple(values[4:4 + n_lines]),
                              votes_template % tuple(values[4 + n_lines:]), totals, k))
    return result


def stored_count(conn: Connection, election_id: str) -> int:
    """Protocols in the election's pending blocks."""
    value = conn.execute(select(func.coalesce(func.sum(protocol_blocks.c.size), 0)).where(and_(
        protocol_blocks.c.election_id == election_id, protocol_blocks.c.unpacked_seq.is_(None)))).scalar()
    return int(value or 0)

