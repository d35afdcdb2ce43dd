"""The one-pass path for plain quota allocations gives exactly what the general path gives."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.core import QUOTAS, ListTier, Party, System, Threshold, allocate_system, compose
from saylau.errors import SaylauError


def _general(parties: list[Party], system: System, **totals: int) -> object:
    """The general path alone: the fast path is switched off by passing a tuple, not a list."""
    return allocate_system(tuple(parties), system, **totals)


@settings(max_examples=400, deadline=None)
@given(
    votes=st.lists(st.integers(0, 10_000), min_size=1, max_size=8),
    seats=st.integers(1, 60),
    method=st.sampled_from(sorted(QUOTAS)),
    percent=st.one_of(st.none(), st.integers(0, 30)),
    inclusive=st.booleans(),
    against=st.booleans(),
    runner_up=st.booleans(),
    order=st.permutations(range(8)),
)
def test_fast_and_general_paths_agree(votes: list[int], seats: int, method: str, percent: int | None,
                                      inclusive: bool, against: bool, runner_up: bool, order: list[int]) -> None:
    parties = [Party(f"L{i}", v, "against_all" if against and i == 0 else "list", order[i] + 1)
               for i, v in enumerate(votes)]
    threshold = None if percent is None else Threshold(Fraction(percent, 100), inclusive=inclusive)
    from saylau.core import RunnerUp

    system = System("x", ListTier(seats, method, threshold, runner_up=RunnerUp() if runner_up else None))
    try:
        general = _general(parties, system)
    except SaylauError as exc:
        try:
            allocate_system(parties, system)
        except SaylauError as again:
            assert type(again) is type(exc)
            return
        raise AssertionError("the fast path gave a result where the general path refused") from None
    fast = allocate_system(parties, system)
    assert fast == general


def test_the_fast_path_is_taken_for_the_kazakh_case() -> None:
    parties = [Party("A", 659_019, registration_order=1), Party("B", 5_148_074, registration_order=2),
               Party("C", 792_828, registration_order=3)]
    system = System("x", ListTier(98, "hare", Threshold(Fraction(7, 100))))
    assert compose._plain_quota(parties, system, None, None, None, None, ()) is not None
    assert allocate_system(parties, system) == _general(parties, system)


@settings(max_examples=300, deadline=None)
@given(
    votes=st.dictionaries(st.text(max_size=3), st.one_of(st.integers(-1, 10_000), st.booleans()), max_size=8),
    seats=st.integers(1, 60),
    method=st.sampled_from(sorted(QUOTAS)),
    percent=st.one_of(st.none(), st.integers(0, 30)),
)
def test_a_votes_mapping_takes_the_fast_path_to_the_same_result(votes: dict[str, int], seats: int, method: str,
                                                                percent: int | None) -> None:
    # A dict goes straight to the one-pass path; any other Mapping takes the checked general path.
    from types import MappingProxyType

    threshold = None if percent is None else Threshold(Fraction(percent, 100))
    system = System("x", ListTier(seats, method, threshold))
    try:
        general = allocate_system(MappingProxyType(votes), system)
    except SaylauError as exc:
        try:
            allocate_system(votes, system)
        except SaylauError as again:
            assert (type(again), str(again)) == (type(exc), str(exc))
            return
        raise AssertionError("the mapping path gave a result where the general path refused") from None
    assert allocate_system(votes, system) == general


def test_a_plain_mapping_is_allocated_without_checked_party_construction(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # The mapping path makes its lines without calling Party's checked constructor per line.
    from types import MappingProxyType

    votes = {"A": 659_019, "B": 5_148_074, "C": 792_828}
    system = System("x", ListTier(98, "hare", Threshold(Fraction(7, 100))))
    expected = allocate_system(MappingProxyType(votes), system)  # the checked general path
    calls = []
    original = Party.__new__

    def counting(cls, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(args)
        return original(cls, *args, **kwargs)

    monkeypatch.setattr(Party, "__new__", counting)
    assert allocate_system(votes, system) == expected
    assert calls == []
