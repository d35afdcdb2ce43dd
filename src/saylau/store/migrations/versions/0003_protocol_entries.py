"""Double entry: the election's setting (``off`` by default) and the typists' entries of protocols.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("elections", sa.Column("double_entry", sa.String(10), nullable=False, server_default="off"))
    op.create_table(
        "protocol_entries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("election_id", sa.String(100), sa.ForeignKey("elections.id"), nullable=False),
        sa.Column("station", sa.String(300), nullable=False),
        sa.Column("typist", sa.String(200), nullable=False),
        sa.Column("lines", sa.Text, nullable=False),
        sa.Column("votes", sa.Text, nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("entered_at", sa.String(32), nullable=False),
        sa.Column("audit_seq", sa.Integer, sa.ForeignKey("audit_log.seq"), nullable=False),
        sa.Column("closed_seq", sa.Integer, sa.ForeignKey("audit_log.seq")),
    )
    op.create_index("ix_protocol_entries_station", "protocol_entries", ["election_id", "station", "state"])


def downgrade() -> None:
    op.drop_index("ix_protocol_entries_station", table_name="protocol_entries")
    op.drop_table("protocol_entries")
    with op.batch_alter_table("elections") as batch:
        batch.drop_column("double_entry")
