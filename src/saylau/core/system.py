"""The description of an electoral system the engine executes: lists, tiers and clauses.

These are plain frozen values. :mod:`saylau.rules` reads them from dated TOML
rulesets; a user may also build one in Python. Every part names the legal
clause it implements, so each step of an allocation can cite its source.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal, NamedTuple

from saylau.core.divisors import DIVISOR_METHODS, DivisorMethod, modified_sainte_lague
from saylau.core.quotas import QUOTAS, Quota
from saylau.core.thresholds import Threshold
from saylau.core.ties import TIE_POLICIES, TiePolicy
from saylau.errors import InputError

__all__ = [
    "EXHAUSTION_POLICIES",
    "METHODS",
    "Coverage",
    "Exhaustion",
    "FixedTier",
    "ListTier",
    "Party",
    "RunnerUp",
    "ShareBand",
    "System",
    "method_family",
]

Kind = Literal["list", "against_all"]
Exhaustion = Literal["vacant", "redistribute", "error"]
EXHAUSTION_POLICIES: tuple[Exhaustion, ...] = ("vacant", "redistribute", "error")

#: Every method name the engine knows, quota methods first.
METHODS: tuple[str, ...] = (*QUOTAS, *DIVISOR_METHODS)


def method_family(name: str) -> Literal["quota", "divisor"]:
    if name in QUOTAS:
        return "quota"
    if name in DIVISOR_METHODS:
        return "divisor"
    raise ValueError(f"unknown method {name!r}; choose one of {', '.join(METHODS)}")


class _Line(NamedTuple):
    name: str
    votes: int
    kind: Kind = "list"
    registration_order: int | None = None
    candidates: int | None = None


class Party(_Line):
    """One line of the ballot and its votes: an immutable named tuple, checked when it is made.

    An ill-formed line (negative or non-integer votes, an empty name, an unknown
    kind) cannot exist, so allocations need not check each line again.
    """

    __slots__ = ()

    def __new__(
        cls,
        name: str,
        votes: int,
        kind: Kind = "list",
        registration_order: int | None = None,
        candidates: int | None = None,
    ) -> Party:
        if type(name) is not str or not name.strip():
            raise InputError("a party needs a name", field="party", value=name)
        if type(votes) is not int:
            raise InputError("votes must be a whole number", field="votes", value=votes)
        if votes < 0:
            raise InputError("votes must not be negative", field="votes", value=votes)
        if kind != "list" and kind != "against_all":
            raise InputError("kind must be 'list' or 'against_all'", field="kind", value=kind)
        if registration_order is not None and type(registration_order) is not int:
            raise InputError("registration order must be a whole number", field="registration_order",
                             value=registration_order)
        if candidates is not None and (type(candidates) is not int or candidates < 0):
            raise InputError("candidates must be a whole number >= 0", field="candidates", value=candidates)
        return tuple.__new__(cls, (name, votes, kind, registration_order, candidates))

    @classmethod
    def _make(cls, iterable: Iterable[Any]) -> Party:  # type: ignore[override]  # _replace: keep the checks
        return cls(*iterable)


@dataclass(frozen=True, slots=True)
class RunnerUp:
    """Kazakhstan's clause for when only one list passes the threshold.

    The list with the next largest vote is admitted too; the quota is
    (v1 + v2) / seats; the runner-up's quotient is multiplied by ``factor``;
    it receives not less than ``min_seats``.
    """

    factor: Fraction = Fraction(7, 10)
    min_seats: int = 2
    clause: str = ""


@dataclass(frozen=True, slots=True)
class Coverage:
    """Russia's clause that the admitted lists must together hold enough of the vote.

    When the lists that passed the threshold hold ``share`` of the threshold's
    base or less (or less than it, when ``inclusive``), lists below the
    threshold are admitted too, one at a time in order of votes, until they hold
    more; and at least ``min_lists`` lists are admitted (the runner-up joins
    a single list that holds the share alone). Admitted lists take part in the
    division like any other.
    """

    share: Fraction
    inclusive: bool = False
    """True: "``share`` or more" suffices; False: "more than ``share``" (the Russian wording)."""
    min_lists: int = 2
    clause: str = ""

    def __post_init__(self) -> None:
        if not 0 <= self.share <= 1:
            raise ValueError(f"coverage share {self.share} is outside [0, 1]")
        if isinstance(self.min_lists, bool) or not isinstance(self.min_lists, int) or self.min_lists < 0:
            raise ValueError(f"min_lists must be a whole number >= 0, not {self.min_lists!r}")

    def met(self, votes: int, base_total: int) -> bool:
        """Do ``votes`` (the admitted lists' sum) hold the share of ``base_total``? Exact cross-product."""
        left, right = votes * self.share.denominator, self.share.numerator * base_total
        return left >= right if self.inclusive else left > right


@dataclass(frozen=True, slots=True)
class ShareBand:
    """Seats for lists that missed the threshold by a little: a share in [lower, upper) wins ``seats``.

    Russia 2009-2013: 5% to under 6% of the base one seat, 6% to under 7% two.
    Such lists take no part in the division; the other seats are divided among
    the admitted lists.
    """

    lower: Fraction
    upper: Fraction
    seats: int
    clause: str = ""

    def __post_init__(self) -> None:
        if not 0 <= self.lower < self.upper <= 1:
            raise ValueError(f"a share band needs 0 <= lower < upper <= 1, not [{self.lower}, {self.upper})")
        if isinstance(self.seats, bool) or not isinstance(self.seats, int) or self.seats < 1:
            raise ValueError(f"a share band's seats must be a whole number >= 1, not {self.seats!r}")

    def holds(self, votes: int, base_total: int) -> bool:
        """``lower <= votes / base_total < upper``, compared as integer cross-products."""
        lo, hi = self.lower, self.upper
        return (votes * lo.denominator >= lo.numerator * base_total
                and votes * hi.denominator < hi.numerator * base_total)


@dataclass(frozen=True, slots=True)
class ListTier:
    """Seats divided among party lists by one method, after a threshold."""

    seats: int
    method: str = "hare"
    threshold: Threshold | None = None
    ties: TiePolicy = "registration"
    first_divisor: Fraction = Fraction(7, 5)
    runner_up: RunnerUp | None = None
    min_seats: int = 0
    max_seats: int | None = None
    exhaustion: Exhaustion = "vacant"
    coverage: Coverage | None = None
    bands: tuple[ShareBand, ...] = ()
    name: str = "party lists"
    clauses: dict[str, str] = field(default_factory=dict, hash=False, compare=True)
    """Legal references by topic: seats, method, threshold, ties, runner_up, exhaustion, no_list, coverage, bands."""
    # Derived once, for the allocation hot path.
    _family: Literal["quota", "divisor"] = field(init=False, repr=False, compare=False, default="quota")
    _unbounded: bool = field(init=False, repr=False, compare=False, default=True)
    _plain: bool = field(init=False, repr=False, compare=False, default=True)
    """Unbounded, and no clause that admits lists or gives seats outside the division (the fast path)."""

    def __post_init__(self) -> None:
        if isinstance(self.seats, bool) or not isinstance(self.seats, int) or self.seats < 1:
            raise ValueError(f"seats must be a whole number >= 1, not {self.seats!r}")
        method_family(self.method)
        if self.ties not in TIE_POLICIES:
            raise ValueError(f"unknown tie policy {self.ties!r}; choose one of {', '.join(TIE_POLICIES)}")
        if self.exhaustion not in EXHAUSTION_POLICIES:
            raise ValueError(
                f"unknown exhaustion policy {self.exhaustion!r}; choose one of {', '.join(EXHAUSTION_POLICIES)}"
            )
        if self.min_seats < 0:
            raise ValueError(f"min_seats must be >= 0, not {self.min_seats}")
        if self.max_seats is not None and self.max_seats < max(self.min_seats, 1):
            raise ValueError(f"max_seats {self.max_seats} is below min_seats {self.min_seats} or 1")
        if self.method == "modified-sainte-lague":
            modified_sainte_lague(self.first_divisor)  # validates
        if (self.coverage is not None or self.bands) and (self.threshold is None or self.threshold.share is None):
            raise ValueError("a coverage clause or share bands need a threshold that is a share of a base")
        object.__setattr__(self, "bands", tuple(self.bands))
        object.__setattr__(self, "_family", method_family(self.method))
        object.__setattr__(self, "_unbounded",
                           not self.min_seats and self.max_seats is None and self.exhaustion != "redistribute")
        object.__setattr__(self, "_plain", self._unbounded and self.coverage is None and not self.bands)

    @property
    def family(self) -> Literal["quota", "divisor"]:
        return self._family

    @property
    def quota(self) -> Quota:
        return QUOTAS[self.method]

    @property
    def divisor_method(self) -> DivisorMethod:
        if self.method == "modified-sainte-lague" and self.first_divisor != Fraction(7, 5):
            return modified_sainte_lague(self.first_divisor)
        return DIVISOR_METHODS[self.method]

    def clause(self, topic: str) -> str:
        return self.clauses.get(topic, "")


@dataclass(frozen=True, slots=True)
class FixedTier:
    """Seats not divided by list votes: appointed by a body, or won in single-member districts."""

    name: str
    seats: int
    kind: Literal["appointed", "plurality"] = "appointed"
    body: str = ""
    clause: str = ""


@dataclass(frozen=True, slots=True)
class System:
    """A whole electoral system: one list tier and any number of fixed tiers beside it."""

    name: str
    lists: ListTier
    tiers: tuple[FixedTier, ...] = ()
    title: str = ""

    @property
    def total_seats(self) -> int:
        return self.lists.seats + sum(t.seats for t in self.tiers)
