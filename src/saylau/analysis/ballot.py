"""One election's ballot lines and totals, as the seat engine takes them.

What-if tables and margins both start from the same thing: every ballot
line with its votes and registration order, and the totals a threshold may
be based on. They come from a stored or built-in election or a votes file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from saylau.core import Allocation, Party, System, allocate_system

__all__ = ["Ballot", "ballot_from_election", "ballot_from_votes_file"]


@dataclass(frozen=True, slots=True)
class Ballot:
    """Ballot lines in registration order, with the totals the engine may need."""

    parties: tuple[Party, ...]
    valid: int | None = None
    ballots_cast: int | None = None
    registered: int | None = None
    title: str = ""
    ruleset: str | None = None
    """The ruleset the election was held under, where known."""
    labels: tuple[str, ...] = ()
    """Names to show for each line (default: the line's name)."""

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parties)

    def label(self, name: str) -> str:
        if self.labels:
            return self.labels[self.names.index(name)]
        return name

    def votes(self) -> dict[str, int]:
        return {p.name: p.votes for p in self.parties}

    def allocate(self, system: System) -> Allocation:
        """The engine's allocation of these votes under ``system``."""
        return allocate_system(self.parties, system, valid=self.valid, ballots_cast=self.ballots_cast,
                               registered=self.registered)

    def with_votes(self, votes: Sequence[int], *, added: int = 0) -> Ballot:
        """The same ballot with new line votes; ``added`` more voters took part (negative: fewer).

        Valid votes and ballots cast move by ``added``; registered voters stay as they are.
        """
        parties = tuple(Party(p.name, v, p.kind, p.registration_order, p.candidates)
                        for p, v in zip(self.parties, votes, strict=True))
        return replace(
            self,
            parties=parties,
            valid=None if self.valid is None else self.valid + added,
            ballots_cast=None if self.ballots_cast is None else self.ballots_cast + added,
        )


def ballot_from_election(election_id: str, db_url: str | None = None) -> Ballot:
    """The national ballot of a stored or built-in election (see :func:`saylau.store.source.election_data`)."""
    from saylau.store.source import election_data

    data = election_data(election_id, db_url)
    nation = data.nation
    parties = tuple(
        Party(p.code, int(nation.votes.get(p.code, 0)), p.kind, p.registration_order, p.candidates)
        for p in sorted(data.parties, key=lambda p: p.registration_order)
    )
    return Ballot(parties, valid=nation.valid, ballots_cast=nation.ballots_cast, registered=nation.registered,
                  title=data.info.title, ruleset=data.info.ruleset)


def ballot_from_votes_file(path: str | Path) -> Ballot:
    """A ballot read from a votes CSV (the format of ``saylau allocate``)."""
    from saylau.core import normalise_parties
    from saylau.formats.votes_csv import read_votes_csv

    parties, _ = normalise_parties(read_votes_csv(path), source=str(path))
    ordered = sorted(parties, key=lambda p: p.registration_order or 0)
    return Ballot(tuple(ordered), title=Path(path).name)
