"""The protocol entry pages in real headless Chromium: a whole protocol typed by keyboard, a violation shown while
typing (and the same one by the server), double entry with a difference settled by a coordinator, a 375 px phone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from test_web_live import CHROMIUM_ARGS
from web_helpers import ELECTION, Night, make_night, running_server, territory_of

from saylau.protocols import StationProtocol

pytestmark = pytest.mark.browser
PASSWORD = "entry-password"
PHONE = {"width": 375, "height": 740}


@pytest.fixture
def site(tmp_path) -> Iterator[tuple[Night, str, str]]:  # type: ignore[no-untyped-def]
    """A served night with double entry required, two typists and a coordinator of one territory (passwords)."""
    from saylau.store.users import UserStore

    night = make_night(str(tmp_path / "entry.sqlite"), double_entry="required")
    territory = territory_of(night.unreported()[0])
    users = UserStore(night.store.engine)
    for name, role in (("typist1", "typist"), ("typist2", "typist"), ("coordinator", "territorial")):
        users.add_user(name, role, scope=territory, password=PASSWORD)
    try:
        with running_server(night.app) as url:
            yield night, url, territory
    finally:
        night.store.close()


@pytest.fixture
def chromium(chromium_path: str) -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def station_url(url: str, station: str) -> str:
    return f"{url}/elections/{ELECTION}/entry/{quote(station, safe='/')}"


def sign_in(browser: Any, url: str, name: str, viewport: dict[str, int] | None = None) -> Any:
    """A new browser context signed in as ``name`` through the sign-in form (keyboard only)."""
    page = browser.new_context(viewport=viewport or {"width": 1000, "height": 900}).new_page()
    page.goto(f"{url}/elections/{ELECTION}/entry")  # sent to sign in, then back
    page.locator("#name").focus()
    page.keyboard.type(name)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{url}/elections/{ELECTION}/entry")
    return page


def fields(p: StationProtocol, night: Night) -> list[tuple[str, int]]:
    """The protocol's fields in the order of the page: the form's lines, then the parties in ballot order."""
    from saylau.protocols import load_form

    form = load_form(night.store.election_form(ELECTION) or "")
    parties = sorted(night.store.parties(ELECTION), key=lambda party: party.registration_order)
    return [(f"lines.{k}", p.lines[k]) for k in form.line_keys] + [(f"votes.{x.code}", p.votes[x.code]) for x in parties]


def type_protocol(page: Any, values: list[tuple[str, int]]) -> None:
    """Type every count and press Enter after each, as a clerk does: no mouse, no Tab."""
    assert page.evaluate("document.activeElement.name") == values[0][0]  # the first line has the focus
    for name, value in values:
        assert page.evaluate("document.activeElement.name") == name
        page.keyboard.type(str(value))
        page.keyboard.press("Enter")


def fits(page: Any) -> None:
    """Nothing wider than a phone: no sideways scrolling, and every field, label, button and cell within the
    screen's width (a table scrolled inside its box would pass the first test and fail this one)."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    overflow = page.evaluate("""w => Array.from(document.querySelectorAll(
        'main input, main label, main button, main li, main th, main td, main legend, main strong')).filter(e => {
        const r = e.getBoundingClientRect(); return r.width > 0 && (r.left < 0 || r.right > w); })
        .map(e => e.outerHTML.slice(0, 80))""", PHONE["width"])
    assert overflow == []
    # No wording squeezed into a sliver (one letter a line).
    squeezed = page.evaluate("""() => Array.from(document.querySelectorAll('main label, main legend, main th'))
        .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.width < 60; })
        .map(e => e.outerHTML.slice(0, 80))""")
    assert squeezed == []


def test_a_whole_protocol_typed_by_keyboard_then_confirmed(site: tuple[Night, str, str], chromium: Any) -> None:
    night, url, territory = site
    p = next(x for x in night.unreported() if territory_of(x) == territory)
    page = sign_in(chromium, url, "typist1")
    assert page.locator(f"li[data-station='{p.station}']").get_attribute("data-state") == "empty"
    page.goto(station_url(url, p.station))
    values = fields(p, night)
    type_protocol(page, values)  # Enter on the last field asks for the confirmation page
    page.wait_for_selector("#confirm")
    for name, value in values:  # what will be stored, line by line
        cell = page.locator(f"#confirm tr[data-field='{name}'] td").inner_text()
        assert int(cell.replace(",", "")) == value
    assert night.store.entry_state(ELECTION, p.station).state == "empty"  # nothing stored before confirming
    assert page.evaluate("document.activeElement.id") == "confirm-button"
    confirmation = page.evaluate("Object.fromEntries(new FormData(document.querySelector('form.confirm')))")
    page.keyboard.press("Enter")
    page.wait_for_selector("#outcome")
    assert page.locator("#outcome").get_attribute("data-status") == "awaiting"
    stored = night.store.entry_state(ELECTION, p.station)
    assert stored.state == "awaiting" and stored.first is not None and stored.first.typist == "typist1"
    assert dict(stored.first.entry.lines) == dict(p.lines) and dict(stored.first.entry.votes) == dict(p.votes)
    # Safe to resubmit: the same confirmation posted again (a double click, a reload) stores nothing new.
    again = page.request.post(station_url(url, p.station), form={**confirmation, "confirm": "1"})
    assert again.status == 200 and 'data-status="awaiting"' in again.text()
    assert [e.action for e in night.store.audit_entries(election_id=ELECTION)].count("entry") == 1
    page.goto(f"{url}/elections/{ELECTION}/entry")
    assert page.locator(f"li[data-station='{p.station}']").get_attribute("data-state") == "awaiting"


def test_a_violation_is_shown_while_typing_and_the_server_shows_the_same(site: tuple[Night, str, str],
                                                                         chromium: Any) -> None:
    night, url, territory = site
    p = next(x for x in night.unreported() if territory_of(x) == territory)
    page = sign_in(chromium, url, "typist1")
    page.goto(station_url(url, p.station))
    values = fields(p, night)
    wrong = p.lines["ballots_cancelled"] + 1
    shown = page.locator("#violations li[data-relation='ballots_accounted']")
    for name, value in values[:5]:  # lines 1-5: ballots_accounted can be judged once line 5 is typed
        assert shown.count() == 0
        page.keyboard.type(str(wrong if name == "lines.ballots_cancelled" else value))
        if name != "lines.ballots_cancelled":
            page.keyboard.press("Enter")
    shown.wait_for(timeout=2000)  # before leaving the field, without any request
    assert shown.get_attribute("class") == "error"
    client_text = shown.inner_text()
    assert f"{p.lines['ballots_received']} ≠ {p.lines['ballots_received'] + 1}" in client_text
    # The server is the authority: sending it anyway shows the same violation, in the same words.
    page.keyboard.press("Enter")
    for _, value in values[5:]:
        page.keyboard.type(str(value))
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.locator("#confirm").count() == 0
    server = page.locator("#violations li[data-relation='ballots_accounted']")
    assert server.inner_text() == client_text
    assert night.store.entry_state(ELECTION, p.station).state == "empty"
    # Mending the line clears it while typing.
    field = page.locator("input[name='lines.ballots_cancelled']")
    field.fill("")
    field.type(str(p.lines["ballots_cancelled"]))
    assert page.locator("#violations li.error").count() == 0


def test_double_entry_with_a_difference_settled_by_a_coordinator(site: tuple[Night, str, str], chromium: Any) -> None:
    night, url, territory = site
    p = next(x for x in night.unreported() if territory_of(x) == territory)
    values = fields(p, night)
    for typist, typed in (("typist1", values),
                          ("typist2", [(n, v + 10 if n == "lines.voters_on_list" else v) for n, v in values])):
        page = sign_in(chromium, url, typist)
        page.goto(station_url(url, p.station))
        type_protocol(page, typed)
        page.wait_for_selector("#confirm-button")
        page.keyboard.press("Enter")
        page.wait_for_selector("#outcome")
    # The second typist is told the entries differ, the differing line side by side; nothing is counted.
    assert page.locator("#outcome").get_attribute("data-status") == "conflict"
    rows = page.locator("#differences [data-field]")
    assert rows.count() == 1 and rows.get_attribute("data-field") == "lines.voters_on_list"
    assert rows.locator("strong.first").inner_text() == str(p.lines["voters_on_list"])
    assert rows.locator("strong.second").inner_text() == str(p.lines["voters_on_list"] + 10)
    assert night.store.protocol_history(ELECTION, p.station) == []
    # The coordinator sees only that line, chooses the first typist's value by keyboard, and the protocol counts.
    coordinator = sign_in(chromium, url, "coordinator", viewport=PHONE)  # settled on a phone
    assert coordinator.locator(f"li[data-station='{p.station}']").get_attribute("data-state") == "conflict"
    coordinator.goto(station_url(url, p.station))
    assert coordinator.locator("#differences [data-field]").count() == 1
    fits(coordinator)
    assert coordinator.evaluate("document.activeElement.value") == "first"  # the first choice has the focus
    coordinator.keyboard.press("Space")  # choose it
    coordinator.locator("#keep-chosen").press("Enter")
    coordinator.wait_for_selector("#outcome")
    assert coordinator.locator("#outcome").get_attribute("data-status") == "accepted"
    (stored,) = night.store.protocol_history(ELECTION, p.station)
    assert dict(stored.protocol.lines) == dict(p.lines) and dict(stored.protocol.votes) == dict(p.votes)
    last = night.store.audit_entries(election_id=ELECTION)[-1]
    assert last.action == "entry-accept" and last.actor == "coordinator"
    assert "lines.voters_on_list=first" in (last.reason or "")


def test_phone_width_nothing_clipped(site: tuple[Night, str, str], chromium: Any) -> None:
    night, url, territory = site
    p = next(x for x in night.unreported() if territory_of(x) == territory)
    page = sign_in(chromium, url, "typist1", viewport=PHONE)

    fits(page)  # the station list
    page.goto(station_url(url, p.station))
    fits(page)
    box = page.locator("input[name='lines.voters_on_list']").bounding_box()
    assert box is not None and box["width"] >= 80 and box["height"] >= 30  # a field a thumb can hit
    type_protocol(page, fields(p, night))
    page.wait_for_selector("#confirm")
    fits(page)
    page.keyboard.press("Enter")
    page.wait_for_selector("#outcome")
    fits(page)
