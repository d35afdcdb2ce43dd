"""Upgrading a store written under migration 0001 keeps every protocol, version, warning and audit hash."""

from __future__ import annotations

import json
from typing import Any

import pytest
from legacy_helper import old_entry
from protocols_helper import CODES, PARTIES, kz_batch, kz_protocol, stations
from sqlalchemy import Connection, Engine, text

from saylau.protocols import load_form
from saylau.store import audit, open_store
from saylau.store.elections import _election_values, _party_values
from saylau.store.engine import make_engine, write_transaction
from saylau.store.migrate import STORE_CHAIN, current_revision, head_revision
from saylau.store.schema import elections, parties
from saylau.tabulate.model import ElectionInfo

FORM = load_form("kz-mazhilis-2021")


def _engine_at_0001(url: str) -> Engine:
    engine = make_engine(url)
    assert STORE_CHAIN.upgrade(engine, "0001")
    return engine


def _old_write(conn: Connection, protocols: list[Any], *, user: str, action: str, reason: str | None,
               source: str, version: int, url: str | None) -> int:
    """What the 0001-era store wrote for one ingest: units, one audit entry, rows with source/url/who/when/why."""
    records = [audit.protocol_record(p.station, version, p.region, p.territory,
                                     json.dumps([p.lines[k] for k in FORM.line_keys], separators=(",", ":")),
                                     json.dumps([p.votes[c] for c in CODES], separators=(",", ":")), False)
               for p in protocols]
    entry = old_entry(conn, actor=user, action=action, election_id="e", subject=f"{len(records)} protocols",
                               reason=reason, payload_hash=audit.payload_hash(records))
    known = {r[0] for r in conn.execute(text("SELECT unit_id FROM units WHERE election_id = 'e'"))}
    ordinal = len(known)
    for p, record in zip(protocols, records, strict=True):
        region, territory = f"KZ/{p.region}", f"KZ/{p.region}/{p.territory}"
        for unit_id, name, level, parent in ((region, p.region, "region", "KZ"),
                                             (territory, p.territory, "territory", region),
                                             (p.station, p.station, "station", territory)):
            if unit_id not in known:
                conn.execute(text("INSERT INTO units (election_id, unit_id, ordinal, name, level, parent, kind, "
                                  "synthetic) VALUES ('e', :u, :o, :n, :l, :p, :l, false)"),
                             {"u": unit_id, "o": ordinal, "n": name, "l": level, "p": parent})
                known.add(unit_id)
                ordinal += 1
        if version > 1:
            conn.execute(text("UPDATE protocol_versions SET is_current = false WHERE station = :s"), {"s": p.station})
        valid = sum(p.votes.values())
        conn.execute(text(
            "INSERT INTO protocol_versions (election_id, station, version, is_current, region, territory, lines, "
            "votes, registered, ballots_cast, valid, invalid, synthetic, source, source_row, url, extra, "
            "recorded_by, recorded_at, reason, audit_seq) VALUES ('e', :s, :v, true, :r, :t, :lines, :votes, :reg, "
            ":cast, :valid, :inv, false, :src, :row, :url, '{}', :by, :at, :why, :seq)"),
            {"s": p.station, "v": version, "r": p.region, "t": p.territory, "lines": record[4], "votes": record[5],
             "reg": p.lines["voters_on_list"], "cast": p.lines["ballots_in_boxes"], "valid": valid,
             "inv": p.lines["invalid"], "src": source, "row": p.row, "url": url, "by": user, "at": entry.at,
             "why": reason, "seq": entry.seq})
    return entry.seq


