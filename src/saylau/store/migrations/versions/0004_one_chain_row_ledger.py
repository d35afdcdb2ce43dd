"""One migration chain, and the audit chain's row ledger over every covered row.

The web app's tables (users, API tokens, sessions, login attempts) join the
store's chain: created here on a new database, adopted as they are on one the
web app's own chain (version table ``saylau_web_version``, revision ``w0001``)
had created, whose version table is then dropped. The audit log gains
``rows_hash`` (the digest of an entry's row ledger, covered by its hash) and the
ledger itself (``audit_rows``). Rows stored before are adopted under one entry
(``adopt-rows``) after the existing chain is verified: the migration refuses to
vouch for rows under a broken chain and changes nothing.

Rule for later migrations: one that changes a chained table's columns ends with
``audit.adopt_rows`` (the rows' hashes change with their columns).

Revision ID: 0004
Revises: 0003a
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003a"
branch_labels = None
depends_on = None

_WEB_VERSION_TABLE = "saylau_web_version"


def upgrade() -> None:
    from saylau.errors import StorageError
    from saylau.store import audit

    bind = op.get_bind()
    existing = set(sa.inspect(bind).get_table_names())
    if "web_users" not in existing:
        _create_web_tables()
    if _WEB_VERSION_TABLE in existing:
        op.drop_table(_WEB_VERSION_TABLE)
    op.add_column("audit_log", sa.Column("rows_hash", sa.String(64)))
    op.create_table(
        "audit_rows",
        sa.Column("seq", sa.Integer, sa.ForeignKey("audit_log.seq"), primary_key=True, autoincrement=False),
        sa.Column("ordinal", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("tbl", sa.String(100), nullable=False),
        sa.Column("row_key", sa.Text),
        sa.Column("first_id", sa.BigInteger),
        sa.Column("last_id", sa.BigInteger),
        sa.Column("hashes", sa.Text, nullable=False),
    )
    check = audit.verify_chain(bind, rows=False)
    if not check.ok:  # raising rolls the whole migration back (DDL is transactional on both backends)
        raise StorageError(f"migration 0004 refuses to adopt the stored rows into a broken audit chain: {check}")
    audit.adopt_rows(bind, actor="saylau", subject="rows stored before the row ledger (migration 0004)")


def downgrade() -> None:
    raise NotImplementedError("0004 is not reversible: restore a backup taken before upgrading")


def _create_web_tables() -> None:
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
