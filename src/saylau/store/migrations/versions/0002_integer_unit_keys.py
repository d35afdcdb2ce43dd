"""Integer unit keys for protocol rows; source, who, when and why once per write; each URL once.

Protocol versions now refer to their station by ``units.id`` (an integer), so
their two unique indexes are built over numbers instead of long station names,
and the write's source moves to ``protocol_batches`` (who, when and why were
already the audit entry's actor, time and reason: the migration refuses to run
if any stored row disagrees with its entry, rather than lose what it says).

Tables are rebuilt by renaming the old ones aside (which repoints foreign keys
to them), creating the new ones, copying every row (protocol and warning ids
kept), then dropping the old ones children first. Same steps on SQLite and
PostgreSQL; the payload hashes of the audit log cover exactly the copied
columns, so ``audit-log verify`` still holds after the upgrade.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_OLD = {"units": "units_0001", "protocol_versions": "protocol_versions_0001",
        "protocol_warnings": "protocol_warnings_0001", "unit_results": "unit_results_0001"}


def upgrade() -> None:
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    _refuse_lossy_copy(bind)
    op.drop_index("ix_protocol_current", table_name="protocol_versions")
    op.drop_index("ix_protocol_warnings_version_id", table_name="protocol_warnings")
    if postgres:
        op.drop_constraint("uq_protocol_version", "protocol_versions", type_="unique")
    for table, old in _OLD.items():
        op.rename_table(table, old)
        if postgres:  # index-backed names are per schema: free the primary keys' names for the new tables
            op.execute(f'ALTER TABLE {old} RENAME CONSTRAINT "{table}_pkey" TO "{old}_pkey"')
    _create_tables()
    _copy_rows(bind, postgres)
    for old in ("protocol_warnings_0001", "protocol_versions_0001", "unit_results_0001", "units_0001"):
        op.drop_table(old)


def downgrade() -> None:
    raise NotImplementedError("0002 is not reversible: restore a backup taken before upgrading")


def _refuse_lossy_copy(bind: sa.Connection) -> None:
    """Stop if a stored protocol's recorder, time or reason differs from its audit entry's, or one write
    has several sources: moving them to one place would lose something."""
    differing = bind.execute(sa.text(
        "SELECT count(*) FROM protocol_versions p JOIN audit_log a ON a.seq = p.audit_seq "
        "WHERE p.recorded_by <> a.actor OR p.recorded_at <> a.at "
        "OR (p.reason IS NULL) <> (a.reason IS NULL) OR p.reason <> a.reason")).scalar_one()
    mixed = bind.execute(sa.text(
        "SELECT count(*) FROM (SELECT audit_seq FROM protocol_versions GROUP BY audit_seq "
        "HAVING count(DISTINCT coalesce(source, '')) > 1) AS m")).scalar_one()
    if differing or mixed:
        raise RuntimeError(f"cannot migrate to 0002 without losing data: {differing} protocol rows disagree with "
                           f"their audit entry, {mixed} writes have several sources")


def _create_tables() -> None:
    op.create_table(
        "units",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("election_id", sa.String(100), sa.ForeignKey("elections.id"), nullable=False),
        sa.Column("unit_id", sa.String(300), nullable=False),
        sa.Column("ordinal", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("level", sa.String(10), nullable=False),
        sa.Column("parent", sa.String(300)),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("synthetic", sa.Boolean, nullable=False),
        sa.Column("stations_total", sa.Integer),
        sa.UniqueConstraint("election_id", "unit_id", name="uq_unit"),
    )
    op.create_table(
        "protocol_batches",
        sa.Column("audit_seq", sa.Integer, sa.ForeignKey("audit_log.seq"), primary_key=True, autoincrement=False),
        sa.Column("source", sa.Text),
    )
    op.create_table(
        "protocol_urls",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.UniqueConstraint("url", name="uq_protocol_url"),
    )
    op.create_table(
        "protocol_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("election_id", sa.String(100), nullable=False),
        sa.Column("unit_ref", sa.Integer, sa.ForeignKey("units.id"), nullable=False),
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
        sa.Column("source_row", sa.Integer),
        sa.Column("url_ref", sa.Integer, sa.ForeignKey("protocol_urls.id")),
        sa.Column("extra", sa.Text, nullable=False),
        sa.Column("audit_seq", sa.Integer, sa.ForeignKey("protocol_batches.audit_seq"), nullable=False),
        sa.UniqueConstraint("unit_ref", "version", name="uq_protocol_unit_version"),
    )
    current = sa.column("is_current", sa.Boolean)
    op.create_index("ix_protocol_current", "protocol_versions", ["election_id", "unit_ref"], unique=True,
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


_UNIT_COLUMNS = "election_id, unit_id, ordinal, name, level, parent, kind, synthetic, stations_total"
_RESULT_COLUMNS = ("election_id, unit_id, votes, valid, registered, ballots_cast, invalid, stations_reported, "
                   "stations_total, synthetic, source, audit_seq")
_WARNING_COLUMNS = "id, version_id, relation, message, handled, explanation, handled_by, handled_at"


def _copy_rows(bind: sa.Connection, postgres: bool) -> None:
    op.execute(f"INSERT INTO units ({_UNIT_COLUMNS}) SELECT {_UNIT_COLUMNS} FROM units_0001 "
               "ORDER BY election_id, ordinal, unit_id")
    op.execute("INSERT INTO protocol_urls (url) SELECT url FROM protocol_versions_0001 WHERE url IS NOT NULL "
               "GROUP BY url ORDER BY min(id)")
    op.execute("INSERT INTO protocol_batches (audit_seq, source) SELECT audit_seq, max(source) "
               "FROM protocol_versions_0001 GROUP BY audit_seq ORDER BY audit_seq")
    op.execute(
        "INSERT INTO protocol_versions (id, election_id, unit_ref, station, version, is_current, region, territory, "
        "lines, votes, registered, ballots_cast, valid, invalid, synthetic, source_row, url_ref, extra, audit_seq) "
        "SELECT p.id, p.election_id, u.id, p.station, p.version, p.is_current, p.region, p.territory, p.lines, "
        "p.votes, p.registered, p.ballots_cast, p.valid, p.invalid, p.synthetic, p.source_row, l.id, p.extra, "
        "p.audit_seq FROM protocol_versions_0001 p "
        "JOIN units u ON u.election_id = p.election_id AND u.unit_id = p.station "
        "LEFT JOIN protocol_urls l ON l.url = p.url ORDER BY p.id")
    op.execute(f"INSERT INTO protocol_warnings ({_WARNING_COLUMNS}) SELECT {_WARNING_COLUMNS} "
               "FROM protocol_warnings_0001 ORDER BY id")
    op.execute(f"INSERT INTO unit_results ({_RESULT_COLUMNS}) SELECT {_RESULT_COLUMNS} FROM unit_results_0001")
    copied = bind.execute(sa.text("SELECT count(*) FROM protocol_versions")).scalar_one()
    old = bind.execute(sa.text("SELECT count(*) FROM protocol_versions_0001")).scalar_one()
    if copied != old:
        raise RuntimeError(f"0002 copied {copied} of {old} protocol versions (a protocol without its unit?)")
    if postgres:  # ids were copied explicitly: move the sequences past them
        for table in ("protocol_versions", "protocol_warnings"):
            op.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 1), "
                       f"max(id) IS NOT NULL) FROM {table}")
