"""The initial store: elections, units, parties, protocol versions, warnings, unit results, audit log.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

GENESIS_HASH = "0" * 64


def upgrade() -> None:
    op.create_table(
        "elections",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("date", sa.String(10)),
        sa.Column("ruleset", sa.String(200)),
        sa.Column("form", sa.String(200)),
        sa.Column("line_keys", sa.Text),
        sa.Column("status", sa.String(40), nullable=False),
        sa.Column("previous", sa.String(100)),
        sa.Column("country", sa.String(20), nullable=False),
        sa.Column("nation_unit", sa.String(200), nullable=False),
        sa.Column("official_seats", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "units",
        sa.Column("election_id", sa.String(100), sa.ForeignKey("elections.id"), primary_key=True),
        sa.Column("unit_id", sa.String(300), primary_key=True),
        sa.Column("ordinal", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("level", sa.String(10), nullable=False),
        sa.Column("parent", sa.String(300)),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("synthetic", sa.Boolean, nullable=False),
        sa.Column("stations_total", sa.Integer),
    )
    op.create_table(
        "parties",
        sa.Column("election_id", sa.String(100), sa.ForeignKey("elections.id"), primary_key=True),
        sa.Column("code", sa.String(100), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("registration_order", sa.Integer, nullable=False),
        sa.Column("candidates", sa.Integer),
        sa.Column("color", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("names", sa.Text, nullable=False),
        sa.Column("leader", sa.Text, nullable=False),
        sa.Column("previous_seats", sa.Integer),
    )
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("election_id", sa.String(100)),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("payload_hash", sa.String(64), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": GENESIS_HASH}])
    op.create_table(
        "protocol_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("election_id", sa.String(100), nullable=False),
        sa.Column("station", sa.String(300), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("is_current", sa.Boolean, nullable=False),
        sa.Column("region", sa.Text, nullable=False),
        sa.Column("territory", sa.Text),
        sa.Column("lines", sa.Text, nullable=False),
        sa.Column("votes", sa.Text, nullable=False),
        sa.Column("registered", sa.BigInteger),
        sa.Column("ballots_cast", sa.BigInteger),
        sa.Column("valid", sa.BigInteger),
        sa.Column("invalid", sa.BigInteger),
        sa.Column("synthetic", sa.Boolean, nullable=False),
        sa.Column("source", sa.Text),
        sa.Column("source_row", sa.Integer),
        sa.Column("url", sa.Text),
        sa.Column("extra", sa.Text, nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("audit_seq", sa.Integer, sa.ForeignKey("audit_log.seq"), nullable=False),
        sa.ForeignKeyConstraint(["election_id", "station"], ["units.election_id", "units.unit_id"]),
        sa.UniqueConstraint("election_id", "station", "version", name="uq_protocol_version"),
    )
    current = sa.column("is_current", sa.Boolean)
    op.create_index("ix_protocol_current", "protocol_versions", ["election_id", "station"], unique=True,
                    sqlite_where=current, postgresql_where=current)
    op.create_table(
        "protocol_warnings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("protocol_versions.id"), nullable=False),
        sa.Column("relation", sa.String(200), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("handled", sa.Boolean, nullable=False),
        sa.Column("explanation", sa.Text),
        sa.Column("handled_by", sa.String(200)),
        sa.Column("handled_at", sa.String(32)),
    )
    op.create_index("ix_protocol_warnings_version_id", "protocol_warnings", ["version_id"])
    op.create_table(
        "unit_results",
        sa.Column("election_id", sa.String(100), primary_key=True),
        sa.Column("unit_id", sa.String(300), primary_key=True),
        sa.Column("votes", sa.Text, nullable=False),
        sa.Column("valid", sa.BigInteger, nullable=False),
        sa.Column("registered", sa.BigInteger),
        sa.Column("ballots_cast", sa.BigInteger),
        sa.Column("invalid", sa.BigInteger),
        sa.Column("stations_reported", sa.Integer),
        sa.Column("stations_total", sa.Integer),
        sa.Column("synthetic", sa.Boolean, nullable=False),
        sa.Column("source", sa.Text),
        sa.Column("audit_seq", sa.Integer, sa.ForeignKey("audit_log.seq"), nullable=False),
        sa.ForeignKeyConstraint(["election_id", "unit_id"], ["units.election_id", "units.unit_id"]),
    )


def downgrade() -> None:
    for table in ("unit_results", "protocol_warnings", "protocol_versions", "audit_head", "audit_log",
                  "parties", "units", "elections"):
        op.drop_table(table)
