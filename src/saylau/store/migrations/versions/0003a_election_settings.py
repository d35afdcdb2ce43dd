"""Election settings: a JSON object of the choices a central commission makes for one election.

The first is ``clerks_open_stations`` (default false): whether territorial
commissions may add stations in their own territory by filing a protocol for
one (otherwise only the central commission sets up the unit tree). Changing a
setting is an audit entry (``set-settings``).

It runs before the row ledger (0004), which reads the elections rows with this column and adopts them.

Revision ID: 0003a
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003a"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("elections") as batch:
        batch.add_column(sa.Column("settings", sa.Text, nullable=False, server_default="{}"))


def downgrade() -> None:
    with op.batch_alter_table("elections") as batch:
        batch.drop_column("settings")
