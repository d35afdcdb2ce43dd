"""The shapes every stage after ingest shares: an election, its parties, its units and their counts.

The store returns these; reports, the web app and analysis read them. They
hold integers only; percentages are computed where they are shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

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

    def columns(self) -> tuple[str, ...]:
        """The columns of :meth:`to_rows`: the unit, its totals, then one per party code in ballot order."""
        return (*_UNIT_COLUMNS, *(p.code for p in self.parties))

    def to_rows(self) -> list[dict[str, Any]]:
        """One record per unit (nation first): its place in the tree, its totals and each party's votes."""
        return [{"unit_id": u.unit_id, "name": u.name, "level": u.level, "parent": u.parent, "valid": u.valid,
                 "registered": u.registered, "ballots_cast": u.ballots_cast, "invalid": u.invalid,
                 "stations_reported": u.stations_reported, "stations_total": u.stations_total,
                 "synthetic": u.synthetic, **{p.code: u.votes.get(p.code, 0) for p in self.parties}}
                for u in self.units]

    def to_pandas(self) -> Any:
        """The units as a pandas DataFrame, one row each (needs pandas: ``pip install 'saylau[pandas]'``)."""
        from saylau.core.tables import to_frame

        return to_frame(self.to_rows(), self.columns())

    def _repr_html_(self) -> str:
        """The units and their votes as a table in Jupyter (the first 50 units)."""
        from saylau.core.tables import html_table

        shown = self.units[:50]
        header = ["unit", "level", "valid", *(p.name for p in self.parties)]
        rows = [[u.name, u.level, f"{u.valid:,}", *(f"{u.votes.get(p.code, 0):,}" for p in self.parties)]
                for u in shown]
        more = f" (first {len(shown)} of {len(self.units)} units)" if len(self.units) > len(shown) else ""
        return html_table(rows, header, caption=f"{self.info.title}{more}",
                          numeric=[False, False, *([True] * (1 + len(self.parties)))])


_UNIT_COLUMNS = ("unit_id", "name", "level", "parent", "valid", "registered", "ballots_cast", "invalid",
                 "stations_reported", "stations_total", "synthetic")
