"""The alarms a commission sees beside the form's own warnings (rules and calibration: :mod:`saylau.tabulate.alarms`).

None blocks a protocol; each is stored with it (in the store's warnings table)
for a territorial commission to explain and mark handled, and the progress
board ranks them by severity. A submission is checked alone at once (its
totals and the pattern of its votes); the start-up pass and every batch also
compare each station's party shares with its region's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from saylau.store import Store
from saylau.store.live import add_station_warnings, current_station_figures, region_vote_totals
from saylau.tabulate.alarms import RULES, region_shares, station_alarms

__all__ = ["INVALID_SHARE", "POLICY_RELATIONS", "TURNOUT", "policy_warnings", "store_policy_warnings"]

INVALID_SHARE = "invalid_share"
TURNOUT = "turnout_above_95"
#: The relations these rules store (the form's own warnings, e.g. ``boxes_within_issued``, come from the checker).
POLICY_RELATIONS = tuple(r for r in RULES if r != "boxes_within_issued")


def policy_warnings(station: str, registered: int | None, ballots_cast: int | None, invalid: int | None,
                    *, votes: Mapping[str, int] | None = None) -> list[tuple[str, str]]:
    """(relation, message) for each alarm a protocol with these totals (and votes) raises, most severe first."""
    return [(a.relation, f"station {station}: warning: {a.relation}: {a.message.removeprefix(f'station {station}: ')}")
            for a in station_alarms(station, registered=registered, ballots_cast=ballots_cast, invalid=invalid,
                                    votes=votes)]


def store_policy_warnings(store: Store, election_id: str, stations: Iterable[str] | None = None) -> int:
    """Store the alarms of the current protocols (of ``stations``, or all) that lack them; how many were new.

    Idempotent: run after each batch, and once at start-up to cover protocols
    stored by other means (``saylau ingest``) or a crash in between.
    """
    wanted = None if stations is None else list(stations)
    if wanted is not None and not wanted:
        return 0
    with store.engine.connect() as conn:
        _, figures = current_station_figures(conn, election_id, wanted)
        regions = {name: region_shares(votes) for name, votes in region_vote_totals(conn, election_id).items()}
    rows = [(f.version_id, a.relation, f"station {f.station}: warning: {a.relation}: "
             f"{a.message.removeprefix(f'station {f.station}: ')}")
            for f in figures
            for a in station_alarms(f.station, registered=f.registered, ballots_cast=f.ballots_cast,
                                    invalid=f.invalid, votes=f.votes, region=regions.get(f.region))]
    return add_station_warnings(store.engine, election_id, rows, POLICY_RELATIONS)

