"""Labels in English, Kazakh and Russian: message catalogs as data (``static/messages-*.json``).

The language is chosen by ``?lang=``, then the ``saylau_lang`` cookie (set
when ``?lang=`` is given), then the browser's Accept-Language, else English.
A label missing from a catalog falls back to English (a test keeps the
catalogs complete).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

__all__ = ["LANGUAGES", "LANG_COOKIE", "Catalog", "catalog", "choose_language"]

LANGUAGES = ("en", "kk", "ru")
LANG_COOKIE = "saylau_lang"
NAMES = {"en": "English", "kk": "Қазақша", "ru": "Русский"}


class Catalog:
    """The labels of one language; ``catalog("kk")["votes"]``."""

    def __init__(self, language: str, messages: dict[str, str], fallback: dict[str, str]) -> None:
        self.language = language
        self.messages = messages
        self.fallback = fallback

    def __getitem__(self, key: str) -> str:
        return self.messages.get(key) or self.fallback.get(key) or key

    def __call__(self, key: str) -> str:
        return self[key]


def _load(language: str) -> dict[str, str]:
    text = (resources.files("saylau.web") / "static" / f"messages-{language}.json").read_text(encoding="utf-8")
    return dict(json.loads(text))


@cache
def catalog(language: str) -> Catalog:
    """The catalog of ``language`` (one of :data:`LANGUAGES`)."""
    if language not in LANGUAGES:
        language = "en"
    return Catalog(language, _load(language), _load("en"))


def choose_language(query: str | None, cookie: str | None, accept: str | None) -> str:
    """The language to answer in, from the query parameter, the cookie and the Accept-Language header."""
    for candidate in (query, cookie):
        if candidate in LANGUAGES:
            return candidate  # type: ignore[return-value]
    for part in (accept or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return "en"
