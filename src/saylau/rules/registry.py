"""The registry of rulesets saylau ships, resolved by name or by date; never by importing strings."""

from __future__ import annotations

import datetime as dt
import difflib
from importlib import resources
from pathlib import Path

from saylau.errors import RulesetError
from saylau.rules.schema import Ruleset, load_ruleset, parse_ruleset

__all__ = ["RULESETS", "Registry", "get_ruleset", "resolve_ruleset", "ruleset_for_date"]


class Registry:
    """Rulesets by name: the built-in ones from package data, plus any registered at run time."""

    def __init__(self) -> None:
        self._rulesets: dict[str, Ruleset] | None = None

    def _load(self) -> dict[str, Ruleset]:
        if self._rulesets is None:
            found: dict[str, Ruleset] = {}
            folder = resources.files("saylau.rules") / "data"
            for entry in sorted(folder.iterdir(), key=lambda e: e.name):
                if entry.name.endswith(".toml"):
                    ruleset = parse_ruleset(entry.read_text(encoding="utf-8"), source=f"saylau:rules/{entry.name}")
                    if ruleset.name != entry.name.removesuffix(".toml"):
                        raise RulesetError("a built-in ruleset's name must match its file name",
                                           source=entry.name, field="name", value=ruleset.name)
                    found[ruleset.name] = ruleset
            self._rulesets = found
        return self._rulesets

    def names(self) -> list[str]:
        return list(self._load())

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._load().values())

    def __contains__(self, name: object) -> bool:
        return name in self._load()

    def get(self, name: str) -> Ruleset:
        rulesets = self._load()
        if name in rulesets:
            return rulesets[name]
        close = difflib.get_close_matches(name, rulesets, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else f"; known: {', '.join(rulesets)}"
        raise RulesetError(f"unknown ruleset{hint}", field="rules", value=name)

    def register(self, ruleset: Ruleset) -> None:
        self._load()[ruleset.name] = ruleset

    def resolve(self, name_or_path: str | Path) -> Ruleset:
        """A registered name, or the path of a ruleset file (anything ending in .toml or that exists)."""
        text = str(name_or_path)
        if text.endswith(".toml") or "/" in text or Path(text).is_file():
            return load_ruleset(text)
        return self.get(text)

    def for_date(self, family: str, date: dt.date) -> Ruleset:
        """The ruleset of ``family`` in force on ``date``: the latest that began on or before it."""
        candidates = [
            r for r in self._load().values()
            if r.family == family and (r.in_force_from or r.election_date or dt.date.min) <= date
        ]
        if not candidates:
            raise RulesetError(f"no {family} ruleset in force on {date.isoformat()}", field="date", value=str(date))
        return max(candidates, key=lambda r: r.in_force_from or r.election_date or dt.date.min)


RULESETS = Registry()
get_ruleset = RULESETS.get
resolve_ruleset = RULESETS.resolve
ruleset_for_date = RULESETS.for_date
