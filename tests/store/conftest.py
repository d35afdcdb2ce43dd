"""The store's tests run on both backends: a SQLite file, and PostgreSQL with a schema of their own."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from urllib.parse import quote

import pytest

from saylau.store import Store, open_store


def _plain_pg(url: str) -> str:
    """The libpq form of a SQLAlchemy URL (for psycopg itself)."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def postgres_schema_url(base: str, schema: str) -> str:
    """``base`` with a search_path of ``schema``: each test gets its own tables, so xdist workers never meet."""
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def store_url(backend: str, request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    if backend == "sqlite":
        yield str(tmp_path / "store.sqlite")
        return
    import psycopg

    base = request.getfixturevalue("postgres_url")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_plain_pg(base), autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield postgres_schema_url(base, schema)
    finally:
        with psycopg.connect(_plain_pg(base), autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with open_store(store_url) as opened:
        yield opened
