"""The live pages in Kazakh and Russian: no English interface word, numbers as each language writes them."""

from __future__ import annotations

from typing import Any

import pytest
from web_helpers import ELECTION, Night, unit_path

from language_check import leaks, visible_text
from saylau.i18n import NBSP

pytestmark = pytest.mark.anyio

@pytest.mark.parametrize("lang", ["kk", "ru"])
async def test_no_english_interface_word_on_a_kazakh_or_russian_page(night: Night, client: Any, lang: str) -> None:
    nation = (await client.get(f"/elections/{ELECTION}.json")).json()
    region = nation["children"][0]["unit_id"]
    region_twin = (await client.get(f"/elections/{ELECTION}/units/{unit_path(region)}.json")).json()
    territory = region_twin["children"][0]["unit_id"]
    station = night.protocols[0].station
    paths = ["/", f"/elections/{ELECTION}", f"/elections/{ELECTION}/units/{unit_path(region)}",
             f"/elections/{ELECTION}/units/{unit_path(territory)}", f"/elections/{ELECTION}/units/{unit_path(station)}",
             f"/elections/{ELECTION}/board", "/login"]
    for path in paths:
        page = await client.get(path, params={"lang": lang})
        assert page.status_code == 200, path
        assert f'<html lang="{lang}">' in page.text
        assert leaks(visible_text(page.text)) == set(), path


async def test_the_page_check_catches_an_untranslated_word(night: Night, client: Any) -> None:
    page = (await client.get(f"/elections/{ELECTION}", params={"lang": "ru"})).text
    assert leaks(visible_text(page.replace("Явка", "Turnout"))) == {"Turnout"}


async def test_numbers_on_a_russian_page_use_spaces_and_commas(night: Night, client: Any) -> None:
    twin = (await client.get(f"/elections/{ELECTION}.json")).json()
    page = (await client.get(f"/elections/{ELECTION}", params={"lang": "ru"})).text
    valid = twin["totals"]["valid"]
    assert f"{valid:,}".replace(",", NBSP) in page
    top = twin["parties"][0]["percent"]
    assert f"{top:.2f}".replace(".", ",") + f"{NBSP}%" in page
