"""Hand-made protocols that satisfy every relation of each built-in form (shared by the protocol tests)."""

from __future__ import annotations

from pathlib import Path

from saylau.protocols import StationProtocol

DATA = Path(__file__).parent / "data"
RU_2021_SAMPLE = DATA / "ru-duma-2021-sample.csv"

_KZ = {"voters_on_list": 1000, "ballots_received": 900, "ballots_issued_in_premises": 600,
       "ballots_issued_outside": 50, "ballots_cancelled": 250, "ballots_in_boxes": 640, "invalid": 10,
       "valid": 630}
_RU_2021 = {"voters_on_list": 1000, "ballots_received": 900, "ballots_issued_early": 20,
            "ballots_issued_in_premises": 600, "ballots_issued_outside": 30, "ballots_cancelled": 248,
            "ballots_in_portable_boxes": 30, "ballots_in_stationary_boxes": 610, "invalid": 10, "valid": 630,
            "ballots_lost": 3, "ballots_unaccounted": 1}
_RU_2011 = {**_RU_2021, "certificates_received": 20, "certificates_issued_at_station": 12, "certificate_voters": 5,
            "certificates_cancelled": 6, "certificates_issued_by_territorial": 3, "certificates_lost": 2}
LINES = {"kz-mazhilis-2021": _KZ, "ru-duma-2021": _RU_2021, "ru-duma-2011": _RU_2011}
VOTES = {"A": 400, "B": 230}


def good_protocol(form_name: str, station: str = "s1", **changes: int) -> StationProtocol:
    """A protocol of ``form_name`` that satisfies every relation, with ``changes`` applied to its lines/votes."""
    lines = dict(LINES[form_name])
    votes = dict(VOTES)
    for key, value in changes.items():
        (votes if key in votes else lines)[key] = value
    return StationProtocol(station, "Region", "Territory", lines, votes, row=2, source="sample.csv")
