"""Reader-facing text in Kazakh, Russian and English: one catalog, one set of number and date styles.

Every page, report and document takes its words from :func:`catalog` (message
catalogs as data, ``messages/{en,kk,ru}.json``), its place, party and election
names from :mod:`saylau.i18n.names`, and writes numbers, percentages and dates
through the helpers here, so a figure reads the same in every output::

    from saylau.i18n import catalog, number, percent, date_text
    t = catalog("ru")
    t("stations_of", reported=number(9_500, "ru"), total=number(10_060, "ru"))
    percent("71.09", "kk")      # '71,09 %'
    date_text(date(2021, 1, 10), "kk")   # '2021 жылғы 10 қаңтар'

A key missing from a catalog falls back to English (a test keeps the catalogs
complete). This package imports only the standard library, so the report, the
web app and the documents all use it without pulling each other in.
"""

from __future__ import annotations

import datetime as dt
import json
import string
from fractions import Fraction
from functools import cache
from importlib import resources
from typing import Any

__all__ = [
    "LANGUAGES",
    "LANG_COOKIE",
    "NAMES",
    "NBSP",
    "Catalog",
    "catalog",
    "choose_language",
    "date_text",
    "datetime_text",
    "decimal",
    "language",
    "number",
    "percent",
    "signed",
]

LANGUAGES = ("en", "kk", "ru")
LANG_COOKIE = "saylau_lang"
NAMES = {"en": "English", "kk": "Қазақша", "ru": "Русский"}
#: Thousands are grouped with a no-break space in Kazakh and Russian (the line never breaks inside a number).
NBSP = "\u00a0"
MINUS = "\u2212"


def language(lang: str | None) -> str:
    """``lang`` if it is one of :data:`LANGUAGES`, else English."""
    return lang if lang in LANGUAGES else "en"  # type: ignore[return-value]


class Catalog:
    """The messages of one language: ``catalog("kk")["votes"]`` or ``catalog("kk")("stations_of", reported=…)``."""

    def __init__(self, language: str, messages: dict[str, str], fallback: dict[str, str]) -> None:
        self.language = language
        self.messages = messages
        self.fallback = fallback

    def __getitem__(self, key: str) -> str:
        return self.messages.get(key) or self.fallback.get(key) or key

    def __getattr__(self, key: str) -> str:
        # Templates write ``t.votes``; a dunder is never a message.
        if key.startswith("__"):
            raise AttributeError(key)
        return self[key]

    def __contains__(self, key: str) -> bool:
        return key in self.messages or key in self.fallback

    def __call__(self, key: str, **params: Any) -> str:
        """The message ``key`` with ``{name}`` fields filled from ``params`` (a missing field stays visible)."""
        text = self[key]
        if not params:
            return text
        return string.Formatter().vformat(text, (), _Fields(params))

    def get(self, key: str, default: str | None = None) -> str | None:
        return self.messages.get(key) or self.fallback.get(key) or default


class _Fields(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _load(lang: str) -> dict[str, str]:
    text = (resources.files("saylau.i18n") / "messages" / f"{lang}.json").read_text(encoding="utf-8")
    return dict(json.loads(text))


@cache
def catalog(lang: str | None) -> Catalog:
    """The catalog of ``lang`` (English for an unknown language)."""
    lang = language(lang)
    return Catalog(lang, _load(lang), _load("en"))


def choose_language(query: str | None, cookie: str | None, accept: str | None) -> str:
    """The language to answer in, from a query parameter, a cookie and an Accept-Language header."""
    for candidate in (query, cookie):
        if candidate in LANGUAGES:
            return candidate  # type: ignore[return-value]
    for part in (accept or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return "en"


# -- numbers ----------------------------------------------------------------------------------------


def number(value: int | None, lang: str = "en", *, missing: str = "—") -> str:
    """``5148074`` → ``5,148,074`` (en), ``5 148 074`` with no-break spaces (kk, ru); ``None`` → ``missing``."""
    if value is None:
        return missing
    if isinstance(value, bool) or not isinstance(value, int):
        return str(value)
    sign = MINUS if value < 0 and lang != "en" else ("-" if value < 0 else "")
    text = f"{abs(value):,}"
    return sign + (text if language(lang) == "en" else text.replace(",", NBSP))


def decimal(value: str | Fraction | int | float | None, lang: str = "en", *, places: int = 2,
            missing: str = "—") -> str:
    """A decimal as the language writes it: ``71.09`` (en), ``71,09`` (kk, ru).

    ``value`` is either already exact text (``"71.09"``, as the report model
    keeps its shares), a Fraction rounded half up to ``places`` decimals, or a
    float that was already rounded so (a JSON twin's percentage), only laid out.
    """
    if value is None or value == "n/a":
        return missing
    if isinstance(value, float):
        value = f"{value:.{places}f}"
    elif isinstance(value, Fraction | int):
        value = _half_up(Fraction(value), places)
    whole, _, frac = value.partition(".")
    negative = whole.startswith("-")
    whole_text = number(int(whole.lstrip("-") or "0"), lang)
    text = whole_text + (("." if language(lang) == "en" else ",") + frac if frac else "")
    return ("-" if lang == "en" else MINUS) + text if negative else text


def _half_up(value: Fraction, places: int) -> str:
    scale = 10**places
    scaled = abs(value) * scale
    units = scaled.numerator // scaled.denominator
    if (scaled - units) * 2 >= 1:
        units += 1
    sign = "-" if value < 0 and units else ""
    text = str(units).rjust(places + 1, "0")
    return f"{sign}{text[:-places]}.{text[-places:]}" if places else f"{sign}{text}"


def percent(value: str | Fraction | int | float | None, lang: str = "en", *, places: int = 2, missing: str = "—") -> str:
    """A percentage: ``71.09%`` (en), ``71,09 %`` with a no-break space (kk, ru); ``value`` is in percent."""
    text = decimal(value, lang, places=places, missing=missing)
    if text == missing:
        return missing
    return text + ("%" if language(lang) == "en" else NBSP + "%")


def signed(value: int | None, lang: str = "en", *, missing: str = "—") -> str:
    """A change with its sign: ``+5``, ``−8`` (the typographic minus), ``0``."""
    if value is None:
        return missing
    if value > 0:
        return "+" + number(value, lang)
    if value < 0:
        return MINUS + number(-value, lang)
    return "0"


# -- dates --------------------------------------------------------------------------------------------

_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "ru": ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
           "ноября", "декабря"),
    "kk": ("қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "қазан",
           "қараша", "желтоқсан"),
}


def date_text(value: dt.date | str | None, lang: str = "en", *, missing: str = "—") -> str:
    """A date as people write it: ``10 January 2021``, ``10 января 2021 г.``, ``2021 жылғы 10 қаңтар``."""
    if value is None or value == "":
        return missing
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    lang = language(lang)
    month = _MONTHS[lang][value.month - 1]
    if lang == "kk":
        return f"{value.year} жылғы {value.day} {month}"
    if lang == "ru":
        return f"{value.day} {month} {value.year} г."
    return f"{value.day} {month} {value.year}"


def datetime_text(value: dt.datetime | str | None, lang: str = "en", *, seconds: bool = False,
                  missing: str = "—") -> str:
    """A moment in UTC as people write it: ``10 January 2021, 21:03 UTC`` (kk and ru in their own order)."""
    if value is None or value == "":
        return missing
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    when = value.astimezone(dt.UTC)
    clock = when.strftime("%H:%M:%S" if seconds else "%H:%M")
    return f"{date_text(when.date(), lang)}, {clock} UTC"
