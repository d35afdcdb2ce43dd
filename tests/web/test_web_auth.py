"""Sign-in, sessions, CSRF, login rate limits and credentials at rest (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select
from web_helpers import ELECTION, Night, body

from saylau.store.users import UserStore
from saylau.web.tables import api_tokens, sessions, users

pytestmark = pytest.mark.anyio

PASSWORD = "correct horse battery"


async def sign_in(client: Any, name: str, password: str) -> Any:
    form = await client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token is not None
    return await client.post("/login", data={"name": name, "password": password, "csrf": token.group(1),
                                             "next": f"/elections/{ELECTION}"})


async def test_session_cookie_is_httponly_lax_and_writes_need_the_csrf_token(night: Night, client: Any) -> None:
    UserStore(night.store.engine).add_user("tec2", "territorial", scope=night.territory, password=PASSWORD)
    r = await sign_in(client, "tec2", PASSWORD)
    assert r.status_code == 303 and r.headers["location"] == f"/elections/{ELECTION}"
    cookie = r.headers["set-cookie"]
    assert "saylau_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie  # plain http here; see the https test below
    assert (await client.get("/api/me")).json()["user"]["name"] == "tec2"
    p = night.station
    without = await client.post(f"/api/elections/{ELECTION}/protocols", json=body(p))
    assert without.status_code == 403 and "CSRF" in without.json()["error"]
    page = await client.get(f"/elections/{ELECTION}")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf is not None
    wrong = await client.post(f"/api/elections/{ELECTION}/protocols", json=body(p), headers={"x-csrf-token": "x"})
    assert wrong.status_code == 403
    ok = await client.post(f"/api/elections/{ELECTION}/protocols", json=body(p),
                           headers={"x-csrf-token": csrf.group(1)})
    assert ok.status_code == 201
    out = await client.post("/logout", data={"csrf": csrf.group(1)})
    assert out.status_code == 303
    assert (await client.get("/api/me")).json()["user"] is None


async def test_cookies_are_secure_over_https(night: Night) -> None:
    import httpx

    UserStore(night.store.engine).add_user("cec2", "central", password=PASSWORD)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=night.app), base_url="https://testserver") as c:
        r = await sign_in(c, "cec2", PASSWORD)
        assert r.status_code == 303 and "Secure" in r.headers["set-cookie"]


async def test_login_without_its_csrf_token_is_refused(night: Night, client: Any) -> None:
    UserStore(night.store.engine).add_user("cec3", "central", password=PASSWORD)
    r = await client.post("/login", data={"name": "cec3", "password": PASSWORD, "csrf": "forged"})
    assert r.status_code == 403 and "saylau_session" not in r.headers.get("set-cookie", "")


async def test_login_backs_off_per_user_and_address_without_locking_the_user_out(night: Night,
                                                                                client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import httpx

    from saylau.web.auth import FREE_FAILURES

    monkeypatch.setattr("saylau.web.auth.BACKOFF_SECONDS", 3600.0)  # no try is slow enough to pass it
    UserStore(night.store.engine).add_user("target", "central", password=PASSWORD)
    for _ in range(FREE_FAILURES):
        r = await client.post("/api/tokens", json={"name": "target", "password": "guess-guess"})
        assert r.status_code == 401
    r = await client.post("/api/tokens", json={"name": "target", "password": PASSWORD})
    assert r.status_code == 429
    assert int(r.headers["retry-after"]) >= 1 and "user 'target' from address" in r.json()["error"]
    # The user signing in from another address is not held up by the guesser's failures ...
    elsewhere = httpx.ASGITransport(app=night.app, client=("10.1.2.3", 4000))
    async with httpx.AsyncClient(transport=elsewhere, base_url="http://testserver") as other:
        assert (await other.post("/api/tokens", json={"name": "target", "password": PASSWORD})).status_code == 201
    # ... nor is another user at the guesser's address.
    UserStore(night.store.engine).add_user("other", "public", password=PASSWORD)
    assert (await client.post("/api/tokens", json={"name": "other", "password": PASSWORD})).status_code == 201


async def test_concurrent_guesses_cannot_all_pass_the_check(night: Night, client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    from saylau.web.auth import FREE_FAILURES

    monkeypatch.setattr("saylau.web.auth.BACKOFF_SECONDS", 3600.0)  # no try is slow enough to pass it
    UserStore(night.store.engine).add_user("target", "central", password=PASSWORD)
    answers = await asyncio.gather(*(client.post("/api/tokens", json={"name": "target", "password": f"guess-{i}"})
                                     for i in range(40)))
    codes = sorted(r.status_code for r in answers)
    # Each attempt is reserved before its password is checked: only the free ones reach the check.
    assert codes.count(401) <= FREE_FAILURES and codes.count(429) >= 40 - FREE_FAILURES, codes
    assert set(codes) <= {401, 429}


async def test_login_is_limited_per_address(night: Night, client: Any) -> None:
    from saylau.web.auth import MAX_FAILURES_PER_IP

    store = UserStore(night.store.engine)
    for i in range(MAX_FAILURES_PER_IP - 1):
        store.record_attempt("127.0.0.1", f"nobody{i}", False)
    # ASGITransport's client address is 127.0.0.1: one failure left, then refused whatever the name.
    assert (await client.post("/api/tokens", json={"name": "x", "password": "whatever1"})).status_code == 401
    r = await client.post("/api/tokens", json={"name": "someone", "password": "whatever1"})
    assert r.status_code == 429 and "address 127.0.0.1" in r.json()["error"]


async def test_issued_token_works_and_only_its_hash_is_stored(night: Night, client: Any) -> None:
    UserStore(night.store.engine).add_user("psc2", "station", scope=night.station.station, password=PASSWORD)
    r = await client.post("/api/tokens", json={"name": "psc2", "password": PASSWORD, "label": "laptop"})
    assert r.status_code == 201
    token = r.json()["token"]
    me = await client.get("/api/me", headers={"authorization": f"Bearer {token}"})
    assert me.json()["user"] == {"name": "psc2", "role": "station", "election_id": None,
                                 "scope": night.station.station}
    with night.store.engine.connect() as conn:
        stored = [row for table in (api_tokens, users, sessions) for row in conn.execute(select(table)).all()]
        hashes = [row.password_hash for row in conn.execute(select(users)).all() if row.password_hash]
    assert all(token not in str(row) and PASSWORD not in str(row) for row in stored)
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)


async def test_central_manages_users_and_tokens(night: Night, client: Any) -> None:
    r = await client.post("/api/users", json={"name": "tec9", "role": "territorial", "scope": night.territory},
                          headers=night.auth("cec"))
    assert r.status_code == 201
    bad = await client.post("/api/users", json={"name": "tec10", "role": "territorial"}, headers=night.auth("cec"))
    assert bad.status_code == 422 and bad.json()["field"] == "scope"
    token = (await client.post("/api/users/tec9/tokens", headers=night.auth("cec"))).json()["token"]
    assert (await client.get("/api/me", headers={"authorization": f"Bearer {token}"})).json()["user"]["name"] == "tec9"
    listed = (await client.get("/api/users", headers=night.auth("cec"))).json()["users"]
    assert "tec9" in {u["name"] for u in listed}
    UserStore(night.store.engine).disable("tec9")
    assert (await client.get("/api/me", headers={"authorization": f"Bearer {token}"})).status_code == 401
