"""The pipeline from votes to seats: totals, threshold, special clauses, division, bounds, vacancies.

:func:`allocate_system` runs one :class:`~saylau.core.system.System` over one
set of ballot lines and returns an :class:`~saylau.core.result.Allocation`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

from saylau.core.allocators import Apportionment, highest_averages, largest_remainder
from saylau.core.quotas import QUOTAS
from saylau.core.result import Allocation, Round, Totals
from saylau.core.system import Coverage, ListTier, Party, System
from saylau.core.thresholds import BASE_LABELS
from saylau.core.ties import TieBreaker
from saylau.errors import AllocationError, InputError, ListExhausted, NoListPassed

__all__ = ["allocate_system", "normalise_parties"]

ONE = Fraction(1)
_NOTHING_GIVEN: frozenset[str] = frozenset()


def normalise_parties(votes: Mapping[str, int] | Iterable[Party], *, source: str | None = None) -> tuple[
    list[Party], bool
]:
    """Check ballot lines and give each a registration order.

    Returns the parties and whether the order was taken from the input order
    (the law's tie rule needs registration order; the result must say when it
    was not given).
    """
    try:
        if isinstance(votes, Mapping):
            lines = _lines_of_mapping(votes)
            if lines is not None:
                return lines, True
            parties = [Party(name, count, "list", i) for i, (name, count) in enumerate(votes.items(), start=1)]
            from_input = True
        else:
            parties = [p if type(p) is Party else Party(*p) for p in votes]
            from_input = False
    except InputError as exc:
        _reject(votes.items() if isinstance(votes, Mapping) else votes, source)
        raise InputError(exc.reason, source=source, field=exc.field, value=exc.value) from None
    if not parties:
        raise InputError("no ballot lines", source=source)
    # Each Party checked itself when it was made; what is left is what lines say about each other.
    names = set()
    orders = set()
    given = 0
    for p in parties:
        names.add(p[0])
        order = p[3]
        if order is not None:
            given += 1
            orders.add(order)
    if len(names) != len(parties):
        _reject(parties, source)
    if from_input:
        return parties, True
    if given == len(parties):
        if len(orders) != given:
            listed = [p.registration_order for p in parties]
            dup = next(o for o in listed if listed.count(o) > 1)
            raise InputError("duplicate registration order", source=source, row=listed.index(dup) + 1,
                             field="registration_order", value=dup)
        return parties, False
    if given:
        row = next(i for i, p in enumerate(parties, start=1) if p.registration_order is None)
        raise InputError("registration order is given for some lines but not this one",
                         source=source, row=row, field="registration_order", value="")
    return [Party(p.name, p.votes, p.kind, i, p.candidates) for i, p in enumerate(parties, start=1)], True


_new = tuple.__new__
"""``tuple.__new__``: a named tuple made from values already checked, without its Python-level constructor."""


def _lines_of_mapping(votes: Mapping[str, int]) -> list[Party] | None:
    """``{name: votes}`` as list lines in input order, or None if any entry is not plainly well formed.

    The hot path of ``saylau.allocate(mapping)``: the checks :class:`Party` makes (a non-blank
    name, whole votes >= 0) done inline, and each line made as the tuple it is, without a checked
    constructor call per line; a mapping's names are unique by construction. Anything doubtful
    goes the checked way.
    """
    lines: list[Party] = []
    add = lines.append
    order = 0
    for name, count in votes.items():
        if type(name) is not str or type(count) is not int or count < 0 or not name or name.isspace():
            return None
        order += 1  # noqa: SIM113  (enumerate would make a tuple per line: ~1,500 instructions a call)
        add(_new(Party, (name, count, "list", order, None)))
    return lines or None


def _reject(lines: Iterable[Any], source: str | None) -> None:
    """Raise the error for the first bad line, with its row (the slow path of :func:`normalise_parties`)."""
    seen: set[str] = set()
    for row, line in enumerate(lines, start=1):
        try:
            party = line if type(line) is Party else Party(*line)
        except InputError as exc:
            raise InputError(exc.reason, source=source, row=row, field=exc.field, value=exc.value) from None
        except TypeError:
            raise InputError("not a ballot line (name, votes, ...)", source=source, row=row, value=line) from None
        if party.name in seen:
            raise InputError("duplicate party", source=source, row=row, field="party", value=party.name)
        seen.add(party.name)


def _totals(parties: Sequence[Party], valid: int | None, ballots_cast: int | None,
            registered: int | None) -> Totals:
    listed = sum([p[1] for p in parties])
    if valid is None and ballots_cast is None and registered is None:
        return Totals(listed, None, None, listed, _NOTHING_GIVEN)
    given: set[str] = set()
    for name, value in (("valid", valid), ("ballots_cast", ballots_cast), ("registered", registered)):
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InputError(f"{BASE_LABELS[name]} must be a whole number >= 0", field=name, value=value)
        given.add(name)
    if valid is not None and valid < listed:
        raise InputError(f"valid votes ({valid}) are fewer than the lines add up to ({listed})",
                         field="valid", value=valid)
    effective_valid = listed if valid is None else valid
    if ballots_cast is not None and ballots_cast < effective_valid:
        raise InputError(f"ballots cast ({ballots_cast}) are fewer than the valid votes ({effective_valid})",
                         field="ballots_cast", value=ballots_cast)
    floor = ballots_cast if ballots_cast is not None else effective_valid
    if registered is not None and registered < floor:
        raise InputError(f"registered voters ({registered}) are fewer than the ballots ({floor})",
                         field="registered", value=registered)
    return Totals(effective_valid, ballots_cast, registered, listed, frozenset(given))


def allocate_system(
    votes: Mapping[str, int] | Iterable[Party],
    system: System,
    *,
    valid: int | None = None,
    ballots_cast: int | None = None,
    registered: int | None = None,
    seed: int | str | None = None,
    source: str | None = None,
) -> Allocation:
    """Allocate the list seats of ``system`` to ``votes``.

    ``valid``, ``ballots_cast`` and ``registered`` are the election's totals;
    the one the threshold is based on must be known (valid votes default to
    the sum of the lines). ``seed`` drives a tie drawn by lot.
    """
    tier = system.lists
    if tier._family == "quota" and tier._plain:
        fast = None
        if type(votes) is list:
            fast = _plain_quota(votes, system, valid, ballots_cast, registered, seed, ())
        elif type(votes) is dict:
            lines = _lines_of_mapping(votes)
            if lines is not None:
                fast = _plain_quota(lines, system, valid, ballots_cast, registered, seed, _INPUT_ORDER_NOTE, votes)
        if fast is not None:
            return fast
    parties, order_from_input = normalise_parties(votes, source=source)
    totals = _totals(parties, valid, ballots_cast, registered)
    order = _Order()
    order.parties = parties
    ties = TieBreaker(tier.ties, order, seed=seed, clause=tier.clauses.get("ties", ""),
                      votes={p.name: p.votes for p in parties} if tier.ties == "votes" else None)

    threshold = tier.threshold
    base_total = 0
    if threshold is not None and threshold.share is not None:
        known = totals.get(threshold.base)
        if known is None:
            raise InputError(f"the threshold is a share of {BASE_LABELS[threshold.base]}, which was not given",
                             field=threshold.base)
        base_total = known
    if threshold is None:
        admission = ["threshold" if p.kind == "list" else "against all" for p in parties]
    else:
        ok = threshold.passing([p.votes for p in parties], base_total)
        admission = [("threshold" if passes else "below threshold") if p.kind == "list" else "against all"
                     for p, passes in zip(parties, ok, strict=True)]
    if tier.coverage is not None:
        _cover(tier.coverage, parties, admission, base_total)
    band_seats = _bands(tier, parties, admission, base_total) if tier.bands else {}
    divided = tier.seats - sum(band_seats.values())
    if divided < 1:
        raise AllocationError(f"the share bands take {tier.seats - divided} of the {tier.seats} seats; "
                              "none is left to divide")
    passed = admission.count("threshold") + admission.count("coverage")
    if not passed:
        if "below threshold" not in admission:
            raise InputError("no party lists among the ballot lines", source=source)
        rule = tier.clause("no_list") or tier.clause("threshold")
        raise NoListPassed(
            f"no list reached the threshold ({threshold.describe() if threshold else 'none'})"
            + (f" [{rule}]" if rule else "")
            + "; the rules provide no allocation for this case, so none is invented"
        )
    weights: dict[str, Fraction] = {}
    if passed == 1 and tier.runner_up is not None:
        rest = [p for p, a in zip(parties, admission, strict=True) if a == "below threshold" and p.votes > 0]
        if rest:
            best = max(p.votes for p in rest)
            contenders = [p.name for p in rest if p.votes == best]
            if len(contenders) > 1:
                contenders = ties.choose(contenders, 1, seat=1, stage="runner-up")
            runner = contenders[0]
            admission[next(i for i, p in enumerate(parties) if p.name == runner)] = "runner-up"
            weights[runner] = tier.runner_up.factor
        else:
            admission[admission.index("threshold")] = "sole list"
    admitted = [p for p, a in zip(parties, admission, strict=True) if a in _ADMITTED]

    cap = tier.max_seats
    if not weights and tier._unbounded:
        a = _divide(tier, admitted, divided, None, ties, False)
        rounds: list[Round] = [Round(a, divided, _NO_BOUNDS)]
        won_in_order = iter(a.seats)  # admitted lists keep ballot order
        won = tuple([next(won_in_order) if status in _ADMITTED else band_seats.get(i, 0)
                     for i, status in enumerate(admission)])
        bounds: tuple[str, ...] = ()
    else:
        lo = {p.name: tier.min_seats for p in admitted}
        if tier.runner_up is not None:
            for name in weights:
                lo[name] = max(tier.min_seats, tier.runner_up.min_seats)
        if tier.exhaustion == "redistribute":
            hi = {p.name: p.candidates if cap is None else min(cap, p.candidates)
                  if p.candidates is not None else cap for p in admitted}
        else:
            hi = dict.fromkeys(lo, cap)
        rounds = _apportion_bounded(tier, divided, admitted, lo, hi, weights, ties, bool(weights))
        final = rounds[-1]
        seats_of = dict(zip(final.apportionment.names, final.apportionment.seats, strict=True))
        for name, (count, _why) in final.fixed.items():
            seats_of[name] = count
        won = tuple([seats_of.get(p.name, band_seats.get(i, 0)) for i, p in enumerate(parties)])
        bounds = tuple([final.fixed[p.name][1] if p.name in final.fixed else "" for p in parties])

    if tier.exhaustion == "error":
        for p, count in zip(parties, won, strict=True):
            if p.candidates is not None and count > p.candidates:
                raise ListExhausted(
                    f"list {p.name!r} won {count} seats but has {p.candidates} candidates"
                    + (f" [{tier.clause('exhaustion')}]" if tier.clause("exhaustion") else "")
                )
    notes = _INPUT_ORDER_NOTE if order_from_input else ()
    return Allocation(system, tuple(parties), totals, tuple(rounds), tuple(ties.records), notes,
                      tuple(admission), won, bounds, seed)


def _plain_quota(parties: list[Party], system: System, valid: int | None, ballots_cast: int | None,
                 registered: int | None, seed: int | str | None, notes: tuple[str, ...],
                 votes: dict[str, int] | None = None) -> Allocation | None:
    """The common case in one pass, or None to let the general path decide.

    Well-formed ballot lines with their registration order, a quota method over
    at least two lists that pass a share threshold, no bounds, no runner-up
    clause in play, no list refusing seats for want of candidates and no tie at
    the cut: the general path would do exactly this, more slowly (a property
    test holds the two equal). Anything else, bad input included, returns None.
    ``votes`` is given only with the lines :func:`_lines_of_mapping` made from it (list lines,
    well formed, uniquely named and ordered): their check is skipped, and they are classified
    from the mapping's (name, votes) pairs, which unpack faster than the lines.
    """
    if votes is not None:
        listed = sum(votes.values())
    else:
        names_seen = set()
        orders_seen = set()
        listed = 0
        for p in parties:
            if type(p) is not Party or p[3] is None:  # a Party checked its own fields when it was made
                return None
            names_seen.add(p[0])
            orders_seen.add(p[3])
            listed += p[1]
        if len(names_seen) != len(parties) or len(orders_seen) != len(parties):
            return None
    if valid is None and ballots_cast is None and registered is None:
        totals: Totals = _new(Totals, (listed, None, None, listed, _NOTHING_GIVEN))
    else:
        totals = _totals(parties, valid, ballots_cast, registered)
    tier = system.lists
    threshold = tier.threshold
    # A list passes when votes * den >= floor: "more than" is ">= one more", the integers being whole.
    den, floor = 1, 0
    if threshold is not None:
        base = totals.valid if threshold.base == "valid" else totals.get(threshold.base)
        if threshold.share is None or base is None:
            return None
        den, floor = threshold._den, threshold._num * base
        if not threshold.inclusive:
            floor += 1
    admission: list[str] = []
    admit = admission.append
    names: list[str] = []
    counts: list[int] = []
    if votes is not None:  # list lines only, in the mapping's order
        for name, count in votes.items():
            if count * den >= floor:
                admit("threshold")
                names.append(name)
                counts.append(count)
            else:
                admit("below threshold")
    else:
        for name, count, kind, _order, _candidates in parties:
            if kind != "list":
                admit("against all")
            elif count * den >= floor:
                admit("threshold")
                names.append(name)
                counts.append(count)
            else:
                admit("below threshold")
    n = len(counts)
    if n < 2 and (n == 0 or tier.runner_up is not None):
        return None
    total = sum(counts)
    if not total:
        return None
    seats = tier.seats
    qn, qd = QUOTAS[tier.method].ratio(total, seats)
    if qn <= 0:
        return None
    # Quotients v * qd / qn: whole quotas and remainders in integers, one pass (the benchmark's hot path).
    numerators: list[int] = []
    result: list[int] = []
    remainders: list[int] = []
    given = 0
    for v in counts:
        x = v * qd
        whole, rest = divmod(x, qn)
        numerators.append(x)
        result.append(whole)
        remainders.append(rest)
        given += whole
    left = seats - given
    if not 0 <= left < n:
        return None
    extra = [0] * n
    if left:
        cut = sorted(remainders)
        least = cut[n - left]  # the smallest remainder that wins a seat
        if cut[n - left - 1] == least:
            return None  # a tie at the cut: the general path breaks and records it
        for i, rest in enumerate(remainders):
            if rest >= least:  # one of the ``left`` largest remainders
                result[i] += 1
                extra[i] = 1
    if n == len(admission):
        won = tuple(result)
    else:
        won_list: list[int] = []
        k = 0
        for status in admission:
            if status == "threshold":
                won_list.append(result[k])
                k += 1
            else:
                won_list.append(0)
        won = tuple(won_list)
    if tier.exhaustion == "error" and any(p[4] is not None and w > p[4] for p, w in zip(parties, won, strict=True)):
        return None
    # The named tuples made as tuples (every field given, in field order): no Python-level constructor.
    a: Apportionment = _new(Apportionment, (tuple(names), tuple(counts), tuple(result), "quota", (qn, qd), qn,
                                            tuple(numerators), tuple(extra), (0,) * n, (), None, None, None))
    rounds = (_new(Round, (a, seats, _NO_BOUNDS)),)
    allocation: Allocation = _new(Allocation, (system, tuple(parties), totals, rounds, (), notes, tuple(admission),
                                               won, (), seed))
    return allocation


class _Order(dict[str, int]):
    """Registration order by list name, built only when a tie needs it."""

    __slots__ = ("parties",)
    parties: Sequence[Party]

    def __missing__(self, name: str) -> int:
        self.update((p.name, p.registration_order or 0) for p in self.parties)
        return dict.__getitem__(self, name)


_ADMITTED = frozenset({"threshold", "runner-up", "sole list", "coverage"})
"""Admissions that take part in the division ("share band" lists hold fixed seats outside it)."""


def _cover(coverage: Coverage, parties: Sequence[Party], admission: list[str], base_total: int) -> None:
    """Admit lists below the threshold, largest first, until the admitted hold the coverage share.

    Lists with equal votes are admitted together: the law orders them by votes
    and says nothing of a tie, so none of them is put before another.
    """
    held = 0
    count = 0
    for p, status in zip(parties, admission, strict=True):
        if status == "threshold":
            held += p.votes
            count += 1
    waiting = sorted((i for i, status in enumerate(admission) if status == "below threshold" and parties[i].votes),
                     key=lambda i: -parties[i].votes)
    while waiting and (count < coverage.min_lists or not coverage.met(held, base_total)):
        best = parties[waiting[0]].votes
        while waiting and parties[waiting[0]].votes == best:
            i = waiting.pop(0)
            admission[i] = "coverage"
            held += best
            count += 1


def _bands(tier: ListTier, parties: Sequence[Party], admission: list[str], base_total: int) -> dict[int, int]:
    """Fixed seats (by ballot line) for lists below the threshold whose share lies in a band."""
    out: dict[int, int] = {}
    for i, (p, status) in enumerate(zip(parties, admission, strict=True)):
        if status != "below threshold":
            continue
        for band in tier.bands:
            if band.holds(p.votes, base_total):
                admission[i] = "share band"
                out[i] = band.seats
                break
    return out
_INPUT_ORDER_NOTE = ("registration order not given: the input order stands in for it in tie-breaks",)
_NO_BOUNDS: dict[str, tuple[int, str]] = {}


def _divide(
    tier: ListTier,
    lists: Sequence[Party],
    seats: int,
    weights: Mapping[str, Fraction] | None,
    ties: TieBreaker,
    surplus: bool,
) -> Apportionment:
    """One division of ``seats`` among ``lists`` by the tier's method."""
    names = [p.name for p in lists]
    counts = [p.votes for p in lists]
    if seats == 0:
        return Apportionment(tuple(names), tuple(counts), (0,) * len(names), tier.family)
    if tier.family == "quota":
        w = [weights.get(n, ONE) for n in names] if weights else None
        return largest_remainder(names, counts, seats, tier.quota, ties, weights=w,
                                 surplus="largest-quotient" if surplus else "error")
    return highest_averages(names, counts, seats, tier.divisor_method, ties)


