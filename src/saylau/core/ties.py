"""Tie policies: every tie is either broken by a named rule and recorded, or refused.

A tie arises when more lists have an equal claim to the last seats than there
are seats left at that claim. The policies:

``registration``
    The list registered earlier wins (Kazakhstan, Constitutional Law on
    Elections, Art. 97-1). Input order stands in when no order was given, and
    the allocation says so.
``votes``
    The list with more votes wins; at equal votes, the list registered earlier
    (Russia: equal remainders go to the list with more votes).
``lot``
    Drawn by lot with an explicit seed; the draw (the order the lot gave) is
    recorded so that anyone can replay it.
``error``
    :class:`~saylau.errors.TieUnresolved` naming the tied lists and the seat.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from saylau.errors import TieUnresolved

__all__ = ["TIE_POLICIES", "TieBreak", "TieBreaker", "TiePolicy"]

TiePolicy = Literal["registration", "votes", "lot", "error"]
TIE_POLICIES: tuple[TiePolicy, ...] = ("registration", "votes", "lot", "error")


@dataclass(frozen=True, slots=True)
class TieBreak:
    """How one tie was broken."""

    seat: int
    """Number (1-based, within the tier) of the first seat the tied lists contested."""
    stage: str
    """What was tied: ``remainder``, ``quotient``, ``runner-up`` or ``surplus``."""
    lists: tuple[str, ...]
    seats: int
    """How many of the contested seats were at stake among ``lists``."""
    winners: tuple[str, ...]
    policy: TiePolicy
    clause: str = ""
    draw: tuple[str, ...] = ()
    seed: int | str | None = None

    def describe(self) -> str:
        tied = ", ".join(self.lists)
        won = ", ".join(self.winners) or "nobody"
        seats = "seat" if self.seats == 1 else f"{self.seats} seats"
        if self.policy == "lot":
            how = f"by lot (seed {self.seed!r}; drawn order: {', '.join(self.draw)})"
        elif self.policy == "votes":
            how = "to the list with more votes, then the one registered earlier"
        else:
            how = "to the list registered earlier"
        where = f" [{self.clause}]" if self.clause else ""
        return f"tie on {self.stage} for {seats} from seat {self.seat} among {tied}: {how}: {won}{where}"


class TieBreaker:
    """Applies one tie policy throughout an allocation and keeps the record."""

    __slots__ = ("_rng", "clause", "order", "policy", "records", "seed", "votes")

    def __init__(
        self,
        policy: TiePolicy,
        order: Mapping[str, int],
        *,
        seed: int | str | None = None,
        clause: str = "",
        votes: Mapping[str, int] | None = None,
    ) -> None:
        self._rng: random.Random | None = None
        if policy != "registration":
            if policy not in TIE_POLICIES:
                raise ValueError(f"unknown tie policy {policy!r}; choose one of {', '.join(TIE_POLICIES)}")
            if policy == "lot":
                if seed is None:
                    raise ValueError("a tie drawn by lot needs an explicit seed, so the draw can be replayed")
                self._rng = random.Random(seed)
        self.policy: TiePolicy = policy
        self.order = order
        self.seed = seed
        self.clause = clause
        self.votes = votes
        self.records: list[TieBreak] = []

    def choose(self, tied: Sequence[str], k: int, *, seat: int, stage: str) -> list[str]:
        """Pick ``k`` winners among ``tied`` lists for the seats starting at ``seat``."""
        ranked = sorted(tied, key=self.order.__getitem__)
        if self.policy == "votes":
            if self.votes is None:
                raise ValueError("the 'votes' tie policy needs the lists' votes")
            votes = self.votes
            ranked = sorted(ranked, key=lambda name: -votes[name])  # stable: registration order within equal votes
        if self.policy == "error":
            raise TieUnresolved(
                f"lists {', '.join(ranked)} tie on {stage} for seat {seat} "
                f"and the tie policy is to refuse (use registration order or a lot with a seed)",
                lists=ranked,
                seat=seat,
            )
        draw: tuple[str, ...] = ()
        if self._rng is not None:
            shuffled = list(ranked)
            self._rng.shuffle(shuffled)
            draw = tuple(shuffled)
            ranked = shuffled
        winners = ranked[:k]
        self.records.append(
            TieBreak(
                seat=seat,
                stage=stage,
                lists=tuple(sorted(tied, key=self.order.__getitem__)),
                seats=k,
                winners=tuple(winners),
                policy=self.policy,
                clause=self.clause,
                draw=draw,
                seed=self.seed,
            )
        )
        return winners
