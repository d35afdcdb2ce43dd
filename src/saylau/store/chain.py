"""The row ledger: the audit chain's record of every stored row a result, a status or a right depends on.

Each write names the rows it made, changed or deleted (:func:`track`,
:func:`track_range`, :func:`track_where`); when its transaction ends, the
ledger records the hash of each such row as stored (or ``DELETED``) under the
write's audit entry, and the entry's hash covers the digest of those records
(``rows_hash``). A bulk write of consecutive ids is one record holding the
rows' hashes in id order.

Verification replays the ledger into the hash every covered row must have now,
recomputes every row's hash from its columns, and names each row (table, key)
that was changed, deleted or added outside saylau; columns a table declares
derived are recomputed from the other rows and named by column. Which tables
are covered, and how, is declared in the schema (``info["chain"]``, see
:mod:`saylau.store.coverage`): a new table is covered by declaring it
``CHAINED`` and tracking the rows each of its writes touches.

A row hash is the first 128 bits of the SHA-256 of the table's name and the
canonical JSON of the row's covered columns in declared order (booleans as
booleans, whatever the backend returns; a blob as ``sha256:`` and its digest).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Boolean, Connection, Float, Integer, LargeBinary, Table
from sqlalchemy.types import BigInteger

from saylau.errors import StorageError
from saylau.store.bulk import query_rows
from saylau.store.canonical import canonical_json, encode_canonical
from saylau.store.coverage import Chained
from saylau.store.schema import metadata

__all__ = ["DELETED", "HASH_CHARS", "Pending", "RowProblem", "all_keys", "chained_tables", "check_rows", "ledger_digest",
           "ledger_records", "pending", "row_hash", "track", "track_all", "track_inserted", "track_range", "track_where"]

#: Hex characters of a row hash (128 bits).
HASH_CHARS = 32
#: The ledger's mark of a deleted row.
DELETED = "-" * HASH_CHARS
#: Keys per ``IN (...)`` query.
_IN_BATCH = 500
_PENDING = "saylau_chain_pending"

Key = Any  # an int for tables keyed by an integer id, else a tuple of the primary key's values


@dataclass
class Pending:
    """What a write transaction has appended and touched so far (sealed when it ends)."""

    entries: list[Any] = field(default_factory=list)
    """Provisional audit entries, in order (their ``rows_hash`` and ``hash`` are set when sealed)."""
    tracked: dict[int, list[tuple[Table, str, Any]]] = field(default_factory=dict)
    """Per entry number: (table, "keys" | "range" | "hashed", keys, (first, last) or (first, last, hashes))."""


def pending(conn: Connection) -> Pending:
    """The transaction's pending ledger work (created on first use)."""
    found = conn.info.get(_PENDING)
    if found is None:
        found = conn.info[_PENDING] = Pending()
    return found  # type: ignore[no-any-return]


def take_pending(conn: Connection) -> Pending | None:
    return conn.info.pop(_PENDING, None)  # type: ignore[no-any-return]


def discard_pending(conn: Connection) -> None:
    conn.info.pop(_PENDING, None)


def _target(conn: Connection, seq: int | None) -> list[tuple[Table, str, Any]]:
    p = pending(conn)
    if seq is None:
        if not p.entries:
            raise StorageError("rows written without an audit entry (append the entry first)")
        seq = p.entries[-1].seq
    return p.tracked.setdefault(seq, [])


def _coverage(table: Table) -> Chained:
    coverage = table.info.get("chain")
    if not isinstance(coverage, Chained):
        raise StorageError(f"table {table.name} is not chained; its rows cannot be tracked")
    return coverage


def track(conn: Connection, table: Table, keys: Iterable[Key], *, seq: int | None = None) -> None:
    """Record ``keys`` of ``table`` (as they are when the transaction ends) under entry ``seq`` (default: the
    transaction's newest entry). A key is the integer id, or the tuple of the primary key's values."""
    _coverage(table)
    wanted = list(keys)
    if wanted:
        _target(conn, seq).append((table, "keys", wanted))


def track_range(conn: Connection, table: Table, first: int, last: int, *, seq: int | None = None) -> None:
    """Record rows ``first`` to ``last`` (integer ids, inclusive) of ``table``: one ledger record."""
    _coverage(table)
    if last >= first:
        _target(conn, seq).append((table, "range", (first, last)))


