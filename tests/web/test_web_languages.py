"""The live pages in Kazakh and Russian: no English interface word, numbers as each language writes them."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from web_helpers import ELECTION, Night, unit_path

from saylau.i18n import NBSP, catalog

pytestmark = pytest.mark.anyio

WORD = re.compile(r"[A-Za-z][A-Za-z'’]{2,}")
FIELD = re.compile(r"\{[a-z_]+\}")


def english_words() -> set[str]:
    """Words of the English catalog that neither the Kazakh nor the Russian catalog uses (built from the catalog)."""
    def words(lang: str) -> set[str]:
        return {w.lower() for text in catalog(lang).messages.values() for w in WORD.findall(FIELD.sub(" ", text))}

    return words("en") - words("kk") - words("ru")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1
        self.parts.extend(v or "" for k, v in attrs if k in ("title", "aria-label", "alt", "placeholder"))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def leaks(html: str) -> set[str]:
    parser = _Text()
    parser.feed(html)
    english = english_words()
    return {w for w in WORD.findall(" ".join(parser.parts)) if w.lower() in english}


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
        assert leaks(page.text) == set(), path


async def test_the_page_check_catches_an_untranslated_word(night: Night, client: Any) -> None:
    page = (await client.get(f"/elections/{ELECTION}", params={"lang": "ru"})).text
    assert leaks(page.replace("Явка", "Turnout")) == {"Turnout"}


async def test_numbers_on_a_russian_page_use_spaces_and_commas(night: Night, client: Any) -> None:
    twin = (await client.get(f"/elections/{ELECTION}.json")).json()
    page = (await client.get(f"/elections/{ELECTION}", params={"lang": "ru"})).text
    valid = twin["totals"]["valid"]
    assert f"{valid:,}".replace(",", NBSP) in page
    top = twin["parties"][0]["percent"]
    assert f"{top:.2f}".replace(".", ",") + f"{NBSP}%" in page
