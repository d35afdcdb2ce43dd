"""A ruleset: a dated, cited electoral system, as the registry holds it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from saylau.core import CandidateRule, FixedTier, ListTier, QuestionRule, System
from saylau.errors import RulesetError
from saylau.rules.definitions import DEFAULT, Definitions
from saylau.rules.lists import build_list_tier
from saylau.rules.locate import failer

__all__ = ["Ruleset"]


@dataclass(frozen=True, slots=True)
class Ruleset:
    """A dated, cited electoral ruleset; :meth:`system` turns it into what the engine runs."""

    name: str
    lists: ListTier | None
    """The list tier, or None when its seats are left open (generic rulesets)."""
    list_spec: Mapping[str, Any] = field(default_factory=dict, repr=False)
    tiers: tuple[FixedTier, ...] = ()
    title: str = ""
    family: str = ""
    election_date: dt.date | None = None
    in_force_from: dt.date | None = None
    legal_basis: str = ""
    jurisdiction: str = ""
    notes: str = ""
    source: str = ""
    kind: str = "lists"
    """``lists`` (seats divided among party lists), ``candidate`` or ``question``."""
    candidate: CandidateRule | None = None
    question: QuestionRule | None = None
    definitions: Definitions = DEFAULT
    """How turnout and shares are computed and labelled under this ruleset."""

    @property
    def has_seats(self) -> bool:
        return self.kind == "lists"

    def system(self, **overrides: Any) -> System:
        """The engine's system, with list-tier fields overridden (``seats=``, ``method=``, ...)."""
        if not self.has_seats:
            raise RulesetError(f"ruleset {self.name!r} is a {self.kind} election: it has no seats to allocate",
                               source=self.source, field="kind", value=self.kind)
        spec = dict(self.list_spec)
        clean = {k: v for k, v in overrides.items() if v is not None}
        if self.lists is None and "seats" not in clean:
            raise RulesetError(f"ruleset {self.name!r} leaves the number of seats open: give the seats",
                               source=self.source, field="seats")
        tier = self.lists if self.lists is not None else None
        if tier is None:
            spec["seats"] = clean["seats"]
            tier = build_list_tier(spec, failer(self.source, ""))
        try:
            tier = replace(tier, **clean)
        except (TypeError, ValueError) as exc:
            raise RulesetError(str(exc), source=self.source) from None
        return System(self.name, tier, self.tiers, self.title)

    @property
    def total_seats(self) -> int | None:
        return None if self.lists is None else self.lists.seats + sum(t.seats for t in self.tiers)
