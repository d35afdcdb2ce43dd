"""Ingest on both backends: all-or-nothing checks, no-op resubmission, conflicts, corrections with history."""

from __future__ import annotations

import pytest
from protocols_helper import CODES, kz_batch, kz_protocol, stations, total_votes

from saylau.errors import ConflictError, InputError, ProtocolError
from saylau.store import Store


def test_ingest_then_aggregate_sums_every_level(store: Store) -> None:
    protocols = stations(60)
    report = store.ingest(kz_batch(protocols), election_id="e", user="alice")
    assert (report.created_election, report.stored, report.unchanged) == (True, 60, 0)

    data = store.election_data("e")
    nation = data.nation
    assert dict(nation.votes) == total_votes(protocols)
    assert nation.valid == sum(total_votes(protocols).values())
    assert nation.invalid == sum(p.lines["invalid"] for p in protocols)
    assert nation.registered == sum(p.lines["voters_on_list"] for p in protocols)
    assert nation.ballots_cast == sum(p.lines["ballots_in_boxes"] for p in protocols)
    assert (nation.stations_reported, nation.stations_total) == (60, 60)
    for region in data.children(nation.unit_id):
        below = [p for p in protocols if p.region == region.name]
        assert dict(region.votes) == total_votes(below)
        assert region.stations_reported == len(below)
        assert sum(t.stations_reported or 0 for t in data.children(region.unit_id)) == len(below)
    station = data.unit("S00007")
    assert station.level == "station" and dict(station.votes) == dict(protocols[7].votes)
    # The database's GROUP BY path (no station level) gives the same numbers as the per-station path.
    upper = {u.unit_id: u for u in store.election_data("e", level=["nation", "region", "territory"]).units}
    assert upper == {u.unit_id: u for u in data.units if u.level != "station"}


def test_identical_resubmission_is_a_no_op(store: Store) -> None:
    protocols = stations(10)
    store.ingest(kz_batch(protocols), election_id="e", user="alice")
    entries = len(store.audit_entries())
    counts = store.counts()
    again = store.ingest(kz_batch(protocols), election_id="e", user="bob")
    assert (again.stored, again.corrected, again.unchanged) == (0, 0, 10)
    assert again.audit_seqs == ()
    assert len(store.audit_entries()) == entries
    assert store.counts() == counts


def test_conflicting_resubmission_is_refused_and_writes_nothing(store: Store) -> None:
    protocols = stations(10)
    store.ingest(kz_batch(protocols), election_id="e", user="alice")
    counts = store.counts()
    changed = kz_protocol("S00003", [1, 2, 3], region=protocols[3].region, territory=protocols[3].territory)
    with pytest.raises(ConflictError, match="S00003"):
        store.ingest(kz_batch([*stations(5, start=100), changed]), election_id="e", user="bob")
    assert store.counts() == counts  # not even the five new stations
    assert dict(store.election_data("e", level="nation").nation.votes) == total_votes(protocols)


def test_correction_stores_a_new_version_and_keeps_the_old(store: Store) -> None:
    protocols = stations(5)
    store.ingest(kz_batch(protocols), election_id="e", user="alice")
    old = protocols[2]
    fixed = kz_protocol(old.station, [old.votes[c] + 1 for c in CODES], region=old.region, territory=old.territory)
    with pytest.raises(InputError, match="reason"):
        store.ingest(kz_batch([fixed]), election_id="e", user="bob", correction=True)
    report = store.ingest(kz_batch([fixed]), election_id="e", user="bob", correction=True, reason="recount")
    assert (report.stored, report.corrected) == (0, 1)

    history = store.protocol_history("e", old.station)
    assert [(v.version, v.current) for v in history] == [(1, False), (2, True)]
    assert dict(history[0].protocol.votes) == dict(old.votes)
    assert dict(history[1].protocol.votes) == dict(fixed.votes)
    assert (history[1].recorded_by, history[1].reason) == ("bob", "recount")
    assert store.audit_entries()[-1].action == "correct"
    expected = dict(total_votes(protocols))
    for code in CODES:
        expected[code] += 1
    assert dict(store.election_data("e", level="nation").nation.votes) == expected
    current = [p for p in store.station_protocols("e") if p.station == old.station]
    assert len(current) == 1 and dict(current[0].votes) == dict(fixed.votes)


def test_one_bad_protocol_means_nothing_written_and_every_problem_named(store: Store) -> None:
    good = stations(8)
    bad1 = kz_protocol("B1", [10, 20, 30], row=20, valid=61)         # valid != sum of party votes
    bad2 = kz_protocol("B2", [10, 20, 30], row=21, ballots_received=1)  # ballots not accounted for
    with pytest.raises(ProtocolError) as caught:
        store.ingest(kz_batch([*good, bad1, bad2]), election_id="e", user="alice")
    problems = {(v.station, v.relation, v.row) for v in caught.value.violations}
    assert problems == {("B1", "boxes_are_valid_and_invalid", 20), ("B1", "valid_is_party_votes", 20),
                        ("B2", "ballots_accounted", 21)}
    assert "row 20" in str(caught.value)
    assert store.list_elections() == []
    assert store.counts()["audit_log"] == 0


