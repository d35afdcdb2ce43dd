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

import bisect
import functools
import json
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, event, select, update
from sqlalchemy.exc import DBAPIError

from saylau.errors import StorageError
from saylau.protocols import PARTIES, Form, ProtocolBatch
from saylau.protocols.station_paths import StationPaths, place_head
from saylau.store import audit, chain
from saylau.store.bulk import insert_rows, query_rows, reserve_ids
from saylau.store.protocol_rows import TOTAL_NAMES, Encoded, Plan
from saylau.store.schema import protocol_blocks, protocol_urls
from saylau.tabulate.aggregate import Leaf

__all__ = ["BLOCK_MIN", "Block", "BlockData", "add_leaves", "blockable", "encode_block", "has_pending", "install",
           "leaves_of", "names_of", "pending_blocks", "pending_stations", "places_of", "reading_blocks", "store_block",
           "table_present", "unpack_in", "unpack_pending", "writing", "writing_rows"]

#: Fewest new stations an ingest stores as a block; below it rows cost a few milliseconds and need no unpacking.
BLOCK_MIN = 1000
#: zlib level: level 1 compresses counts about 3x at ~100 MB/s; higher levels cost more than the bytes saved.
_LEVEL = 1
#: Unknown totals are stored as -1 (a count is never negative).
_UNKNOWN = -1

_NATIVE: ContextVar[bool] = ContextVar("saylau_reading_blocks", default=False)
#: Set while this thread holds a write transaction (see :func:`saylau.store.engine.write_transaction`).
_WRITING: ContextVar[bool] = ContextVar("saylau_writing", default=False)


@contextmanager
def _raised(flag: ContextVar[bool]) -> Iterator[None]:
    token = flag.set(True)
    try:
        yield
    finally:
        flag.reset(token)


def writing() -> AbstractContextManager[None]:
    """Marks this thread's write transaction (connections opened inside it do not unpack: see :func:`install`)."""
    return _raised(_WRITING)


def reading_blocks() -> AbstractContextManager[None]:
    """Connections opened inside read pending blocks themselves (or touch no station): no unpacking first."""
    return _raised(_NATIVE)


@dataclass(frozen=True, slots=True)
class BlockData:
    """A block ready to store: its columns, encoded."""

    size: int
    width: int
    layout: str
    stations: bytes
    places: bytes
    place_index: bytes
    counts: bytes
    details: bytes


