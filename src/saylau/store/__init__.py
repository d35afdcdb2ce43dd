"""The store: the only place SQL lives. SQLite embedded by default, PostgreSQL on request.

>>> store = open_store("sqlite:///:memory:")          # doctest: +SKIP
>>> store.ingest(batch, election_id="ru-2011")        # doctest: +SKIP

Public API: :func:`open_store`, :class:`Store` and what its methods return.
"""

from saylau.store.audit import AuditCheck, AuditEntry
from saylau.store.engine import DEFAULT_PATH, resolve_url
from saylau.store.records import (
    IngestReport,
    ProtocolVersion,
    StoredWarning,
    Submission,
    SubmitContext,
    SubmitResult,
)
from saylau.store.store import Store, default_user, open_store
from saylau.store.validation import Rejected

__all__ = [
    "DEFAULT_PATH",
    "AuditCheck",
    "AuditEntry",
    "IngestReport",
    "ProtocolVersion",
    "Rejected",
    "Store",
    "StoredWarning",
    "Submission",
    "SubmitContext",
    "SubmitResult",
    "default_user",
    "open_store",
    "resolve_url",
]
