"""Alembic environment of the web tables: saylau runs it on a connection it passes in."""

from __future__ import annotations

from alembic import context

from saylau.web.migrate import VERSION_TABLE
from saylau.web.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                  version_table=VERSION_TABLE)
with context.begin_transaction():
    context.run_migrations()
