"""Roles are closed (issue 13, item 2), on SQLite and PostgreSQL: a central user of one election manages users of
that election only and cannot mint rights beyond its own; a scoped role's scope must be a unit of its level."""

from __future__ import annotations

from typing import Any

import pytest
from web_helpers import ELECTION, Night

from saylau.store.users import UserStore

pytestmark = pytest.mark.anyio


def _election_central(night: Night) -> dict[str, str]:
    users = UserStore(night.store.engine)
    users.add_user("cec-e", "central", election_id=ELECTION)
    return {"authorization": f"Bearer {users.create_token('cec-e')}"}


async def test_an_election_scoped_central_user_cannot_grant_beyond_its_election(night: Night, client: Any) -> None:
    auth = _election_central(night)
    # An unrestricted central user, or one of another election: refused.
    for payload in ({"name": "boss", "role": "central", "election_id": "other-election"},
                    {"name": "tec-x", "role": "territorial", "scope": night.territory, "election_id": "other"}):
        r = await client.post("/api/users", json=payload, headers=auth)
        assert r.status_code == 403, (payload, r.text)
    # A user it creates without naming an election belongs to its election, never to all of them.
    r = await client.post("/api/users", json={"name": "boss", "role": "central"}, headers=auth)
    assert r.status_code == 201 and r.json()["election_id"] == ELECTION, r.text
    # It cannot issue tokens for users outside its election (the unrestricted central commission).
    r = await client.post("/api/users/cec/tokens", headers=auth)
    assert r.status_code == 403, r.text
    r = await client.post("/api/users/boss/tokens", headers=auth)
    assert r.status_code == 201
    listed = {u["name"] for u in (await client.get("/api/users", headers=auth)).json()["users"]}
    assert listed == {"cec-e", "boss"}
    # The unrestricted central commission still manages everyone.
    assert (await client.post("/api/users/cec-e/tokens", headers=night.auth("cec"))).status_code == 201
    everyone = {u["name"] for u in (await client.get("/api/users", headers=night.auth("cec"))).json()["users"]}
    assert {"cec", "tec", "psc", "viewer", "cec-e", "boss"} <= everyone
    # Nobody else manages users at all.
    for who in ("tec", "psc", "viewer"):
        r = await client.post("/api/users", json={"name": f"x-{who}", "role": "public"}, headers=night.auth(who))
        assert r.status_code == 403


async def test_a_scope_must_be_a_unit_of_the_roles_level(night: Night, client: Any) -> None:
    station = night.station.station
    refused = [("territorial", station), ("territorial", "KZ"), ("territorial", "KZ/nowhere"),
               ("station", night.territory), ("station", "no such station")]
    for role, scope in refused:
        r = await client.post("/api/users", json={"name": f"u-{len(scope)}-{role}", "role": role, "scope": scope,
                                                  "election_id": ELECTION}, headers=night.auth("cec"))
        assert r.status_code == 422 and r.json()["field"] == "scope", (role, scope, r.text)
    for role, scope in (("territorial", night.territory), ("station", station)):
        r = await client.post("/api/users", json={"name": f"ok-{role}", "role": role, "scope": scope,
                                                  "election_id": ELECTION}, headers=night.auth("cec"))
        assert r.status_code == 201, r.text


async def test_tokens_expire_are_listed_and_revoked_with_audit_entries(night: Night, client: Any,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    users = night.app.state.web.users
    auth = _election_central(night)
    listed = (await client.get("/api/tokens", headers=night.auth("cec"))).json()
    assert listed["valid_days"] == 30 and {t["user"] for t in listed["tokens"]} >= {"cec", "tec", "cec-e"}
    assert all(t["state"] == "valid" and "token" not in t for t in listed["tokens"])
    own = [t for t in (await client.get("/api/tokens", headers=night.auth("tec"))).json()["tokens"]]
    assert {t["user"] for t in own} == {"tec"}  # a clerk sees its own tokens only
    cec_token = next(t["id"] for t in listed["tokens"] if t["user"] == "cec")
    tec_token = own[0]["id"]
    # Not one's own and not a managed user's: refused (a clerk; a central user of one election for "cec").
    assert (await client.delete(f"/api/tokens/{cec_token}", headers=night.auth("tec"))).status_code == 403
    assert (await client.delete(f"/api/tokens/{cec_token}", headers=auth)).status_code == 403
    assert (await client.delete("/api/tokens/999999", headers=night.auth("cec"))).status_code == 404
    # The central commission revokes the clerk's token: it stops working at once, and the act is audited.
    r = await client.delete(f"/api/tokens/{tec_token}", headers=night.auth("cec"))
    assert r.status_code == 200 and r.json()["changed"] is True
    assert (await client.get("/api/me", headers=night.auth("tec"))).status_code == 401
    entry = night.store.audit_entries()[-1]
    assert (entry.action, entry.actor, entry.subject) == ("revoke-token", "cec", f"token {tec_token} of user tec")
    assert {e.action for e in night.store.audit_entries()} >= {"add-user", "issue-token", "revoke-token"}
    # A token is valid for 30 days after it is issued: one day later than that it is refused.
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=31)

    class Later(dt.datetime):
        @classmethod
        def now(cls, tz: Any = None) -> dt.datetime:  # type: ignore[override]
            return later

    monkeypatch.setattr("saylau.store.users.dt.datetime", Later)
    assert (await client.get("/api/me", headers=night.auth("psc"))).status_code == 401
    p = night.station
    from web_helpers import body

    r = await client.post(f"/api/elections/{ELECTION}/protocols", json=body(p), headers=night.auth("psc"))
    assert r.status_code == 401  # the group committer's token lookup refuses it too
    assert all(t["state"] in ("expired", "revoked") for t in users.tokens())
    assert night.store.verify_audit_log().ok
