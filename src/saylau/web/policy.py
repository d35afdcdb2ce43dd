"""Warnings the commissions' policy adds to the form's own: many invalid ballots, very high turnout.

Neither blocks a protocol; both are stored with it (in the store's warnings
table, beside the form's warning relations) for a territorial commission to
explain and mark handled. Both tests are exact integer cross-products:

* ``invalid_share``: invalid ballots >= 3% of the ballots found (100·invalid >= 3·found);
* ``turnout_above_95``: ballots found > 95% of the voters on the list (100·found > 95·registered).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Engine, and_, or_, select

from saylau.report.model import percent_text
from saylau.store import chain
from saylau.store.audit import append_entry
from saylau.store.engine import write_transaction
from saylau.store.schema import protocol_versions, protocol_warnings

__all__ = ["INVALID_SHARE", "POLICY_RELATIONS", "TURNOUT", "policy_warnings", "station_warnings",
           "store_policy_warnings"]

INVALID_SHARE = "invalid_share"
TURNOUT = "turnout_above_95"
POLICY_RELATIONS = (INVALID_SHARE, TURNOUT)


def policy_warnings(station: str, registered: int | None, ballots_cast: int | None,
                    invalid: int | None) -> list[tuple[str, str]]:
    """(relation, message) for each policy warning a protocol with these totals raises."""
    found: list[tuple[str, str]] = []
    if invalid is not None and ballots_cast and 100 * invalid >= 3 * ballots_cast:
        found.append((INVALID_SHARE, f"station {station}: warning: {INVALID_SHARE}: {invalid} invalid of "
                                     f"{ballots_cast} ballots found ({percent_text(invalid, ballots_cast)}%), "
                                     f"expected < 3%"))
    if ballots_cast is not None and registered is not None and 100 * ballots_cast > 95 * registered:
        found.append((TURNOUT, f"station {station}: warning: {TURNOUT}: {ballots_cast} ballots found of "
                               f"{registered} voters on the list ({percent_text(ballots_cast, registered or 0)}%), "
                               f"expected <= 95%"))
    return found


def store_policy_warnings(engine: Engine, election_id: str, stations: Iterable[str] | None = None) -> int:
    """Store the policy warnings of the current protocols (of ``stations``, or all) that lack them; how many.

    Idempotent: run after each submission, and once at start-up to cover
    protocols stored by other means (``saylau ingest``) or a crash in between.
    """
    pv, pw = protocol_versions.c, protocol_warnings.c
    flagged = or_(and_(pv.ballots_cast > 0, 100 * pv.invalid >= 3 * pv.ballots_cast),
                  100 * pv.ballots_cast > 95 * pv.registered)
    query = (select(pv.id, pv.station, pv.registered, pv.ballots_cast, pv.invalid)
             .where(and_(pv.election_id == election_id, pv.is_current, flagged)))
    if stations is not None:
        wanted = list(stations)
        if not wanted:
            return 0
        query = query.where(pv.station.in_(wanted))
    with engine.connect() as conn:
        candidates = conn.execute(query).all()
    if not candidates:
        return 0
    added = 0
    with write_transaction(engine) as conn:
        ids = [c.id for c in candidates]
        have: set[tuple[int, str]] = set()
        for start in range(0, len(ids), 500):
            have.update(conn.execute(select(pw.version_id, pw.relation).where(and_(
                pw.version_id.in_(ids[start:start + 500]), pw.relation.in_(POLICY_RELATIONS)))).all())
        rows = [{"version_id": c.id, "relation": relation, "message": message, "handled": False}
                for c in candidates
                for relation, message in policy_warnings(c.station, c.registered, c.ballots_cast, c.invalid)
                if (c.id, relation) not in have]
        if rows:
            append_entry(conn, actor="saylau", action="policy-warnings", election_id=election_id,
                         subject=f"{len(rows)} policy warnings")
            conn.execute(protocol_warnings.insert(), rows)
            chain.track_where(conn, protocol_warnings, "version_id", [r["version_id"] for r in rows])
            added = len(rows)
    return added


def station_warnings(engine: Engine, election_id: str, station: str) -> list[dict[str, object]]:
    """The stored warnings of a station's current protocol (one indexed query, whatever the election's size)."""
    pv, pw = protocol_versions.c, protocol_warnings.c
    query = (select(pw.id, pv.election_id, pv.station, pv.version, pw.relation, pw.message, pw.handled,
                    pw.explanation, pw.handled_by, pw.handled_at)
             .join_from(protocol_warnings, protocol_versions, pw.version_id == pv.id)
             .where(and_(pv.election_id == election_id, pv.station == station, pv.is_current)).order_by(pw.id))
    with engine.connect() as conn:
        return [{**row._mapping, "handled": bool(row.handled)} for row in conn.execute(query)]
