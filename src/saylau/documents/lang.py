"""Numbers and dates in a document, through the formats every output shares (:mod:`saylau.i18n`).

Kazakh and Russian group thousands with a no-break space and write a decimal
comma (``5 148 074``, ``71,09 %``); English writes ``5,148,074`` and
``71.09%``. This module only adapts :mod:`saylau.i18n` to what documents
need: exact fractions at a chosen number of places, an exact quotient written
as the law computes it (``6 599 921 / 98``), and the date written out in full
as a legal act writes it (Russian: ``10 января 2021 года``, not ``г.``).
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from saylau import i18n

__all__ = ["LANGUAGES", "NBSP", "date_text", "decimal_text", "fraction_text", "integer_text", "percent_text"]

LANGUAGES = ("kk", "ru", "en")
NBSP = i18n.NBSP


def _check(language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; choose one of {', '.join(LANGUAGES)}")


def integer_text(value: int, language: str) -> str:
    """``5148074`` → ``5 148 074`` (kk, ru; no-break spaces) or ``5,148,074`` (en)."""
    _check(language)
    return i18n.number(value, language)


def decimal_text(value: Fraction | int, places: int, language: str) -> str:
    """An exact number rounded half up to ``places`` decimals: ``67 346,1327`` (kk, ru) or ``67,346.1327`` (en)."""
    _check(language)
    return i18n.decimal(Fraction(value), language, places=places)


def percent_text(share: Fraction, places: int, language: str) -> str:
    """A share (``Fraction(5148074, 7241562)``) as a percentage: ``71,09 %`` (kk, ru) or ``71.09%`` (en)."""
    _check(language)
    return i18n.percent(Fraction(share) * 100, language, places=places)


def fraction_text(numerator: int, denominator: int, language: str) -> str:
    """An exact quotient as written: ``6 599 921 / 98``."""
    return f"{integer_text(numerator, language)} / {integer_text(denominator, language)}"


def date_text(date: dt.date, language: str) -> str:
    """``10 January 2021``, ``10 января 2021 года``, ``2021 жылғы 10 қаңтар``."""
    _check(language)
    text = i18n.date_text(date, language)
    return text.removesuffix(" г.") + " года" if language == "ru" else text