def test_skip_invalid_stores_the_good_ones_and_returns_the_rejects(store: Store) -> None:
    good = stations(8)
    bad = kz_protocol("B1", [10, 20, 30], row=20, valid=61)
    report = store.ingest(kz_batch([*good, bad]), election_id="e", user="alice", skip_invalid=True)
    assert report.stored == 8
    assert [r.station for r in report.rejected] == ["B1"]
    assert report.rejected[0].row == 20 and report.rejected[0].problems
    assert {p.station for p in store.station_protocols("e")} == {p.station for p in good}


def test_warnings_are_stored_and_can_be_handled(store: Store) -> None:
    # More ballots in the boxes than issued: a warning, not an error.
    odd = kz_protocol("W1", [10, 20, 30], outside=0, ballots_issued_in_premises=62, ballots_received=82)
    result = store.submit_protocol("e", odd, user="clerk") if store.has_election("e") else None
    assert result is None
    store.ingest(kz_batch(stations(3)), election_id="e", user="alice")
    result = store.submit_protocol("e", odd, user="clerk")
    assert result.status == "stored" and result.warnings
    stored = store.warnings("e")
    assert [w.station for w in stored] == ["W1"] and not stored[0].handled
    store.handle_warning(stored[0].id, user="chair", explanation="a voter took a ballot home")
    handled = store.warnings("e", handled=True)
    assert handled[0].explanation == "a voter took a ballot home" and handled[0].handled_by == "chair"
    assert store.warnings("e", handled=False) == []
    assert store.verify_audit_log().ok


def test_submit_protocol_stored_unchanged_conflict_corrected(store: Store) -> None:
    store.ingest(kz_batch(stations(3)), election_id="e", user="alice")
    p = kz_protocol("N1", [5, 6, 7], region="Region 0", territory="T0")
    assert store.submit_protocol("e", p, user="clerk").status == "stored"
    assert store.submit_protocol("e", p, user="clerk").status == "unchanged"
    other = kz_protocol("N1", [5, 6, 8], region="Region 0", territory="T0")
    with pytest.raises(ConflictError):
        store.submit_protocol("e", other, user="clerk")
    done = store.submit_protocol("e", other, user="chair", correction=True, reason="typo in line 13")
    assert (done.status, done.version) == ("corrected", 2)
    with pytest.raises(ProtocolError):
        store.submit_protocol("e", kz_protocol("N2", [1, 1, 1], valid=4), user="clerk")


def test_a_station_given_twice_differently_in_one_batch_is_an_input_error(store: Store) -> None:
    a = kz_protocol("D1", [1, 2, 3], row=2)
    b = kz_protocol("D1", [1, 2, 4], row=3)
    with pytest.raises(InputError, match="twice"):
        store.ingest(kz_batch([a, b]), election_id="e", user="alice")
    report = store.ingest(kz_batch([a, a]), election_id="e", user="alice")
    assert report.stored == 1


def test_parties_must_be_the_elections(store: Store) -> None:
    from saylau.tabulate.model import PartyInfo

    store.ingest(kz_batch(stations(2)), election_id="e", user="alice")
    other = (PartyInfo("QHP", "People's Party", 1), PartyInfo("NO", "Nur Otan", 2), PartyInfo("XX", "Other", 3))
    protocol = kz_protocol("X1", [1, 2, 3])
    odd = protocol.__class__(protocol.station, protocol.region, protocol.territory, protocol.lines,
                             {"QHP": 1, "NO": 2, "XX": 3})
    with pytest.raises(InputError, match="parties"):
        store.ingest(kz_batch([odd], parties=other), election_id="e", user="alice")


def test_unknown_election_is_named(store: Store) -> None:
    with pytest.raises(InputError, match="no election 'nope'"):
        store.election_data("nope")


def test_an_ingest_that_fails_while_writing_leaves_no_election_behind(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import saylau.store.store as store_module
    from saylau.errors import StorageError

    def broken(*args: object, **kwargs: object) -> None:
        raise StorageError("the disk is full")

    monkeypatch.setattr(store_module, "write_plan", broken)
    entries = len(store.audit_entries())
    with pytest.raises(StorageError):
        store.ingest(kz_batch(stations(5)), election_id="e", user="alice")
    # The election is created in the transaction that writes the first protocols: it rolled back with them.
    assert not store.has_election("e")
    assert len(store.audit_entries()) == entries
    monkeypatch.undo()
    report = store.ingest(kz_batch(stations(5)), election_id="e", user="alice")
    assert (report.created_election, report.stored) == (True, 5)
