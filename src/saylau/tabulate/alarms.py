"""Alarms on a polling-station protocol that adds up but may not be true: what a commission should look at first.

The form's own relations catch protocols that do not add up. These rules catch
protocols that add up yet look wrong, calibrated so that clean protocols
(``saylau synth``: 7,000 stations, none warns) stay quiet and each planted
anomaly of the test set raises its alarm (``tests/tabulate/test_alarms.py``).
Every test is an exact integer cross-product or a Fraction; no float decides.

============================  ========  ==================================================================
rule                          severity  fires when
============================  ========  ==================================================================
``turnout_full``              high      ballots in the boxes >= voters on the list (turnout of 100% or more)
``round_counts``              high      every party's votes is a multiple of 10 (>= 3 parties, >= 50 valid)
``uniform_votes``             high      every party has the same non-zero number of votes (>= 3 parties)
``party_share_outlier``       medium    a party's share differs from its region's by >= 35 percentage
                                        points (>= 50 valid votes); clean stations stay within 25
``invalid_share``             medium    invalid ballots >= 15% of the ballots in the boxes (>= 10 invalid);
                                        clean stations stay below 11.3% (their nation's rate is 3.95%)
``turnout_above_95``          medium    ballots in the boxes > 95% of the voters on the list
============================  ========  ==================================================================

The form's ``boxes_within_issued`` (more ballots in the boxes than issued) ranks high too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

__all__ = [
    "HIGH",
    "LOW",
    "MEDIUM",
    "RULES",
    "SEVERITY",
    "Alarm",
    "region_shares",
    "severity_of",
    "station_alarms",
]

HIGH, MEDIUM, LOW = 3, 2, 1

#: Each rule and its severity; relations not listed here (a form's warnings) rank by :func:`severity_of`.
SEVERITY: dict[str, int] = {
    "turnout_full": HIGH,
    "boxes_within_issued": HIGH,
    "round_counts": HIGH,
    "uniform_votes": HIGH,
    "party_share_outlier": MEDIUM,
    "invalid_share": MEDIUM,
    "turnout_above_95": MEDIUM,
}
RULES = tuple(SEVERITY)

INVALID_PERCENT = 15
INVALID_MIN = 10
TURNOUT_PERCENT = 95
OUTLIER_POINTS = 35
OUTLIER_MIN_VALID = 50
ROUND_MIN_VALID = 50
ROUND_BASE = 10
MIN_PARTIES = 3


def severity_of(relation: str) -> int:
    """The severity of a stored warning's relation (a form's own warning relations rank high)."""
    return SEVERITY.get(relation, HIGH)


@dataclass(frozen=True, slots=True)
class Alarm:
    """One rule a protocol trips, with the numbers that tripped it."""

    relation: str
    severity: int
    message: str


def _pct(part: int, whole: int) -> str:
    # Exact, half up, two decimals: the same digits every report prints.
    if not whole:
        return "—"
    scaled = Fraction(100 * part, whole)
    units = int(scaled * 100 + Fraction(1, 2))
    return f"{units // 100}.{units % 100:02d}"


def region_shares(votes_by_party: Mapping[str, int]) -> dict[str, Fraction]:
    """Each party's exact share of a region's valid votes (the reference for ``party_share_outlier``)."""
    total = sum(votes_by_party.values())
    return {code: Fraction(v, total) for code, v in votes_by_party.items()} if total else {}


def station_alarms(station: str, *, registered: int | None, ballots_cast: int | None, invalid: int | None,
                   votes: Mapping[str, int] | None = None,
                   region: Mapping[str, Fraction] | None = None) -> list[Alarm]:
    """The alarms of one protocol, most severe first.

    ``votes`` (party code → votes) enables the vote-pattern rules; ``region``
    (party code → the region's share, :func:`region_shares`) the outlier rule.
    """
    found: list[Alarm] = []
    if registered is not None and ballots_cast is not None and registered > 0:
        if ballots_cast >= registered:
            found.append(Alarm("turnout_full", HIGH,
                               f"station {station}: {ballots_cast} ballots in the boxes of {registered} voters on "
                               f"the list ({_pct(ballots_cast, registered)}%): everyone on the list voted"))
        elif 100 * ballots_cast > TURNOUT_PERCENT * registered:
            found.append(Alarm("turnout_above_95", MEDIUM,
                               f"station {station}: {ballots_cast} ballots in the boxes of {registered} voters on "
                               f"the list ({_pct(ballots_cast, registered)}%), expected at most {TURNOUT_PERCENT}%"))
    if (invalid is not None and ballots_cast and invalid >= INVALID_MIN
            and 100 * invalid >= INVALID_PERCENT * ballots_cast):
        found.append(Alarm("invalid_share", MEDIUM,
                           f"station {station}: {invalid} invalid of {ballots_cast} ballots "
                           f"({_pct(invalid, ballots_cast)}%), expected below {INVALID_PERCENT}%"))
    if votes:
        found.extend(_vote_alarms(station, votes, region))
    found.sort(key=lambda a: -a.severity)
    return found


def _vote_alarms(station: str, votes: Mapping[str, int], region: Mapping[str, Fraction] | None) -> list[Alarm]:
    found: list[Alarm] = []
    counts = list(votes.values())
    valid = sum(counts)
    if len(counts) >= MIN_PARTIES and valid >= ROUND_MIN_VALID and all(v % ROUND_BASE == 0 for v in counts):
        found.append(Alarm("round_counts", HIGH,
                           f"station {station}: every party's votes is a multiple of {ROUND_BASE} "
                           f"({', '.join(str(v) for v in counts)}): counts look rounded, not counted"))
    if len(counts) >= MIN_PARTIES and counts[0] > 0 and len(set(counts)) == 1:
        found.append(Alarm("uniform_votes", HIGH,
                           f"station {station}: every party has exactly {counts[0]} votes: the totals add up "
                           "but the counts look made up"))
    if region and valid >= OUTLIER_MIN_VALID:
        limit = Fraction(OUTLIER_POINTS, 100)
        for code, v in votes.items():
            reference = region.get(code)
            if reference is None:
                continue
            if abs(Fraction(v, valid) - reference) >= limit:
                found.append(Alarm("party_share_outlier", MEDIUM,
                                   f"station {station}: {code} has {_pct(v, valid)}% of the valid votes, its "
                                   f"region {_pct(reference.numerator, reference.denominator)}%: "
                                   f"{OUTLIER_POINTS} percentage points or more apart"))
                break
    return found
