"""The NIST SP 1500-100 v2 vocabulary saylau writes and reads: type names, enumerations, ids."""

from __future__ import annotations

import re
from collections.abc import Sequence

from saylau.tabulate.model import Level

__all__ = [
    "ISSUER",
    "LEVELS",
    "SEATS_OTHER_TYPE",
    "STATION_TYPES",
    "STATUS_IN",
    "STATUS_OUT",
    "UNIT_TYPES",
    "P",
    "slug",
    "unique_ids",
]

P = "ElectionResults."  # the prefix of every @type name
ISSUER = "saylau"
SEATS_OTHER_TYPE = "seats-won"
UNIT_TYPES = frozenset({
    "ballot-batch", "ballot-style-area", "borough", "city", "city-council", "combined-precinct",
    "congressional", "country", "county", "county-council", "drop-box", "judicial", "municipality",
    "polling-place", "precinct", "school", "special", "split-precinct", "state", "state-house",
    "state-senate", "town", "township", "utility", "village", "vote-center", "ward", "water",
})
STATUS_OUT = {"unofficial partial": "unofficial-partial", "unofficial complete": "unofficial-complete",
               "certified": "certified"}
STATUS_IN = {"unofficial-partial": "unofficial partial", "unofficial-complete": "unofficial complete",
              "certified": "certified", "correction": "certified", "recount": "unofficial complete",
              "pre-election": "unofficial partial"}
LEVELS: tuple[Level, ...] = ("nation", "region", "territory", "station")
STATION_TYPES = frozenset({"precinct", "polling-place", "split-precinct", "combined-precinct", "vote-center"})


def slug(text: str) -> str:
    """``text`` reduced to the characters an ``@id`` may hold."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "x"


def unique_ids(prefix: str, keys: Sequence[str]) -> dict[str, str]:
    """An ``@id`` per key, derived from the key (so exports are deterministic), made unique by a suffix."""
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for key in keys:
        base = f"{prefix}-{slug(key)}"
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
        taken.add(candidate)
        ids[key] = candidate
    return ids
