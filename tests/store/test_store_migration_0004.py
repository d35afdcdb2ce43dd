"""Upgrading a 0002 store whose web tables had their own migration chain: one chain, every row adopted."""

from __future__ import annotations

import json

import pytest
from legacy_helper import old_entry
from protocols_helper import PARTIES, kz_batch, stations
from sqlalchemy import Engine, inspect, text

from saylau.errors import StorageError
from saylau.protocols import load_form
from saylau.store import open_store
from saylau.store.elections import _election_values, _party_values
from saylau.store.engine import make_engine
from saylau.store.migrate import STORE_CHAIN, current_revision, head_revision
from saylau.store.schema import (
    api_tokens,
    elections,
    login_attempts,
    metadata,
    parties,
    sessions,
    users,
)
from saylau.tabulate.model import ElectionInfo

FORM = load_form("kz-mazhilis-2021")


def _store_at_0002_with_web_chain(url: str) -> Engine:
    """A 0002 store with an election and, as the web app's own chain (``w0001``) left it, a user and a token."""
    engine = make_engine(url)
    assert STORE_CHAIN.upgrade(engine, "0002")
    with engine.begin() as conn:
        row = _election_values(ElectionInfo(id="e", title="e", country="KZ"), FORM.name, "KZ")
        entry = old_entry(conn, actor="alice", action="create-election", election_id="e", subject="e")
        conn.execute(elections.insert().values(**row, line_keys=json.dumps(FORM.line_keys), created_at=entry.at))
        conn.execute(parties.insert(), [_party_values("e", p) for p in PARTIES])
        conn.execute(text("INSERT INTO units (election_id, unit_id, ordinal, name, level, parent, kind, synthetic) "
                          "VALUES ('e', 'KZ', 0, 'KZ', 'nation', NULL, 'country', false)"))
        conn.execute(text("CREATE TABLE saylau_web_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)"))
        conn.execute(text("INSERT INTO saylau_web_version VALUES ('w0001')"))
        # The web chain's w0001 created exactly the tables the store now declares for them.
        metadata.create_all(conn, tables=[users, api_tokens, sessions, login_attempts])
        conn.execute(text("INSERT INTO web_users VALUES ('chair', 'central', NULL, NULL, NULL, false, 't', 'cli')"))
        conn.execute(text("INSERT INTO web_api_tokens (user_name, token_hash, label, created_at, revoked) "
                          "VALUES ('chair', :h, NULL, 't', false)"), {"h": "a" * 64})
    return engine


def test_a_0002_store_with_the_web_chain_upgrades_to_one_chain_with_every_row_adopted(store_url: str) -> None:
    _store_at_0002_with_web_chain(store_url).dispose()
    with open_store(store_url) as store:
        with store.engine.connect() as conn:
            assert current_revision(conn) == head_revision()
            assert "saylau_web_version" not in inspect(conn).get_table_names()
            assert conn.execute(text("SELECT name FROM web_users")).scalars().all() == ["chair"]
        check = store.verify_audit_log()
        assert check.ok and check.entries == 2
        assert store.audit_entries()[-1].action == "adopt-rows"
        store.ingest(kz_batch(stations(3)), election_id="e", user="bob")
        assert store.verify_audit_log().ok
        with store.engine.begin() as conn:  # an adopted row edited afterwards is named
            conn.execute(text("UPDATE web_users SET role = 'public' WHERE name = 'chair'"))
        check = store.verify_audit_log()
        assert not check.ok and (check.table, check.key) == ("web_users", ("chair",))


def test_an_upgrade_over_a_broken_chain_is_refused_and_changes_nothing(store_url: str) -> None:
    engine = _store_at_0002_with_web_chain(store_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE seq = 1"))
    engine.dispose()
    with pytest.raises(StorageError, match="refuses to adopt"):
        open_store(store_url)
    engine = make_engine(store_url)
    with engine.connect() as conn:
        assert current_revision(conn) == "0002"
        assert "saylau_web_version" in inspect(conn).get_table_names()
    engine.dispose()
