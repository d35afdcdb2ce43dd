"""The append-only audit log: who did what, when and why, each entry hash-chained to the one before.

An entry's hash is the SHA-256 of the canonical JSON (sorted keys, no spaces,
UTF-8) of all its fields except the hash itself, including the previous
entry's hash. Editing an entry changes its hash; deleting one breaks the
numbering and the chain; deleting the newest ones disagrees with the chain head.
Entries that stored data also carry the hash of that data (``payload_hash``),
which verification recomputes from the stored rows, so an edited count is found too.
Each entry also covers the digest of its row ledger (``rows_hash``, see
:mod:`saylau.store.chain`): the hash of every row the write made, changed or
deleted, so verification names any covered row edited, deleted or added since.

An entry is appended provisionally (its number, time and fields) and sealed when
its write transaction ends (:func:`seal`): the ledger records are read from the
rows as stored, then the entry's ``rows_hash`` and ``hash`` are set and the head
moves. Nothing outside the transaction ever sees an unsealed entry.

The chain proves the log was not altered *partially*. Someone able to rewrite
every row and the head can forge a consistent log; publish the head hash
(``saylau audit-log head``) to anchor it outside the database, and check
against it (``saylau audit-log verify --expect-head HASH``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from typing import Any

from sqlalchemy import Connection, inspect, select

from saylau.errors import StorageError
from saylau.store import chain
from saylau.store.bulk import fetch_rows, insert_rows, query_rows
from saylau.store.canonical import canonical_json
from saylau.store.schema import GENESIS_HASH, audit_log, audit_rows, protocol_versions, unit_results

__all__ = [
    "AuditCheck",
    "AuditEntry",
    "adopt_rows",
    "append_entries",
    "append_entry",
    "canonical_json",
    "entry_hash",
    "iter_entries",
    "now",
    "payload_hash",
    "protocol_record",
    "protocols_payload_hash",
    "seal",
    "unit_result_record",
    "verify_chain",
]

#: Actions whose payload is the protocol versions they created.
PROTOCOL_ACTIONS = frozenset({"ingest", "submit", "correct"})
#: Actions whose payload is the unit results they stored.
RESULT_ACTIONS = frozenset({"load"})
#: Actions whose payload is the double-entry rows they recorded or closed (see :mod:`saylau.store.entries`).
ENTRY_ACTIONS = frozenset({"entry", "entry-discard", "entry-accept"})


def now() -> str:
    """The current time, UTC, ISO 8601 with microseconds (stored as text: hashed exactly as stored)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One entry of the log."""

    seq: int
    at: str
    actor: str
    action: str
    election_id: str | None
    subject: str
    reason: str | None
    payload_hash: str
    prev_hash: str
    hash: str
    rows_hash: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}  # type: ignore[attr-defined]


def entry_hash(seq: int, at: str, actor: str, action: str, election_id: str | None, subject: str,
               reason: str | None, payload_hash: str, prev_hash: str, rows_hash: str | None = None) -> str:
    """The hash an entry with these fields must carry (``rows_hash`` is left out only for entries written
    before the row ledger existed, which have none)."""
    fields = {"seq": seq, "at": at, "actor": actor, "action": action, "election_id": election_id,
              "subject": subject, "reason": reason, "payload_hash": payload_hash, "prev_hash": prev_hash}
    if rows_hash is not None:
        fields["rows_hash"] = rows_hash
    return hashlib.sha256(canonical_json(fields).encode("utf-8")).hexdigest()


def protocol_record(station: str, version: int, region: str, territory: str | None, lines: str, votes: str,
                    synthetic: bool) -> list[Any]:
    """What the payload hash covers of one stored protocol version."""
    return [station, version, region, territory, lines, votes, bool(synthetic)]


def unit_result_record(unit_id: str, votes: str, valid: int, registered: int | None, ballots_cast: int | None,
                       invalid: int | None, synthetic: bool) -> list[Any]:
    """What the payload hash covers of one stored unit result."""
    return [unit_id, votes, valid, registered, ballots_cast, invalid, bool(synthetic)]


def payload_hash(records: Any) -> str:
    """SHA-256 of the canonical JSON of ``records`` (one encoder call, however many records)."""
    return hashlib.sha256(canonical_json(records).encode("utf-8")).hexdigest()


def protocols_payload_hash(stations: Sequence[str], versions: Sequence[int], regions: Sequence[str],
                           territories: Sequence[str | None], lines: Sequence[str], votes: Sequence[str],
                           synthetic: Sequence[bool]) -> str:
    """``payload_hash`` of the :func:`protocol_record` of each stored version, from columns.

    The same text, hence the same hash, as encoding one list per record (JSON
    writes a tuple as a list and records hold no mappings to sort), without
    building 100,000 lists first.
    """
    flags = [bool(s) for s in synthetic]
    records = list(zip(stations, versions, regions, territories, lines, votes, flags, strict=True))
    return hashlib.sha256(canonical_json(records).encode("utf-8")).hexdigest()


def append_entry(conn: Connection, *, actor: str, action: str, election_id: str | None, subject: str,
                 reason: str | None = None, payload_hash: str = "") -> AuditEntry:
    """Append one entry, provisionally (sealed when the write transaction ends: see :func:`seal`); the caller
    holds the write lock (see ``write_transaction``). Its ``hash`` is set only when sealed."""
    return append_entries(conn, [{"actor": actor, "action": action, "election_id": election_id, "subject": subject,
                                  "reason": reason, "payload_hash": payload_hash}])[0]


def append_entries(conn: Connection, specs: Sequence[dict[str, Any]]) -> list[AuditEntry]:
    """Append one provisional entry per spec (``actor``, ``action``, ``election_id``, ``subject``, ``reason``,
    ``payload_hash``), in order, in one insert; the caller holds the write lock. Sealed with the transaction."""
    if not specs:
        return []
    pending = chain.pending(conn)
    if pending.entries:
        seq = pending.entries[-1].seq
    else:
        head = query_rows(conn, "SELECT seq, hash FROM audit_head WHERE id = 1")
        if not head:
            raise StorageError("the audit chain's head row is missing: the store was edited outside saylau "
                               "(run saylau audit-log verify)")
        seq = head[0][0]
    at = now()  # one write, one moment
    rows: list[tuple[Any, ...]] = []  # in _ENTRY_COLUMNS order; links and hashes are set when sealed
    for spec in specs:
        seq += 1
        rows.append((seq, at, spec["actor"], spec["action"], spec["election_id"], spec["subject"], spec.get("reason"),
                     spec.get("payload_hash", ""), "", "", None))
    insert_rows(conn, audit_log, _ENTRY_COLUMNS, rows)
    entries = [AuditEntry(*row) for row in rows]
    pending.entries.extend(entries)
    return entries


def seal(conn: Connection) -> list[AuditEntry]:
    """Finish the transaction's entries: record each one's ledger, then its ``rows_hash``, link and hash, and
    move the head. Called by ``write_transaction`` before it commits; the sealed entries, in order."""
    pending = chain.take_pending(conn)
    if pending is None or not pending.entries:
        if pending is not None and pending.tracked:
            raise StorageError("rows were tracked without an audit entry")
        return []
    known = {e.seq for e in pending.entries}
    stray = set(pending.tracked) - known
    if stray:
        raise StorageError(f"rows were tracked for entries this transaction did not append: {sorted(stray)}")
    ((prev,),) = query_rows(conn, "SELECT hash FROM audit_head WHERE id = 1")
    ledger: list[tuple[Any, ...]] = []
    links: list[tuple[Any, ...]] = []
    sealed: list[AuditEntry] = []
    for e in pending.entries:
        records = chain.ledger_records(conn, pending.tracked.get(e.seq, ()))
        ledger.extend((e.seq, k, *record) for k, record in enumerate(records))
        rows_hash = chain.ledger_digest(records)
        digest = entry_hash(e.seq, e.at, e.actor, e.action, e.election_id, e.subject, e.reason, e.payload_hash, prev,
                            rows_hash)
        links.append((prev, rows_hash, digest, e.seq))
        sealed.append(AuditEntry(e.seq, e.at, e.actor, e.action, e.election_id, e.subject, e.reason, e.payload_hash,
                                 prev, digest, rows_hash))
        prev = digest
    insert_rows(conn, audit_rows, _LEDGER_COLUMNS, ledger)
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    cursor = dbapi.cursor()
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    try:
        cursor.executemany(f"UPDATE audit_log SET prev_hash = {mark}, rows_hash = {mark}, hash = {mark} "
                           f"WHERE seq = {mark}", links)
    finally:
        cursor.close()
    query_rows(conn, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", (sealed[-1].seq, prev))
    return sealed


#: The log's columns: AuditEntry's fields, in order (a row and an entry are the same tuple of values).
_ENTRY_COLUMNS = tuple(f.name for f in dataclass_fields(AuditEntry))
_LEDGER_COLUMNS = ("seq", "ordinal", "tbl", "row_key", "first_id", "last_id", "hashes")


def iter_entries(conn: Connection, *, election_id: str | None = None, limit: int | None = None) -> Iterator[AuditEntry]:
    """Entries in order (the newest ``limit`` ones when given)."""
    query = select(audit_log)
    if election_id is not None:
        query = query.where(audit_log.c.election_id == election_id)
    if limit is not None:
        query = query.order_by(audit_log.c.seq.desc()).limit(limit)
        rows = list(conn.execute(query).mappings())[::-1]
    else:
        rows = list(conn.execute(query.order_by(audit_log.c.seq)).mappings())
    for row in rows:
        yield AuditEntry(**row)


@dataclass(frozen=True, slots=True)
class AuditCheck:
    """The outcome of verifying the log: ``ok``, or what is wrong: the first bad entry (``bad_seq``), or the
    stored rows that disagree with the chain (``rows``; the first one's table, key and column also as fields)."""

    ok: bool
    entries: int
    head_hash: str
    bad_seq: int | None = None
    problem: str | None = None
    table: str | None = None
    key: Any = None
    column: str | None = None
    rows: tuple[chain.RowProblem, ...] = ()

    def __str__(self) -> str:
        if self.ok:
            return f"audit log verified: {self.entries} entries, head {self.head_hash}"
        if self.rows:
            shown = "; ".join(str(r) for r in self.rows[:10])
            more = f" (and {len(self.rows) - 10} more)" if len(self.rows) > 10 else ""
            return f"stored rows disagree with the audit log ({len(self.rows)}): {shown}{more}"
        where = f" ({self.table} row {self.key!r})" if self.table else ""
        return f"audit log broken at entry {self.bad_seq}{where}: {self.problem}"


def adopt_rows(conn: Connection, *, actor: str, subject: str) -> AuditEntry | None:
    """Record every covered row as it is now under one new entry (``adopt-rows``), sealed at once.

    For migrations: rows stored before the ledger existed, or whose table a
    migration reshaped, enter the ledger here. Nothing to adopt, no entry.
    """
    present = set(inspect(conn).get_table_names())  # a migration runs before later migrations add their tables
    keys = {table: chain.all_keys(conn, table) for table in chain.chained_tables() if table.name in present}
    if not any(keys.values()):
        return None
    append_entry(conn, actor=actor, action="adopt-rows", election_id=None, subject=subject)
    for table, found in keys.items():
        chain.track_all(conn, table, found)
    return seal(conn)[-1]


def verify_chain(conn: Connection, *, expect_head: str | None = None, rows: bool = True) -> AuditCheck:
    """Check numbering, every hash, every link, the head (and the published head ``expect_head``), every
    entry's row ledger, every covered row against the ledger, and the payload of every data entry (with
    ``rows`` False, only the entries: what a migration checks before adopting the rows)."""
    head = query_rows(conn, "SELECT seq, hash FROM audit_head WHERE id = 1")
    entries = list(iter_entries(conn))
    expected_prev = GENESIS_HASH
    expected_seq = 1
    count = 0

    def broken(seq: int | None, problem: str, table: str = "audit_log", key: Any = None) -> AuditCheck:
        return AuditCheck(False, count, expected_prev, seq, problem, table, seq if key is None else key)

    for entry in entries:
        if entry.seq != expected_seq:
            return broken(expected_seq, f"entry {expected_seq} is missing (next entry found is {entry.seq})")
        if entry.prev_hash != expected_prev:
            return broken(entry.seq, "its previous hash does not match the entry before it")
        recomputed = entry_hash(entry.seq, entry.at, entry.actor, entry.action, entry.election_id, entry.subject,
                                entry.reason, entry.payload_hash, entry.prev_hash, entry.rows_hash)
        if recomputed != entry.hash:
            return broken(entry.seq, "its contents do not match its hash")
        expected_prev = entry.hash
        expected_seq += 1
        count += 1
    if not head:
        return broken(None, "the chain head row is missing (deleted outside saylau)", "audit_head", 1)
    ((head_seq, head_hash),) = head
    if head_seq != count or head_hash != expected_prev:
        return broken(count + 1, f"the chain head says {head_seq} entries ending in {head_hash}; the log has "
                                 f"{count} ending in {expected_prev}: entries are missing or the head was edited",
                      "audit_head", 1)
    if expect_head is not None and expect_head.strip().lower() != expected_prev:
        return broken(count, f"the head is {expected_prev}, not the published {expect_head.strip()}: the newest "
                             "entries were removed or the log was rewritten")
    if not rows:
        return AuditCheck(True, count, expected_prev)
    ledger_problem = _check_ledger(conn, entries)
    if ledger_problem is not None:
        seq, problem = ledger_problem
        return broken(seq, problem, "audit_rows", seq)
    records = query_rows(conn, "SELECT tbl, row_key, first_id, last_id, hashes FROM audit_rows ORDER BY seq, ordinal")
    problems = chain.check_rows(conn, chain.expected_hashes(records))
    if problems:
        first = problems[0]
        return AuditCheck(False, count, expected_prev, None, str(first), first.table, first.key, first.column,
                          tuple(problems))
    # Entries written before the row ledger existed carry their data only in their payload hash: recompute it.
    legacy = [e for e in entries if e.rows_hash is None]
    if legacy:
        payloads = _stored_payload_hashes(conn)
        for entry in legacy:
            if entry.action in PROTOCOL_ACTIONS | RESULT_ACTIONS | ENTRY_ACTIONS:
                stored = payloads.pop(entry.seq, payload_hash([]))
                if stored != entry.payload_hash:
                    return broken(entry.seq, "the data it recorded was changed (payload hash differs)")
        for entry in entries:
            if entry.rows_hash is not None:
                payloads.pop(entry.seq, None)
        if payloads:
            return broken(min(payloads), "data refers to an entry that is not a data entry")
    return AuditCheck(True, count, expected_prev)


def _check_ledger(conn: Connection, entries: Sequence[AuditEntry]) -> tuple[int, str] | None:
    """The first entry whose ledger records do not give its ``rows_hash`` (edited, deleted or added records)."""
    by_seq: dict[int, list[tuple[Any, ...]]] = {}
    for seq, *record in query_rows(conn, "SELECT seq, tbl, row_key, first_id, last_id, hashes FROM audit_rows "
                                         "ORDER BY seq, ordinal"):
        by_seq.setdefault(seq, []).append(tuple(record))
    ordinals = query_rows(conn, "SELECT seq, ordinal FROM audit_rows ORDER BY seq, ordinal")
    numbered: dict[int, list[int]] = {}
    for seq, ordinal in ordinals:
        numbered.setdefault(seq, []).append(ordinal)
    for entry in entries:
        records = by_seq.pop(entry.seq, [])
        if entry.rows_hash is None:
            if records:
                return entry.seq, "row ledger records were added to an entry that has none"
            continue
        if numbered.get(entry.seq, []) != list(range(len(records))) or \
                chain.ledger_digest(records) != entry.rows_hash:
            return entry.seq, "its row ledger (audit_rows) was changed: its records no longer give its rows hash"
    if by_seq:
        seq = min(by_seq)
        return seq, f"row ledger records name entry {seq}, which is not in the log"
    return None


def _stored_payload_hashes(conn: Connection) -> dict[int, str]:
    """Recompute each data entry's payload hash from the rows it stored (in the order it stored them)."""
    hashes: dict[int, str] = {}
    columns = ("audit_seq", "station", "version", "region", "territory", "lines", "votes", "synthetic")
    rows = fetch_rows(conn, protocol_versions, columns, (), order_by="id")
    groups: dict[int, list[tuple[Any, ...]]] = {}
    for row in rows:
        groups.setdefault(row[0], []).append(row)
    for seq, group in groups.items():
        hashes[seq] = protocols_payload_hash(*list(zip(*group, strict=True))[1:])  # type: ignore[arg-type]
    ur = unit_results.c
    query = select(ur.audit_seq, ur.unit_id, ur.votes, ur.valid, ur.registered, ur.ballots_cast, ur.invalid,
                   ur.synthetic).order_by(ur.audit_seq, ur.unit_id)
    results: dict[int, list[list[Any]]] = {}
    for seq, *fields in conn.execute(query):
        results.setdefault(seq, []).append(unit_result_record(*fields))
    for seq, records in results.items():
        # Protocols and unit results under one entry cannot be what any write stored: never matches.
        hashes[seq] = "both protocols and unit results" if seq in hashes else payload_hash(records)
    from saylau.store.entries import (
        entry_payload_hashes,  # entries append to this log: imported here, not above
    )

    for seq, digest in entry_payload_hashes(conn).items():
        hashes[seq] = "both protocols and entries" if seq in hashes else digest
    return hashes

