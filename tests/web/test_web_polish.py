"""What people read on the national page: the nation's name, Last updated in words, no false discrepancy."""

from __future__ import annotations

import re
from typing import Any

import pytest
from web_helpers import ELECTION, Night

from saylau.web.render import human_time

pytestmark = pytest.mark.anyio


def test_human_time_in_each_language() -> None:
    iso = "2021-01-10T21:03:05.123456+00:00"
    assert human_time(iso, "en") == "10 January 2021, 21:03 UTC"
    assert human_time(iso, "ru") == "10 января 2021 г., 21:03 UTC"
    assert human_time(iso, "kk") == "2021 жылғы 10 қаңтар, 21:03 UTC"
    assert human_time("2021-01-11T02:03:05+05:00", "en") == "10 January 2021, 21:03 UTC"  # shown in UTC
    assert human_time(None) == "—"


async def test_national_page_names_the_nation_and_says_when_in_words(night: Night, client: Any) -> None:
    twin = (await client.get(f"/elections/{ELECTION}.json")).json()
    assert twin["unit"]["unit_id"] == "KZ" and twin["unit"]["name"] == "Kazakhstan"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+00:00", twin["last_updated"])  # ISO kept
    assert twin["last_updated_text"]["ru"] == human_time(twin["last_updated"], "ru")
    page = (await client.get(f"/elections/{ELECTION}?lang=ru")).text
    assert f'datetime="{twin["last_updated"]}">{human_time(twin["last_updated"], "ru")}</time>' in page
    assert "Kazakhstan" in page


async def test_partial_counts_are_not_called_a_discrepancy(night: Night, client: Any) -> None:
    twin = (await client.get(f"/elections/{ELECTION}.json")).json()
    assert twin["status"] == "unofficial partial"
    assert twin["seats"]["official_check"] is None and twin["seats"]["official_check_pending"]
    page = (await client.get(f"/elections/{ELECTION}?lang=en")).text
    assert "differs from the officially declared" not in page and "compared with the officially declared" in page
    assert (await client.post(f"/api/elections/{ELECTION}/certify", headers=night.auth("cec"))).status_code == 200
    twin = (await client.get(f"/elections/{ELECTION}.json", params={"min_change": twin["change"] + 1})).json()
    assert twin["status"] == "certified" and twin["seats"]["official_check"]
    assert not twin["seats"]["official_check_pending"]
