"""The vectorised allocator against the core engine, row by row, over >= 100,000 random draws.

Draws come from several regimes: Kazakh-sized elections near the 7% line,
tiny elections where remainders and quotients tie all the time, rows built
to sit exactly on the threshold, an against-all line in the base, and lists
short of candidates. Systems vary method, threshold (>=, >, votes, none),
the runner-up clause and bounds.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

np = pytest.importorskip("numpy")

from saylau.analysis.vectorised import VECTOR_METHODS, allocate_batch  # noqa: E402
from saylau.core import ListTier, Party, RunnerUp, System, Threshold, allocate_system  # noqa: E402
from saylau.errors import AllocationError  # noqa: E402

ROWS_PER_SEED = 26_000  # four seeds: 104,000 draws
BATCH = 500


def _system(rng: np.random.Generator, seats: int) -> System:
    method = str(rng.choice(VECTOR_METHODS))
    kind = rng.integers(0, 5)
    threshold = None
    if kind == 1:
        threshold = Threshold(share=Fraction(7, 100), inclusive=True)
    elif kind == 2:
        threshold = Threshold(share=Fraction(5, 100), inclusive=False)
    elif kind == 3:
        threshold = Threshold(share=Fraction(int(rng.integers(1, 30)), int(rng.integers(30, 200))),
                              inclusive=bool(rng.integers(0, 2)))
    elif kind == 4:
        threshold = Threshold(votes_min=int(rng.integers(0, 40)), inclusive=bool(rng.integers(0, 2)))
    runner = None
    if rng.random() < 0.4 and method in ("hare", "droop", "hagenbach-bischoff", "imperiali"):
        runner = RunnerUp(Fraction(7, 10), 2)
    elif rng.random() < 0.2:
        runner = RunnerUp(Fraction(1, 2), 1)
    min_seats = int(rng.integers(1, 3)) if rng.random() < 0.1 else 0
    max_seats = int(rng.integers(max(min_seats, 1) + seats // 3, seats + 1)) if rng.random() < 0.1 else None
    exhaustion = str(rng.choice(["vacant", "vacant", "redistribute", "error"]))
    first = Fraction(int(rng.integers(11, 16)), 10)
    if min_seats and max_seats is not None and max_seats < min_seats:
        max_seats = None
    tier = ListTier(seats=seats, method=method, threshold=threshold, runner_up=runner, min_seats=min_seats,
                    max_seats=max_seats, exhaustion=exhaustion, first_divisor=first)  # type: ignore[arg-type]
    return System("random", tier)


def _ballot(rng: np.random.Generator, k: int) -> list[Party]:
    order = rng.permutation(k) + 1
    against = k > 2 and rng.random() < 0.2
    parties = []
    for j in range(k):
        kind = "against_all" if against and j == k - 1 else "list"
        candidates = int(rng.integers(1, 12)) if rng.random() < 0.15 else None
        parties.append(Party(f"P{j}", 0, kind, int(order[j]), candidates))  # type: ignore[arg-type]
    return parties


def _votes(rng: np.random.Generator, k: int, system: System) -> np.ndarray:
    regime = rng.integers(0, 4)
    if regime == 0:  # Kazakh-sized, near the line
        shares = rng.dirichlet(np.linspace(8, 1, k) * 3, size=BATCH)
        total = int(rng.integers(1_000, 8_000_000))
        return rng.multinomial(total, shares)
    if regime == 1:  # tiny: ties everywhere
        return rng.integers(0, int(rng.integers(2, 25)), size=(BATCH, k))
    if regime == 2:  # multiples of a few values: equal quotients and remainders
        return rng.integers(0, 6, size=(BATCH, k)) * int(rng.integers(1, 50))
    # exactly at the threshold: column 0 holds n/d of the row's total
    votes = rng.integers(0, 400, size=(BATCH, k))
    threshold = system.lists.threshold
    if threshold is not None and threshold.share is not None and 0 < threshold.share < 1:
        n, d = threshold.share.numerator, threshold.share.denominator
        m = rng.integers(1, 40, size=BATCH)
        others = (d - n) * m
        votes[:, 1:] = rng.multinomial(1, np.ones(k - 1) / (k - 1), size=BATCH) * 0
        split = rng.dirichlet(np.ones(k - 1), size=BATCH)
        rest = np.floor(split * others[:, None]).astype(np.int64)
        rest[:, 0] += others - rest.sum(axis=1)
        votes[:, 1:] = rest
        votes[:, 0] = n * m
        votes[rng.random(BATCH) < 0.3, 0] -= 1  # and one vote below it
    return votes


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(4))
def test_vectorised_equals_core_row_by_row(seed: int) -> None:
    rng = np.random.default_rng([2021, seed])
    checked = fallback = no_result = 0
    while checked < ROWS_PER_SEED:
        k = int(rng.integers(2, 8))
        seats = int(rng.choice([1, 2, 3, 5, 7, 10, 15, 98]))
        system = _system(rng, seats)
        parties = _ballot(rng, k)
        votes = _votes(rng, k, system)
        batch = allocate_batch(votes, system, parties)
        fallback += batch.fallback
        for r in range(votes.shape[0]):
            row = [Party(p.name, int(votes[r, j]), p.kind, p.registration_order, p.candidates)
                   for j, p in enumerate(parties)]
            try:
                expected = allocate_system(row, system)
            except AllocationError:
                assert not batch.ok[r], (system, row)
                no_result += 1
                continue
            assert batch.ok[r], (system, row)
            got = dict(zip((p.name for p in parties), batch.seats[r].tolist(), strict=True))
            assert got == expected.seats, (system, row, got, expected.seats)
            assert batch.passed[r].tolist() == [expected.line(p.name).passed for p in parties], (system, row)
        checked += votes.shape[0]
    assert checked >= ROWS_PER_SEED
    # The vectorised path does the bulk; the core only the rows it must.
    assert fallback < checked / 2


def test_kz_2021_official_result() -> None:
    parties = [Party(n, 0, "list", o) for n, o in (("QHP", 1), ("NO", 2), ("AUYL", 3), ("AJ", 4), ("ADAL", 5))]
    from saylau.engine import build_system

    system = build_system("kz-mazhilis-2021")
    votes = np.array([[659_019, 5_148_074, 383_023, 792_828, 258_618]])
    batch = allocate_batch(votes, system, parties)
    assert batch.seats.tolist() == [[10, 76, 0, 12, 0]]
    assert batch.fallback == 0


def test_runner_up_clause_vectorised() -> None:
    """One list over 7%: the next largest joins with quotient × 0.7 and at least two seats."""
    from saylau.engine import build_system

    system = build_system("kz-mazhilis-2021")
    parties = [Party(n, 0, "list", o) for n, o in (("A", 1), ("B", 2), ("C", 3))]
    votes = np.array([[900, 60, 40], [990, 6, 4], [900, 50, 50], [10_000, 1, 0]])
    batch = allocate_batch(votes, system, parties)
    assert batch.fallback == 0
    for r in range(votes.shape[0]):
        row = [Party(p.name, int(votes[r, j]), p.kind, p.registration_order) for j, p in enumerate(parties)]
        assert batch.seats[r].tolist() == list(allocate_system(row, system).seats.values())
    assert batch.seats[1].tolist() == [96, 2, 0]  # the minimum of two seats
    assert batch.seats[2].tolist() == [94, 4, 0]  # equal runners-up: the one registered earlier


def test_no_list_passing_is_flagged_not_invented() -> None:
    from saylau.engine import build_system

    system = build_system("kz-mazhilis-2021")
    parties = [Party(f"L{i}", 0, "list", i + 1) for i in range(20)]
    votes = np.full((3, 20), 50)
    batch = allocate_batch(votes, system, parties)
    assert batch.ok.tolist() == [False, False, False]
    assert batch.seats.sum() == 0


def test_rejects_fractional_and_negative_votes() -> None:
    from saylau.engine import build_system
    from saylau.errors import InputError

    system = build_system("kz-mazhilis-2021")
    parties = [Party("A", 0), Party("B", 0)]
    with pytest.raises(InputError, match="whole numbers"):
        allocate_batch(np.array([[1.5, 2.0]]), system, parties)
    with pytest.raises(InputError, match="negative"):
        allocate_batch(np.array([[-1, 2]]), system, parties)
