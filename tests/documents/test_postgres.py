"""The same election stored in PostgreSQL gives the same documents: the figures' hash does not depend on the backend."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from saylau.cli import main
from saylau.documents import digest, load_document


@pytest.fixture
def pg_url(postgres_url: str) -> Iterator[str]:
    import psycopg

    plain = postgres_url.replace("postgresql+psycopg://", "postgresql://", 1)
    schema = f"d_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    joiner = "&" if "?" in postgres_url else "?"
    try:
        yield f"{postgres_url}{joiner}options={quote(f'-csearch_path={schema}')}"
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.mark.postgres
def test_seat_protocol_from_postgres_matches_sqlite(pg_url: str, kz_store: str, tmp_path: Path) -> None:
    assert main(["load", "kz-2021", "--db", pg_url]) == 0
    out = tmp_path / "pg.pdf"
    assert main(["document", "seat-protocol", "--election", "kz-2021", "--lang", "kk", "--db", pg_url,
                 "-o", str(out)]) == 0
    from_pg = load_document("seat-protocol", "kz-2021", pg_url)
    assert digest(from_pg) == digest(load_document("seat-protocol", "kz-2021", kz_store))
    assert main(["document", "seat-protocol", "--election", "kz-2021", "--db", kz_store, "--verify", str(out)]) == 0
