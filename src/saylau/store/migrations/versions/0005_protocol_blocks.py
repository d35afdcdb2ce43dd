"""Protocol blocks: a bulk ingest's new stations and protocols as one columnar row (see saylau.store.blocks).

An empty table on an existing store: nothing to adopt into the row ledger.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "protocol_blocks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("election_id", sa.String(100), sa.ForeignKey("elections.id"), nullable=False),
        sa.Column("audit_seq", sa.Integer, sa.ForeignKey("protocol_batches.audit_seq"), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("width", sa.Integer, nullable=False),
        sa.Column("layout", sa.Text, nullable=False),
        sa.Column("stations", sa.LargeBinary, nullable=False),
        sa.Column("places", sa.LargeBinary, nullable=False),
        sa.Column("place_index", sa.LargeBinary, nullable=False),
        sa.Column("counts", sa.LargeBinary, nullable=False),
        sa.Column("details", sa.LargeBinary, nullable=False),
        sa.Column("unpacked_seq", sa.Integer, sa.ForeignKey("audit_log.seq")),
    )
    op.create_index("ix_protocol_blocks_election", "protocol_blocks", ["election_id", "unpacked_seq"])


def downgrade() -> None:
    op.drop_index("ix_protocol_blocks_election", table_name="protocol_blocks")
    op.drop_table("protocol_blocks")
