"""Synthetic kz-2021 stations: exact sums, every relation, marked synthetic, deterministic per seed."""

from __future__ import annotations

from collections import Counter, defaultdict
from fractions import Fraction

import pytest

from saylau.datasets import load_dataset
from saylau.errors import InputError
from saylau.protocols import ProtocolBatch, check_protocols

pytest.importorskip("numpy")

from saylau.datasets.synth import synthesize


@pytest.fixture(scope="module")
def batch() -> ProtocolBatch:
    return synthesize("kz-2021", 10060, seed=11)


@pytest.fixture(scope="module")
def official():  # type: ignore[no-untyped-def]
    return load_dataset("kz-2021")


def test_station_count_and_split_among_regions(batch: ProtocolBatch, official) -> None:  # type: ignore[no-untyped-def]
    assert len(batch) == 10060 and len(set(batch.table.stations)) == 10060
    per_region = Counter(batch.table.regions)
    regions = [u for u in official.units if u.level == "region"]
    assert set(per_region) == {u.name for u in regions} and len(per_region) == 17
    total = sum(sum(u.votes.values()) for u in regions)
    for unit in regions:
        quota = Fraction(10060 * sum(unit.votes.values()), total)
        assert abs(per_region[unit.name] - quota) < 1, unit.name  # within one station of its exact share
    territories = defaultdict(set)
    for region, territory in zip(batch.table.regions, batch.table.territories, strict=True):
        territories[region].add(territory)
    assert all(2 <= len(names) <= 12 for names in territories.values())


def test_regional_votes_sum_exactly_to_the_official_ones(batch: ProtocolBatch, official) -> None:  # type: ignore[no-untyped-def]
    sums: dict[str, Counter[str]] = defaultdict(Counter)
    for p in batch.protocols:
        sums[p.region].update(p.votes)
    for unit in official.units:
        if unit.level == "region":
            assert dict(sums[unit.name]) == dict(unit.votes), unit.name


def test_national_totals_are_the_official_ones(batch: ProtocolBatch, official) -> None:  # type: ignore[no-untyped-def]
    nation = official.nation
    totals = batch.totals()
    assert totals["registered"] == nation.registered == 11919241
    assert totals["ballots_cast"] == nation.ballots_cast == 7539280
    assert totals["invalid"] == nation.invalid == 297718
    assert totals["valid"] == nation.valid == 7241562
    assert {p.code: batch.sums()[p.code] for p in batch.parties} == dict(nation.votes)


def test_every_relation_holds_and_every_protocol_is_synthetic(batch: ProtocolBatch) -> None:
    assert check_protocols(batch) == []
    assert all(p.synthetic for p in batch.protocols)
    assert batch.meta["synthetic"] is True and batch.meta["seed"] == 11
    assert all(min(values) >= 0 for values in batch.table.columns.values())


def test_deterministic_per_seed_and_different_across_seeds(batch: ProtocolBatch) -> None:
    again = synthesize("kz-2021", 10060, seed=11)
    assert again.table.columns == batch.table.columns and again.table.stations == batch.table.stations
    other = synthesize("kz-2021", 10060, seed=12)
    assert other.table.columns["NO"] != batch.table.columns["NO"]
    assert other.sums()["NO"] == batch.sums()["NO"]


def test_a_small_count_still_gives_every_region_a_station() -> None:
    small = synthesize("kz-2021", 17, seed=1)
    assert len(small) == 17 and len(set(small.table.regions)) == 17
    assert check_protocols(small) == []
    with pytest.raises(InputError):
        synthesize("kz-2021", 16, seed=1)


def test_an_election_without_regions_is_refused() -> None:
    with pytest.raises(InputError, match="regional votes"):
        synthesize("kz-2016", 100, seed=1)
