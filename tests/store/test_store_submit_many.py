"""Group commit: many users' protocols in one transaction, each with its own checks, audit entry and outcome."""

from __future__ import annotations

import dataclasses

import pytest
from protocols_helper import kz_batch, kz_protocol, stations
from sqlalchemy import select

from saylau.errors import AccessDenied, ConflictError, InputError, ProtocolError
from saylau.store import Store, Submission, SubmitContext, SubmitResult
from saylau.store.schema import units


def _ready(store: Store) -> None:
    store.ingest(kz_batch(stations(3)), election_id="e", user="setup")


def test_each_submission_gets_its_own_outcome_and_audit_entry(store: Store) -> None:
    _ready(store)
    good = kz_protocol("G1", [5, 6, 7], region="Region 0", territory="T0")
    broken = kz_protocol("B1", [5, 6, 7], valid=99)  # valid != sum of the votes: an error relation
    unknown_key = dataclasses.replace(kz_protocol("K1", [1, 2, 3]), votes={"XX": 1, "NO": 2, "AJ": 3})
    conflict = kz_protocol("S00000", [11, 41, 6], region="Region 0", territory="T0")  # stored as [10, 40, 5]
    second = kz_protocol("G2", [9, 9, 9], region="Region 1", territory="T1")
    before = len(store.audit_entries())
    outcomes = store.submit_protocols("e", [Submission(good, "alice"), Submission(broken, "bob"),
                                            Submission(unknown_key, "carol"), Submission(conflict, "dan"),
                                            Submission(second, "erin")])
    assert [type(o) for o in outcomes] == [SubmitResult, ProtocolError, ProtocolError, ConflictError, SubmitResult]
    assert outcomes[1].violations and all(v.station == "B1" for v in outcomes[1].violations)
    assert outcomes[2].field == "votes.XX"
    assert (outcomes[0].status, outcomes[0].version) == ("stored", 1)
    entries = store.audit_entries()[before:]
    assert [(e.actor, e.action, e.subject) for e in entries] == [("alice", "submit", "station G1"),
                                                                 ("erin", "submit", "station G2")]
    assert [outcomes[0].audit_seq, outcomes[4].audit_seq] == [e.seq for e in entries]
    assert {p.station for p in store.station_protocols("e")} == {"S00000", "S00001", "S00002", "G1", "G2"}
    history = store.protocol_history("e", "G2")
    assert history[0].recorded_by == "erin" and history[0].audit_seq == entries[1].seq
    assert store.verify_audit_log().ok


def test_one_station_twice_in_a_group_is_planned_in_order(store: Store) -> None:
    _ready(store)
    first = kz_protocol("D1", [1, 2, 3])
    changed = kz_protocol("D1", [1, 2, 4])
    outcomes = store.submit_protocols("e", [
        Submission(first, "a"), Submission(first, "b"), Submission(changed, "c"),
        Submission(changed, "d", correction=True, reason="line 13 misread")])
    assert isinstance(outcomes[2], ConflictError)
    assert [(o.status, o.version) for o in (outcomes[0], outcomes[1], outcomes[3])] == [
        ("stored", 1), ("unchanged", 1), ("corrected", 2)]
    assert [v.recorded_by for v in store.protocol_history("e", "D1")] == ["a", "d"]
    assert store.verify_audit_log().ok


def test_authorise_runs_under_the_lock_with_the_status_and_the_registered_commission(store: Store) -> None:
    _ready(store)
    seen: list[SubmitContext] = []

    def authorise(s: Submission, ctx: SubmitContext) -> None:
        seen.append(ctx)
        if ctx.status == "certified" and s.user != "cec":
            raise AccessDenied("certified")

    fixed = kz_protocol("S00000", [11, 41, 6], region="Region 0", territory="T0")
    assert store.set_election_status("e", "certified", user="cec", summary={"x": 1})
    assert not store.set_election_status("e", "certified", user="cec")
    outcomes = store.submit_protocols("e", [Submission(kz_protocol("N1", [1, 1, 1]), "tec"),
                                            Submission(fixed, "cec", correction=True, reason="recount")],
                                      authorise=authorise)
    assert isinstance(outcomes[0], AccessDenied)
    assert outcomes[1].status == "corrected"
    assert [c.status for c in seen] == ["certified", "certified"]
    assert seen[0].registered_under is None and seen[1].registered_under == f"{seen[1].nation}/Region 0/T0"
    assert store.audit_entries()[-2].action == "certify"
    assert store.election_info("e").status == "certified"
    assert store.verify_audit_log().ok


