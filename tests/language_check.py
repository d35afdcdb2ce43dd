"""The check that a kk or ru output holds no English interface word, shared by the report and web tests.

The English words are those of the English catalog that neither the Kazakh nor the Russian catalog uses
itself, so a new English message widens the check by itself.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from saylau.i18n import catalog

__all__ = ["english_words", "leaks", "visible_text"]

WORD = re.compile(r"[A-Za-z][A-Za-z'’]{2,}")
FIELD = re.compile(r"\{[a-z_]+\}")


def english_words() -> set[str]:
    """Every word of the English catalog that neither the Kazakh nor the Russian catalog uses itself."""
    def words(lang: str) -> set[str]:
        return {w.lower() for text in catalog(lang).messages.values() for w in WORD.findall(FIELD.sub(" ", text))}

    return words("en") - words("kk") - words("ru")


class _Text(HTMLParser):
    """The text a reader sees (and hears: title, aria and placeholder attributes), without tags, styles, scripts."""

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


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def leaks(text: str) -> set[str]:
    """The English interface words in ``text`` (plain text; pass HTML through :func:`visible_text` first)."""
    english = english_words()
    return {w for w in WORD.findall(text) if w.lower() in english}
