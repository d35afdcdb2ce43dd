"""The report in Kazakh and Russian: no English interface word, numbers and dates as each language writes them."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from language_check import english_words, leaks, visible_text
from saylau.i18n import NBSP
from saylau.report import build_report, render
from saylau.report.charts import regions_scene, votes_seats_scene
from saylau.report.scene import to_svg
from saylau.tabulate.model import ElectionData


def test_the_english_word_list_is_the_catalogs_and_not_empty() -> None:
    words = english_words()
    assert {"votes", "seats", "turnout", "party"} <= words
    assert "saylau" not in words  # the program's name is the same in every language


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_no_english_interface_word_in_a_kazakh_or_russian_report(kz2021: ElectionData, kz2016: ElectionData,
                                                                 lang: str) -> None:
    report = build_report(kz2021, previous=kz2016)
    html = render(report, "html", lang=lang)
    assert f'<html lang="{lang}">' in html
    assert leaks(visible_text(html)) == set()
    assert leaks(render(report, "markdown", lang=lang)) == set()
    for scene in (votes_seats_scene(report, lang=lang), regions_scene(report, lang=lang)):
        assert scene is not None and leaks(visible_text(to_svg(scene))) == set()


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_vacancies_synthetic_units_and_no_seats_also_read_in_the_language(kz2021: ElectionData, lang: str) -> None:
    parties = tuple(replace(p, candidates=8) if p.code == "AJ" else p for p in kz2021.parties)
    units = tuple(replace(u, synthetic=True) if u.level == "region" else u for u in kz2021.units)
    vacant = build_report(replace(kz2021, parties=parties, units=units))
    nothing = build_report(replace(kz2021, info=replace(kz2021.info, ruleset=None)))
    for report in (vacant, nothing):
        assert leaks(visible_text(render(report, "html", lang=lang))) == set()
        assert leaks(render(report, "markdown", lang=lang)) == set()


def test_the_check_catches_an_untranslated_word(kz2021: ElectionData) -> None:
    html = render(build_report(kz2021), "html", lang="ru").replace("Явка", "Turnout")
    assert leaks(visible_text(html)) == {"Turnout"}


def test_numbers_dates_and_names_as_each_language_writes_them(kz2021: ElectionData, kz2016: ElectionData) -> None:
    when = dt.datetime(2021, 1, 11, 9, 30, tzinfo=dt.UTC)
    report = build_report(kz2021, previous=kz2016, exported_at=when)
    ru = render(report, "markdown", lang="ru")
    kk = render(report, "markdown", lang="kk")
    en = render(report, "markdown", lang="en")
    assert f"| Партия «Нур Отан» | 5{NBSP}148{NBSP}074 | 71,09{NBSP}% | 76 | −8 |" in ru
    assert f"| «Nur Otan» партиясы | 5{NBSP}148{NBSP}074 | 71,09{NBSP}% | 76 | −8 |" in kk
    assert "| Nur Otan | 5,148,074 | 71.09% | 76 | −8 |" in en
    assert "10 января 2021 г." in ru and "2021 жылғы 10 қаңтар" in kk
    assert "| Акмолинская область |" in ru and "| Ақмола облысы |" in kk
    # The engine's explanation through the catalog: the quota in the language's decimals, names not codes.
    assert f"Квота Hare (мандатов: 98): 6{NBSP}599{NBSP}921 → 67{NBSP}346,1327." in ru
    assert "QHP" not in ru and "QHP" not in en
    assert "Конституция, ст. 51 п. 1" in ru
