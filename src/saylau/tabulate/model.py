"""The shapes every stage after ingest shares: an election, its parties, its units and their counts.

The store returns these; reports, the web app and analysis read them. They
hold integers only; percentages are computed where they are shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from saylau.protocols.model import PartyInfo

__all__ = ["LEVELS", "ElectionData", "ElectionInfo", "Level", "PartyInfo", "UnitCounts"]

Level = Literal["nation", "region", "territory", "station"]
LEVELS: tuple[Level, ...] = ("nation", "region", "territory", "station")


@dataclass(frozen=True, slots=True)
class ElectionInfo:
    id: str
    title: str
    date: dt.date | None = None
    ruleset: str | None = None
    country: str = ""
    previous: str | None = None
    """Id of the previous election of the same body, for change columns."""
    status: Literal["unofficial partial", "unofficial complete", "certified"] = "unofficial partial"
    official_seats: Mapping[str, int] = field(default_factory=dict)
    """Seats as officially declared (party code -> seats), where known: golden data."""


@dataclass(frozen=True, slots=True)
class UnitCounts:
    """Counts of one unit (the nation, a region, a territorial commission or a station).

    Totals that a source does not give are None (the 2021 regional table gives
    party votes only). ``valid`` is the sum of ``votes`` unless a source says otherwise.
    """

    unit_id: str
    name: str
    level: Level
    parent: str | None
    votes: Mapping[str, int]
    valid: int
    registered: int | None = None
    ballots_cast: int | None = None
    invalid: int | None = None
    stations_reported: int | None = None
    stations_total: int | None = None
    synthetic: bool = False
    kind: str = ""
    """What a source calls the unit (``region``, ``city``, ...)."""
    issued: int | None = None
    """Ballots issued (early, in the premises and outside), where known: the Russian CEC's turnout count."""

    @property
    def turnout(self) -> tuple[int, int] | None:
        """Ballots cast over registered voters, as an exact pair, where both are known."""
        if self.ballots_cast is None or not self.registered:
            return None
        return (self.ballots_cast, self.registered)


@dataclass(frozen=True, slots=True)
class ElectionData:
    """An election with its parties and the counts of its units, nation first."""

    info: ElectionInfo
    parties: tuple[PartyInfo, ...]
    units: tuple[UnitCounts, ...]

    @property
    def nation(self) -> UnitCounts:
        return next(u for u in self.units if u.level == "nation")

    def unit(self, unit_id: str) -> UnitCounts:
        for u in self.units:
            if u.unit_id == unit_id or u.name == unit_id:
                return u
        raise KeyError(unit_id)

    def children(self, unit_id: str) -> tuple[UnitCounts, ...]:
        return tuple(u for u in self.units if u.parent == unit_id)

    def party(self, code: str) -> PartyInfo:
        for p in self.parties:
            if p.code == code:
                return p
        raise KeyError(code)