class Block:
    """A stored block, decoded on first use of each part (summing needs the counts and places, not the names)."""

    def __init__(self, row: Sequence[Any]) -> None:
        (self.id, self.audit_seq, self.size, self.width, layout, self._stations, self._places, self._index,
         self._counts, self._details) = row
        self._layout = json.loads(layout)

    @functools.cached_property
    def stations(self) -> list[str]:
        if not self.size:
            return []
        names = zlib.decompress(bytes(self._stations)).decode("utf-8").split("\n")
        if self._layout.get("names") != "leaves":
            return names
        # Each name is the station's leaf: its id is its place's head, "/" and the leaf (see :func:`names_of`).
        heads = [place_head(region, territory) for region, territory in self.places]
        return [f"{heads[k]}/{leaf}" for k, leaf in zip(self.place_index.tolist(), names, strict=True)]

    @functools.cached_property
    def places(self) -> list[tuple[str, str | None]]:
        return [(r, t) for r, t in _unpack_json(self._places)]

    @functools.cached_property
    def place_index(self) -> Any:
        """NumPy int64 array: each station's index into ``places``."""
        import numpy as np

        return np.frombuffer(bytes(self._index), dtype=self._layout["index"]).astype(np.int64)

    @functools.cached_property
    def columns(self) -> Any:
        """NumPy int64 matrix, a row per column: the four totals (-1 where unknown), the lines, the votes."""
        return self.columns_at(range(self.width))

    def columns_at(self, wanted: Sequence[int]) -> Any:
        """NumPy int64 matrix of the columns at ``wanted`` (positions in :attr:`columns`), a row per column,
        decoding only those (summing a block needs the totals and the votes, not the lines)."""
        import numpy as np

        if "columns" in self.__dict__:  # already decoded whole
            return self.columns[list(wanted)]
        dtypes = self._layout["columns"]
        offsets = np.cumsum([0] + [np.dtype(d).itemsize * self.size for d in dtypes]).tolist()
        data = self._counts if isinstance(self._counts, bytes) else bytes(self._counts)
        out = np.empty((len(wanted), self.size), dtype=np.int64)
        for row, k in enumerate(wanted):
            out[row] = np.frombuffer(data, dtype=dtypes[k], count=self.size, offset=offsets[k])
        return out

    @property
    def counts(self) -> Any:
        """The counts a row per station (a view of :attr:`columns`)."""
        return self.columns.T

    @functools.cached_property
    def details(self) -> dict[str, Any]:
        found: dict[str, Any] = _unpack_json(self._details)
        return found

    @property
    def parties(self) -> int:
        """How many vote columns end each row."""
        return int(self._layout["parties"])

    def synthetic(self) -> list[bool]:
        """Each station's synthetic flag."""
        flag = self._layout["synthetic"]
        return list(self.details["synthetic"]) if flag == "mixed" else [bool(flag)] * self.size

    def urls(self, stored: Callable[[], Mapping[int, str]]) -> list[str | None] | None:
        """Each station's URL (None: none), or None for a block without URLs. A block holds its own distinct URLs
        and, run by run, which one each station has; a block stored before that names rows of ``protocol_urls``,
        read through ``stored`` (called only then)."""
        d = self.details
        if d.get("url_runs") is not None:
            listed = d["url_list"]
            return [None if k is None else listed[k] for k, count in d["url_runs"] for _ in range(count)]
        keys: list[int | None] | None = d.get("urls")
        if keys is None:
            return None
        found = stored()
        return [None if k is None else found[k] for k in keys]

    @property
    def source_rows(self) -> list[int | None]:
        d = self.details
        return list(range(d["rows_from"], d["rows_from"] + self.size)) if "rows_from" in d else d["rows"]


def _pack(value: Any) -> bytes:
    return zlib.compress(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), _LEVEL)


def _unpack_json(blob: bytes) -> Any:
    return json.loads(zlib.decompress(bytes(blob)).decode("utf-8"))


def _narrowest(values: Any) -> str:
    """The smallest little-endian signed integer type holding every one of ``values``."""
    if not len(values):
        return "<i1"
    lo, hi = int(values.min()), int(values.max())
    for dtype, bits in (("<i1", 8), ("<i2", 16), ("<i4", 32)):
        if -(2 ** (bits - 1)) <= lo and hi < 2 ** (bits - 1):
            return dtype
    return "<i8"


def _column(table: Any, key: str, picked: Any) -> Any:
    import numpy as np

    arrays = table.arrays
    values = arrays[key] if arrays is not None and key in arrays else np.asarray(table.columns[key], dtype=np.int64)
    values = values.astype(np.int64, copy=False)
    return values if picked is None else values[picked]


def places_of(regions: Sequence[str], territories: Sequence[str | None]) -> tuple[dict[tuple[str, str | None], int],
                                                                             list[int]]:
    """The distinct (region, territory) pairs numbered in order of appearance, and each station's number."""
    keys = list(zip(regions, territories, strict=True))
    places = {p: k for k, p in enumerate(dict.fromkeys(keys))}
    return places, list(map(places.__getitem__, keys))


def names_of(stations: Sequence[str], paths: StationPaths | None = None) -> tuple[str, bytes]:
    """The station ids as a block stores them, and how (its layout's ``names``; zlib releases the GIL: callers
    may run this in a thread). With the ``paths`` the reader composed them by (every station of the block's
    table), only each station's leaf is stored ("leaves"): the head is its place's, which the block stores
    anyway, so the 2011 file's 7 MB of ids become 0.3 MB; otherwise the ids themselves ("ids")."""
    if paths is None:
        return "ids", zlib.compress("\n".join(stations).encode("utf-8"), _LEVEL)
    leaves = paths.leaves
    return "leaves", zlib.compress("\n".join(map(leaves.__getitem__, paths.leaf_of.tolist())).encode("utf-8"),
                                   _LEVEL)