def track_inserted(conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]], *,
                   seq: int | None = None) -> None:
    """Record rows just inserted with consecutive integer ids (the first column, ``id``, ascending), hashed from
    the values written (``rows`` in ``columns`` order) rather than read back: what a bulk write stores is
    exactly what it passed in. One ledger record."""
    if not rows:
        return
    s = shape(table)
    if columns[0] != "id" or set(s.columns) - set(columns):
        raise StorageError(f"rows of {table.name} inserted without every covered column, ids first")
    first, last = rows[0][0], rows[-1][0]
    if last - first + 1 != len(rows):
        raise StorageError(f"rows of {table.name} inserted without consecutive ids")
    picks = [columns.index(c) for c in s.columns]
    if picks == list(range(len(columns))):
        ordered: Iterable[Sequence[Any]] = rows
    else:
        from operator import itemgetter

        ordered = map(itemgetter(*picks), rows)
    _target(conn, seq).append((table, "hashed", (first, last, s.hashes(ordered, as_written=True))))


def track_where(conn: Connection, table: Table, column: str, values: Collection[Any], *,
                seq: int | None = None, also: Sequence[tuple[str, Any]] = ()) -> None:
    """Record the rows of ``table`` whose ``column`` is one of ``values`` (and each ``also`` column equals its
    value), found now: call it after an insert or update, and before a delete."""
    _coverage(table)
    if not values:
        return
    pk = [c.name for c in table.primary_key.columns]
    found: list[Key] = []
    ordered = list(dict.fromkeys(values))
    extra = "".join(f" AND {_q(conn, name)} = ?" for name, _ in also)
    for i in range(0, len(ordered), _IN_BATCH):
        chunk = ordered[i:i + _IN_BATCH]
        sql = (f"SELECT {', '.join(_q(conn, c) for c in pk)} FROM {_q(conn, table.name)} "
               f"WHERE {_q(conn, column)} IN ({', '.join(['?'] * len(chunk))}){extra}")
        found.extend(_key(table, row) for row in query_rows(conn, sql, (*chunk, *(v for _, v in also))))
    track(conn, table, found, seq=seq)


def all_keys(conn: Connection, table: Table) -> list[Key]:
    """Every stored key of ``table``, in key order."""
    pk = [c.name for c in table.primary_key.columns]
    sql = (f"SELECT {', '.join(_q(conn, c) for c in pk)} FROM {_q(conn, table.name)} "
           f"ORDER BY {', '.join(_q(conn, c) for c in pk)}")
    return [_key(table, row) for row in query_rows(conn, sql)]


def track_all(conn: Connection, table: Table, keys: Sequence[Key], *, seq: int | None = None) -> None:
    """Record ``keys`` (every key of the table, sorted): runs of consecutive integer ids as one record each."""
    if not _int_keyed(table):
        track(conn, table, keys, seq=seq)
        return
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[i - 1] + 1:
            track_range(conn, table, keys[start], keys[i - 1], seq=seq)
            start = i


# -- hashing -------------------------------------------------------------------------------------------------

def _q(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote(name)


def _int_keyed(table: Table) -> bool:
    pk = list(table.primary_key.columns)
    return len(pk) == 1 and isinstance(pk[0].type, Integer | BigInteger)


def _key(table: Table, row: Sequence[Any]) -> Key:
    """The key of a row given as its primary key's values."""
    return int(row[0]) if _int_keyed(table) else tuple(row)


def _plain(column: Any, rows: Sequence[Sequence[Any]], i: int) -> bool:
    """Whether column ``i`` of ``rows`` (values as written) already holds what its normaliser would make of them."""
    if isinstance(column.type, Boolean):
        return all(type(r[i]) is bool or r[i] is None for r in rows)
    if isinstance(column.type, Float):
        return all(type(r[i]) is float or r[i] is None for r in rows)
    return False


def _normaliser(column: Any) -> Callable[[Any], Any]:
    if isinstance(column.type, Boolean):
        return lambda v: None if v is None else bool(v)
    if isinstance(column.type, Integer | BigInteger):
        return lambda v: None if v is None else int(v)
    if isinstance(column.type, Float):
        return lambda v: None if v is None else float(v)
    if isinstance(column.type, LargeBinary):  # a blob enters the row's JSON as its own SHA-256
        return lambda v: None if v is None else "sha256:" + hashlib.sha256(bytes(v)).hexdigest()
    return lambda v: None if v is None else str(v)


@dataclass(frozen=True)
class _Shape:
    """How a table's rows are read and hashed."""

    table: Table
    columns: tuple[str, ...]      # covered columns, in declared order (the primary key's among them)
    key_at: tuple[int, ...]       # positions of the primary key's columns in ``columns``
    normalise: tuple[tuple[int, Callable[[Any], Any]], ...]
    """(position, function) for the columns whose driver values need normalising (booleans: SQLite gives
    0/1). Integers and text come back from both drivers as they were written."""
    prefix: str

    def hash(self, row: Sequence[Any]) -> str:
        if self.normalise:
            row = list(row)
            for i, f in self.normalise:
                row[i] = f(row[i])
        text = self.prefix + canonical_json(row)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:HASH_CHARS]

    def hashes(self, rows: Iterable[Sequence[Any]], *, as_written: bool = False) -> str:
        """The concatenated hashes of ``rows`` (a bulk record's ``hashes``): :meth:`hash` of each, inlined.

        ``as_written``: the rows are values saylau passed to the driver, not read back; a boolean or float
        column holding only values of its own Python type (or None) then needs no normalising."""
        if self.normalise and as_written:
            rows = list(rows)
            needed = tuple((i, f) for i, f in self.normalise if not _plain(self.table.c[self.columns[i]], rows, i))
            if not needed:
                return self._plain_hashes(rows)
            return "".join(map(_Shape(self.table, self.columns, self.key_at, needed, self.prefix).hash, rows))
        if self.normalise:
            return "".join(map(self.hash, rows))
        return self._plain_hashes(rows)

    def _plain_hashes(self, rows: Iterable[Sequence[Any]]) -> str:
        prefix, encode, sha256 = self.prefix, encode_canonical, hashlib.sha256
        return "".join([sha256((prefix + encode(row)).encode("utf-8")).hexdigest()[:HASH_CHARS] for row in rows])

    def key(self, row: Sequence[Any]) -> Key:
        if len(self.key_at) == 1 and _int_keyed(self.table):
            return int(row[self.key_at[0]])
        return tuple(row[i] for i in self.key_at)