def _fill_0001(engine: Engine) -> list[Any]:
    first = stations(12)
    with write_transaction(engine) as conn:  # the election as 0001 stored it (its units had no integer key)
        row = _election_values(ElectionInfo(id="e", title="e", country="KZ"), FORM.name, "KZ")
        entry = old_entry(conn, actor="alice", action="create-election", election_id="e", subject="e",
                                   payload_hash=audit.payload_hash([row]))
        conn.execute(elections.insert().values(**row, line_keys=json.dumps(FORM.line_keys), created_at=entry.at))
        conn.execute(parties.insert(), [_party_values("e", p) for p in PARTIES])
        conn.execute(text("INSERT INTO units (election_id, unit_id, ordinal, name, level, parent, kind, synthetic) "
                          "VALUES ('e', 'KZ', 0, 'KZ', 'nation', NULL, 'country', false)"))
    with write_transaction(engine) as conn:
        _old_write(conn, first, user="alice", action="ingest", reason=None, source="a.csv", version=1,
                   url="https://example.org/tik-1")
    fixed = kz_protocol(first[3].station, [1, 2, 3], region=first[3].region, territory=first[3].territory, row=9)
    with write_transaction(engine) as conn:
        _old_write(conn, [fixed], user="chair", action="correct", reason="recount", source="b.csv", version=2,
                   url=None)
        version_id = conn.execute(text("SELECT id FROM protocol_versions WHERE version = 2")).scalar_one()
        conn.execute(text("INSERT INTO protocol_warnings (version_id, relation, message, handled) "
                          "VALUES (:v, 'w', 'a warning', false)"), {"v": version_id})
    return [*first[:3], fixed, *first[4:]]


def test_a_0001_store_upgrades_with_everything_kept(store_url: str) -> None:
    engine = _engine_at_0001(store_url)
    current = _fill_0001(engine)
    engine.dispose()
    with open_store(store_url) as store:
        with store.engine.connect() as conn:
            assert current_revision(conn) == head_revision() != "0001"
        assert store.verify_audit_log().ok                 # payload hashes still match the moved rows
        back = {p.station: p for p in store.station_protocols("e")}
        assert {s: dict(p.votes) for s, p in back.items()} == {p.station: dict(p.votes) for p in current}
        assert back["S00000"].url == "https://example.org/tik-1" and back["S00000"].source == "a.csv"
        history = store.protocol_history("e", "S00003")
        assert [(v.version, v.current, v.recorded_by, v.reason, v.protocol.source, v.protocol.url)
                for v in history] == [(1, False, "alice", None, "a.csv", "https://example.org/tik-1"),
                                      (2, True, "chair", "recount", "b.csv", None)]
        assert [(w.station, w.version, w.message) for w in store.warnings("e")] == [("S00003", 2, "a warning")]
        nation = store.election_data("e", level="nation").nation
        assert nation.valid == sum(sum(p.votes.values()) for p in current)
        # New rows get fresh ids after the copied ones (PostgreSQL's sequences were moved past them).
        report = store.ingest(kz_batch(stations(5, start=100)), election_id="e", user="bob")
        assert report.stored == 5 and store.verify_audit_log().ok
        assert len(list(store.station_protocols("e"))) == 17


def test_an_upgrade_that_would_lose_data_is_refused_and_changes_nothing(store_url: str) -> None:
    engine = _engine_at_0001(store_url)
    _fill_0001(engine)
    with engine.begin() as conn:  # a row whose recorder is not its audit entry's actor: moving it would lose that
        conn.execute(text("UPDATE protocol_versions SET recorded_by = 'someone else' WHERE station = 'S00001'"))
    engine.dispose()
    with pytest.raises(RuntimeError, match="without losing data"):
        open_store(store_url)
    engine = make_engine(store_url)
    with engine.connect() as conn:
        assert current_revision(conn) == "0001"
        assert conn.execute(text("SELECT count(*) FROM protocol_versions")).scalar_one() == 13
    engine.dispose()


def test_the_fast_payload_encoder_is_the_canonical_one() -> None:
    rows = [("S/1 \"q\" ё", 1, "Регион", None, "[1,2]", "[3]", False), ("S2\\x", 2, "R", "T", "[0]", "[4,5]", 1)]
    fast = audit.protocols_payload_hash(*zip(*rows, strict=True))  # type: ignore[arg-type]
    assert fast == audit.payload_hash([audit.protocol_record(*r) for r in rows])  # type: ignore[arg-type]
    assert fast != audit.payload_hash([audit.protocol_record(*rows[0])])
