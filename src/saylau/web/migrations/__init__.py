"""Migrations of the web app's tables (alembic), run by :func:`saylau.web.migrate.upgrade`."""
