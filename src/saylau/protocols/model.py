"""A polling-station protocol as saylau carries it between readers, checker and store."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["PartyInfo", "StationProtocol"]


@dataclass(frozen=True, slots=True)
class PartyInfo:
    """A list on the ballot. ``code`` is the stable key counts are stored under."""

    code: str
    name: str
    registration_order: int
    candidates: int | None = None
    color: str = "#888888"
    kind: Literal["list", "against_all"] = "list"
    names: Mapping[str, str] = field(default_factory=dict)
    """Names by language code (``en``, ``kk``, ``ru``)."""
    leader: str = ""
    previous_seats: int | None = None
    """Seats won at the previous election, where known (the report's change column)."""


@dataclass(frozen=True, slots=True)
class StationProtocol:
    """The counts of one station's protocol, keyed by the form's line keys and the parties' codes.

    ``station`` is unique within an election; ``region`` and ``territory`` name
    the units above it (the territorial commission may be absent in a source).
    """

    station: str
    region: str
    territory: str | None
    lines: Mapping[str, int]
    """Form lines by key (e.g. ``voters_on_list``, ``ballots_received``, ``valid``)."""
    votes: Mapping[str, int]
    """Votes by party code, in the form's (ballot) order."""
    synthetic: bool = False
    source: str | None = None
    row: int | None = None
    url: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)