_SHAPES: dict[str, _Shape] = {}


def shape(table: Table) -> _Shape:
    found = _SHAPES.get(table.name)
    if found is None:
        derived = {name for name, _ in _coverage(table).derived}
        columns = tuple(c.name for c in table.columns if c.name not in derived)
        pk = [c.name for c in table.primary_key.columns]
        needs = tuple((i, _normaliser(table.c[c])) for i, c in enumerate(columns)
                      if isinstance(table.c[c].type, Boolean | Float | LargeBinary))
        found = _SHAPES[table.name] = _Shape(table, columns, tuple(columns.index(c) for c in pk), needs,
                                             table.name + "\x00")
    return found


def row_hash(table: Table, row: Sequence[Any]) -> str:
    """The hash of a row of ``table`` given as its covered columns' values in declared order."""
    return shape(table).hash(row)


def chained_tables() -> list[Table]:
    """Every table whose rows the ledger records, in dependency order."""
    return [t for t in metadata.sorted_tables if isinstance(t.info.get("chain"), Chained)]


def _select(conn: Connection, s: _Shape) -> str:
    return f"SELECT {', '.join(_q(conn, c) for c in s.columns)} FROM {_q(conn, s.table.name)}"


def _rows_by_keys(conn: Connection, s: _Shape, keys: Sequence[Key]) -> dict[Key, str]:
    """The hash of each stored row among ``keys``."""
    found: dict[Key, str] = {}
    pk = [s.columns[i] for i in s.key_at]
    if len(pk) == 1:
        plain = [k if _int_keyed(s.table) else k[0] for k in keys]
        for i in range(0, len(plain), _IN_BATCH):
            chunk = plain[i:i + _IN_BATCH]
            sql = f"{_select(conn, s)} WHERE {_q(conn, pk[0])} IN ({', '.join(['?'] * len(chunk))})"
            for row in query_rows(conn, sql, chunk):
                found[s.key(row)] = s.hash(row)
        return found
    match = "(" + " AND ".join(f"{_q(conn, c)} = ?" for c in pk) + ")"
    for i in range(0, len(keys), 100):
        chunk = keys[i:i + 100]
        sql = f"{_select(conn, s)} WHERE {' OR '.join([match] * len(chunk))}"
        for row in query_rows(conn, sql, [v for k in chunk for v in k]):
            found[s.key(row)] = s.hash(row)
    return found


def _range_hashes(conn: Connection, s: _Shape, first: int, last: int) -> str:
    pk = s.columns[s.key_at[0]]
    rows = query_rows(conn, f"{_select(conn, s)} WHERE {_q(conn, pk)} BETWEEN ? AND ? ORDER BY {_q(conn, pk)}",
                      (first, last))
    by_id = {s.key(row): s.hash(row) for row in rows}
    if len(by_id) == last - first + 1:
        return "".join(by_id.values())
    return "".join(by_id.get(i, DELETED) for i in range(first, last + 1))


