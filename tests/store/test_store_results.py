"""Unit-level results from official tables (kz-2021) stored and read back exactly; changes refused."""

from __future__ import annotations

from dataclasses import replace

import pytest

from saylau.datasets import load_dataset
from saylau.errors import ConflictError
from saylau.store import Store


def test_kz_2021_round_trips_exactly(store: Store, spec_data) -> None:  # type: ignore[no-untyped-def]
    official = load_dataset("kz-2021")
    assert store.put_election_data(official, source="kz-2021 tables", user="loader") is True
    back = store.election_data("kz-2021")
    assert back.info.id == "kz-2021" and back.info.ruleset == "kz-mazhilis-2021"
    assert back.info.date == official.info.date and dict(back.info.official_seats) == dict(official.info.official_seats)
    assert [p.code for p in back.parties] == [p.code for p in official.parties]
    assert back.parties == official.parties
    by_id = {u.unit_id: u for u in back.units}
    for unit in official.units:
        got = by_id[unit.unit_id]
        assert (dict(got.votes), got.valid, got.registered, got.ballots_cast, got.invalid) == (
            dict(unit.votes), unit.valid, unit.registered, unit.ballots_cast, unit.invalid)
        assert (got.name, got.level, got.parent) == (unit.name, unit.level, unit.parent)
    assert back.nation.stations_total == 10060
    assert len(back.children("KZ")) == 17
    assert store.verify_audit_log().ok


def test_loading_again_is_a_no_op_and_different_counts_are_refused(store: Store, spec_data) -> None:  # type: ignore[no-untyped-def]
    official = load_dataset("kz-2021")
    store.put_election_data(official, user="loader")
    entries = len(store.audit_entries())
    assert store.put_election_data(official, user="loader") is False
    assert len(store.audit_entries()) == entries
    region = official.units[1]
    changed = replace(region, votes={**region.votes, "NO": region.votes["NO"] + 1})
    altered = replace(official, units=(official.units[0], changed, *official.units[2:]))
    with pytest.raises(ConflictError, match=region.unit_id):
        store.put_election_data(altered, user="mallory")
    assert dict(store.election_data("kz-2021").unit(region.unit_id).votes) == dict(region.votes)
