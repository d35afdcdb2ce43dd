"""Election settings: a JSON object of the choices a central commission makes for one election.

The first is ``clerks_open_stations`` (default false): whether territorial
commissions may add stations in their own territory by filing a protocol for
one (otherwise only the central commission sets up the unit tree). Changing a
setting is an audit entry (``set-settings``).

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
    from saylau.errors import StorageError
    from saylau.store import audit

    bind = op.get_bind()
    check = audit.verify_chain(bind, rows=False)  # the rows are read by the new schema: checked after
    if not check.ok:  # raising rolls the whole migration back
        raise StorageError(f"migration 0005 refuses to re-adopt the rows of a broken audit chain: {check}")
    with op.batch_alter_table("elections") as batch:
        batch.add_column(sa.Column("settings", sa.Text, nullable=False, server_default="{}"))
    # The elections rows' hashes change with their columns: the ledger records them as they are now.
    audit.adopt_rows(bind, actor="saylau", subject="elections gain their settings (migration 0005)")


def downgrade() -> None:
    with op.batch_alter_table("elections") as batch:
        batch.drop_column("settings")