Record = tuple[str, str | None, int | None, int | None, str]
"""A ledger record: (table, row key as canonical JSON or None, first id, last id, hashes)."""


def ledger_records(conn: Connection, tracked: Sequence[tuple[Table, str, Any]]) -> list[Record]:
    """The ledger records of what one entry tracked, each row as it is stored now."""
    records: list[Record] = []
    keyed: dict[str, tuple[Table, dict[Key, None]]] = {}
    for table, kind, what in tracked:
        if kind == "hashed":
            records.append((table.name, None, *what))
        elif kind == "range":
            first, last = what
            records.append((table.name, None, first, last, _range_hashes(conn, shape(table), first, last)))
        else:
            keyed.setdefault(table.name, (table, {}))[1].update(dict.fromkeys(what))
    for table, keys in keyed.values():
        s = shape(table)
        ordered = sorted(keys)
        hashes = _rows_by_keys(conn, s, ordered)
        if _int_keyed(table):
            for key in ordered:
                records.append((table.name, None, key, key, hashes.get(key, DELETED)))
        else:
            for key in ordered:
                records.append((table.name, canonical_json(list(key)), None, None, hashes.get(key, DELETED)))
    return records


def ledger_digest(records: Iterable[Sequence[Any]]) -> str:
    """The digest an entry's ``rows_hash`` holds: SHA-256 of the canonical JSON of its records in order."""
    return hashlib.sha256(canonical_json([list(r) for r in records]).encode("utf-8")).hexdigest()


# -- verification --------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class RowProblem:
    """A stored row that disagrees with the chain: its table, key, the column when known, and what is wrong."""

    table: str
    key: Any
    problem: str
    column: str | None = None

    def __str__(self) -> str:
        where = f"{self.table} row {self.key!r}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.problem}"


def expected_hashes(records: Iterable[Sequence[Any]]) -> dict[str, dict[Key, str]]:
    """Replay ledger records (in chain order): the hash each recorded row must have now."""
    expected: dict[str, dict[Key, str]] = {}
    for tbl, row_key, first, last, hashes in records:
        mine = expected.setdefault(tbl, {})
        if row_key is not None:
            mine[tuple(json.loads(row_key))] = hashes
            continue
        if first is None or last is None or len(hashes) != (last - first + 1) * HASH_CHARS:
            raise ValueError("malformed ledger record")
        for k, i in enumerate(range(first, last + 1)):
            mine[i] = hashes[k * HASH_CHARS:(k + 1) * HASH_CHARS]
    return expected


def check_rows(conn: Connection, expected: dict[str, dict[Key, str]]) -> list[RowProblem]:
    """Every covered row compared with the ledger, and every derived column recomputed."""
    problems: list[RowProblem] = []
    for table in chained_tables():
        s = shape(table)
        want = expected.get(table.name, {})
        seen: set[Key] = set()
        for row in query_rows(conn, _select(conn, s)):
            key = s.key(row)
            seen.add(key)
            recorded = want.get(key)
            if recorded is None or recorded == DELETED:
                problems.append(RowProblem(table.name, key, "added outside saylau (no audit entry recorded it)"))
            elif recorded != s.hash(row):
                problems.append(RowProblem(table.name, key, "changed outside saylau (its hash differs from the "
                                                            "one its audit entry recorded)"))
        for key, recorded in want.items():
            if key not in seen and recorded != DELETED:
                problems.append(RowProblem(table.name, key, "deleted outside saylau"))
        for column, check in _coverage(table).derived:
            problems.extend(DERIVED_CHECKS[check](conn, table, column))
    return problems


def current_is_newest_version(conn: Connection, table: Table, column: str) -> list[RowProblem]:
    """``is_current`` is true exactly for the highest version of each station."""
    rows = query_rows(conn, f"SELECT id, unit_ref, version, {_q(conn, column)} FROM {_q(conn, table.name)}")
    newest: dict[int, int] = {}
    for _, unit, version, _ in rows:
        if version > newest.get(unit, -1):
            newest[unit] = version
    return [RowProblem(table.name, ident, f"is {bool(flag)}, but the chain makes version {version} "
                                          f"{'current' if version == newest[unit] else 'superseded'}", column)
            for ident, unit, version, flag in rows if bool(flag) != (version == newest[unit])]


#: The checks a ``Chained(derived=...)`` or ``Derived(...)`` declaration may name.
DERIVED_CHECKS: dict[str, Callable[[Connection, Table, str], list[RowProblem]]] = {
    "current_is_newest_version": current_is_newest_version,
}
