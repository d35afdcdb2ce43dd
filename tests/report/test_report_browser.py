"""The HTML report in real headless Chromium (Debian's, driven by Playwright): what a reader sees."""

from __future__ import annotations

from pathlib import Path

import pytest

from saylau.report import build_report, render
from saylau.tabulate.model import ElectionData

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


def test_report_page_shows_107_seats_and_a_table_summing_to_98_plus_9(
        kz2021: ElectionData, kz2016: ElectionData, chromium_path: str, tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    page_file = tmp_path / "kz-2021.html"
    page_file.write_text(render(build_report(kz2021, previous=kz2016), "html"), encoding="utf-8")
    requests: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_file.as_uri())
            seats = page.locator("svg#arch circle.seat")
            assert seats.count() == 107
            assert page.locator("svg#arch g[data-party='NO'] circle.seat").count() == 76
            assert page.locator("svg#arch circle.seat").first.is_visible()
            list_seats = [int(v) for v in page.locator("#national tbody tr[data-party] td.seats")
                          .evaluate_all("cells => cells.map(c => c.dataset.seats)")]
            appointed = [int(v) for v in page.locator("#national tbody tr.appointed td.seats")
                         .evaluate_all("cells => cells.map(c => c.dataset.seats)")]
            assert (sum(list_seats), sum(appointed)) == (98, 9)
            assert page.locator("#total-seats").inner_text() == "107"
            assert page.locator("#totals").inner_text().count("63.25%") == 1
            assert page.locator("#regional tbody tr").count() == 17
            assert page.locator("html").get_attribute("lang") == "en"
            # Readable on a phone: the page itself does not scroll sideways; wide tables scroll in their box.
            page_width = page.evaluate("document.documentElement.scrollWidth")
            assert page_width <= 390
            # Printable: print media keeps every table and the arch.
            page.emulate_media(media="print")
            assert page.locator("svg#arch").is_visible()
            assert page.locator("#regional").is_visible()
        finally:
            browser.close()
    # Self-contained: nothing but the file itself was requested.
    assert requests == [page_file.as_uri()]


def test_synthetic_mark_is_visible_on_screen_and_in_print(kz2021: ElectionData, chromium_path: str,
                                                          tmp_path: Path) -> None:
    from dataclasses import replace

    sync_api = pytest.importorskip("playwright.sync_api")
    units = tuple(replace(u, synthetic=True) if u.name == "Shymkent" else u for u in kz2021.units)
    page_file = tmp_path / "synthetic.html"
    page_file.write_text(render(build_report(replace(kz2021, units=units)), "html"), encoding="utf-8")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(page_file.as_uri())
            for media in ("screen", "print"):
                page.emulate_media(media=media)
                assert page.locator("#synthetic-mark").is_visible()
                assert "Synthetic data." in page.locator("#synthetic-mark").inner_text()
                tagged = page.locator("#regional tr:has(.synthetic-tag) th").inner_text()
                assert tagged.startswith("Shymkent")
        finally:
            browser.close()
