"""The store's tables (SQLAlchemy Core). Migrations create them; a test keeps the two equal.

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
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

__all__ = [
    "GENESIS_HASH",
    "audit_head",
    "audit_log",
    "elections",
    "metadata",
    "parties",
    "protocol_batches",
    "protocol_entries",
    "protocol_urls",
    "protocol_versions",
    "protocol_warnings",
    "unit_results",
    "units",
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
)

# One row (id = 1): the last entry's number and hash. Writers lock it on PostgreSQL,
# and it lets verification notice a deleted last entry.
audit_head = Table(
    "audit_head", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
)

# The source file of each protocol write (one per audit entry); who, when and why are the entry's own.
protocol_batches = Table(
    "protocol_batches", metadata,
    Column("audit_seq", Integer, ForeignKey("audit_log.seq"), primary_key=True, autoincrement=False),
    Column("source", Text),
)

# Each distinct protocol URL once: a CEC file repeats one page per commission thousands of times.
protocol_urls = Table(
    "protocol_urls", metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False),
    UniqueConstraint("url", name="uq_protocol_url"),
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
)
# At most one current version per station, enforced by the database itself; also the index of
# "the current protocols of an election" (integer keys: cheap to build for 100,000 protocols).
Index("ix_protocol_current", protocol_versions.c.election_id, protocol_versions.c.unit_ref, unique=True,
      sqlite_where=protocol_versions.c.is_current, postgresql_where=protocol_versions.c.is_current)

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
)
Index("ix_protocol_entries_station", protocol_entries.c.election_id, protocol_entries.c.station,
      protocol_entries.c.state)