@dataclass(frozen=True, slots=True)
class _EncodedCounts:
    """A block's count columns, encoded (:func:`_encode_counts`)."""

    width: int
    dtypes: list[str]
    data: bytes


def _encode_counts(table: Any, form: Form, line_keys: Sequence[str], parties: Sequence[str],
                  accepted: Sequence[int]) -> _EncodedCounts:
    """The count columns of the protocols at ``accepted`` (ascending) of ``table``: the four totals computed by the
    form's expressions (exact int64: every count is at most 10^10; -1 where the form has none), the lines in
    ``line_keys`` order, the votes in ``parties`` order, each in the narrowest integer type that holds it, column
    after column (uncompressed: they are read far more often than written)."""
    import numpy as np

    n = len(accepted)
    picked = None if n == len(table) else np.asarray(accepted, dtype=np.int64)
    values = {k: _column(table, k, picked) for k in (*line_keys, *parties)}
    totals = []
    for name in TOTAL_NAMES:
        expr = form.total_exprs.get(name)
        total = np.full(n, _UNKNOWN, dtype=np.int64)
        if expr is not None:
            total[:] = 0
            for key, coefficient in expr.terms:
                for k in (parties if key == PARTIES else (key,)):
                    total += coefficient * values[k]
        totals.append(total)
    columns = [*totals, *(values[k] for k in line_keys), *(values[c] for c in parties)]
    dtypes = [_narrowest(c) for c in columns]
    return _EncodedCounts(len(columns), dtypes,
                         b"".join(c.astype(d).tobytes() for c, d in zip(columns, dtypes, strict=True)))


def encode_block(batch: ProtocolBatch, form: Form, line_keys: Sequence[str], parties: Sequence[str],
                 accepted: Sequence[int], warnings: Mapping[int, Sequence[Any]], *,
                 placed: tuple[dict[tuple[str, str | None], int], Any] | None = None,
                 paths: StationPaths | None = None, stations: Sequence[str] | None = None) -> BlockData:
    """The protocols at ``accepted`` (ascending) of ``batch`` as a block: their counts (:func:`_encode_counts`),
    warnings as (relation, message) by position in the block, its distinct URLs and which each station has (rows
    of ``protocol_urls`` are written only when the block is unpacked). ``placed`` (:func:`places_of`, or the
    reader's places), ``stations`` (the accepted ids) and ``paths`` (when they describe exactly those stations,
    for :func:`names_of`) are what the caller already has. Touches no database: callers may run it in a
    thread."""
    import numpy as np

    table = batch.table
    n = len(accepted)
    counts = _encode_counts(table, form, line_keys, parties, accepted)
    # ``accepted`` is ascending: as long as the table, it is every row.
    at = (lambda seq: seq) if n == len(table) else (lambda seq: [seq[i] for i in accepted])
    places, index = placed if placed is not None else places_of(at(table.regions), at(table.territories))
    index_dtype = "<u2" if len(places) < 2**16 else "<u4"
    # A warned protocol's place in the block (accepted is ascending; warnings are a handful).
    found = {i: bisect.bisect_left(accepted, i) for i in warnings}
    position = {i: k for i, k in found.items() if k < n and accepted[k] == i}
    rows = at(table.rows)
    details: dict[str, Any] = {}
    if rows and rows[0] is not None and rows == list(range(rows[0], rows[0] + n)):
        details["rows_from"] = rows[0]  # a file's rows in order: only the first is kept
    else:
        details["rows"] = rows
    details.update({
        # Mixed flags only: a block all synthetic or all real says so in its layout.
        "synthetic": flags if (flags := [bool(v) for v in at(table.synthetic)] if table.synthetic else []) and (
            any(flags) and not all(flags)) else None,
        # Run by run ([index in url_list, stations]): a file gives a territory's stations one URL, listed together.
        **_url_runs(at(table.urls) if table.urls else None),
        "extras": [dict(e) for e in at(table.extras)] if table.extras else None,
        "warnings": [[position[i], v.relation, v.describe()] for i, vs in sorted(warnings.items()) if i in position
                     for v in vs],
    })
    naming, names = names_of(stations if stations is not None else at(table.stations), paths)
    layout: dict[str, Any] = {"index": index_dtype, "columns": counts.dtypes, "parties": len(parties),
                              "synthetic": "mixed" if details["synthetic"] else bool(table.synthetic and n and all(
                                  table.synthetic[i] for i in accepted))}
    if naming != "ids":  # blocks stored before leaf names existed have no "names": ids
        layout["names"] = naming
    return BlockData(
        size=n, width=counts.width,
        layout=json.dumps(layout),
        stations=names,
        places=_pack([list(p) for p in places]),
        place_index=np.asarray(index, dtype=index_dtype).tobytes(),
        counts=counts.data,
        details=_pack(details))


