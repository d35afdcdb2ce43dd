"""The catalog and the locale formats every page, report and document writes with."""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction
from importlib import resources

import pytest

from saylau.i18n import (
    LANGUAGES,
    NBSP,
    catalog,
    date_text,
    datetime_text,
    decimal,
    number,
    percent,
    signed,
)
from saylau.i18n.names import body_name, election_title, party_name, place_name


def test_every_catalog_has_every_key_and_no_empty_message() -> None:
    folder = resources.files("saylau.i18n") / "messages"
    messages = {lang: json.loads((folder / f"{lang}.json").read_text(encoding="utf-8")) for lang in LANGUAGES}
    assert set(messages["kk"]) == set(messages["en"]) == set(messages["ru"])
    for lang, table in messages.items():
        assert all(isinstance(v, str) and v.strip() for v in table.values()), lang


def test_every_placeholder_of_a_message_exists_in_each_language() -> None:
    import string

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    en = catalog("en").messages
    for lang in ("kk", "ru"):
        for key, text in catalog(lang).messages.items():
            assert fields(text) == fields(en[key]), (lang, key)


def test_messages_fill_their_fields_and_unknown_languages_read_english() -> None:
    assert catalog("ru")["votes"] == "Голоса" and catalog("kk").votes == "Дауыстар"
    assert catalog("xx").language == "en"
    assert catalog("en")("nope-such-key") == "nope-such-key"


@pytest.mark.parametrize(("value", "lang", "text"), [
    (5148074, "en", "5,148,074"), (5148074, "ru", f"5{NBSP}148{NBSP}074"), (5148074, "kk", f"5{NBSP}148{NBSP}074"),
    (999, "ru", "999"), (1000, "ru", f"1{NBSP}000"), (0, "kk", "0"), (None, "en", "—"),
])
def test_numbers_group_thousands_as_each_language_writes_them(value: int | None, lang: str, text: str) -> None:
    assert number(value, lang) == text


def test_decimals_and_percentages_take_a_comma_in_kazakh_and_russian() -> None:
    assert decimal("71.09", "en") == "71.09" and decimal("71.09", "ru") == "71,09" and decimal("71.09", "kk") == "71,09"
    assert percent("71.09", "en") == "71.09%" and percent("71.09", "ru") == f"71,09{NBSP}%"
    assert percent("1234.50", "kk") == f"1{NBSP}234,50{NBSP}%"
    assert percent(None, "ru") == "—" and percent("n/a", "en") == "—"


def test_fractions_round_half_up_at_the_last_place() -> None:
    assert decimal(Fraction(1, 8), "en", places=2) == "0.13"   # 0.125 → up
    assert decimal(Fraction(1249, 10000), "en") == "0.12"      # one below the half
    assert decimal(Fraction(1251, 10000), "en") == "0.13"      # one above
    assert decimal(Fraction(-1, 8), "ru") == "−0,13"
    assert percent(Fraction(200, 3), "ru", places=1) == f"66,7{NBSP}%"


def test_changes_carry_a_typographic_minus() -> None:
    assert signed(5, "en") == "+5" and signed(-8, "ru") == "−8" and signed(0, "kk") == "0" and signed(None) == "—"
    assert signed(-1200, "ru") == f"−1{NBSP}200"


def test_dates_and_times_as_people_write_them() -> None:
    day = dt.date(2021, 1, 10)
    assert date_text(day, "en") == "10 January 2021"
    assert date_text(day, "ru") == "10 января 2021 г."
    assert date_text("2021-01-10", "kk") == "2021 жылғы 10 қаңтар"
    moment = "2021-01-11T02:03:05+05:00"
    assert datetime_text(moment, "en") == "10 January 2021, 21:03 UTC"
    assert datetime_text(moment, "ru", seconds=True) == "10 января 2021 г., 21:03:05 UTC"
    assert datetime_text(None, "kk") == "—"


def test_official_names_of_regions_parties_and_elections() -> None:
    assert place_name("Akmola Region", "kk") == "Ақмола облысы"
    assert place_name("Akmola Region", "ru") == "Акмолинская область"
    assert place_name("Akmola Region", "en") == "Akmola Region"
    assert place_name("Atlantis", "ru") == "Atlantis"   # unknown names shown as stored
    assert place_name("Shymkent territorial commission 03", "ru") == "город Шымкент, территориальная комиссия № 03"
    assert party_name("Adal", "ru") == "Партия «Адал»"
    assert party_name("Adal", "kk", {"kk": "Own"}) == "Own"
    assert election_title("Election to the Mazhilis of Kazakhstan, 10 January 2021", "ru").startswith("Выборы")
    assert body_name("Assembly of People of Kazakhstan", "kk") == "Қазақстан халқы Ассамблеясы"


def test_every_region_of_the_2021_table_has_official_names(spec_data: object) -> None:
    import csv
    from pathlib import Path

    with (Path(str(spec_data)) / "kz-2021-mazhilis-regions.csv").open(encoding="utf-8") as handle:
        regions = [row["region"] for row in csv.DictReader(handle)]
    for lang in ("kk", "ru"):
        missing = [r for r in regions if place_name(r, lang) == r]
        assert not missing, (lang, missing)
