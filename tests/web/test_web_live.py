"""Live updates through a real uvicorn server: server-sent events, and headless Chromium watching the national page."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import httpx
import pytest
from web_helpers import ELECTION, REPORTED, Night, body, make_night, running_server

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


@pytest.fixture
def live(tmp_path) -> Iterator[tuple[Night, str]]:  # type: ignore[no-untyped-def]
    night = make_night(str(tmp_path / "live.sqlite"))
    try:
        with running_server(night.app) as url:
            yield night, url
    finally:
        night.store.close()


def next_change(lines: Iterator[str]) -> int:
    event = None
    for line in lines:
        if line.startswith("event:"):
            event = line.split(":", 1)[1].strip()
        elif line.startswith("data:") and event == "change":
            return int(json.loads(line.split(":", 1)[1])["change"])
    raise AssertionError("the stream ended")


def test_event_stream_announces_a_submission(live: tuple[Night, str]) -> None:
    night, url = live
    with httpx.Client(base_url=url, timeout=10) as client, \
            client.stream("GET", f"/elections/{ELECTION}/events") as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        lines = stream.iter_lines()
        first = next_change(lines)
        start = time.monotonic()
        r = httpx.post(f"{url}/api/elections/{ELECTION}/protocols", json=body(night.unreported()[0]),
                       headers=night.auth("cec"), timeout=10)
        assert r.status_code == 201
        changed = next_change(lines)
        assert changed > first and time.monotonic() - start < 2.0
        assert changed >= r.json()["audit_seq"]


@pytest.mark.browser
def test_national_page_shows_a_new_protocol_within_two_seconds_without_reload(
        live: tuple[Night, str], chromium_path: str) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    night, url = live
    p = night.unreported()[0]
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
            loads: list[str] = []
            page.on("load", lambda _: loads.append("load"))
            page.goto(f"{url}/elections/{ELECTION}")
            page.wait_for_selector("#live:not([hidden])", timeout=5000)  # the event stream is open
            assert page.locator("#reported").get_attribute("data-value") == str(REPORTED)
            before = {code: int(page.locator(f"tr[data-party='{code}'] td.votes").get_attribute("data-value") or 0)
                      for code in p.votes}
            submitted = time.monotonic()
            r = httpx.post(f"{url}/api/elections/{ELECTION}/protocols", json=body(p), headers=night.auth("cec"),
                           timeout=10)
            assert r.status_code == 201
            page.wait_for_function(
                "n => document.querySelector('#reported').dataset.value === String(n)", arg=REPORTED + 1,
                timeout=2000)
            assert time.monotonic() - submitted < 2.0
            for code, votes in p.votes.items():
                cell = page.locator(f"tr[data-party='{code}'] td.votes")
                assert int(cell.get_attribute("data-value") or 0) == before[code] + votes
            assert loads == ["load"]  # updated in place, never reloaded
            # Usable on a phone: the page itself does not scroll sideways.
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            assert page.locator("svg circle.seat").count() == 107
            # The language switch: Kazakh labels, remembered for the next page.
            page.click("a[hreflang='kk']")
            assert page.locator("html").get_attribute("lang") == "kk"
            assert page.locator("#results thead").inner_text().count("Дауыстар") == 1
            page.goto(f"{url}/elections/{ELECTION}/board")
            assert page.locator("html").get_attribute("lang") == "kk"
            # Keyboard users reach the results first.
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.className") == "skip"
        finally:
            browser.close()


