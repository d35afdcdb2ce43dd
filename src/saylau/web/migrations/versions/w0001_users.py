"""Web users, API tokens, sessions and login attempts.

Revision ID: w0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "w0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_users",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("election_id", sa.String(100)),
        sa.Column("scope", sa.Text),
        sa.Column("password_hash", sa.Text),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
    )
    op.create_table(
        "web_api_tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_name", sa.String(200), sa.ForeignKey("web_users.name"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("label", sa.Text),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("revoked", sa.Boolean, nullable=False),
    )
    op.create_table(
        "web_sessions",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("user_name", sa.String(200), sa.ForeignKey("web_users.name"), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("expires_at", sa.Float, nullable=False),
    )
    op.create_table(
        "web_login_attempts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.Float, nullable=False),
        sa.Column("ip", sa.String(64), nullable=False),
        sa.Column("user_name", sa.String(200), nullable=False),
        sa.Column("ok", sa.Boolean, nullable=False),
    )
    op.create_index("ix_web_login_attempts_ip", "web_login_attempts", ["ip", "at"])
    op.create_index("ix_web_login_attempts_user", "web_login_attempts", ["user_name", "at"])


def downgrade() -> None:
    for table in ("web_login_attempts", "web_sessions", "web_api_tokens", "web_users"):
        op.drop_table(table)
