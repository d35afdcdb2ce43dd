"""An election's state for the web: the change counter, when it last changed, its status, certification.

The change counter is the audit chain's head: every write of the store (and
every certification) appends one entry, so one indexed read of one row tells
whether anything changed, across processes. Certification sets the election's
status to ``certified`` with its own audit entry.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, func, select

from saylau.errors import InputError
from saylau.store.schema import audit_head, audit_log, elections

__all__ = ["certify", "change_counter", "last_updated", "live_status", "stored_status"]

CERTIFIED = "certified"


def change_counter(conn: Connection) -> int:
    """The number of the newest audit entry: it grows with every write."""
    return int(conn.execute(select(audit_head.c.seq).where(audit_head.c.id == 1)).scalar_one())


def last_updated(conn: Connection, election_id: str) -> str | None:
    """When the election last changed (its newest audit entry's time, UTC ISO 8601)."""
    seq = conn.execute(select(func.max(audit_log.c.seq)).where(audit_log.c.election_id == election_id)).scalar()
    if seq is None:
        return None
    return conn.execute(select(audit_log.c.at).where(audit_log.c.seq == seq)).scalar()  # type: ignore[no-any-return]


def stored_status(conn: Connection, election_id: str) -> str:
    value = conn.execute(select(elections.c.status).where(elections.c.id == election_id)).scalar()
    if value is None:
        raise InputError("no such election", field="election", value=election_id)
    return str(value)


def live_status(stored: str, reported: int | None, total: int | None) -> str:
    """``certified`` once certified; else ``unofficial complete`` when every expected station reported."""
    if stored == CERTIFIED:
        return CERTIFIED
    if total and reported is not None and reported >= total:
        return "unofficial complete"
    return "unofficial partial"


def certify(engine: Engine, election_id: str, *, user: str, summary: Any) -> bool:
    """Mark the election certified (False if it already is); the audit entry hashes ``summary`` (the totals)."""
    from saylau.store import Store

    return Store(engine).set_election_status(election_id, CERTIFIED, user=user, summary=summary)
