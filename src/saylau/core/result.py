"""Allocations that explain themselves: frozen records of every number used."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any, NamedTuple

from saylau.core.allocators import Apportionment
from saylau.core.system import Party, System
from saylau.core.ties import TieBreak

__all__ = ["ALLOCATION_COLUMNS", "Allocation", "ListLine", "Round", "Totals"]


class Totals(NamedTuple):
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


class Round(NamedTuple):
    """One division of seats; a second round follows when bounds fix some lists."""

    apportionment: Apportionment
    seats: int
    fixed: Mapping[str, tuple[int, str]]
    """Lists held at a bound before this round: name -> (seats, 'minimum' | 'maximum')."""


class ListLine(NamedTuple):
    """One ballot line's part in the allocation (a named tuple: immutable and cheap to build)."""

    party: str
    votes: int
    kind: str
    registration_order: int
    candidates: int | None
    passed: bool
    """Met the threshold (always False for against-all)."""
    admission: str
    """``threshold``, ``runner-up``, ``sole list``, ``coverage`` (admitted so that the admitted lists hold
    enough of the vote), ``share band`` (fixed seats for a share just below the threshold),
    ``below threshold`` or ``against all``."""
    seats_won: int
    seats: int
    """Seats filled: ``seats_won`` less any left vacant for lack of candidates."""
    bound: str = ""
    """``minimum`` or ``maximum`` when a bound fixed the seats, else empty."""
    apportionment: Apportionment | None = None
    slot: int = -1

    @property
    def admitted(self) -> bool:
        return self.admission in ("threshold", "runner-up", "sole list", "coverage", "share band")

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


#: The columns of :meth:`Allocation.to_rows` and :meth:`Allocation.to_pandas`, in order.
ALLOCATION_COLUMNS = ("party", "kind", "registration_order", "votes", "share_of_valid", "admitted", "admission",
                      "seats_won", "seats", "vacant")


class Allocation(NamedTuple):
    """The seats of one election under one system, with everything needed to check them.

    The allocation keeps the facts (ballot lines, admissions, seats won, the
    rounds of division, ties); per-line views, steps and the explanation are
    derived from them on demand, so that allocating stays cheap. It is an
    immutable named tuple for the same reason: simulations build millions.
    """

    system: System
    parties: tuple[Party, ...]
    """The ballot lines, registration order filled in."""
    totals: Totals
    rounds: tuple[Round, ...]
    ties: tuple[TieBreak, ...]
    notes: tuple[str, ...]
    admission: tuple[str, ...]
    """Per ballot line: ``threshold``, ``runner-up``, ``sole list``, ``below threshold`` or ``against all``."""
    won: tuple[int, ...]
    """Seats won per ballot line, before any are left vacant."""
    bounds: tuple[str, ...] = ()
    """Per ballot line: ``minimum``/``maximum`` where a bound fixed its seats (empty when none did)."""
    seed: int | str | None = None

    @property
    def lines(self) -> tuple[ListLine, ...]:
        """One :class:`ListLine` per ballot line, in ballot order."""
        where: dict[str, tuple[Apportionment, int]] = {}
        for rnd in self.rounds:  # the last round a list took part in wins
            for slot, name in enumerate(rnd.apportionment.names):
                where[name] = (rnd.apportionment, slot)
        out = []
        for i, p in enumerate(self.parties):
            won = self.won[i]
            filled = won if p.candidates is None or won <= p.candidates else p.candidates
            ap, slot = where.get(p.name, (None, -1))
            admission = self.admission[i]
            out.append(ListLine(p.name, p.votes, p.kind, p.registration_order or 0, p.candidates,
                                admission in ("threshold", "sole list"), admission, won, filled,
                                self.bounds[i] if self.bounds else "", ap, slot))
        return tuple(out)

    @property
    def seats(self) -> dict[str, int]:
        """Filled seats per ballot line, in ballot order (0 for lines not admitted)."""
        return {
            p.name: won if p.candidates is None or won <= p.candidates else p.candidates
            for p, won in zip(self.parties, self.won, strict=True)
        }

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

    def to_rows(self) -> list[dict[str, Any]]:
        """One record per ballot line (:data:`ALLOCATION_COLUMNS`); the share of valid votes is exact."""
        valid = self.totals.valid
        return [{"party": ln.party, "kind": ln.kind, "registration_order": ln.registration_order, "votes": ln.votes,
                 "share_of_valid": Fraction(ln.votes, valid) if valid else None, "admitted": ln.admitted,
                 "admission": ln.admission, "seats_won": ln.seats_won, "seats": ln.seats, "vacant": ln.vacant}
                for ln in self.lines]

    def to_pandas(self) -> Any:
        """The ballot lines as a pandas DataFrame, one row each (needs pandas: ``pip install 'saylau[pandas]'``).

        ``share_of_valid`` holds exact Fractions; ``.astype(float)`` gives floats for plotting.
        """
        from saylau.core.tables import to_frame

        return to_frame(self.to_rows(), ALLOCATION_COLUMNS)

    def _repr_html_(self) -> str:
        """The result as a table in Jupyter: votes, share of valid votes, seats (and vacancies, if any)."""
        from saylau.core.explain import percent_of
        from saylau.core.tables import html_table

        vacant = any(ln.vacant for ln in self.lines)
        header = ["party", "votes", "% valid", "seats", *(["vacant"] if vacant else [])]
        rows = [[ln.party, f"{ln.votes:,}", percent_of(ln.votes, self.totals.valid),
                 str(ln.seats) if ln.kind == "list" else "—", *([str(ln.vacant) if ln.vacant else ""] if vacant else [])]
                for ln in self.lines]
        rows += [[tier.name, "", "", str(tier.seats), *([""] if vacant else [])] for tier in self.system.tiers]
        caption = f"{self.system.title or self.system.name}: {self.total_seats} seats"
        return html_table(rows, header, caption=caption, numeric=[False, True, True, True, True])
