"""How close was it: the fewest votes that change a list's seats, exactly, with the engine as the oracle.

Three questions per list, and one per ordered pair of lists:

* **gain**: the fewest votes added to the list (others unchanged) that give it
  one seat more;
* **threshold**: the fewest votes added that make it pass the threshold;
* **lose**: the fewest votes taken from it that cost it a seat (so it could
  lose one vote fewer and keep its seats);
* **move**: the fewest votes moved from one list to another that change the
  seat outcome (any list's seats).

What "votes added" means: voters who stayed home vote for the list, so valid
votes and ballots cast grow with it (the threshold base and the Hare quota
move too); registered voters stay as they are, which also caps how many can
be added. Votes taken away are voters who stay home instead. Moved votes
leave every total unchanged.

The method. A list's seats are *not* monotone in its votes in general: a
larger base can push another list under the threshold (its votes leave the
quota), or lift one over it, and the runner-up clause depends on who is
second. Between such events, though, the seats of the list that gains votes
only grow: its quotient (or claim) rises and every other one falls or stays
(for Hare, Hagenbach-Bischoff, Imperiali and every divisor method). So the
search splits the votes range at every *structural breakpoint*, computed
exactly from linear forms in the number of votes x:

* each list's threshold test ``(v + c·x)·d ⋚ n·(B + b·x)``;
* each pair's vote order (who is runner-up), ``v_a + c_a·x ⋚ v_b + c_b·x``;
* for the Droop quota, which is an integer part, every step of
  ``floor(T / (seats + 1))``.

Within each piece the question is monotone, so the engine is asked at the
piece's end and, where the answer is yes, bisected inside it; the first piece
with a yes holds the minimum. Every answer is checked with the engine at the
margin and one vote short. Ties at the line are broken by the ruleset's rule
(registration order), so a margin can differ by one vote between lists that
would tie. A margin is None where no number of votes in range does it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from saylau.analysis.ballot import Ballot
from saylau.core import Allocation, System
from saylau.errors import AllocationError, InputError

__all__ = ["ListMargin", "Margins", "Transfer", "margins"]

#: Without registered voters to cap it, a gain is searched up to this many times the valid votes.
GAIN_LIMIT_FACTOR = 1 << 20


@dataclass(frozen=True, slots=True)
class ListMargin:
    """The margins of one list; None where nothing in range achieves it."""

    party: str
    votes: int
    seats: int
    passed: bool
    to_gain_seat: int | None
    """Fewest votes added that give the list more seats."""
    seats_if_gained: int | None
    to_threshold: int | None
    """Fewest votes added that make it pass (None if it passes already or cannot)."""
    to_lose_seat: int | None
    """Fewest votes taken away that cost it a seat (None with no seats, or if it cannot lose one)."""

    @property
    def can_lose(self) -> int | None:
        """The most votes it could lose and keep its seats."""
        return None if self.to_lose_seat is None else self.to_lose_seat - 1


@dataclass(frozen=True, slots=True)
class Transfer:
    """The fewest votes moved from ``source`` to ``target`` that change the seat outcome."""

    source: str
    target: str
    votes: int | None
    seats_after: dict[str, int] | None
    """The seats once they are moved (None if the rules then give no result)."""


@dataclass(frozen=True, slots=True)
class Margins:
    """Every list's margins and every ordered pair's transfer, for one ballot under one system."""

    ballot: Ballot
    system: System
    allocation: Allocation
    lists: tuple[ListMargin, ...]
    transfers: tuple[Transfer, ...]

    @property
    def closest(self) -> Transfer | None:
        """The smallest transfer that changes the outcome (earliest pair on a tie)."""
        found = [t for t in self.transfers if t.votes is not None]
        return min(found, key=lambda t: t.votes or 0) if found else None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record."""
        closest = self.closest
        return {
            "title": self.ballot.title,
            "system": self.system.name,
            "seats": self.allocation.seats,
            "lists": [{"party": m.party, "votes": m.votes, "seats": m.seats, "passed": m.passed,
                       "to_gain_seat": m.to_gain_seat, "seats_if_gained": m.seats_if_gained,
                       "to_threshold": m.to_threshold, "to_lose_seat": m.to_lose_seat,
                       "can_lose": m.can_lose} for m in self.lists],
            "transfers": [{"from": t.source, "to": t.target, "votes": t.votes, "seats_after": t.seats_after}
                          for t in self.transfers],
            "closest_transfer": None if closest is None else {
                "from": closest.source, "to": closest.target, "votes": closest.votes,
                "seats_after": closest.seats_after},
            "method": "exact search over integers between structural breakpoints, engine as oracle",
        }


