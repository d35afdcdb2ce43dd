"""Allocations that explain themselves: frozen records of every number used."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from saylau.core.allocators import Apportionment
from saylau.core.system import System
from saylau.core.ties import TieBreak

__all__ = ["Allocation", "ListLine", "Round", "Totals"]


@dataclass(frozen=True, slots=True)
class Totals:
    """The totals an allocation used; ``given`` names those the caller supplied."""

    valid: int
    ballots_cast: int | None
    registered: int | None
    listed: int
    """What the input's lines add up to (lists and against-all)."""
    given: frozenset[str] = frozenset()

    def get(self, base: str) -> int | None:
        value: int | None = getattr(self, base)
        return value


@dataclass(frozen=True, slots=True)
class Round:
    """One division of seats; a second round follows when bounds fix some lists."""

    apportionment: Apportionment
    seats: int
    fixed: Mapping[str, tuple[int, str]]
    """Lists held at a bound before this round: name -> (seats, 'minimum' | 'maximum')."""


@dataclass(frozen=True, slots=True)
class ListLine:
    """One ballot line's part in the allocation."""

    party: str
    votes: int
    kind: str
    registration_order: int
    candidates: int | None
    passed: bool
    """Met the threshold (always False for against-all)."""
    admission: str
    """``threshold``, ``runner-up``, ``below threshold``, ``against all`` or ``sole list``."""
    seats_won: int
    seats: int
    """Seats filled: ``seats_won`` less any left vacant for lack of candidates."""
    bound: str = ""
    """``minimum`` or ``maximum`` when a bound fixed the seats, else empty."""
    apportionment: Apportionment | None = None
    slot: int = -1

    @property
    def admitted(self) -> bool:
        return self.admission in ("threshold", "runner-up", "sole list")

    @property
    def vacant(self) -> int:
        return self.seats_won - self.seats

    @property
    def quotient(self) -> Fraction | None:
        a = self.apportionment
        return a.quotient(self.slot) if a is not None and a.family == "quota" else None

    @property
    def integer_part(self) -> int | None:
        a = self.apportionment
        return a.integer_part(self.slot) if a is not None and a.family == "quota" else None

    @property
    def remainder(self) -> Fraction | None:
        a = self.apportionment
        return a.remainder(self.slot) if a is not None and a.family == "quota" else None

    @property
    def remainder_seats(self) -> int:
        a = self.apportionment
        return a.remainder_seats[self.slot] if a is not None and a.family == "quota" else 0

    @property
    def weight(self) -> Fraction:
        a = self.apportionment
        if a is not None and a.weights:
            return a.weights[self.slot]
        return Fraction(1)


@dataclass(frozen=True, slots=True)
class Allocation:
    """The seats of one election under one system, with everything needed to check them."""

    system: System
    lines: tuple[ListLine, ...]
    totals: Totals
    rounds: tuple[Round, ...]
    ties: tuple[TieBreak, ...]
    notes: tuple[str, ...]
    seed: int | str | None = None

    @property
    def seats(self) -> dict[str, int]:
        """Filled seats per ballot line, in ballot order (0 for lines not admitted)."""
        return {line.party: line.seats for line in self.lines}

    @property
    def admitted(self) -> tuple[str, ...]:
        return tuple(line.party for line in self.lines if line.admitted)

    @property
    def vacancies(self) -> dict[str, int]:
        return {line.party: line.vacant for line in self.lines if line.vacant}

    @property
    def house(self) -> int:
        """Seats of the list tier."""
        return self.system.lists.seats

    @property
    def total_seats(self) -> int:
        return self.system.total_seats

    @property
    def quota(self) -> Fraction | None:
        """The quota of the final round (largest-remainder methods only)."""
        return self.rounds[-1].apportionment.quota if self.rounds else None

    @property
    def runner_up(self) -> str | None:
        return next((line.party for line in self.lines if line.admission == "runner-up"), None)

    @property
    def threshold_base(self) -> int | None:
        threshold = self.system.lists.threshold
        return None if threshold is None else self.totals.get(threshold.base)

    def line(self, party: str) -> ListLine:
        for line in self.lines:
            if line.party == party:
                return line
        raise KeyError(party)

    @property
    def steps(self) -> tuple[Any, ...]:
        from saylau.core.explain import steps

        return steps(self)

    def explain(self) -> str:
        """The allocation as text a commission member can check by hand."""
        from saylau.core.explain import explain

        return explain(self)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record: exact numbers are fraction strings."""
        from saylau.core.explain import to_dict

        return to_dict(self)
