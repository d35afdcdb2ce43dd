"""The append-only audit log: who did what, when and why, each entry hash-chained to the one before.

An entry's hash is the SHA-256 of the canonical JSON (sorted keys, no spaces,
UTF-8) of all its fields except the hash itself, including the previous
entry's hash. Editing an entry changes its hash; deleting one breaks the
numbering and the chain; deleting the newest ones disagrees with the chain head.
Entries that stored data also carry the hash of that data (``payload_hash``),
which verification recomputes from the stored rows, so an edited count is found too.

The chain proves the log was not altered *partially*. Someone able to rewrite
every row and the head can forge a consistent log; publish the head hash
(``saylau audit-log head``) to anchor it outside the database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from typing import Any

from sqlalchemy import Connection, select, update

from saylau.store.bulk import fetch_rows, insert_rows, query_rows
from saylau.store.schema import GENESIS_HASH, audit_head, audit_log, protocol_versions, unit_results

__all__ = [
    "AuditCheck",
    "AuditEntry",
    "append_entries",
    "append_entry",
    "canonical_json",
    "entry_hash",
    "iter_entries",
    "now",
    "payload_hash",
    "protocol_record",
    "protocols_payload_hash",
    "unit_result_record",
    "verify_chain",
]

#: Actions whose payload is the protocol versions they created.
PROTOCOL_ACTIONS = frozenset({"ingest", "submit", "correct"})
#: Actions whose payload is the unit results they stored.
RESULT_ACTIONS = frozenset({"load"})
#: Actions whose payload is the double-entry rows they recorded or closed (see :mod:`saylau.store.entries`).
ENTRY_ACTIONS = frozenset({"entry", "entry-discard", "entry-accept"})


def canonical_json(value: Any) -> str:
    """The one JSON text of ``value`` that hashes are computed over."""
    return _CANONICAL_ENCODER(value)


# json.dumps with these options builds a new encoder per call; every audit entry is encoded at least twice.
_CANONICAL_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


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

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}  # type: ignore[attr-defined]


def entry_hash(seq: int, at: str, actor: str, action: str, election_id: str | None, subject: str,
               reason: str | None, payload_hash: str, prev_hash: str) -> str:
    """The hash an entry with these fields must carry."""
    fields = {"seq": seq, "at": at, "actor": actor, "action": action, "election_id": election_id,
              "subject": subject, "reason": reason, "payload_hash": payload_hash, "prev_hash": prev_hash}
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
    """Append one entry; the caller holds the write lock (see ``write_transaction``)."""
    head = conn.execute(select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1)).one()
    seq = head.seq + 1
    at = now()
    digest = entry_hash(seq, at, actor, action, election_id, subject, reason, payload_hash, head.hash)
    entry = AuditEntry(seq, at, actor, action, election_id, subject, reason, payload_hash, head.hash, digest)
    conn.execute(audit_log.insert().values(**entry.to_dict()))
    conn.execute(update(audit_head).where(audit_head.c.id == 1).values(seq=seq, hash=digest))
    return entry


def append_entries(conn: Connection, specs: Sequence[dict[str, Any]]) -> list[AuditEntry]:
    """Append one entry per spec (``actor``, ``action``, ``election_id``, ``subject``, ``reason``,
    ``payload_hash``), chained in order, in one insert; the caller holds the write lock.

    The same entries, hashes included, as calling :func:`append_entry` once per spec.
    """
    if not specs:
        return []
    ((seq, prev),) = query_rows(conn, "SELECT seq, hash FROM audit_head WHERE id = 1")
    at = now()  # one write, one moment
    rows: list[tuple[Any, ...]] = []  # in _ENTRY_COLUMNS order
    for spec in specs:
        seq += 1
        reason, payload = spec.get("reason"), spec.get("payload_hash", "")
        digest = entry_hash(seq, at, spec["actor"], spec["action"], spec["election_id"], spec["subject"], reason,
                            payload, prev)
        rows.append((seq, at, spec["actor"], spec["action"], spec["election_id"], spec["subject"], reason, payload,
                     prev, digest))
        prev = digest
    insert_rows(conn, audit_log, _ENTRY_COLUMNS, rows)
    entries = [AuditEntry(*row) for row in rows]
    query_rows(conn, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", (seq, prev))
    return entries


#: The log's columns: AuditEntry's fields, in order (a row and an entry are the same tuple of values).
_ENTRY_COLUMNS = tuple(f.name for f in dataclass_fields(AuditEntry))


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
    """The outcome of verifying the log: ``ok``, or the first bad entry and what is wrong with it."""

    ok: bool
    entries: int
    head_hash: str
    bad_seq: int | None = None
    problem: str | None = None

    def __str__(self) -> str:
        if self.ok:
            return f"audit log verified: {self.entries} entries, head {self.head_hash}"
        return f"audit log broken at entry {self.bad_seq}: {self.problem}"


def verify_chain(conn: Connection) -> AuditCheck:
    """Check numbering, every hash, every link, the head, and the payload of every data entry."""
    payloads = _stored_payload_hashes(conn)
    expected_prev = GENESIS_HASH
    expected_seq = 1
    count = 0
    for entry in iter_entries(conn):
        if entry.seq != expected_seq:
            return AuditCheck(False, count, expected_prev, expected_seq,
                              f"entry {expected_seq} is missing (next entry found is {entry.seq})")
        if entry.prev_hash != expected_prev:
            return AuditCheck(False, count, expected_prev, entry.seq,
                              "its previous hash does not match the entry before it")
        recomputed = entry_hash(entry.seq, entry.at, entry.actor, entry.action, entry.election_id, entry.subject,
                                entry.reason, entry.payload_hash, entry.prev_hash)
        if recomputed != entry.hash:
            return AuditCheck(False, count, expected_prev, entry.seq, "its contents do not match its hash")
        if entry.action in PROTOCOL_ACTIONS | RESULT_ACTIONS | ENTRY_ACTIONS:
            stored = payloads.pop(entry.seq, payload_hash([]))
            if stored != entry.payload_hash:
                return AuditCheck(False, count, expected_prev, entry.seq,
                                  "the data it recorded was changed (payload hash differs)")
        expected_prev = entry.hash
        expected_seq += 1
        count += 1
    head = conn.execute(select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1)).one()
    if head.seq != count or head.hash != expected_prev:
        return AuditCheck(False, count, expected_prev, count + 1,
                          f"the chain head says {head.seq} entries; entries after {count} are missing")
    if payloads:
        seq = min(payloads)
        return AuditCheck(False, count, expected_prev, seq, "data refers to an entry that is not a data entry")
    return AuditCheck(True, count, expected_prev)


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