def _url_runs(urls: Sequence[str | None] | None) -> dict[str, Any]:
    """A block's ``url_list`` (distinct, in order) and ``url_runs`` ([index or None, stations]) for ``urls``."""
    if not urls:
        return {"url_list": None, "url_runs": None}
    runs = _runs(urls)
    listed = {url: k for k, url in enumerate(dict.fromkeys(url for url, _ in runs if url is not None))}
    return {"url_list": list(listed), "url_runs": [[listed.get(url), count] for url, count in runs]}  # type: ignore[arg-type]


def _runs(values: Sequence[Any]) -> list[tuple[Any, int]]:
    """``values`` as (value, how many times in a row) runs, in order (neighbours compared by NumPy)."""
    import numpy as np

    if not len(values):
        return []
    cells = np.empty(len(values), dtype=object)
    cells[:] = values
    starts = np.ones(len(cells), dtype=bool)
    np.not_equal(cells[1:], cells[:-1], out=starts[1:])
    first = np.flatnonzero(starts)
    return list(zip(cells[first].tolist(), np.diff(first, append=len(cells)).tolist(), strict=True))


def store_block(conn: Connection, election_id: str, seq: int, data: BlockData) -> int:
    """Insert the block as part of write ``seq`` (the caller holds the write lock and appended the entry)."""
    block_id = reserve_ids(conn, protocol_blocks, 1)
    values = {"id": block_id, "election_id": election_id, "audit_seq": seq, "size": data.size, "width": data.width,
              "layout": data.layout, "stations": data.stations, "places": data.places,
              "place_index": data.place_index, "counts": data.counts, "details": data.details, "unpacked_seq": None}
    insert_rows(conn, protocol_blocks, tuple(values), [tuple(values.values())])  # the driver's, no compiling
    # Hashed from the values written: reading ten megabytes back only to hash them again would be waste.
    columns = tuple(values)
    chain.track_inserted(conn, protocol_blocks, columns, [tuple(values[c] for c in columns)])
    return block_id


_COLUMNS = ("id", "audit_seq", "size", "width", "layout", "stations", "places", "place_index", "counts", "details")


_PENDING_BLOCKS_SQL = (f"SELECT {', '.join(_COLUMNS)} FROM protocol_blocks WHERE election_id = ? "
                       "AND unpacked_seq IS NULL ORDER BY id")


def pending_blocks(conn: Connection, election_id: str) -> list[Block]:
    """The election's pending blocks, decoded, in the order they were stored."""
    return [Block(r) for r in query_rows(conn, _PENDING_BLOCKS_SQL, (election_id,))]


def pending_stations(conn: Connection, election_id: str) -> set[str]:
    """The station ids of the election's pending blocks (decoded without their counts)."""
    found: set[str] = set()
    for block in pending_blocks(conn, election_id):
        found.update(block.stations)
    return found


_PENDING_SQL = "SELECT id FROM protocol_blocks WHERE unpacked_seq IS NULL LIMIT 1"


