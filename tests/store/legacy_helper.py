"""Audit entries as stores before the row ledger (migrations 0001 and 0002) wrote them."""

from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import Connection, text

from saylau.store import audit


def old_entry(conn: Connection, *, actor: str, action: str, election_id: str | None, subject: str,
              reason: str | None = None, payload_hash: str = "") -> SimpleNamespace:
    """Append an entry the pre-ledger way: no rows hash, the head moved at once."""
    seq, prev = conn.execute(text("SELECT seq, hash FROM audit_head WHERE id = 1")).one()
    seq += 1
    at = audit.now()
    digest = audit.entry_hash(seq, at, actor, action, election_id, subject, reason, payload_hash, prev)
    conn.execute(text("INSERT INTO audit_log (seq, at, actor, action, election_id, subject, reason, payload_hash, "
                      "prev_hash, hash) VALUES (:seq, :at, :actor, :action, :e, :subject, :reason, :payload, :prev, "
                      ":hash)"),
                 {"seq": seq, "at": at, "actor": actor, "action": action, "e": election_id, "subject": subject,
                  "reason": reason, "payload": payload_hash, "prev": prev, "hash": digest})
    conn.execute(text("UPDATE audit_head SET seq = :seq, hash = :hash WHERE id = 1"), {"seq": seq, "hash": digest})
    return SimpleNamespace(seq=seq, at=at, hash=digest)
