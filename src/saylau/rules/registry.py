"""The registry of rulesets saylau ships, resolved by name or by date; never by importing strings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from saylau.datafiles import DataRegistry
from saylau.errors import RulesetError
from saylau.rules.parse import load_ruleset, parse_ruleset
from saylau.rules.ruleset import Ruleset

__all__ = ["RULESETS", "Registry", "get_ruleset", "resolve_ruleset", "ruleset_for_date"]


class Registry(DataRegistry[Ruleset]):
    """Rulesets by name: the built-in ones (``rules/data/*.toml``), plus any registered at run time."""

    def __init__(self) -> None:
        super().__init__("saylau.rules", "data", kind="ruleset",
                         parse=lambda text, source: parse_ruleset(text, source=source),
                         load_file=load_ruleset, error=RulesetError)

    def resolve(self, name_or_path: str | Path | Ruleset) -> Ruleset:
        """A ruleset object, a registered name, or the path of a ruleset file."""
        if isinstance(name_or_path, Ruleset):
            return name_or_path
        return self.resolve_name_or_path(name_or_path)

    def for_date(self, family: str, date: dt.date) -> Ruleset:
        """The ruleset of ``family`` in force on ``date``: the latest that began on or before it."""
        def start(r: Ruleset) -> dt.date:
            return r.in_force_from or r.election_date or dt.date.min

        candidates = [r for r in self if r.family == family and start(r) <= date]
        if not candidates:
            raise RulesetError(f"no {family} ruleset in force on {date.isoformat()}", field="date", value=str(date))
        return max(candidates, key=start)


RULESETS = Registry()
get_ruleset = RULESETS.get
resolve_ruleset = RULESETS.resolve
ruleset_for_date = RULESETS.for_date