def has_pending(conn: Connection, election_id: str | None = None) -> bool:
    """Whether any block (of ``election_id``) is pending: plain SQL, as every write transaction asks it."""
    if election_id is None:
        return bool(query_rows(conn, _PENDING_SQL))
    return bool(query_rows(conn, "SELECT id FROM protocol_blocks WHERE election_id = ? AND unpacked_seq IS NULL "
                                 "LIMIT 1", (election_id,)))


def blockable(conn: Connection, election_id: str, stations: Sequence[str], *, distinct: bool | None = None) -> bool:
    """Whether ``stations`` (the new protocols of one write) may be stored as a block, keeping the invariant: the
    election has no protocol rows and no station units, the stations are distinct (``distinct``, when the
    caller knows) and in no pending block."""
    if len(stations) < BLOCK_MIN:
        return False
    if not (distinct if distinct is not None else len(set(stations)) == len(stations)):
        return False
    if query_rows(conn, "SELECT id FROM protocol_versions WHERE election_id = ? LIMIT 1", (election_id,)):
        return False
    if query_rows(conn, "SELECT id FROM units WHERE election_id = ? AND level = 'station' LIMIT 1", (election_id,)):
        return False
    if not query_rows(conn, "SELECT id FROM protocol_blocks WHERE election_id = ? AND unpacked_seq IS NULL LIMIT 1",
                      (election_id,)):
        return True
    return pending_stations(conn, election_id).isdisjoint(stations)


# -- reading blocks natively ---------------------------------------------------------------------------------

def leaves_of(blocks: Sequence[Block], nation: str) -> tuple[dict[str, Leaf], dict[str, int]]:
    """The blocks' protocols summed per territory (or region): a leaf per unit, and stations known per unit."""
    import numpy as np

    leaves: dict[str, Leaf] = {}
    known: dict[str, int] = {}
    for block in blocks:
        if not block.size:
            continue
        index = block.place_index
        votes_from = block.width - block.parties
        # A leaf holds the four totals and the votes: the lines' columns are not decoded.
        columns = block.columns_at([*range(4), *range(votes_from, block.width)])
        if bool(np.all(index[1:] >= index[:-1])):  # a file lists each territory's stations together: no sorting
            order, grouped = None, index
        else:
            order = np.argsort(index, kind="stable")
            grouped = index[order]
            columns = columns[:, order]  # column-major: each reduceat runs along contiguous memory
        starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
        sums = np.add.reduceat(columns, starts, axis=1)
        unknown = np.add.reduceat((columns[:4] < 0).astype(np.int64), starts, axis=1) > 0
        sizes = np.diff(np.r_[starts, len(grouped)]).tolist()
        if block._layout["synthetic"] == "mixed":
            marked = np.asarray(block.synthetic(), dtype=np.int64)[order if order is not None else slice(None)]
            flags = (np.add.reduceat(marked, starts) > 0).tolist()
        else:
            flags = [bool(block._layout["synthetic"])] * len(starts)
        place_ids = [f"{nation}/{region}/{territory}" if territory else f"{nation}/{region}"
                     for region, territory in block.places]
        unit_ids = [place_ids[i] for i in grouped[starts].tolist()]
        # Each group's leaf counts (the four totals, then the votes) as rows of Python ints, made by NumPy at once.
        rows: list[list[int | None]] = sums.T.tolist()
        for row, lacks in zip(rows, unknown.T.tolist(), strict=True) if unknown.any() else ():
            row[:4] = [None if lack else x for x, lack in zip(row[:4], lacks, strict=True)]
        for unit_id, leaf in zip(unit_ids, map(Leaf, rows, sizes, flags), strict=True):
            found = leaves.get(unit_id)  # a unit met in an earlier block (or earlier in this one, unsorted)
            leaves[unit_id] = leaf if found is None else add_leaves(found, leaf)
            known[unit_id] = known.get(unit_id, 0) + leaf.reported
    return leaves, known


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
        if _NATIVE.get() or _WRITING.get():
            # A connection opened inside this thread's own write transaction: that transaction unpacked what was
            # pending under the write lock (write_transaction), and unpacking again here would wait for that lock.
            return
        # Every request of the web app opens a connection: the question goes to the driver itself (microseconds).
        try:
            found = has_pending(conn)
        except conn.dialect.loaded_dbapi.Error:  # a store not migrated yet has no blocks
            found = False
        finally:
            if conn.dialect.name != "sqlite":  # the driver began a transaction; SQLite's query ran in autocommit
                conn.connection.dbapi_connection.rollback()  # type: ignore[union-attr]
        if found:
            try:
                unpack_pending(engine)
            except (DBAPIError, conn.dialect.loaded_dbapi.Error) as exc:  # e.g. a read-only file or role
                raise StorageError(
                    "this store holds protocol blocks that must be unpacked into rows before stations can be read "
                    f"one by one, and unpacking them failed ({getattr(exc, 'orig', exc)}); open the store once with write access: any "
                    "station-level command unpacks them (e.g. `saylau results --election ID --level station`)"
                ) from None


