"""Attacks on the unit tree through the protocol API (issue 13, item 1), on SQLite and PostgreSQL: a clerk may not
file a protocol under a nation, region or territory id, create stations, or add a station whose id hides an
invisible character or looks like a counted one; the tree keeps no loop and the expected total stays put."""

from __future__ import annotations

from typing import Any

import pytest
from web_helpers import ELECTION, REPORTED, STATIONS, Night, body, territory_of

pytestmark = pytest.mark.anyio

API = f"/api/elections/{ELECTION}"


async def stations(client: Any) -> dict[str, int]:
    r = await client.get(f"/elections/{ELECTION}.json")
    assert r.status_code == 200
    return r.json()["stations"]  # type: ignore[no-any-return]


def parents(night: Night) -> dict[str, str | None]:
    return {unit_id: parent for unit_id, (_, parent) in night.store.unit_tree(ELECTION).items()}


async def test_a_clerk_cannot_file_a_protocol_under_a_unit_that_is_not_a_station(night: Night,
                                                                                  client: Any) -> None:
    p = night.unreported(inside=True)[0]
    before = parents(night)
    nation, region = "KZ", f"KZ/{p.region}"
    for who in ("tec", "cec"):
        for unit_id in (nation, region, night.territory):
            r = await client.post(f"{API}/protocols", json=body(p, station=unit_id), headers=night.auth(who))
            assert r.status_code in (403, 422), (who, unit_id, r.text)
            assert r.status_code < 500
            # The batch route (one transaction for many) refuses it as well, whoever asks.
            r = await client.post(f"{API}/protocols/batch", json={"protocols": [body(p, station=unit_id)]},
                                  headers=night.auth(who))
            assert r.status_code in (403, 422), (who, unit_id, r.text)
    assert parents(night) == before  # no unit moved: the tree has no loop
    assert (await stations(client))["reported"] == REPORTED
    assert (await client.get(f"/elections/{ELECTION}/units/KZ.json")).status_code == 200


async def test_a_clerk_cannot_create_a_station_unless_the_election_allows_it(night: Night, client: Any) -> None:
    p = night.unreported(inside=True)[0]
    new = body(p, station=p.station + "-new")
    r = await client.post(f"{API}/protocols", json=new, headers=night.auth("tec"))
    assert r.status_code == 403 and "not a registered station" in r.json()["error"], r.text
    r = await client.post(f"{API}/protocols/batch", json={"protocols": [new]}, headers=night.auth("tec"))
    assert r.status_code == 403, r.text
    assert (await stations(client)) == {**(await stations(client)), "reported": REPORTED, "total": STATIONS}
    # The central commission opens clerks' stations for this election (audited) ...
    r = await client.put(f"{API}/settings", json={"clerks_open_stations": True}, headers=night.auth("cec"))
    assert r.status_code == 200, r.text
    entry = night.store.audit_entries(election_id=ELECTION)[-1]
    assert entry.action == "set-settings" and entry.actor == "cec"
    # ... and a clerk may now add one in its own territory, never elsewhere.
    r = await client.post(f"{API}/protocols", json=new, headers=night.auth("tec"))
    assert r.status_code == 201, r.text
    outside = night.unreported(inside=False)[0]
    r = await client.post(f"{API}/protocols", json=body(outside, station=outside.station + "-new"),
                          headers=night.auth("tec"))
    assert r.status_code == 403
    assert (await stations(client))["total"] == STATIONS + 1
    # A station commission never opens a station, even then.
    r = await client.put(f"{API}/settings", json={"clerks_open_stations": False}, headers=night.auth("tec"))
    assert r.status_code == 403
    assert night.store.verify_audit_log().ok


@pytest.mark.parametrize("hidden", ["\u200b", "\u200d", "\ufeff", "\u2060", "\u00ad", "\x00", "\x1f", "\u202e",
                                    "\u034f", "\ufe0f"])
async def test_an_id_with_an_invisible_character_is_refused_naming_the_field(night: Night, client: Any,
                                                                           hidden: str) -> None:
    p = night.unreported(inside=True)[0]
    counted = night.protocols[0]
    for station in (counted.station + hidden, hidden + p.station):
        r = await client.post(f"{API}/protocols", json=body(p, station=station), headers=night.auth("cec"))
        assert r.status_code == 422, (repr(station), r.text)
        assert r.json().get("field") == "station" or r.json()["detail"][0]["loc"][-1] == "station"
    assert (await stations(client)) == {**(await stations(client)), "reported": REPORTED, "total": STATIONS}


async def test_a_look_alike_station_id_is_refused_naming_both_ids(night: Night, client: Any) -> None:
    p = night.unreported(inside=True)[0]
    counted = night.protocols[0]
    assert "A" in counted.station
    twin = counted.station.replace("A", "\u0410", 1)  # a Cyrillic capital A in place of the Latin one
    for who in ("cec",):
        r = await client.post(f"{API}/protocols", json=body(p, station=twin), headers=night.auth(who))
        assert r.status_code == 422, r.text
        error = r.json()["error"]
        assert twin in error and counted.station in error
    # ... also as a region of a central submission, and in a batch.
    r = await client.post(f"{API}/protocols/batch", json={"protocols": [body(p, station=twin)]},
                          headers=night.auth("cec"))
    assert r.status_code == 422 and counted.station in r.json()["error"], r.text
    assert (await stations(client))["total"] == STATIONS


async def test_the_central_commission_adds_a_station_and_the_clerks_file_it(night: Night, client: Any) -> None:
    p = night.unreported(inside=True)[0]
    new = body(p, station="Akmola Region/new station 9001")
    r = await client.post(f"{API}/units", json={"stations": [{"station": new["station"], "region": p.region,
                                                              "territory": p.territory}]},
                          headers=night.auth("tec"))
    assert r.status_code == 403
    r = await client.post(f"{API}/units", json={"stations": [{"station": new["station"], "region": p.region,
                                                              "territory": p.territory}]},
                          headers=night.auth("cec"))
    assert r.status_code == 201 and r.json()["added"] == 1, r.text
    assert night.store.audit_entries(election_id=ELECTION)[-1].action == "register-stations"
    assert (await stations(client))["total"] == STATIONS + 1
    r = await client.post(f"{API}/protocols", json=new, headers=night.auth("tec"))
    assert r.status_code == 201, r.text
    assert territory_of(p) == night.territory
