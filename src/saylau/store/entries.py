"""Double entry in the database: the election's setting and the typists' entries of each station's protocol.

Every change is one transaction under the write lock with its audit entry:
``entry`` (an entry recorded; its payload hash covers station, typist and
counts), ``entry-discard`` and ``entry-accept`` (entries closed; the payload
hash covers their ids and new state), ``double-entry`` (the setting changed).
:func:`saylau.store.audit.verify_chain` recomputes the payload hashes from
the stored rows, so an edited entry is found like an edited protocol.

The comparison itself is pure (:mod:`saylau.protocols.double_entry`); this
module only reads, decides under the lock and writes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, select, update

from saylau.errors import AccessDenied, ConflictError, InputError
from saylau.protocols.double_entry import MODES, Entry, differences
from saylau.store import audit, chain
from saylau.store.elections import election_row
from saylau.store.schema import elections, protocol_entries, protocol_versions, units

__all__ = ["EntryOutcome", "EntryState", "SameTypist", "StationPlace", "StoredEntry", "close_entries",
           "discard_entry", "double_entry", "entry_payload_hashes", "entry_state", "entry_states", "record_entry",
           "set_double_entry", "station_place"]

LIVE, DISCARDED, ACCEPTED = "live", "discarded", "accepted"


class SameTypist(AccessDenied):
    """The typist of the first entry tried to make the second one too."""


@dataclass(frozen=True, slots=True)
class StoredEntry:
    """One typist's stored entry."""

    id: int
    typist: str
    entered_at: str
    entry: Entry
    audit_seq: int

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "typist": self.typist, "entered_at": self.entered_at, "audit_seq": self.audit_seq,
                "lines": dict(self.entry.lines), "votes": dict(self.entry.votes)}


@dataclass(frozen=True, slots=True)
class EntryState:
    """Where a station stands: ``empty``, ``awaiting`` (one entry), ``matched`` (two agree, not yet stored),
    ``conflict`` (two differ) or ``accepted`` (its protocol is stored), with the live entries."""

    station: str
    state: str
    first: StoredEntry | None = None
    second: StoredEntry | None = None

    def to_dict(self) -> dict[str, Any]:
        diffs = differences(self.first.entry, self.second.entry) if self.first and self.second else ()
        return {"station": self.station, "state": self.state,
                "first": self.first.to_dict() if self.first else None,
                "second": self.second.to_dict() if self.second else None,
                "differences": [d.to_dict() for d in diffs]}


@dataclass(frozen=True, slots=True)
class EntryOutcome:
    """What recording an entry did: the station's state after it, and whether a row was added."""

    state: EntryState
    added: bool
    audit_seq: int | None = None


@dataclass(frozen=True, slots=True)
class StationPlace:
    """Where a registered station is: its region's and territory's names and its commission's unit id."""

    station: str
    region: str
    territory: str | None
    commission: str


def double_entry(conn: Connection, election_id: str) -> str:
    """The election's double-entry setting (InputError if the election is unknown)."""
    return str(election_row(conn, election_id)["double_entry"])


def set_double_entry(conn: Connection, election_id: str, mode: str, *, user: str) -> bool:
    """Change the setting (False if it already is ``mode``); the caller holds the write lock."""
    if mode not in MODES:
        raise InputError(f"double entry is one of {', '.join(MODES)}", field="double_entry", value=mode)
    if double_entry(conn, election_id) == mode:
        return False
    audit.append_entry(conn, actor=user, action="double-entry", election_id=election_id,
                       subject=f"double entry {mode}", payload_hash=audit.payload_hash([election_id, mode]))
    conn.execute(update(elections).where(elections.c.id == election_id).values(double_entry=mode))
    chain.track(conn, elections, [(election_id,)])
    return True