def margins(ballot: Ballot, system: System) -> Margins:
    """Compute every margin of ``ballot`` under ``system`` (see the module docstring for the method)."""
    if system.lists.ties == "lot":
        raise InputError("margins need a tie rule that does not draw lots (registration order or error)",
                         field="tie", value="lot")
    base = ballot.allocate(system)
    search = _Search(ballot, system, base)
    lists = tuple(search.list_margin(i) for i, p in enumerate(ballot.parties) if p.kind == "list")
    transfers = tuple(
        search.transfer(j, k)
        for j, src in enumerate(ballot.parties) if src.kind == "list" and src.votes > 0
        for k, dst in enumerate(ballot.parties) if dst.kind == "list" and k != j
    )
    return Margins(ballot, system, base, lists, transfers)


class _Search:
    """Scenarios of x votes, their structural breakpoints, and the first-x search."""

    def __init__(self, ballot: Ballot, system: System, base: Allocation) -> None:
        self.ballot = ballot
        self.system = system
        self.base = base
        self.seats = base.seats
        self.votes = [p.votes for p in ballot.parties]
        self.names = ballot.names
        threshold = system.lists.threshold
        self.threshold = threshold
        self.cast = ballot.ballots_cast if ballot.ballots_cast is not None else (
            ballot.valid if ballot.valid is not None else sum(self.votes))

    # Scenarios: per-line vote slopes c (votes = v + c·x) and the slope of every total.
    def _ballot(self, slopes: Sequence[int], x: int) -> Ballot:
        added = sum(slopes) * x
        return self.ballot.with_votes([v + c * x for v, c in zip(self.votes, slopes, strict=True)], added=added)

    def _outcome(self, slopes: Sequence[int], x: int) -> Allocation | None:
        try:
            return self._ballot(slopes, x).allocate(self.system)
        except AllocationError:
            return None

    def _base_total(self) -> tuple[int, int]:
        """The threshold base and how it moves per added vote (0 for registered voters)."""
        t = self.threshold
        assert t is not None
        if t.base == "registered":
            return self.ballot.registered or 0, 0
        if t.base == "ballots_cast":
            return self.cast, 1
        return (self.ballot.valid if self.ballot.valid is not None else sum(self.votes)), 1

    def _threshold_form(self, slopes: Sequence[int], i: int) -> tuple[int, int]:
        """List i passes when a·x + b >= 0 (or > 0 for a strict threshold)."""
        t = self.threshold
        assert t is not None
        c, v = slopes[i], self.votes[i]
        if t.share is None:
            return c, v - (t.votes_min or 0)
        total, moves = self._base_total()
        n, d = t.share.numerator, t.share.denominator
        return c * d - n * moves * sum(slopes), v * d - n * total

    def _forms(self, slopes: Sequence[int]) -> list[tuple[int, int]]:
        """Linear forms a·x + b whose sign changes are the structural breakpoints of a scenario."""
        forms: list[tuple[int, int]] = []
        t = self.threshold
        lists = [i for i, p in enumerate(self.ballot.parties) if p.kind == "list"]
        if t is not None:
            forms.extend(self._threshold_form(slopes, i) for i in lists)
        if self.system.lists.runner_up is not None:
            for a in lists:
                for b in lists:
                    if a < b and slopes[a] != slopes[b]:
                        forms.append((slopes[a] - slopes[b], self.votes[a] - self.votes[b]))
        return forms

    def _breakpoints(self, slopes: Sequence[int], lo: int, hi: int) -> list[int]:
        points = {lo}
        for a, b in self._forms(slopes):
            if a == 0:
                continue
            # The sign of a·x + b can change only between floor(r) and ceil(r) + 1, r = -b / a.
            num, den = -b, a
            if den < 0:
                num, den = -num, -den
            floor = num // den
            for p in (floor, floor + 1, -(-num // den)):
                if lo < p <= hi:
                    points.add(p)
        return sorted(points)

    def _droop_points(self, slopes: Sequence[int], lo: int, hi: int) -> list[int]:
        """Where the Droop quota can step inside [lo, hi] (the admitted total crosses a multiple of seats + 1)."""
        if self.system.lists.method != "droop":
            return []
        start = self._outcome(slopes, lo)
        if start is None:
            return []
        admitted = {line.party for line in start.lines if line.admitted}
        idx = [i for i, n in enumerate(self.names) if n in admitted]
        t0 = sum(self.votes[i] + slopes[i] * lo for i in idx)
        ct = sum(slopes[i] for i in idx)
        if ct == 0:
            return []
        m = self.system.lists.seats + 1
        points = []
        for offset in (0, -1):
            # x with t0 + ct·(x - lo) ≡ offset (mod m)
            first = ((offset - t0) * ct) % m  # ct is ±1, its own inverse mod m
            x = lo + first
            while x <= hi:
                if x > lo:
                    points.append(x)
                x += m
        return points

    def first(self, slopes: Sequence[int], lo: int, hi: int, yes: Callable[[Allocation | None], bool]) -> int | None:
        """The least x in [lo, hi] for which ``yes`` holds of the scenario's allocation, or None."""
        if hi < lo:
            return None
        starts = self._breakpoints(slopes, lo, hi)
        ends = [s - 1 for s in starts[1:]] + [hi]
        for s, e in zip(starts, ends, strict=True):
            for s2, e2 in self._pieces(slopes, s, e):
                # The piece may start already changed (its structure differs from the baseline's);
                # otherwise the outcome, once changed inside the piece, stays changed to its end.
                if yes(self._outcome(slopes, s2)):
                    return s2
                if not yes(self._outcome(slopes, e2)):
                    continue
                low, high = s2 + 1, e2  # yes(high), not yes(s2): the least such x in the piece
                while low < high:
                    mid = (low + high) // 2
                    if yes(self._outcome(slopes, mid)):
                        high = mid
                    else:
                        low = mid + 1
                return low
        return None

    def _pieces(self, slopes: Sequence[int], s: int, e: int) -> Iterable[tuple[int, int]]:
        cuts = sorted(p for p in self._droop_points(slopes, s, e) if s < p <= e)
        starts = [s, *cuts]
        return zip(starts, [c - 1 for c in cuts] + [e], strict=True)

    def _cap(self) -> int:
        """How many more voters could vote."""
        if self.ballot.registered is not None:
            return max(self.ballot.registered - self.cast, 0)
        return GAIN_LIMIT_FACTOR * (sum(self.votes) + 1)

    def list_margin(self, i: int) -> ListMargin:
        name = self.names[i]
        line = self.base.line(name)
        have = self.seats[name]
        add = [1 if j == i else 0 for j in range(len(self.votes))]
        cap = self._cap()

        def gains(a: Allocation | None) -> bool:
            return a is not None and a.seats[name] > have

        hi = 1
        while hi < cap and not gains(self._outcome(add, hi)):
            hi *= 2
        to_gain = self.first(add, 1, min(hi, cap), gains)
        after = None
        if to_gain is not None:
            got = self._outcome(add, to_gain)
            after = got.seats[name] if got is not None else None

        to_threshold = None
        if not line.passed and self.threshold is not None:
            # Passing is monotone in the list's own votes: solve the threshold's linear form, then let
            # the engine confirm it (the search cannot go past the solution).
            a, b = self._threshold_form(add, i)
            if a > 0:
                exact = -b // a if -b % a == 0 else -b // a + 1  # least x with a·x + b >= 0
                strict = -b // a + 1  # least x with a·x + b > 0
                solution = max(1, exact if self.threshold.inclusive else strict)
                if solution <= cap:
                    to_threshold = self.first(add, 1, solution, lambda a: a is not None and a.line(name).passed)

        to_lose = None
        if have > 0:
            take = [-1 if j == i else 0 for j in range(len(self.votes))]
            to_lose = self.first(take, 1, self.votes[i], lambda a: a is None or a.seats[name] < have)
        return ListMargin(name, self.votes[i], have, line.passed, to_gain, after, to_threshold, to_lose)

    def transfer(self, j: int, k: int) -> Transfer:
        move = [0] * len(self.votes)
        move[j], move[k] = -1, 1
        x = self.first(move, 1, self.votes[j], lambda a: a is None or a.seats != self.seats)
        after = None
        if x is not None:
            got = self._outcome(move, x)
            after = None if got is None else got.seats
        return Transfer(self.names[j], self.names[k], x, after)
