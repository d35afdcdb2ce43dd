"""The unit tree's rules in the store's write path (issue 13, item 1), whoever writes: ingest, submissions and
registered stations never file a protocol under a nation, region or territory id, never take an id holding an
invisible character or looking like another, and never place a unit under one of its own level or lower."""

from __future__ import annotations

import pytest
from protocols_helper import kz_batch, kz_protocol, stations

from saylau.errors import InputError
from saylau.ids import IdClash
from saylau.store import Store, Submission


def _ready(store: Store) -> dict[str, tuple[str, str | None]]:
    store.ingest(kz_batch(stations(3)), election_id="e", user="setup")
    return store.unit_tree("e")


def test_ingest_refuses_a_protocol_under_a_nation_region_or_territory_id(store: Store) -> None:
    tree = _ready(store)
    nation = next(u for u, (level, _) in tree.items() if level == "nation")
    region = next(u for u, (level, _) in tree.items() if level == "region")
    territory = next(u for u, (level, _) in tree.items() if level == "territory")
    for unit_id in (nation, region, territory):
        with pytest.raises(InputError) as caught:
            store.ingest(kz_batch([kz_protocol(unit_id, [5, 5, 5])]), election_id="e", user="central")
        assert caught.value.field == "station" and unit_id in str(caught.value)
        outcome = store.submit_protocols("e", [Submission(kz_protocol(unit_id, [5, 5, 5]), "central")])
        assert isinstance(outcome[0], InputError) and outcome[0].field == "station"
    assert store.unit_tree("e") == tree  # nothing moved, nothing added: no loop


def test_a_region_may_not_take_a_territory_id_nor_a_station_a_new_region_id(store: Store) -> None:
    tree = _ready(store)
    nation = next(u for u, (level, _) in tree.items() if level == "nation")
    territory = next(u for u, (level, _) in tree.items() if level == "territory")
    as_region = territory.removeprefix(f"{nation}/")  # names a region whose id is the territory's
    with pytest.raises(InputError):
        store.register_stations("e", [("S-new", as_region, None)], user="central")
    with pytest.raises(InputError):
        store.ingest(kz_batch([kz_protocol("S-new", [5, 5, 5], region=as_region, territory=None)]),
                     election_id="e", user="central")
    with pytest.raises(InputError):  # a station named as the region its own protocol adds
        store.ingest(kz_batch([kz_protocol(f"{nation}/New Region", [5, 5, 5], region="New Region",
                                           territory=None)]), election_id="e", user="central")
    assert store.unit_tree("e") == tree


@pytest.mark.parametrize("hidden", ["\u200b", "\u00ad", "\x00", "\u202e", "\ufe0f"])
def test_every_writer_refuses_an_id_with_an_invisible_character(store: Store, hidden: str) -> None:
    tree = _ready(store)
    station = next(u for u, (level, _) in tree.items() if level == "station")
    with pytest.raises(InputError) as caught:
        store.ingest(kz_batch([kz_protocol(station + hidden, [5, 5, 5])]), election_id="e", user="central")
    assert caught.value.field == "station"
    outcome = store.submit_protocols("e", [Submission(kz_protocol(station + hidden, [5, 5, 5]), "central")])
    assert isinstance(outcome[0], InputError) and outcome[0].field == "station"
    with pytest.raises(InputError):
        store.register_stations("e", [(station + hidden, "Akmola Region", "T1")], user="central")
    with pytest.raises(InputError):
        store.register_stations("e", [("S-new", "Akmola" + hidden, "T1")], user="central")
    assert store.unit_tree("e") == tree


def test_every_writer_refuses_a_look_alike_naming_both_ids(store: Store) -> None:
    tree = _ready(store)
    station = next(u for u, (level, _) in tree.items() if level == "station" and any(c in u for c in "SO0"))
    twin = station.replace("S", "\u0405").replace("O", "\u041e").replace("0", "O")  # Cyrillic DZE, O; letter O
    assert twin != station
    with pytest.raises(IdClash) as caught:
        store.ingest(kz_batch([kz_protocol(twin, [5, 5, 5])]), election_id="e", user="central")
    assert twin in str(caught.value) and station in str(caught.value)
    outcome = store.submit_protocols("e", [Submission(kz_protocol(twin, [5, 5, 5]), "central")])
    assert isinstance(outcome[0], IdClash)
    with pytest.raises(IdClash):
        store.register_stations("e", [(twin, "Akmola Region", "T1")], user="central")
    # Two new look-alikes in one batch are refused too; a plainly different new id is taken.
    with pytest.raises(IdClash):
        store.ingest(kz_batch([kz_protocol("N-l0", [5, 5, 5]), kz_protocol("N-1O", [5, 5, 5])]), election_id="e",
                     user="central")
    assert store.unit_tree("e") == tree
    assert store.ingest(kz_batch([kz_protocol("N-20", [5, 5, 5])]), election_id="e", user="central").stored == 1
    assert store.verify_audit_log().ok


def test_election_settings_default_off_and_each_change_audited(store: Store) -> None:
    _ready(store)
    assert store.election_settings("e") == {"clerks_open_stations": False}
    before = len(store.audit_entries())
    assert store.set_election_settings("e", {"clerks_open_stations": True}, user="cec") == {
        "clerks_open_stations": True}
    store.set_election_settings("e", {"clerks_open_stations": True}, user="cec")  # no change, no entry
    entries = store.audit_entries()
    assert len(entries) == before + 1 and entries[-1].action == "set-settings" and entries[-1].actor == "cec"
    with pytest.raises(InputError):
        store.set_election_settings("e", {"clerks_open_stations": "yes"}, user="cec")
    with pytest.raises(InputError):
        store.set_election_settings("e", {"anything": True}, user="cec")
    assert store.verify_audit_log().ok
