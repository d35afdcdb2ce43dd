"""The pages in real headless Chromium: /docs renders from this host alone; results and board fit a phone and a desk.

Layout rule checked at 375 px and 1280 px, in every language: the page itself never scrolls sideways; a table
wider than its container sits in a deliberate scroll container (``.scroll``, overflow-x auto, focusable);
no chart is wider than its container.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from web_helpers import ELECTION, Night, make_night, running_server

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Night, str]]:
    night = make_night(str(tmp_path_factory.mktemp("browser") / "pages.sqlite"))
    try:
        with running_server(night.app) as url:
            yield night, url
    finally:
        night.store.close()


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


def test_docs_render_the_operations_with_nothing_from_another_host(served: tuple[Night, str], browser: Any) -> None:
    _, url = served
    page = browser.new_page()
    requests: list[str] = []
    violations: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    response = page.goto(f"{url}/docs")
    assert response is not None and "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(".opblock", timeout=20000)
    operations = page.locator(".opblock").count()
    assert operations >= 10
    assert page.locator(".opblock-summary-path[data-path='/elections/{election_id}.json']").count() >= 1
    outside = [u for u in requests if not u.startswith(url) and not u.startswith("data:")]
    assert outside == [] and violations == []
    page.close()


def _layout(page: Any) -> dict[str, Any]:
    return page.evaluate("""() => {
      const doc = document.documentElement;
      const clipped = [];
      for (const table of document.querySelectorAll('main table')) {
        const box = table.parentElement;
        const scrolls = box.classList.contains('scroll') && getComputedStyle(box).overflowX === 'auto'
                        && box.hasAttribute('tabindex');
        if (table.scrollWidth > box.clientWidth + 1 && !scrolls) clipped.push(table.id || 'table');
      }
      const charts = [];
      for (const svg of document.querySelectorAll('main svg')) {
        const box = svg.parentElement;
        if (svg.getBoundingClientRect().width > box.clientWidth + 1) charts.push(svg.id || 'svg');
      }
      return {page: doc.scrollWidth - doc.clientWidth, clipped, charts};
    }""")


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("lang", ["en", "kk", "ru"])
def test_results_and_board_fit_a_phone_and_a_desk(served: tuple[Night, str], browser: Any, width: int,
                                                  lang: str) -> None:
    night, url = served
    page = browser.new_page(viewport={"width": width, "height": 900})
    region = night.territory.rsplit("/", 1)[0]
    for path in (f"/elections/{ELECTION}", f"/elections/{ELECTION}/units/{region}", f"/elections/{ELECTION}/board"):
        page.goto(f"{url}{path}?lang={lang}")
        layout = _layout(page)
        assert layout == {"page": 0, "clipped": [], "charts": []}, (path, layout)
    page.goto(f"{url}/elections/{ELECTION}?lang={lang}")
    assert page.locator("#arch-box svg").count() == 1
    box = page.locator("#arch-box").bounding_box()
    main = page.locator("main").bounding_box()
    assert box is not None and main is not None
    # The arch is centred in the page's column (within a pixel either side).
    assert abs((box["x"] - main["x"]) - (main["x"] + main["width"] - box["x"] - box["width"])) <= 2 or width < 500
    page.close()


def test_results_table_has_bars_a_threshold_marker_and_a_total_row(served: tuple[Night, str], browser: Any) -> None:
    _, url = served
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{url}/elections/{ELECTION}?lang=ru")
    rows = page.locator("#results tbody tr[data-party]")
    assert rows.count() == 5 and page.locator("#results .bar .fill").count() == 5
    assert page.locator("#results .bar .marker").count() == 5 and page.locator("#threshold-key").count() == 1
    total = page.locator("#results tfoot tr")
    assert total.locator("th").inner_text() == "Всего"
    assert "100,00" in total.inner_text()
    votes = [int(v) for v in page.eval_on_selector_all("#results tbody td.votes", "els => els.map(e => e.dataset.value)")]
    assert votes == sorted(votes, reverse=True)
    page.close()