def test_extra_warnings_are_stored_with_the_protocol_and_returned_with_ids(store: Store) -> None:
    _ready(store)
    seen_totals = []

    def policy(p, totals):  # type: ignore[no-untyped-def]
        seen_totals.append(dict(totals))
        return [("many_invalid", f"station {p.station}: many invalid")] if p.station == "W1" else []

    w1, w2 = kz_protocol("W1", [5, 5, 5], invalid=9), kz_protocol("W2", [5, 5, 5])
    outcomes = store.submit_protocols("e", [Submission(w1, "a"), Submission(w2, "b")], extra_warnings=policy)
    assert seen_totals[0]["invalid"] == 9 and seen_totals[0]["valid"] == 15
    assert seen_totals[0]["ballots_cast"] == w1.lines["ballots_in_boxes"]
    stored = store.warnings("e")
    assert [(w.id, w.station, w.relation) for w in stored] == [
        (w.id, w.station, w.relation) for w in outcomes[0].stored_warnings] == [(stored[0].id, "W1", "many_invalid")]
    assert outcomes[1].stored_warnings == ()
    again = store.submit_protocols("e", [Submission(w1, "c")], extra_warnings=policy)
    assert again[0].status == "unchanged" and again[0].stored_warnings == outcomes[0].stored_warnings
    # What the API answers with: every field, exactly as dataclasses.asdict would give them.
    assert stored[0].to_dict() == dataclasses.asdict(stored[0])


def test_submit_protocols_refuses_an_unknown_election_whole(store: Store) -> None:
    with pytest.raises(InputError):
        store.submit_protocols("nope", [Submission(kz_protocol("X", [1, 1, 1]), "a")])


def test_register_stations_and_the_nation_name(store: Store) -> None:
    from saylau.datasets import load_dataset

    data = load_dataset("kz-2021")
    assert store.create_election(data.info, data.parties, form="kz-mazhilis-2021", user="setup",
                                 nation_name="Kazakhstan")
    added = store.register_stations("kz-2021", [("S1", "Akmola Region", "T 01"), ("S2", "Akmola Region", "T 01"),
                                                ("S3", "Almaty", None)], user="setup")
    assert added == 3
    assert store.register_stations("kz-2021", [("S1", "Akmola Region", "T 01")], user="setup") == 0
    with pytest.raises(InputError):
        store.register_stations("kz-2021", [("S1", "Almaty", None)], user="setup")
    with store.engine.connect() as conn:
        rows = {r.unit_id: (r.name, r.level, r.parent) for r in conn.execute(select(units))}
    nation = store.election_data("kz-2021", level="nation").nation
    assert (nation.unit_id, nation.name, nation.stations_total) == ("KZ", "Kazakhstan", 3)
    assert rows["S3"] == ("S3", "station", "KZ/Almaty")
    assert rows["KZ/Akmola Region/T 01"] == ("T 01", "territory", "KZ/Akmola Region")
    assert store.verify_audit_log().ok


def test_commits_without_a_sync_are_made_durable_by_syncing_the_log(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import os

    from saylau.store import open_store

    path = tmp_path / "night.sqlite"
    with open_store(path) as full:
        with full.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL: every commit synced
        full.ingest(kz_batch(stations(3)), election_id="e", user="setup")
    synced: list[str] = []
    real = os.fdatasync
    monkeypatch.setattr(os, "fdatasync", lambda fd: (synced.append(os.readlink(f"/proc/self/fd/{fd}")), real(fd)))
    with open_store(path, sync_on_commit=False) as group:
        with group.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL: the caller syncs
        (outcome,) = group.submit_protocols("e", [Submission(kz_protocol("G1", [1, 2, 3]), "a")])
        assert outcome.status == "stored" and synced == []
        group.sync()
    assert synced == [f"{path}-wal"]
