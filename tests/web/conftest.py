"""Web fixtures: a small live election (200 synthetic stations, 120 reported) on SQLite or PostgreSQL, users of
every role with API tokens, and an in-process client (httpx ASGITransport)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import quote

import pytest

pytest.importorskip("fastapi")

from web_helpers import Night, make_night


@pytest.fixture(params=["sqlite", "postgres"])
def web_db(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        yield str(tmp_path / "web.sqlite")
        return
    import psycopg

    base = request.getfixturevalue("postgres_url")
    plain = base.replace("postgresql+psycopg://", "postgresql://", 1)
    schema = f"w_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    joiner = "&" if "?" in base else "?"
    try:
        yield f"{base}{joiner}options={quote(f'-csearch_path={schema}')}"
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def night(web_db: str) -> Iterator[Night]:
    built = make_night(web_db)
    try:
        yield built
    finally:
        built.store.close()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def client(night: Night) -> AsyncIterator[Any]:
    import httpx

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=night.app), base_url="http://testserver") as c:
        yield c