def station_place(conn: Connection, election_id: str, station: str) -> StationPlace | None:
    """The registered station's region, territory and commission (None if no such station is registered)."""
    u = units.c
    row = conn.execute(select(u.parent, u.level).where(and_(u.election_id == election_id,
                                                            u.unit_id == station))).first()
    if row is None or row.level != "station" or row.parent is None:
        return None
    commission = conn.execute(select(u.name, u.parent).where(and_(u.election_id == election_id,
                                                                  u.unit_id == row.parent))).first()
    if commission is None:
        return None
    region = conn.execute(select(u.name, u.level).where(and_(u.election_id == election_id,
                                                             u.unit_id == commission.parent))).first()
    if region is None or region.level != "region":  # the station sits right under its region
        return StationPlace(station, commission.name, None, row.parent)
    return StationPlace(station, region.name, commission.name, row.parent)


def _encode(values: dict[str, int]) -> str:
    return audit.canonical_json(values)


def _record(station: str, typist: str, lines: str, votes: str) -> list[str]:
    """What an ``entry`` audit entry's payload hash covers."""
    return [station, typist, lines, votes]


def _live(conn: Connection, election_id: str, station: str) -> list[StoredEntry]:
    e = protocol_entries.c
    rows = conn.execute(select(e.id, e.typist, e.entered_at, e.lines, e.votes, e.audit_seq)
                        .where(and_(e.election_id == election_id, e.station == station, e.state == LIVE))
                        .order_by(e.id)).all()
    return [StoredEntry(r.id, r.typist, r.entered_at, Entry(json.loads(r.lines), json.loads(r.votes)), r.audit_seq)
            for r in rows]


def _has_protocol(conn: Connection, election_id: str, station: str) -> bool:
    pv = protocol_versions.c
    return conn.execute(select(pv.id).where(and_(pv.election_id == election_id, pv.station == station,
                                                 pv.is_current)).limit(1)).first() is not None


def _state(station: str, live: Sequence[StoredEntry], accepted: bool) -> EntryState:
    first = live[0] if live else None
    second = live[1] if len(live) > 1 else None
    if accepted:
        return EntryState(station, "accepted", first, second)
    if second is not None and first is not None:
        agree = not differences(first.entry, second.entry)
        return EntryState(station, "matched" if agree else "conflict", first, second)
    return EntryState(station, "awaiting" if first else "empty", first, None)


def entry_state(conn: Connection, election_id: str, station: str) -> EntryState:
    """The station's state and its live entries."""
    return _state(station, _live(conn, election_id, station), _has_protocol(conn, election_id, station))


def entry_states(conn: Connection, election_id: str, stations: Iterable[str]) -> dict[str, str]:
    """The state of each of ``stations`` (a page's worth: a few queries, not one per station)."""
    wanted = list(stations)
    states = dict.fromkeys(wanted, "empty")
    e, pv = protocol_entries.c, protocol_versions.c
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        counts: dict[str, list[StoredEntry]] = {}
        rows = conn.execute(select(e.id, e.station, e.typist, e.entered_at, e.lines, e.votes, e.audit_seq)
                            .where(and_(e.election_id == election_id, e.station.in_(chunk), e.state == LIVE))
                            .order_by(e.id)).all()
        for r in rows:
            counts.setdefault(r.station, []).append(
                StoredEntry(r.id, r.typist, r.entered_at, Entry(json.loads(r.lines), json.loads(r.votes)), r.audit_seq))
        for station, live in counts.items():
            states[station] = _state(station, live, False).state
        accepted = conn.execute(select(pv.station).where(and_(pv.election_id == election_id, pv.is_current,
                                                              pv.station.in_(chunk)))).scalars()
        for station in accepted:
            states[station] = "accepted"
    return states


