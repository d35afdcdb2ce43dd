"""Official names in Kazakh and Russian of places, parties, elections and appointing bodies (``names.toml``).

The data carries English names (the official tables are published in English
too); a reader in Kazakh or Russian sees the official name in their language.
A name the catalog lacks is shown as stored, never half-translated.
Synthetic territorial commissions (``Akmola Region territorial commission 03``)
are named in each language from their region's name.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources

__all__ = ["KINDS", "body_name", "clause_text", "election_title", "party_name", "place_name", "ruleset_title"]

KINDS = ("places", "parties", "elections", "bodies", "rulesets", "clauses")
_COMMISSION = re.compile(r"^(?P<region>.+) territorial commission (?P<number>\d+)$")
_COMMISSION_TEXT = {"kk": "{region}, №{number} аумақтық комиссия", "ru": "{region}, территориальная комиссия № {number}",
                    "en": "{region} territorial commission {number}"}


@cache
def _names() -> dict[str, dict[str, dict[str, str]]]:
    text = (resources.files("saylau.i18n") / "names.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    return {kind: {key: dict(value) for key, value in data.get(kind, {}).items()} for kind in KINDS}


def _lookup(kind: str, name: str, lang: str) -> str:
    if lang == "en" or not name:
        return name
    return _names()[kind].get(name, {}).get(lang) or name


def place_name(name: str, lang: str) -> str:
    """A region, city, country or synthetic commission in ``lang``; a station's path part by part."""
    if lang != "en" and "/" in name:
        return " / ".join(place_name(part, lang) for part in name.split("/"))
    if lang != "en" and (match := _COMMISSION.match(name)) is not None:
        region = _lookup("places", match["region"], lang)
        return _COMMISSION_TEXT.get(lang, _COMMISSION_TEXT["en"]).format(region=region, number=match["number"])
    return _lookup("places", name, lang)


def party_name(name: str, lang: str, names: dict[str, str] | None = None) -> str:
    """A party in ``lang``: the election's own names first (``names``), then the catalog, then as stored."""
    if names and names.get(lang):
        return names[lang]
    return _lookup("parties", name, lang)


def election_title(title: str, lang: str) -> str:
    """An election's title in ``lang``."""
    return _lookup("elections", title, lang)


def body_name(name: str, lang: str) -> str:
    """An appointing body or a tier of seats (``Assembly of People of Kazakhstan``) in ``lang``."""
    return _lookup("bodies", name, lang)


def ruleset_title(name: str, lang: str) -> str:
    """The law or method a ruleset applies, in words (``kz-mazhilis-2021`` → the election law as amended 2009)."""
    return _names()["rulesets"].get(name, {}).get(lang) or name


def clause_text(clause: str, lang: str) -> str | None:
    """A clause of the law in ``lang``; None where the catalog has no translation (the clause is then left out)."""
    if lang == "en" or not clause:
        return clause
    return _names()["clauses"].get(clause, {}).get(lang)
