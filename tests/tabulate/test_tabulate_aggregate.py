"""The pure aggregation: each level sums the one below; unknown totals stay unknown; synthetic marks spread up."""

from __future__ import annotations

from saylau.tabulate.aggregate import Leaf, Unit, aggregate

UNITS = [
    Unit("N", "Nation", "nation", None),
    Unit("N/R1", "R1", "region", "N"),
    Unit("N/R2", "R2", "region", "N"),
    Unit("N/R1/T1", "T1", "territory", "N/R1"),
    Unit("s1", "s1", "station", "N/R1/T1"),
    Unit("s2", "s2", "station", "N/R1/T1"),
    Unit("s3", "s3", "station", "N/R2"),
    Unit("s4", "s4", "station", "N/R2"),
]


def test_levels_sum_the_level_below() -> None:
    leaves = {"s1": Leaf([100, 60, 55, 5, 30, 25]), "s2": Leaf([200, 150, 140, 10, 40, 100]),
              "s3": Leaf([50, 20, 20, 0, 1, 19])}
    out = {u.unit_id: u for u in aggregate(UNITS, leaves, ["A", "B"])}
    assert dict(out["N/R1/T1"].votes) == {"A": 70, "B": 125}
    assert (out["N/R1"].registered, out["N/R1"].ballots_cast, out["N/R1"].valid) == (300, 210, 195)
    assert dict(out["N"].votes) == {"A": 71, "B": 144} and out["N"].invalid == 15
    assert (out["N"].stations_reported, out["N"].stations_total) == (3, 4)   # s4 known, not reported
    assert (out["N/R2"].stations_reported, out["N/R2"].stations_total) == (1, 2)
    assert dict(out["s4"].votes) == {"A": 0, "B": 0} and out["s4"].stations_reported == 0
    assert [u.unit_id for u in aggregate(UNITS, leaves, ["A", "B"], levels=["region"])] == ["N/R1", "N/R2"]


def test_a_missing_total_is_unknown_above_it_and_synthetic_spreads_up() -> None:
    leaves = {"s1": Leaf([None, 60, 55, 5, 30, 25], synthetic=True), "s3": Leaf([50, 20, 20, 0, 1, 19])}
    out = {u.unit_id: u for u in aggregate(UNITS, leaves, ["A", "B"])}
    assert out["N"].registered is None and out["N/R2"].registered == 50
    assert out["N"].ballots_cast == 80
    assert out["N"].synthetic and out["N/R1"].synthetic and not out["N/R2"].synthetic


def test_grouped_leaves_and_known_station_counts() -> None:
    upper = [u for u in UNITS if u.level != "station"]
    leaves = {"N/R1/T1": Leaf([300, 210, 195, 15, 70, 125], reported=2), "N/R2": Leaf([50, 20, 20, 0, 1, 19])}
    out = {u.unit_id: u for u in aggregate(upper, leaves, ["A", "B"], stations_known={"N/R1/T1": 2, "N/R2": 2})}
    assert dict(out["N"].votes) == {"A": 71, "B": 144}
    assert (out["N"].stations_reported, out["N"].stations_total) == (3, 4)


def test_declared_station_totals_win() -> None:
    units = [Unit("N", "Nation", "nation", None, stations_total=10), Unit("s1", "s1", "station", "N")]
    out = aggregate(units, {"s1": Leaf([1, 1, 1, 0, 1])}, ["A"])
    assert (out[0].stations_reported, out[0].stations_total) == (1, 10)
