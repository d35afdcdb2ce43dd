"""Alarms on protocols that add up: quiet on clean synthetic protocols, loud on every planted anomaly."""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction
from typing import Any

import pytest

from saylau.tabulate.alarms import HIGH, MEDIUM, region_shares, station_alarms

pytest.importorskip("numpy")


def _stations(seed: int, n: int) -> tuple[list[dict[str, Any]], dict[str, dict[str, Fraction]]]:
    from saylau.datasets.synth import synthesize

    batch = synthesize("kz-2021", n, seed=seed)
    table = batch.table
    assert table is not None
    codes = [p.code for p in batch.parties]
    rows = []
    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for i, station in enumerate(table.stations):
        votes = {code: int(table.columns[code][i]) for code in codes}
        rows.append({"station": station, "region": table.regions[i], "votes": votes,
                     **{k: int(table.columns[k][i]) for k in ("voters_on_list", "ballots_in_boxes", "invalid",
                                                              "valid", "ballots_issued_in_premises",
                                                              "ballots_issued_outside")}})
        for code, v in votes.items():
            totals[table.regions[i]][code] += v
    return rows, {region: region_shares(votes) for region, votes in totals.items()}


def _alarms(row: dict[str, Any], regions: dict[str, dict[str, Fraction]]) -> set[str]:
    return {a.relation for a in station_alarms(row["station"], registered=row["voters_on_list"],
                                               ballots_cast=row["ballots_in_boxes"], invalid=row["invalid"],
                                               votes=row["votes"], region=regions[row["region"]])}


@pytest.fixture(scope="module")
def clean() -> tuple[list[dict[str, Any]], dict[str, dict[str, Fraction]]]:
    return _stations(1, 7000)


def test_fewer_than_one_percent_of_clean_synthetic_stations_warn(clean: Any) -> None:
    rows, regions = clean
    warned = [r["station"] for r in rows if _alarms(r, regions)]
    assert len(warned) < len(rows) // 100, warned[:10]


def test_another_seed_is_quiet_too() -> None:
    rows, regions = _stations(7, 3000)
    assert sum(1 for r in rows if _alarms(r, regions)) < len(rows) // 100


def _plant(row: dict[str, Any], kind: str) -> dict[str, Any]:
    """A copy of a clean station with one anomaly that keeps every sum of the form true."""
    r = {**row, "votes": dict(row["votes"])}
    votes = r["votes"]
    codes = list(votes)
    if kind == "turnout_full":
        r["voters_on_list"] = r["ballots_in_boxes"]
    elif kind == "turnout_above_95":
        r["voters_on_list"] = r["ballots_in_boxes"] * 100 // 97
    elif kind == "invalid_share":
        # A quarter of the ballots declared invalid, taken from the valid ones pro rata: the boxes still add up.
        extra = r["ballots_in_boxes"] // 4 - r["invalid"]
        taken = 0
        for code in codes[1:]:
            take = votes[code] * extra // r["valid"]
            votes[code] -= take
            taken += take
        votes[codes[0]] -= extra - taken
        r["invalid"] += extra
        r["valid"] -= extra
    elif kind == "party_share_outlier":
        # The smallest list gets 60% of the valid votes, the others share the rest: the total is unchanged.
        small = min(codes, key=lambda c: votes[c])
        total = r["valid"]
        target = total * 60 // 100
        rest = total - target
        others = [c for c in codes if c != small]
        weight = sum(votes[c] for c in others)
        moved = {c: votes[c] * rest // weight for c in others}
        moved[others[0]] += rest - sum(moved.values())
        votes.update(moved)
        votes[small] = target
    elif kind == "round_counts":
        rounded = {c: votes[c] // 10 * 10 for c in codes}
        rounded[codes[0]] += r["valid"] - sum(rounded.values())
        rounded[codes[0]] -= rounded[codes[0]] % 10
        votes.update(rounded)
        r["valid"] = sum(votes.values())
        r["invalid"] = r["ballots_in_boxes"] - r["valid"]
    elif kind == "uniform_votes":
        each = r["valid"] // len(codes)
        votes.update({c: each for c in codes})
        r["valid"] = each * len(codes)
        r["invalid"] = r["ballots_in_boxes"] - r["valid"]
    else:
        raise AssertionError(kind)
    assert sum(votes.values()) == r["valid"] and r["valid"] + r["invalid"] == r["ballots_in_boxes"]
    assert min(votes.values()) >= 0
    return r


ANOMALIES = ("turnout_full", "turnout_above_95", "invalid_share", "party_share_outlier", "round_counts",
             "uniform_votes")


@pytest.mark.parametrize("kind", ANOMALIES)
def test_every_planted_anomaly_raises_its_alarm_wherever_it_is_planted(clean: Any, kind: str) -> None:
    rows, regions = clean
    # Planted in 50 stations spread over every region (not hand-picked ones).
    chosen = rows[:: len(rows) // 50][:50]
    missed = [r["station"] for r in chosen if kind not in _alarms(_plant(r, kind), regions)]
    assert not missed, (kind, missed[:5])


def test_alarms_are_ranked_by_severity() -> None:
    alarms = station_alarms("s", registered=1000, ballots_cast=1000, invalid=300,
                            votes={"A": 101, "B": 101, "C": 101}, region=None)
    assert [a.relation for a in alarms] == ["turnout_full", "uniform_votes", "invalid_share"]
    assert [a.severity for a in alarms] == [HIGH, HIGH, MEDIUM]


def test_thresholds_at_one_below_and_one_above() -> None:
    def rules(**kw: Any) -> set[str]:
        base = {"registered": None, "ballots_cast": None, "invalid": None}
        return {a.relation for a in station_alarms("s", **{**base, **kw})}

    assert "invalid_share" in rules(ballots_cast=200, invalid=30)        # exactly 15%
    assert "invalid_share" not in rules(ballots_cast=200, invalid=29)    # one below
    assert "invalid_share" in rules(ballots_cast=200, invalid=31)        # one above
    assert "invalid_share" not in rules(ballots_cast=60, invalid=9)      # 15% but fewer than 10 ballots
    assert "turnout_above_95" not in rules(registered=1000, ballots_cast=950)  # exactly 95%: not above
    assert "turnout_above_95" in rules(registered=1000, ballots_cast=951)
    assert rules(registered=1000, ballots_cast=999) == {"turnout_above_95"}
    assert rules(registered=1000, ballots_cast=1000) == {"turnout_full"}
    region = {"A": Fraction(1, 2), "B": Fraction(1, 2)}
    at = {a.relation for a in station_alarms("s", registered=None, ballots_cast=None, invalid=None,
                                             votes={"A": 85, "B": 15}, region=region)}
    below = {a.relation for a in station_alarms("s", registered=None, ballots_cast=None, invalid=None,
                                                votes={"A": 84, "B": 16}, region=region)}
    assert "party_share_outlier" in at and "party_share_outlier" not in below  # 35 points apart, then 34
    assert {a.relation for a in station_alarms("s", registered=None, ballots_cast=None, invalid=None,
                                                votes={"A": 40, "B": 30, "C": 20})} == {"round_counts"}
    assert not station_alarms("s", registered=None, ballots_cast=None, invalid=None,
                              votes={"A": 40, "B": 30, "C": 21})
