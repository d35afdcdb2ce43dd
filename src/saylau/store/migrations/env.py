"""Alembic environment: saylau runs its migrations itself, on a connection it passes in.

``saylau.store.migrate.upgrade`` puts the open connection (already inside the
store's write transaction) in ``config.attributes["connection"]``.
"""

from __future__ import annotations

from alembic import context

from saylau.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