def _apportion_bounded(
    tier: ListTier,
    seats: int,
    admitted: Sequence[Party],
    lo: Mapping[str, int],
    hi: Mapping[str, int | None],
    weights: Mapping[str, Fraction],
    ties: TieBreaker,
    surplus: bool,
) -> list[Round]:
    """Divide the seats, then fix any list outside its bounds at the bound and divide the rest again.

    Upper bounds are fixed before lower ones; each round divides the seats not
    fixed among the lists not fixed (Pukelsheim's bounded apportionment).
    ``seats`` are the tier's seats less any the share bands gave.
    """
    low = sum(lo[p.name] for p in admitted)
    if low > seats:
        raise AllocationError(f"the minimum seats of the admitted lists ({low}) exceed the {seats} seats")
    caps = [hi[p.name] for p in admitted]
    if all(c is not None for c in caps) and sum(c or 0 for c in caps) < seats:
        raise AllocationError(
            f"the admitted lists can take at most {sum(c or 0 for c in caps)} of the {seats} seats "
            "(candidates or maximum seats)"
        )
    fixed: dict[str, tuple[int, str]] = {}
    rounds: list[Round] = []
    while True:
        free = [p for p in admitted if p.name not in fixed]
        left = seats - sum(count for count, _ in fixed.values())
        if not free:
            break
        names = [p.name for p in free]
        a = _divide(tier, free, left, weights, ties, surplus)
        rounds.append(Round(a, left, dict(fixed)))
        over = {n: hi[n] for n, s in zip(names, a.seats, strict=True) if hi[n] is not None and s > (hi[n] or 0)}
        if over:
            fixed.update({n: (cap or 0, "maximum") for n, cap in over.items()})
            continue
        under = {n: lo[n] for n, s in zip(names, a.seats, strict=True) if s < lo[n]}
        if under:
            fixed.update({n: (m, "minimum") for n, m in under.items()})
            continue
        break
    if not rounds:
        raise AllocationError("every admitted list is held at a bound; nothing is left to divide")
    return rounds
