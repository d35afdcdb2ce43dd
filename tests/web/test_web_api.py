"""The protocol API in process (httpx ASGITransport), on SQLite and PostgreSQL: submissions, checks, corrections,
warnings, certification, and each role refused outside its scope."""

from __future__ import annotations

import json
from typing import Any

import pytest
from web_helpers import ELECTION, REPORTED, STATIONS, Night, body, territory_of, unit_path

pytestmark = pytest.mark.anyio

API = f"/api/elections/{ELECTION}"


async def nation(client: Any) -> dict[str, Any]:
    r = await client.get(f"/elections/{ELECTION}.json")
    assert r.status_code == 200
    return r.json()  # type: ignore[no-any-return]


async def test_national_twin_counts_exactly_the_stored_protocols(night: Night, client: Any) -> None:
    view = await nation(client)
    stored = night.protocols[:REPORTED]
    assert view["stations"] == {"reported": REPORTED, "total": STATIONS, "percent": REPORTED * 100 // STATIONS}
    assert view["status"] == "unofficial partial"
    for party in view["parties"]:
        assert party["votes"] == sum(p.votes[party["code"]] for p in stored)
    assert view["totals"]["valid"] == sum(p.lines["valid"] for p in stored)
    assert view["seats"]["has_seats"] and sum(p["seats"] or 0 for p in view["parties"]) == 98
    assert view["seats"]["arch_url"] == f"/elections/{ELECTION}/arch.svg" and view["seats"]["explanation"]
    assert "<svg" not in json.dumps(view) and "n/a" not in json.dumps(view)
    arch = await client.get(view["seats"]["arch_url"] + "?lang=ru")
    assert arch.status_code == 200 and arch.headers["content-type"].startswith("image/svg+xml")
    assert arch.text.startswith("<svg") and "Мандаты палаты" in arch.text
    assert view["last_updated"] and view["change"] > 0
    # The page renders the same dict: its numbers are the twin's.
    page = await client.get(f"/elections/{ELECTION}", headers={"accept": "text/html"})
    assert page.status_code == 200 and '<html lang="en">' in page.text
    assert f'data-value="{view["totals"]["valid"]}"' in page.text
    assert f'id="reported" data-field="stations.reported" data-value="{REPORTED}"' in page.text


async def test_submission_appears_in_the_national_twin_at_once(night: Night, client: Any) -> None:
    before = await nation(client)
    p = night.unreported()[0]
    r = await client.post(f"{API}/protocols", json=body(p), headers=night.auth("cec"))
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "stored" and r.json()["version"] == 1
    after = await nation(client)
    assert after["stations"]["reported"] == before["stations"]["reported"] + 1
    assert after["change"] > before["change"]
    for old, new in zip(before["parties"], after["parties"], strict=True):
        assert new["votes"] - old["votes"] == p.votes[old["code"]]


async def test_every_failed_relation_is_listed_and_nothing_is_stored(night: Night, client: Any) -> None:
    p = night.unreported()[0]
    bad = body(p, lines={**p.lines, "valid": p.lines["valid"] + 1, "ballots_received": p.lines["ballots_received"] + 5})
    r = await client.post(f"{API}/protocols", json=bad, headers=night.auth("cec"))
    assert r.status_code == 422
    relations = sorted(v["relation"] for v in r.json()["violations"])
    assert relations == ["ballots_accounted", "boxes_are_valid_and_invalid", "valid_is_party_votes"]
    assert (await nation(client))["stations"]["reported"] == REPORTED


async def test_unknown_or_missing_keys_are_named(night: Night, client: Any) -> None:
    p = night.unreported()[0]
    r = await client.post(f"{API}/protocols", json=body(p, votes={**p.votes, "XX": 1}), headers=night.auth("cec"))
    assert r.status_code == 422 and r.json()["field"] == "votes.XX"
    lines = dict(p.lines)
    del lines["invalid"]
    r = await client.post(f"{API}/protocols", json=body(p, lines=lines), headers=night.auth("cec"))
    assert r.status_code == 422 and r.json()["field"] == "lines.invalid"
    r = await client.post(f"{API}/protocols", json=body(p, lines={**p.lines, "valid": -1}), headers=night.auth("cec"))
    assert r.status_code == 422
    r = await client.post("/api/elections/nope/protocols", json=body(p), headers=night.auth("cec"))
    assert r.status_code == 404


async def test_resubmission_conflict_and_correction_with_history(night: Night, client: Any) -> None:
    p = night.unreported(inside=True)[0]
    assert (await client.post(f"{API}/protocols", json=body(p), headers=night.auth("tec"))).status_code == 201
    again = await client.post(f"{API}/protocols", json=body(p), headers=night.auth("tec"))
    assert again.status_code == 200 and again.json()["status"] == "unchanged"
    code = next(iter(p.votes))
    moved = {**p.votes, code: p.votes[code] - 1}
    other = next(c for c in p.votes if c != code)
    moved[other] += 1
    changed = body(p, votes=moved)
    assert (await client.post(f"{API}/protocols", json=changed, headers=night.auth("tec"))).status_code == 409
    no_reason = await client.put(f"{API}/protocols/{unit_path(p.station)}", json=changed, headers=night.auth("tec"))
    assert no_reason.status_code == 422
    fixed = await client.put(f"{API}/protocols/{unit_path(p.station)}", json={**changed, "reason": "recount"},
                             headers=night.auth("tec"))
    assert fixed.status_code == 201 and fixed.json()["status"] == "corrected" and fixed.json()["version"] == 2
    history = (await client.get(f"{API}/stations/{unit_path(p.station)}/history")).json()
    assert [(v["version"], v["current"], v["reason"]) for v in history["versions"]] == [
        (1, False, None), (2, True, "recount")]
    assert history["versions"][0]["votes"] == dict(p.votes) and history["versions"][1]["votes"] == moved
    assert [e["action"] for e in history["audit"] if e["seq"] in {v["audit_seq"] for v in history["versions"]}] == [
        "submit", "correct"]
    assert night.store.verify_audit_log().ok


async def test_submit_route_refuses_bad_bodies_as_fastapi_would_and_stays_documented(night: Night,
                                                                                      client: Any) -> None:
    # The route is answered by a plain endpoint ahead of its FastAPI declaration: same errors, same schema.
    p = night.unreported()[0]
    r = await client.post(f"{API}/protocols", content=b"{not json", headers={**night.auth("cec"),
                                                                         "content-type": "application/json"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][0] == "body"
    r = await client.post(f"{API}/protocols", json={**body(p), "lines": {"valid": "many"}, "region": None},
                          headers=night.auth("cec"))
    assert r.status_code == 422
    assert {tuple(e["loc"]) for e in r.json()["detail"]} == {("body", "lines", "valid"), ("body", "region")}
    r = await client.post(f"{API}/protocols", json={**body(p), "extra": 1}, headers=night.auth("cec"))
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "extra"]
    schema = (await client.get("/openapi.json")).json()
    operation = schema["paths"]["/api/elections/{election_id}/protocols"]["post"]
    documented = operation["requestBody"]["content"]["application/json"]["schema"]
    assert set(documented["required"]) == {"station", "region", "lines", "votes"}
    assert {"201", "401", "403", "409", "422"} <= set(operation["responses"])
    assert (await nation(client))["stations"]["reported"] == REPORTED


async def test_anonymous_writes_are_refused_with_401(night: Night, client: Any) -> None:
    p = night.unreported()[0]
    attempts = [
        client.post(f"{API}/protocols", json=body(p)),
        client.put(f"{API}/protocols/{unit_path(p.station)}", json={**body(p), "reason": "x"}),
        client.post(f"{API}/protocols/batch", json={"protocols": [body(p)]}),
        client.post(f"{API}/warnings/1/handle", json={"explanation": "x"}),
        client.post(f"{API}/certify"),
        client.post("/api/users", json={"name": "x", "role": "central"}),
        client.post(f"{API}/protocols", json=body(p), headers={"authorization": "Bearer sly_not-a-token"}),
    ]
    for attempt in attempts:
        r = await attempt
        assert r.status_code == 401, r.text
        assert r.headers["www-authenticate"] == "Bearer"
    assert (await nation(client))["stations"]["reported"] == REPORTED


async def test_each_role_is_refused_outside_its_scope_with_403(night: Night, client: Any) -> None:
    outside = night.unreported(inside=False)[0]
    inside = night.unreported(inside=True)[0]
    own = night.station
    refused = [
        ("psc", "post", f"{API}/protocols", body(inside)),          # a station commission: another station
        ("tec", "post", f"{API}/protocols", body(outside)),         # a territorial commission: another territory
        ("tec", "post", f"{API}/protocols",                          # ... nor by renaming the territory
         body(outside, region=own.region, territory=own.territory)),
        ("viewer", "post", f"{API}/protocols", body(inside)),       # the public reads only
        ("tec", "post", f"{API}/certify", None),                    # only the central commission certifies
        ("psc", "post", "/api/users", {"name": "y", "role": "central"}),
        ("tec", "get", "/api/users", None),
    ]
    for who, method, url, payload in refused:
        kwargs: dict[str, Any] = {"headers": night.auth(who)}
        if payload is not None:
            kwargs["json"] = payload
        r = await getattr(client, method)(url, **kwargs)
        assert r.status_code == 403, (who, url, r.text)
    # The station commission submits its own station, but cannot correct it.
    assert (await client.post(f"{API}/protocols", json=body(own), headers=night.auth("psc"))).status_code == 201
    r = await client.put(f"{API}/protocols/{unit_path(own.station)}", json={**body(own), "reason": "x"},
                         headers=night.auth("psc"))
    assert r.status_code == 403
    assert (await nation(client))["stations"]["reported"] == REPORTED + 1


def _heavy(p: Any) -> tuple[dict[str, int], dict[str, int]]:
    """A protocol that satisfies every relation but alarms: a fifth of its ballots declared invalid."""
    lines = dict(p.lines)
    code = max(p.votes, key=lambda c: p.votes[c])
    shift = min(p.lines["ballots_in_boxes"] // 5, p.votes[code])
    lines.update(invalid=p.lines["invalid"] + shift, valid=p.lines["valid"] - shift)
    return lines, {**p.votes, code: p.votes[code] - shift}


async def test_warnings_are_stored_and_handled_by_the_territory(night: Night, client: Any) -> None:
    from saylau.web.policy import INVALID_SHARE

    p = night.station  # in the territorial user's territory
    heavy, votes = _heavy(p)
    r = await client.post(f"{API}/protocols", json=body(p, lines=heavy, votes=votes), headers=night.auth("tec"))
    assert r.status_code == 201
    warned = [w for w in r.json()["warnings"] if w["relation"] == INVALID_SHARE]
    assert len(warned) == 1 and not warned[0]["handled"]
    wid = warned[0]["id"]
    elsewhere = night.unreported(inside=False)[0]
    lines, votes = _heavy(elsewhere)
    r = await client.post(f"{API}/protocols", json=body(elsewhere, lines=lines, votes=votes), headers=night.auth("cec"))
    assert r.status_code == 201
    outside = next(w for w in (await client.get(f"{API}/warnings?handled=false")).json()["warnings"]
                   if w["station"] == elsewhere.station)
    r = await client.post(f"{API}/warnings/{outside['id']}/handle", json={"explanation": "x"},
                          headers=night.auth("tec"))
    assert r.status_code == 403
    r = await client.post(f"{API}/warnings/{wid}/handle", json={"explanation": "spoilt ballots counted twice"},
                          headers=night.auth("tec"))
    assert r.status_code == 200 and r.json()["handled"]
    open_ids = {w["id"] for w in (await client.get(f"{API}/warnings?handled=false")).json()["warnings"]}
    assert wid not in open_ids
    handled = {w["id"]: w for w in (await client.get(f"{API}/warnings?handled=true")).json()["warnings"]}
    assert handled[wid]["explanation"] == "spoilt ballots counted twice" and handled[wid]["handled_by"] == "tec"


async def test_certified_election_refuses_changes_except_by_central(night: Night, client: Any) -> None:
    r = await client.post(f"{API}/certify", headers=night.auth("cec"))
    assert r.status_code == 200 and r.json()["changed"]
    assert (await nation(client))["status"] == "certified"
    inside = night.unreported(inside=True)
    assert (await client.post(f"{API}/protocols", json=body(night.station), headers=night.auth("psc"))).status_code == 403
    assert (await client.post(f"{API}/protocols", json=body(inside[0]), headers=night.auth("tec"))).status_code == 403
    assert (await client.post(f"{API}/protocols", json=body(inside[0]), headers=night.auth("cec"))).status_code == 201
    again = await client.post(f"{API}/certify", headers=night.auth("cec"))
    assert again.status_code == 200 and not again.json()["changed"]
    assert any(e.action == "certify" for e in night.store.audit_entries(election_id=ELECTION))


async def test_batch_is_all_or_nothing(night: Night, client: Any) -> None:
    batch = night.unreported()[:30]
    broken = [body(p) for p in batch]
    broken[7]["lines"] = {**broken[7]["lines"], "valid": broken[7]["lines"]["valid"] + 1}
    r = await client.post(f"{API}/protocols/batch", json={"protocols": broken}, headers=night.auth("cec"))
    assert r.status_code == 422 and {v["station"] for v in r.json()["violations"]} == {batch[7].station}
    assert (await nation(client))["stations"]["reported"] == REPORTED
    r = await client.post(f"{API}/protocols/batch", json={"protocols": [body(p) for p in batch]},
                          headers=night.auth("cec"))
    assert r.status_code == 201 and r.json()["stored"] == 30
    assert (await nation(client))["stations"]["reported"] == REPORTED + 30


async def test_unit_twins_at_every_level(night: Night, client: Any) -> None:
    view = await nation(client)
    region = view["children"][0]
    r = await client.get(f"/elections/{ELECTION}/units/{unit_path(region['unit_id'])}.json")
    assert r.status_code == 200
    regional = r.json()
    assert regional["unit"]["level"] == "region" and not regional["seats"]["has_seats"]
    assert regional["stations"]["reported"] == region["reported"]
    territory = regional["children"][0]
    t = (await client.get(f"/elections/{ELECTION}/units/{unit_path(territory['unit_id'])}.json")).json()
    assert t["unit"]["level"] == "territory" and len(t["children"]) == territory["total"]
    assert sum(c["valid"] for c in t["children"]) == t["totals"]["valid"]
    station = t["children"][0]
    s = (await client.get(f"/elections/{ELECTION}/units/{unit_path(station['unit_id'])}.json")).json()
    assert s["unit"]["level"] == "station" and [step["level"] for step in s["path"]] == [
        "nation", "region", "territory", "station"]
    page = await client.get(f"/elections/{ELECTION}/units/{unit_path(station['unit_id'])}")
    assert (page.status_code == 200 and 'id="protocol"' in page.text) or "not reported" in page.text
    missing = await client.get(f"/elections/{ELECTION}/units/KZ/Atlantis.json")
    assert missing.status_code == 404


async def test_board_counts_and_filters(night: Night, client: Any) -> None:
    board = (await client.get(f"/elections/{ELECTION}/board.json")).json()
    assert board["totals"]["expected"] == STATIONS and board["totals"]["reported"] == REPORTED
    territories = [t for r in board["regions"] for t in r["territories"]]
    assert sum(t["reported"] for t in territories) == REPORTED
    by_territory: dict[str, int] = {}
    for p in night.protocols[:REPORTED]:
        by_territory[territory_of(p)] = by_territory.get(territory_of(p), 0) + 1
    assert {t["unit_id"]: t["reported"] for t in territories if t["reported"]} == by_territory
    warned = (await client.get(f"/elections/{ELECTION}/board.json?show=warnings")).json()
    assert all(t["open_warnings"] > 0 for r in warned["regions"] for t in r["territories"])
    name = board["regions"][0]["name"]
    only = (await client.get(f"/elections/{ELECTION}/board.json", params={"q": name})).json()
    assert [r["name"] for r in only["regions"]] == [name]
    page = await client.get(f"/elections/{ELECTION}/board?show=unreported&lang=ru")
    assert page.status_code == 200 and '<html lang="ru">' in page.text and "Ход подсчёта" in page.text
