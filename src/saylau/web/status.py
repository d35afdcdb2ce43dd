"""An election's state for the web: the change counter, when it last changed, its status, certification.

The change counter is the audit chain's head: every write of the store (and
every certification) appends one entry, so one indexed read of one row tells
whether anything changed, across processes. Certification sets the election's
status to ``certified`` with its own audit entry.
"""

from __future__ import annotations

from typing import Any

from saylau.store.live import change_counter, last_updated, stored_status

__all__ = ["certify", "change_counter", "last_updated", "live_status", "stored_status"]

CERTIFIED = "certified"


def live_status(stored: str, reported: int | None, total: int | None) -> str:
    """``certified`` once certified; else ``unofficial complete`` when every expected station reported."""
    if stored == CERTIFIED:
        return CERTIFIED
    if total and reported is not None and reported >= total:
        return "unofficial complete"
    return "unofficial partial"


def certify(engine: Any, election_id: str, *, user: str, summary: Any) -> bool:
    """Mark the election certified (False if it already is); the audit entry hashes ``summary`` (the totals)."""
    from saylau.store import Store

    return Store(engine).set_election_status(election_id, CERTIFIED, user=user, summary=summary)
