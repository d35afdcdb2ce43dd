"""Hand-made protocols of the kz-mazhilis-2021 form that satisfy (or break) its relations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from saylau.protocols import ProtocolBatch, StationProtocol, load_form
from saylau.tabulate.model import PartyInfo

PARTIES = (
    PartyInfo("QHP", "People's Party", 1),
    PartyInfo("NO", "Nur Otan", 2),
    PartyInfo("AJ", "Ak Zhol", 3),
)
CODES = tuple(p.code for p in PARTIES)


def kz_protocol(station: str, votes: Sequence[int], *, region: str = "Akmola Region", territory: str | None = "T1",
                invalid: int = 3, spare_voters: int = 50, cancelled: int = 20, outside: int = 2,
                row: int | None = None, **override: int) -> StationProtocol:
    """A protocol whose error relations hold; ``override`` sets lines afterwards (to break one)."""
    valid = sum(votes)
    boxes = valid + invalid
    issued_in = boxes - outside
    lines = {
        "voters_on_list": boxes + spare_voters,
        "ballots_received": boxes + cancelled,
        "ballots_issued_in_premises": issued_in,
        "ballots_issued_outside": outside,
        "ballots_cancelled": cancelled,
        "ballots_in_boxes": boxes,
        "invalid": invalid,
        "valid": valid,
    }
    lines.update(override)
    return StationProtocol(station, region, territory, lines, dict(zip(CODES, votes, strict=True)), row=row,
                           source="hand-made")


def kz_batch(protocols: Sequence[StationProtocol], parties: Sequence[PartyInfo] = PARTIES,
             source: str = "hand-made") -> ProtocolBatch:
    return ProtocolBatch(load_form("kz-mazhilis-2021"), parties, list(protocols), source=source)


def stations(n: int, *, start: int = 0, region_count: int = 3, scale: int = 1) -> list[StationProtocol]:
    """``n`` valid protocols with varied counts, spread over regions and territories."""
    out = []
    for i in range(start, start + n):
        votes = [(i * 7) % 50 * scale + 10, (i * 13) % 90 * scale + 40, (i * 3) % 20 * scale + 5]
        out.append(kz_protocol(f"S{i:05d}", votes, region=f"Region {i % region_count}", territory=f"T{i % 5}",
                               row=i + 2))
    return out


def total_votes(protocols: Sequence[StationProtocol]) -> Mapping[str, int]:
    return {code: sum(p.votes[code] for p in protocols) for code in CODES}
