"""Double entry through the API, on SQLite and PostgreSQL: 202, the same typist refused, 201 on a match, 409
naming the differing field, nothing counted until settled, settling per field or by discarding, roles and scope."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from web_helpers import ELECTION, Night, body, make_night, territory_of, unit_path

pytestmark = pytest.mark.anyio

API = f"/api/elections/{ELECTION}"


@pytest.fixture
def dnight(web_db: str) -> Iterator[Night]:
    """The night with double entry required, its territorial user ``tec`` and two typists in the territory with
    the most stations still to report, and a typist and a territorial user of another territory."""
    built = make_night(web_db, double_entry="required")
    try:
        yield with_typists(built)
    finally:
        built.store.close()


def with_typists(night: Night) -> Night:
    from saylau.store.users import UserStore

    rest = night.unreported()
    busiest = max({territory_of(p) for p in rest}, key=lambda t: sum(territory_of(p) == t for p in rest))
    other = next(territory_of(p) for p in rest if territory_of(p) != busiest)
    users = UserStore(night.store.engine)
    for name, role, scope in (("tec2", "territorial", busiest), ("typist1", "typist", busiest),
                              ("typist2", "typist", busiest), ("typist-other", "typist", other),
                              ("tec-other", "territorial", other)):
        users.add_user(name, role, scope=scope)
        night.tokens[name] = users.create_token(name)
    night.territory = busiest
    night.tokens["tec"] = night.tokens["tec2"]  # the coordinator of the busiest territory
    return night


@pytest.fixture
async def dclient(dnight: Night) -> AsyncIterator[Any]:
    import httpx

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=dnight.app), base_url="http://testserver") as c:
        yield c


def entry(p: Any, **lines: int) -> dict[str, Any]:
    """The entry of protocol ``p`` as a typist types it (optionally with some lines typed differently)."""
    return {"lines": {**p.lines, **lines}, "votes": dict(p.votes)}


async def reported(client: Any) -> int:
    return int((await client.get(f"/elections/{ELECTION}.json")).json()["stations"]["reported"])


async def test_built_in_election_requires_double_entry(dnight: Night) -> None:
    assert dnight.store.double_entry(ELECTION) == "required"


async def test_first_entry_202_same_typist_refused_match_201(dnight: Night, dclient: Any) -> None:
    p = dnight.unreported(inside=True)[0]
    url = f"{API}/entries/{unit_path(p.station)}"
    before = await reported(dclient)
    first = await dclient.post(url, json=entry(p), headers=dnight.auth("typist1"))
    assert first.status_code == 202, first.text
    assert first.json()["status"] == "awaiting"
    assert await reported(dclient) == before  # not counted
    assert dnight.store.protocol_history(ELECTION, p.station) == []
    # Safe to resubmit: the same entry again changes nothing.
    assert (await dclient.post(url, json=entry(p), headers=dnight.auth("typist1"))).status_code == 202
    # The same typist cannot make the second entry.
    same = await dclient.post(url, json=entry(p, invalid=p.lines["invalid"]), headers=dnight.auth("typist1"))
    assert same.status_code == 202  # identical: still the same first entry
    other_values = entry(p, voters_on_list=p.lines["voters_on_list"] + 1)
    refused = await dclient.post(url, json=other_values, headers=dnight.auth("typist1"))
    assert refused.status_code == 403 and "another typist" in refused.json()["error"]
    second = await dclient.post(url, json=entry(p), headers=dnight.auth("typist2"))
    assert second.status_code == 201, second.text
    assert second.json()["status"] == "accepted" and second.json()["version"] == 1
    assert await reported(dclient) == before + 1
    (stored,) = dnight.store.protocol_history(ELECTION, p.station)
    assert dict(stored.protocol.lines) == dict(p.lines) and dict(stored.protocol.votes) == dict(p.votes)
    # Resubmitting the accepted entry is harmless; a different one is a conflict.
    again = await dclient.post(url, json=entry(p), headers=dnight.auth("typist2"))
    assert again.status_code == 200 and again.json()["status"] == "unchanged"
    assert (await dclient.post(url, json=other_values, headers=dnight.auth("typist2"))).status_code == 409
    actions = [e.action for e in dnight.store.audit_entries(election_id=ELECTION)[-4:]]
    assert actions == ["entry", "entry", "submit", "entry-accept"]
    assert dnight.store.verify_audit_log().ok


async def test_differing_entries_409_nothing_counted_then_settled_per_field(dnight: Night, dclient: Any) -> None:
    p = dnight.unreported(inside=True)[1]
    url = f"{API}/entries/{unit_path(p.station)}"
    before = await reported(dclient)
    # The second typist types 'invalid' and 'valid' off by one each way (both entries pass the relations:
    # ballots_in_boxes = invalid + valid still holds, valid = parties does not -> choose a pair that keeps it).
    wrong = entry(p, voters_on_list=p.lines["voters_on_list"] + 7)
    assert (await dclient.post(url, json=entry(p), headers=dnight.auth("typist1"))).status_code == 202
    conflict = await dclient.post(url, json=wrong, headers=dnight.auth("typist2"))
    assert conflict.status_code == 409
    assert conflict.json()["differences"] == [{"field": "lines.voters_on_list", "first": p.lines["voters_on_list"],
                                               "second": p.lines["voters_on_list"] + 7}]
    assert await reported(dclient) == before
    assert dnight.store.protocol_history(ELECTION, p.station) == []
    # A third entry waits for the coordinator.
    assert (await dclient.post(url, json=entry(p), headers=dnight.auth("tec"))).status_code == 409
    # The coordinator sees both entries.
    seen = await dclient.get(url, headers=dnight.auth("tec"))
    assert seen.status_code == 200 and seen.json()["state"] == "conflict"
    assert seen.json()["first"]["typist"] == "typist1" and seen.json()["second"]["typist"] == "typist2"
    # A typist is no coordinator; a field both agreed on cannot be chosen; every differing one must be.
    assert (await dclient.post(f"{url}/resolve", json={"choose": {"lines.voters_on_list": "first"}},
                               headers=dnight.auth("typist1"))).status_code == 403
    agreed = await dclient.post(f"{url}/resolve", json={"choose": {"lines.voters_on_list": "first",
                                                                   "lines.valid": "second"}},
                                headers=dnight.auth("tec"))
    assert agreed.status_code == 422 and agreed.json()["field"] == "lines.valid"
    missing = await dclient.post(f"{url}/resolve", json={"choose": {}}, headers=dnight.auth("tec"))
    assert missing.status_code == 422 and missing.json()["field"] == "lines.voters_on_list"
    assert await reported(dclient) == before
    settled = await dclient.post(f"{url}/resolve", json={"choose": {"lines.voters_on_list": "second"}},
                                 headers=dnight.auth("tec"))
    assert settled.status_code == 201, settled.text
    assert await reported(dclient) == before + 1
    (stored,) = dnight.store.protocol_history(ELECTION, p.station)
    assert stored.protocol.lines["voters_on_list"] == p.lines["voters_on_list"] + 7
    assert {k: v for k, v in stored.protocol.lines.items() if k != "voters_on_list"} == \
        {k: v for k, v in p.lines.items() if k != "voters_on_list"}
    last = dnight.store.audit_entries(election_id=ELECTION)[-1]
    assert last.action == "entry-accept" and last.actor == "tec2" and "lines.voters_on_list=second" in last.reason
    assert dnight.store.verify_audit_log().ok


async def test_discarding_an_entry_waits_for_a_fresh_one(dnight: Night, dclient: Any) -> None:
    p = dnight.unreported(inside=True)[2]
    url = f"{API}/entries/{unit_path(p.station)}"
    wrong = entry(p, voters_on_list=p.lines["voters_on_list"] + 1)
    assert (await dclient.post(url, json=wrong, headers=dnight.auth("typist1"))).status_code == 202
    assert (await dclient.post(url, json=entry(p), headers=dnight.auth("typist2"))).status_code == 409
    gone = await dclient.post(f"{url}/resolve", json={"discard": "first", "reason": "mistyped line 1"},
                              headers=dnight.auth("cec"))
    assert gone.status_code == 200 and gone.json()["entries"]["state"] == "awaiting"
    assert gone.json()["entries"]["first"]["typist"] == "typist2"
    assert dnight.store.protocol_history(ELECTION, p.station) == []
    # The typist whose entry remains cannot confirm it; another (here the discarded one's typist) can.
    assert (await dclient.post(url, json=wrong, headers=dnight.auth("typist2"))).status_code == 403
    fresh = await dclient.post(url, json=entry(p), headers=dnight.auth("typist1"))
    assert fresh.status_code == 201
    assert dnight.store.verify_audit_log().ok


async def test_entries_are_checked_like_submissions(dnight: Night, dclient: Any) -> None:
    p = dnight.unreported(inside=True)[3]
    url = f"{API}/entries/{unit_path(p.station)}"
    broken = entry(p, valid=p.lines["valid"] + 1)
    r = await dclient.post(url, json=broken, headers=dnight.auth("typist1"))
    assert r.status_code == 422
    assert {v["relation"] for v in r.json()["violations"]} >= {"boxes_are_valid_and_invalid", "valid_is_party_votes"}
    unknown = await dclient.post(url, json={**entry(p), "votes": {**p.votes, "XYZ": 1}}, headers=dnight.auth("typist1"))
    assert unknown.status_code == 422 and unknown.json()["field"] == "votes.XYZ"
    assert (await dclient.post(f"{API}/entries/no%20such%20station", json=entry(p),
                               headers=dnight.auth("cec"))).status_code == 404


async def test_roles_and_scope(dnight: Night, dclient: Any) -> None:
    p = dnight.unreported(inside=True)[4]
    url = f"{API}/entries/{unit_path(p.station)}"
    assert (await dclient.post(url, json=entry(p))).status_code == 401
    assert (await dclient.post(url, json=entry(p), headers=dnight.auth("viewer"))).status_code == 403
    assert (await dclient.post(url, json=entry(p), headers=dnight.auth("typist-other"))).status_code == 403
    assert (await dclient.post(url, json=entry(p), headers=dnight.auth("psc"))).status_code == 403  # not its station
    assert (await dclient.post(url, json=entry(p), headers=dnight.auth("typist1"))).status_code == 202
    assert (await dclient.get(url, headers=dnight.auth("tec-other"))).status_code == 403
    assert (await dclient.get(url, headers=dnight.auth("typist2"))).status_code == 403
    assert (await dclient.get(url, headers=dnight.auth("cec"))).status_code == 200
    # With double entry required, even a direct submission is an entry: here the matching second one.
    direct = await dclient.post(f"{API}/protocols", json=body(p), headers=dnight.auth("typist2"))
    assert direct.status_code == 201 and direct.json()["status"] == "accepted"
    # The station commission enters its own station.
    own = dnight.station
    assert (await dclient.post(f"{API}/entries/{unit_path(own.station)}", json=entry(own),
                               headers=dnight.auth("psc"))).status_code == 202


async def test_direct_submission_counts_as_an_entry_when_required(dnight: Night, dclient: Any) -> None:
    p, q = dnight.unreported(inside=True)[5:7]
    before = await reported(dclient)
    first = await dclient.post(f"{API}/protocols", json=body(p), headers=dnight.auth("tec"))
    assert first.status_code == 202 and first.json()["direct"] is True
    assert await reported(dclient) == before
    batch = await dclient.post(f"{API}/protocols/batch", json={"protocols": [body(q)]}, headers=dnight.auth("tec"))
    assert batch.status_code == 403
    second = await dclient.post(f"{API}/entries/{unit_path(p.station)}", json=entry(p), headers=dnight.auth("typist1"))
    assert second.status_code == 201
    # Central's direct submission is stored at once, as an import is.
    assert (await dclient.post(f"{API}/protocols", json=body(q), headers=dnight.auth("cec"))).status_code == 201
    assert await reported(dclient) == before + 2


async def test_setting_is_central_and_off_means_direct(dnight: Night, dclient: Any) -> None:
    p = dnight.unreported(inside=True)[7]
    setting = f"{API}/double-entry"
    assert (await dclient.put(setting, json={"mode": "off"}, headers=dnight.auth("tec"))).status_code == 403
    assert (await dclient.put(setting, json={"mode": "sometimes"}, headers=dnight.auth("cec"))).status_code == 422
    changed = await dclient.put(setting, json={"mode": "off"}, headers=dnight.auth("cec"))
    assert changed.status_code == 200 and changed.json()["changed"] is True
    assert dnight.store.double_entry(ELECTION) == "off"
    assert (await dclient.post(f"{API}/entries/{unit_path(p.station)}", json=entry(p),
                               headers=dnight.auth("typist1"))).status_code == 409
    # A typist submits nothing directly; the territorial commission does.
    assert (await dclient.post(f"{API}/protocols", json=body(p), headers=dnight.auth("typist1"))).status_code == 403
    assert (await dclient.post(f"{API}/protocols", json=body(p), headers=dnight.auth("tec"))).status_code == 201


async def test_the_form_is_served_as_data_with_the_forms_relations(dnight: Night, dclient: Any) -> None:
    from saylau.protocols import load_form

    form = load_form(dnight.store.election_form(ELECTION) or "")
    served = (await dclient.get(f"{API}/form", params={"lang": "kk"})).json()
    assert [line["key"] for line in served["lines"]] == list(form.line_keys)
    assert served["lines"][0]["label"] == form.lines[0].labels["kk"]
    parties = sorted(dnight.store.parties(ELECTION), key=lambda p: p.registration_order)
    assert [p["code"] for p in served["parties"]] == [p.code for p in parties]
    assert served["parties"][0]["number"] == form.first_party_line
    for relation, data in zip(form.relations, served["relations"], strict=True):
        assert data["name"] == relation.name and data["operator"] == relation.operator
        assert [tuple(t) for t in data["left"]] == list(relation.left.terms)
        assert [tuple(t) for t in data["right"]] == list(relation.right.terms)


async def sign_in_to_page(client: Any, night: Night, p: Any, role: str) -> tuple[str, str]:
    """Sign in through the form as a new user of ``role`` in the night's territory; the station's entry page
    and its CSRF token."""
    from saylau.store.users import UserStore

    login = await client.get("/login")
    token = login.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    UserStore(night.store.engine).add_user(f"{role}-pw", role, scope=night.territory, password="password-1")
    signed = await client.post("/login", data={"name": f"{role}-pw", "password": "password-1", "csrf": token,
                                               "next": "/"})
    assert signed.status_code == 303
    page_url = f"/elections/{ELECTION}/entry/{unit_path(p.station)}"
    page = await client.get(page_url)
    return page_url, page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]


def typed_fields(p: Any) -> dict[str, str]:
    return {f"lines.{k}": str(v) for k, v in p.lines.items()} | {f"votes.{k}": str(v) for k, v in p.votes.items()}


async def test_with_double_entry_off_the_page_submits_the_protocol(dnight: Night, dclient: Any) -> None:
    p = dnight.unreported(inside=True)[0]
    dnight.store.set_double_entry(ELECTION, "off", user="test")
    dnight.app.state.web.extra.pop("double_entry", None)
    page_url, csrf = await sign_in_to_page(dclient, dnight, p, "territorial")
    confirm = await dclient.post(page_url, data={**typed_fields(p), "csrf": csrf})
    assert confirm.status_code == 200 and 'id="confirm"' in confirm.text
    assert dnight.store.protocol_history(ELECTION, p.station) == []  # nothing before confirming
    done = await dclient.post(page_url, data={**typed_fields(p), "csrf": csrf, "confirm": "1"})
    assert done.status_code == 200 and 'data-status="accepted"' in done.text
    (stored,) = dnight.store.protocol_history(ELECTION, p.station)
    assert dict(stored.protocol.lines) == dict(p.lines)
    again = await dclient.post(page_url, data={**typed_fields(p), "csrf": csrf, "confirm": "1"})
    assert 'data-status="unchanged"' in again.text
    assert len(dnight.store.protocol_history(ELECTION, p.station)) == 1


async def test_the_entry_page_escapes_what_was_typed_and_needs_its_csrf_token(dnight: Night, dclient: Any) -> None:
    p = dnight.unreported(inside=True)[0]
    page_url, csrf = await sign_in_to_page(dclient, dnight, p, "typist")
    typed = typed_fields(p)
    assert (await dclient.post(page_url, data=typed)).status_code == 403  # no CSRF token
    hostile = await dclient.post(page_url, data={**typed, "csrf": csrf, "lines.valid": '"><script>x</script>'})
    assert hostile.status_code == 422
    assert "<script>x" not in hostile.text and "&lt;script&gt;x" in hostile.text
    assert 'aria-invalid="true"' in hostile.text
    assert dnight.store.entry_state(ELECTION, p.station).state == "empty"


async def test_an_entry_edited_in_the_database_breaks_the_audit_chain(dnight: Night, dclient: Any) -> None:
    from sqlalchemy import update

    from saylau.store.schema import protocol_entries

    p = dnight.unreported(inside=True)[0]
    assert (await dclient.post(f"{API}/entries/{unit_path(p.station)}", json=entry(p),
                               headers=dnight.auth("typist1"))).status_code == 202
    assert dnight.store.verify_audit_log().ok
    forged = entry(p, voters_on_list=p.lines["voters_on_list"] + 1)["lines"]
    with dnight.store.engine.begin() as conn:
        conn.execute(update(protocol_entries).where(protocol_entries.c.station == p.station)
                     .values(lines=json.dumps(forged, sort_keys=True, separators=(",", ":"))))
    assert not dnight.store.verify_audit_log().ok


async def test_two_agreeing_entries_left_unstored_are_stored_by_the_next_identical_entry(dnight: Night,
                                                                                        dclient: Any) -> None:
    """If storing fails after the second entry was recorded (say the database went away), the station is
    ``matched``: the same values again store it; different ones are refused; a coordinator can store it too."""
    from saylau.errors import ConflictError
    from saylau.protocols.double_entry import Entry

    p, q = dnight.unreported(inside=True)[:2]
    for station in (p.station, q.station):  # two entries recorded, the protocol not stored
        for typist in ("typist1", "typist2"):
            dnight.store.record_entry(ELECTION, station, typist, Entry(dict(p.lines), dict(p.votes)))
    assert dnight.store.entry_state(ELECTION, p.station).state == "matched"
    with pytest.raises(ConflictError):
        dnight.store.record_entry(ELECTION, p.station, "tec2", Entry({**p.lines, "invalid": 0}, dict(p.votes)))
    again = await dclient.post(f"{API}/entries/{unit_path(p.station)}", json=entry(p), headers=dnight.auth("tec"))
    assert again.status_code == 201 and again.json()["status"] == "accepted"
    settled = await dclient.post(f"{API}/entries/{unit_path(q.station)}/resolve", json={"choose": {}},
                                 headers=dnight.auth("tec"))
    assert settled.status_code == 201
    assert len(dnight.store.protocol_history(ELECTION, q.station)) == 1


async def test_hostile_requests_are_refused_plainly(dnight: Night, dclient: Any) -> None:
    p = dnight.unreported(inside=True)[0]
    url = f"{API}/entries/{unit_path(p.station)}"
    for path in ("..%2F..%2Fetc", "%00", p.station.replace("0", "\u041e") if "0" in p.station else "x\u200b"):
        r = await dclient.post(f"{API}/entries/{path}", json=entry(p), headers=dnight.auth("cec"))
        assert r.status_code == 404, (path, r.status_code)
    huge = await dclient.post(url, json=entry(p, valid=10**13), headers=dnight.auth("typist1"))
    assert huge.status_code == 422
    negative = await dclient.post(url, json=entry(p, valid=-1), headers=dnight.auth("typist1"))
    assert negative.status_code == 422
    extra = await dclient.post(url, json={**entry(p), "station": "elsewhere"}, headers=dnight.auth("typist1"))
    assert extra.status_code == 422
    moved = await dclient.post(url, json={**entry(p), "region": "Elsewhere"}, headers=dnight.auth("typist1"))
    assert moved.status_code == 422 and moved.json()["field"] == "territory"
    assert (await dclient.post(url, json=entry(p), headers=dnight.auth("typist1"))).status_code == 202
    assert (await dclient.post(url, json=entry(p, voters_on_list=p.lines["voters_on_list"] + 1),
                               headers=dnight.auth("typist2"))).status_code == 409
    for bad in ({"choose": {"lines.nothing": "first"}}, {"choose": {"lines.voters_on_list": "third"}},
                {"choose": {"lines.voters_on_list": "first"}, "discard": "first"}, {}, {"discard": "third"}):
        r = await dclient.post(f"{url}/resolve", json=bad, headers=dnight.auth("tec"))
        assert r.status_code == 422, (bad, r.status_code)
    assert dnight.store.entry_state(ELECTION, p.station).state == "conflict"  # nothing changed by any of them
    assert (await dclient.put(f"{API}/double-entry", json={"mode": "off", "x": 1},
                              headers=dnight.auth("cec"))).status_code == 422
    assert (await dclient.get("/api/elections/nope/form")).status_code == 404


async def test_anonymous_visitors_of_the_entry_pages_sign_in_first(dnight: Night, dclient: Any) -> None:
    r = await dclient.get(f"/elections/{ELECTION}/entry?lang=kk")
    assert r.status_code == 303
    assert r.headers["location"] == f"/login?next=%2Felections%2F{ELECTION}%2Fentry%3Flang%3Dkk&lang=kk"
    viewer = await dclient.get(f"/elections/{ELECTION}/entry", headers=dnight.auth("viewer"))
    assert viewer.status_code == 403
