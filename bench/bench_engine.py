"""Seat engine: saylau (exact) against votelib and apportionment, per call, in the same run."""

from __future__ import annotations

import random
import warnings
from fractions import Fraction

import saylau
from bench.common import Report, per_call, per_call_together
from saylau.core import ListTier, Party, System, allocate_system
from saylau.rules import get_ruleset

KZ_2021 = {"QHP": 659_019, "NO": 5_148_074, "AUYL": 383_023, "AJ": 792_828, "ADAL": 258_618}


def _random_lists(n: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    return {f"L{i:04d}": rng.randint(1_000, 1_000_000) for i in range(n)}


def _us_like_units(seed: int = 2020) -> dict[str, int]:
    # 50 units with populations spread like the US states' (0.5 to 40 million).
    rng = random.Random(seed)
    return {f"S{i:02d}": int(500_000 * (80 ** rng.random())) for i in range(50)}


def run(report: Report) -> None:
    import apportionment.methods as appt
    import votelib.evaluate.core as vcore
    import votelib.evaluate.proportional as vprop
    import votelib.evaluate.threshold as vthr

    warnings.simplefilter("ignore")

    # (a) Kazakhstan 2021: the full ruleset (7% of valid votes, Hare, runner-up clause, ties) per call.
    system = get_ruleset("kz-mazhilis-2021").system()
    parties = [Party(k, v, registration_order=i) for i, (k, v) in enumerate(KZ_2021.items(), 1)]
    assert allocate_system(parties, system).seats == {"QHP": 10, "NO": 76, "AUYL": 0, "AJ": 12, "ADAL": 0}
    vl = vcore.Conditioned(vthr.RelativeThreshold(Fraction(7, 100), accept_equal=True), vprop.LargestRemainder("hare"))
    votes = list(KZ_2021.values())
    # (a') the same through the public API, as an analyst calls it: a votes mapping and a ruleset name.
    assert saylau.allocate(KZ_2021, rules="kz-mazhilis-2021").seats == {"QHP": 10, "NO": 76, "AUYL": 0, "AJ": 12,
                                                                        "ADAL": 0}
    # Timed in turn, round after round, so that every figure of (a) and (a') sees the same machine.
    times = per_call_together({
        "core": lambda: allocate_system(parties, system),
        "public": lambda: saylau.allocate(KZ_2021, rules="kz-mazhilis-2021"),
        "votelib": lambda: vl.evaluate(KZ_2021, 98),
        "apportionment": lambda: appt.compute("largest_remainder", votes, 98, threshold=0.07),
    })
    ours, public = times["core"], times["public"]
    votelib_time, apportionment_time = times["votelib"], times["apportionment"]
    report.compare("(a) Kazakhstan 2021 vs votelib", ours, "votelib", votelib_time, 10)
    report.compare("(a) Kazakhstan 2021 vs apportionment (float)", ours, "apportionment", apportionment_time, 4)
    report.compare("(a') saylau.allocate(mapping, rules=...) vs votelib", public, "votelib", votelib_time, 10)
    report.compare("(a') saylau.allocate(mapping, rules=...) vs apportionment", public, "apportionment",
                   apportionment_time, 4)

    # (b) 10,000 seats among 1,000 lists.
    big = _random_lists(1_000, 1)
    big_parties = [Party(k, v, registration_order=i) for i, (k, v) in enumerate(big.items(), 1)]
    big_votes = list(big.values())
    names = list(big)
    for method, vl_method, appt_method, target in (
        ("dhondt", vprop.HighestAverages("d_hondt"), "dhondt", 20),
        ("hare", vprop.LargestRemainder("hare"), "largest_remainder", None),
    ):
        tier_system = System(method, ListTier(10_000, method))
        mine = allocate_system(big_parties, tier_system).seats
        theirs = vl_method.evaluate(big, 10_000)
        assert [theirs.get(k, 0) for k in big] == list(mine.values()), method
        ours_b = per_call(lambda s=tier_system: allocate_system(big_parties, s), min_time=0.5, repeat=3)
        report.compare(f"(b) 10,000 seats / 1,000 lists, {method} vs votelib", ours_b, "votelib",
                       per_call(lambda m=vl_method: m.evaluate(big, 10_000), min_time=0.5, repeat=3), target)
        report.compare(f"(b) 10,000 seats / 1,000 lists, {method} vs apportionment", ours_b, "apportionment",
                       per_call(lambda m=appt_method: appt.compute(m, big_votes, 10_000, parties=names),
                                min_time=0.5, repeat=3))

    # (c) Huntington-Hill, 435 seats among 50 units (the US House rule).
    units = _us_like_units()
    unit_parties = [Party(k, v, registration_order=i) for i, (k, v) in enumerate(units.items(), 1)]
    hh = System("hh", ListTier(435, "huntington-hill"))
    unit_votes = list(units.values())
    assert list(allocate_system(unit_parties, hh).seats.values()) == appt.compute("huntington", unit_votes, 435)
    report.compare("(c) Huntington-Hill 435 / 50 vs apportionment", per_call(lambda: allocate_system(unit_parties, hh)),
                   "apportionment", per_call(lambda: appt.compute("huntington", unit_votes, 435)), 3)
