"""The store's tables (SQLAlchemy Core), the web app's included. Migrations create them; a test keeps the two equal.

Every table declares how the audit chain covers it (``info["chain"]``, see
:mod:`saylau.store.chain`): ``CHAINED`` (each row's hash is recorded in the
chain's row ledger by the write that made it), ``DERIVED`` (recomputed and
compared by verification), ``LOG`` (the chain itself) or ``Unaudited(reason)``
for the few rows no result, status or right depends on. A test fails for a table
without a declaration, and edits every cell of every covered table.

Counts that vary by election are stored compactly as JSON arrays: form lines
in the order of the election's ``line_keys``, party votes in ballot order. The
totals every form defines are real columns, so that queries can use them.
Protocol rows refer to their station by its integer unit key; the station's
name, region and territory stay on the row too (history, and plain SQL), but
no index is built over them. What is the same for a whole write (source, who,
when, why) is stored once per write, URLs once each.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from saylau.store.coverage import CHAINED, LOG, Chained, Unaudited

__all__ = [
    "GENESIS_HASH",
    "ROLES",
    "api_tokens",
    "audit_head",
    "audit_log",
    "audit_rows",
    "elections",
    "login_attempts",
    "metadata",
    "parties",
    "protocol_batches",
    "protocol_blocks",
    "protocol_entries",
    "protocol_urls",
    "protocol_versions",
    "protocol_warnings",
    "sessions",
    "unit_results",
    "units",
    "use_postgresql",
    "users",
]

#: The "previous hash" of the first audit entry.
GENESIS_HASH = "0" * 64

metadata = MetaData()

elections = Table(
    "elections", metadata,
    Column("id", String(100), primary_key=True),
    Column("title", Text, nullable=False),
    Column("date", String(10)),
    Column("ruleset", String(200)),
    Column("form", String(200)),
    Column("line_keys", Text),
    Column("status", String(40), nullable=False),
    Column("previous", String(100)),
    Column("country", String(20), nullable=False),
    Column("nation_unit", String(200), nullable=False),
    Column("official_seats", Text, nullable=False),
    Column("created_at", String(32), nullable=False),
    # off | optional | required: see saylau.protocols.double_entry.MODES
    Column("double_entry", String(10), nullable=False, server_default="off"),
    # The central commission's choices for the election, as a JSON object (see saylau.store.unit_tree).
    Column("settings", Text, nullable=False, server_default="{}"),
    info={"chain": CHAINED},
)

units = Table(
    "units", metadata,
    # An integer key, so protocol rows and their indexes refer to a unit by a number, not its long name.
    Column("id", Integer, primary_key=True),
    Column("election_id", String(100), ForeignKey("elections.id"), nullable=False),
    Column("unit_id", String(300), nullable=False),
    Column("ordinal", Integer, nullable=False),
    Column("name", Text, nullable=False),
    Column("level", String(10), nullable=False),
    Column("parent", String(300)),
    Column("kind", String(40), nullable=False),
    Column("synthetic", Boolean, nullable=False),
    Column("stations_total", Integer),
    UniqueConstraint("election_id", "unit_id", name="uq_unit"),
    info={"chain": CHAINED},
)

parties = Table(
    "parties", metadata,
    Column("election_id", String(100), ForeignKey("elections.id"), primary_key=True),
    Column("code", String(100), primary_key=True),
    Column("name", Text, nullable=False),
    Column("registration_order", Integer, nullable=False),
    Column("candidates", Integer),
    Column("color", String(20), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("names", Text, nullable=False),
    Column("leader", Text, nullable=False),
    Column("previous_seats", Integer),
    info={"chain": CHAINED},
)

audit_log = Table(
    "audit_log", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", String(32), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(40), nullable=False),
    Column("election_id", String(100)),
    Column("subject", Text, nullable=False),
    Column("reason", Text),
    Column("payload_hash", String(64), nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    # The digest of the entry's row ledger (None for entries written before the ledger existed).
    Column("rows_hash", String(64)),
    info={"chain": LOG},
)

# The row ledger: after entry ``seq``, the rows named here have these hashes (``DELETED`` for a deleted row).
# A record names one row by its key, or a run of rows of a table with an integer ``id`` by its first and last
# id, their hashes concatenated (one record for a bulk write of 95,225 protocols).
audit_rows = Table(
    "audit_rows", metadata,
    Column("seq", Integer, ForeignKey("audit_log.seq"), primary_key=True, autoincrement=False),
    Column("ordinal", Integer, primary_key=True, autoincrement=False),
    Column("tbl", String(100), nullable=False),
    Column("row_key", Text),
    Column("first_id", BigInteger),
    Column("last_id", BigInteger),
    Column("hashes", Text, nullable=False),
    info={"chain": LOG},
)

# One row (id = 1): the last entry's number and hash. Writers lock it on PostgreSQL,
# and it lets verification notice a deleted last entry.
audit_head = Table(
    "audit_head", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
    info={"chain": LOG},
)

# The source file of each protocol write (one per audit entry); who, when and why are the entry's own.
protocol_batches = Table(
    "protocol_batches", metadata,
    Column("audit_seq", Integer, ForeignKey("audit_log.seq"), primary_key=True, autoincrement=False),
    Column("source", Text),
    info={"chain": CHAINED},
)

# Each distinct protocol URL once: a CEC file repeats one page per commission thousands of times.
protocol_urls = Table(
    "protocol_urls", metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False),
    UniqueConstraint("url", name="uq_protocol_url"),
    info={"chain": CHAINED},
)

protocol_versions = Table(
    "protocol_versions", metadata,
    Column("id", Integer, primary_key=True),
    Column("election_id", String(100), nullable=False),
    Column("unit_ref", Integer, ForeignKey("units.id"), nullable=False),
    Column("station", String(300), nullable=False),
    Column("version", Integer, nullable=False),
    Column("is_current", Boolean, nullable=False),
    Column("region", Text, nullable=False),
    Column("territory", Text),
    Column("lines", Text, nullable=False),
    Column("votes", Text, nullable=False),
    Column("registered", BigInteger),
    Column("ballots_cast", BigInteger),
    Column("valid", BigInteger),
    Column("invalid", BigInteger),
    Column("synthetic", Boolean, nullable=False),
    Column("source_row", Integer),
    Column("url_ref", Integer, ForeignKey("protocol_urls.id")),
    Column("extra", Text, nullable=False),
    Column("audit_seq", Integer, ForeignKey("protocol_batches.audit_seq"), nullable=False),
    UniqueConstraint("unit_ref", "version", name="uq_protocol_unit_version"),
    # is_current is recomputed by verification (the highest version of a station is its current one), so a
    # correction changes no stored row's hash.
    info={"chain": Chained(derived={"is_current": "current_is_newest_version"})},
)
# At most one current version per station, enforced by the database itself; also the index of
# "the current protocols of an election" (integer keys: cheap to build for 100,000 protocols).
_CURRENT = Index("ix_protocol_current", protocol_versions.c.election_id, protocol_versions.c.unit_ref, unique=True,
                 sqlite_where=protocol_versions.c.is_current)


def use_postgresql() -> None:
    """Give the tables their PostgreSQL options (the partial index's WHERE), before an engine for PostgreSQL is
    made. Declared here, a ``postgresql_`` option would import SQLAlchemy's PostgreSQL dialect in every process,
    a SQLite-only command's included (24 ms of each command's start-up). Idempotent."""
    _CURRENT.dialect_options["postgresql"]["where"] = protocol_versions.c.is_current

# A bulk ingest's new stations with their protocols as one columnar row (:mod:`saylau.store.blocks`): storing
# 95,225 protocols costs one row instead of two per station. ``counts`` holds the count columns one after the
# other, each in the narrowest little-endian integer type ``layout`` names (-1 where a total is unknown);
# ``place_index`` each station's place in ``places``; names, places and details are zlib-compressed. Any
# operation that needs the stations as rows (a correction, a clerk's protocol, a station's history, the unit
# tree) first unpacks the election's blocks into ``units`` and ``protocol_versions`` under an audit entry of
# its own; ``unpacked_seq`` names that entry, and an unpacked block is kept as what the ingest stored.
protocol_blocks = Table(
    "protocol_blocks", metadata,
    Column("id", Integer, primary_key=True),
    Column("election_id", String(100), ForeignKey("elections.id"), nullable=False),
    Column("audit_seq", Integer, ForeignKey("protocol_batches.audit_seq"), nullable=False),
    Column("size", Integer, nullable=False),
    Column("width", Integer, nullable=False),
    Column("layout", Text, nullable=False),
    Column("stations", LargeBinary, nullable=False),
    Column("places", LargeBinary, nullable=False),
    Column("place_index", LargeBinary, nullable=False),
    Column("counts", LargeBinary, nullable=False),
    Column("details", LargeBinary, nullable=False),
    Column("unpacked_seq", Integer, ForeignKey("audit_log.seq")),
    info={"chain": CHAINED},
)
Index("ix_protocol_blocks_election", protocol_blocks.c.election_id, protocol_blocks.c.unpacked_seq)

protocol_warnings = Table(
    "protocol_warnings", metadata,
    Column("id", Integer, primary_key=True),
    Column("version_id", Integer, ForeignKey("protocol_versions.id"), nullable=False, index=True),
    Column("relation", String(200), nullable=False),
    Column("message", Text, nullable=False),
    Column("handled", Boolean, nullable=False),
    Column("explanation", Text),
    Column("handled_by", String(200)),
    Column("handled_at", String(32)),
    info={"chain": CHAINED},
)

unit_results = Table(
    "unit_results", metadata,
    Column("election_id", String(100), primary_key=True),
    Column("unit_id", String(300), primary_key=True),
    Column("votes", Text, nullable=False),
    Column("valid", BigInteger, nullable=False),
    Column("registered", BigInteger),
    Column("ballots_cast", BigInteger),
    Column("invalid", BigInteger),
    Column("stations_reported", Integer),
    Column("stations_total", Integer),
    Column("synthetic", Boolean, nullable=False),
    Column("source", Text),
    Column("audit_seq", Integer, ForeignKey("audit_log.seq"), nullable=False),
    ForeignKeyConstraint(["election_id", "unit_id"], ["units.election_id", "units.unit_id"]),
    info={"chain": CHAINED},
)

# Double entry: each typist's entry of a station's protocol, kept until two agree or a coordinator settles them.
# ``state`` is live (counts toward the comparison), discarded (set aside by a coordinator) or accepted (its
# protocol is stored); ``audit_seq`` is the entry that recorded it, ``closed_seq`` the one that closed it.
protocol_entries = Table(
    "protocol_entries", metadata,
    Column("id", Integer, primary_key=True),
    Column("election_id", String(100), ForeignKey("elections.id"), nullable=False),
    Column("station", String(300), nullable=False),
    Column("typist", String(200), nullable=False),
    Column("lines", Text, nullable=False),
    Column("votes", Text, nullable=False),
    Column("state", String(12), nullable=False),
    Column("entered_at", String(32), nullable=False),
    Column("audit_seq", Integer, ForeignKey("audit_log.seq"), nullable=False),
    Column("closed_seq", Integer, ForeignKey("audit_log.seq")),
    info={"chain": CHAINED},
)
Index("ix_protocol_entries_station", protocol_entries.c.election_id, protocol_entries.c.station,
      protocol_entries.c.state)

# -- the web app's tables (users, tokens, sessions, login attempts) -----------------------------------------
# Secrets are never stored: passwords as argon2 hashes, tokens and session ids as SHA-256 digests.

#: Roles of web users, from the narrowest scope to the widest (a typist's scope is a territory, as a territorial
#: user's).
ROLES = ("public", "station", "typist", "territorial", "central")

users = Table(
    "web_users", metadata,
    Column("name", String(200), primary_key=True),
    Column("role", String(20), nullable=False),
    Column("election_id", String(100)),
    Column("scope", Text),
    Column("password_hash", Text),
    Column("disabled", Boolean, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("created_by", String(200), nullable=False),
    info={"chain": CHAINED},
)

api_tokens = Table(
    "web_api_tokens", metadata,
    Column("id", Integer, primary_key=True),
    Column("user_name", String(200), ForeignKey("web_users.name"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("label", Text),
    Column("created_at", String(32), nullable=False),
    Column("revoked", Boolean, nullable=False),
    info={"chain": CHAINED},
)

sessions = Table(
    "web_sessions", metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("user_name", String(200), ForeignKey("web_users.name"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False),
    info={"chain": CHAINED},
)

login_attempts = Table(
    "web_login_attempts", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", Float, nullable=False),
    Column("ip", String(64), nullable=False),
    Column("user_name", String(200), nullable=False),
    Column("ok", Boolean, nullable=False),
    info={"chain": Unaudited("throttling state: grants no right, decides no result; a forged failure "
                             "only slows a login down, a deleted one only lifts a delay")},
)
Index("ix_web_login_attempts_ip", login_attempts.c.ip, login_attempts.c.at)
Index("ix_web_login_attempts_user", login_attempts.c.user_name, login_attempts.c.at)