def record_entry(conn: Connection, election_id: str, station: str, typist: str, entry: Entry) -> EntryOutcome:
    """Record ``typist``'s entry of ``station``'s protocol; the caller holds the write lock.

    The first entry waits for a second; the same typist cannot make the second
    (:class:`SameTypist`); a repeated identical entry by the same typist adds
    nothing (safe to resubmit). Once two entries are live a third is refused
    with ConflictError until a coordinator settles them. A station whose
    protocol is stored takes no more entries (its state says ``accepted``).
    """
    live = _live(conn, election_id, station)
    if _has_protocol(conn, election_id, station):
        return EntryOutcome(_state(station, live, True), False)
    for mine in live:
        if mine.typist == typist:
            if not differences(mine.entry, entry):
                return EntryOutcome(_state(station, live, False), False)
            if len(live) == 1:
                raise SameTypist(f"{typist!r} made the first entry of station {station!r}: "
                                 "the second entry must be made by another typist")
    if len(live) >= 2 and not differences(live[0].entry, live[1].entry) and not differences(live[0].entry, entry):
        # Two entries agree but their protocol is not stored yet (storing it failed): the same values again let
        # the caller store it now.
        return EntryOutcome(_state(station, live, False), False)
    if len(live) >= 2:
        raise ConflictError(f"station {station!r} has two entries that differ: a coordinator settles them first")
    lines, votes = _encode(dict(entry.lines)), _encode(dict(entry.votes))
    logged = audit.append_entry(conn, actor=typist, action="entry", election_id=election_id,
                                subject=f"station {station} entry {len(live) + 1}",
                                payload_hash=audit.payload_hash([_record(station, typist, lines, votes)]))
    new_id = conn.execute(protocol_entries.insert().values(
        election_id=election_id, station=station, typist=typist, lines=lines, votes=votes, state=LIVE,
        entered_at=logged.at, audit_seq=logged.seq)).inserted_primary_key[0]
    chain.track(conn, protocol_entries, [int(new_id)])
    stored = StoredEntry(int(new_id), typist, logged.at, Entry(json.loads(lines), json.loads(votes)), logged.seq)
    return EntryOutcome(_state(station, [*live, stored], False), True, logged.seq)


def _close(conn: Connection, election_id: str, station: str, ids: Sequence[int], state: str, *, user: str,
           action: str, reason: str | None) -> int:
    logged = audit.append_entry(conn, actor=user, action=action, election_id=election_id,
                                subject=f"station {station} entries {', '.join(map(str, ids))}", reason=reason,
                                payload_hash=audit.payload_hash(sorted([i, state] for i in ids)))
    conn.execute(update(protocol_entries).where(protocol_entries.c.id.in_(list(ids)))
                 .values(state=state, closed_seq=logged.seq))
    chain.track(conn, protocol_entries, ids)
    return logged.seq


def discard_entry(conn: Connection, election_id: str, station: str, side: str, *, user: str,
                  reason: str | None) -> int:
    """Set aside the first or second live entry (a fresh entry takes its place); the audit entry's number."""
    live = _live(conn, election_id, station)
    if side not in ("first", "second"):
        raise InputError("discard the first or the second entry", field="discard", value=side)
    index = 0 if side == "first" else 1
    if len(live) <= index:
        raise InputError(f"station {station!r} has no {side} entry", field="discard", value=side)
    return _close(conn, election_id, station, [live[index].id], DISCARDED, user=user, action="entry-discard",
                  reason=reason)


def close_entries(conn: Connection, election_id: str, station: str, *, user: str, reason: str | None) -> int | None:
    """Mark the live entries accepted once their protocol is stored (None if there were none)."""
    live = _live(conn, election_id, station)
    if not live:
        return None
    return _close(conn, election_id, station, [e.id for e in live], ACCEPTED, user=user, action="entry-accept",
                  reason=reason)


def entry_payload_hashes(conn: Connection) -> dict[int, str]:
    """The payload hash of every ``entry``, ``entry-discard`` and ``entry-accept`` audit entry, from the rows."""
    e = protocol_entries.c
    recorded: dict[int, list[list[str]]] = {}
    closed: dict[int, list[list[Any]]] = {}
    for row in conn.execute(select(e.id, e.station, e.typist, e.lines, e.votes, e.state, e.audit_seq, e.closed_seq)
                            .order_by(e.id)):
        recorded.setdefault(row.audit_seq, []).append(_record(row.station, row.typist, row.lines, row.votes))
        if row.closed_seq is not None:
            closed.setdefault(row.closed_seq, []).append([row.id, row.state])
    hashes = {seq: audit.payload_hash(records) for seq, records in recorded.items()}
    for seq, records in closed.items():
        hashes[seq] = "recorded and closed by one entry" if seq in hashes else audit.payload_hash(sorted(records))
    return hashes