def unpack_pending(engine: Engine, election_id: str | None = None) -> int:
    """Unpack every pending block (of ``election_id``, or of all elections) into rows; how many were unpacked."""
    from saylau.store.engine import write_transaction

    with reading_blocks(), write_transaction(engine) as conn:
        return unpack_in(conn, election_id)


def unpack_in(conn: Connection, election_id: str | None = None) -> int:
    """Unpack pending blocks inside the caller's write transaction (it holds the write lock)."""
    query = select(protocol_blocks.c.election_id).where(protocol_blocks.c.unpacked_seq.is_(None))
    if election_id is not None:
        query = query.where(protocol_blocks.c.election_id == election_id)
    return sum(_unpack_election(conn, eid) for (eid,) in conn.execute(
        query.group_by(protocol_blocks.c.election_id)).all())


def table_present(engine: Engine, conn: Connection) -> bool:
    """Whether the store has the blocks table (a store between migrations may not); remembered once seen."""
    if getattr(engine, "_saylau_blocks_table", False):
        return True
    from sqlalchemy import inspect

    found = inspect(conn).has_table(protocol_blocks.name)
    if found:
        engine._saylau_blocks_table = True  # type: ignore[attr-defined]
    return found


def writing_rows() -> bool:
    """Whether a write transaction that sees stations as rows should unpack pending blocks under its lock first."""
    return not _NATIVE.get()


def _unpack_election(conn: Connection, election_id: str) -> int:
    from saylau.store.elections import election_row, line_keys_of
    from saylau.store.writer import Sources, write_versions

    row = election_row(conn, election_id)
    line_keys = line_keys_of(row) or []
    blocks = pending_blocks(conn, election_id)
    if not blocks:
        return 0

    @functools.cache
    def stored_urls() -> dict[int, str]:  # blocks stored before they held their URLs name protocol_urls rows
        return dict(conn.execute(select(protocol_urls.c.id, protocol_urls.c.url)).all())  # type: ignore[arg-type]

    for block in blocks:
        entry = audit.append_entry(conn, actor="saylau", action="unpack", election_id=election_id,
                                   subject=f"{len(block.stations)} protocols of block {block.id} into rows",
                                   reason="a station was needed as a row")
        encoded = _encoded(block, len(line_keys))
        d = block.details
        sources = Sources(None, block.source_rows, block.urls(stored_urls),
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
    n_parties = block.parties
    lines_template = "[" + ",".join(["%d"] * n_lines) + "]"
    votes_template = "[" + ",".join(["%d"] * n_parties) + "]"
    synthetic = block.synthetic()
    result = []
    for k, (station, values) in enumerate(zip(block.stations, block.counts.tolist(), strict=True)):
        region, territory = block.places[int(block.place_index[k])]
        totals = tuple(None if v == _UNKNOWN else v for v in values[:4])
        result.append(Encoded(station, region, territory, bool(synthetic[k]), lines_template % tuple(values[4:4 + n_lines]),
                              votes_template % tuple(values[4 + n_lines:]), totals, k))
    return result

