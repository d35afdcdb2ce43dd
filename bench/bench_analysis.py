"""Analysis: one million simulated Kazakh elections, vectorised and exact, against votelib per allocation.

The elections: 5 lists around the 2021 official shares (Dirichlet, n = 2,000),
7,241,562 valid votes each (multinomial), 98 seats, 7% of valid votes, Hare
largest remainder, the runner-up clause, ties by registration order: the
kz-mazhilis-2021 ruleset. votelib's equivalent evaluator (threshold plus Hare
largest remainder) is timed per allocation on a 2,000-election sample of the
same draws, in the same run.
"""

from __future__ import annotations

import time
from fractions import Fraction

from bench.common import Report, per_call

MILLION = 1_000_000
SAMPLE = 2_000
NAMES = ("QHP", "NO", "AUYL", "AJ", "ADAL")
SHARES = (0.091, 0.711, 0.053, 0.109, 0.036)
VALID = 7_241_562


def run(report: Report) -> None:
    import numpy as np
    import votelib.evaluate.core as vcore
    import votelib.evaluate.proportional as vprop
    import votelib.evaluate.threshold as vthr

    from saylau.analysis.simulate import simulate
    from saylau.analysis.vectorised import allocate_batch
    from saylau.core import Party, allocate_system
    from saylau.engine import build_system

    system = build_system("kz-mazhilis-2021")
    parties = [Party(n, 0, "list", i) for i, n in enumerate(NAMES, start=1)]
    rng = np.random.default_rng(2021)
    votes = rng.multinomial(VALID, rng.dirichlet(2000 * np.array(SHARES), size=MILLION))

    timings = []
    for _ in range(3):
        start = time.perf_counter()
        batch = allocate_batch(votes, system, parties)
        timings.append(time.perf_counter() - start)
    ours = min(timings)
    assert batch.ok.all() and (batch.seats.sum(axis=1) == 98).all()

    sample = votes[:SAMPLE]
    rows = [dict(zip(NAMES, (int(v) for v in row), strict=True)) for row in sample]
    evaluator = vcore.Conditioned(vthr.RelativeThreshold(Fraction(7, 100), accept_equal=True),
                                  vprop.LargestRemainder("hare"))

    def votelib_sample() -> None:
        for row in rows:
            evaluator.evaluate(row, 98)

    votelib_each = per_call(votelib_sample, min_time=0.5, repeat=3) / SAMPLE
    parties_rows = [[Party(n, v, "list", i) for i, (n, v) in enumerate(row.items(), start=1)] for row in rows]

    def core_sample() -> None:
        for row in parties_rows:
            allocate_system(row, system)

    core_each = per_call(core_sample, min_time=0.5, repeat=3) / SAMPLE

    agree = 0
    for r, row in enumerate(rows):
        theirs = evaluator.evaluate(row, 98)
        agree += all(theirs.get(n, 0) == int(batch.seats[r, j]) for j, n in enumerate(NAMES))
    runner_up = int((batch.passed.sum(axis=1) == 1).sum())

    report.compare("per allocation, 1M Kazakh elections (vectorised)", ours / MILLION, "votelib", votelib_each,
                   target=300)
    report.compare("per allocation, vectorised vs saylau core", ours / MILLION, "core", core_each)
    report.figure("1,000,000 allocations (votes drawn beforehand)", f"{ours:.3f} s", "<= 2 s", ours <= 2.0)
    start = time.perf_counter()
    draws = simulate(SHARES, parties, system, n_eff=2000, votes_cast=VALID, sims=MILLION, seed=2021)
    total = time.perf_counter() - start
    report.figure("1,000,000 elections drawn and allocated (simulate)", f"{total:.3f} s")
    report.figure("rows computed by the core engine (fallback)", f"{batch.fallback + draws.fallback:,}")
    report.figure("runner-up clause rows among the million", f"{runner_up:,}")
    report.figure("votelib agrees on the sample", f"{agree:,} / {SAMPLE:,}")
