"""The pipeline from votes to seats: totals, threshold, special clauses, division, bounds, vacancies.

:func:`allocate_system` runs one :class:`~saylau.core.system.System` over one
set of ballot lines and returns an :class:`~saylau.core.result.Allocation`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction

from saylau.core.allocators import Apportionment, highest_averages, largest_remainder
from saylau.core.result import Allocation, ListLine, Round, Totals
from saylau.core.system import ListTier, Party, System
from saylau.core.thresholds import BASE_LABELS
from saylau.core.ties import TieBreaker
from saylau.errors import AllocationError, InputError, ListExhausted, NoListPassed

__all__ = ["allocate_system", "normalise_parties"]

ONE = Fraction(1)


def normalise_parties(votes: Mapping[str, int] | Iterable[Party], *, source: str | None = None) -> tuple[
    list[Party], bool
]:
    """Check ballot lines and give each a registration order.

    Returns the parties and whether the order was taken from the input order
    (the law's tie rule needs registration order; the result must say when it
    was not given).
    """
    if isinstance(votes, Mapping):
        parties = [Party(str(name), count) for name, count in votes.items()]
    else:
        parties = list(votes)
    if not parties:
        raise InputError("no ballot lines", source=source)
    seen: set[str] = set()
    for row, p in enumerate(parties, start=1):
        if not isinstance(p.name, str) or not p.name.strip():
            raise InputError("empty party name", source=source, row=row, field="party", value=p.name)
        if p.name in seen:
            raise InputError("duplicate party", source=source, row=row, field="party", value=p.name)
        seen.add(p.name)
        if isinstance(p.votes, bool) or not isinstance(p.votes, int):
            raise InputError("votes must be a whole number", source=source, row=row, field="votes", value=p.votes)
        if p.votes < 0:
            raise InputError("votes must not be negative", source=source, row=row, field="votes", value=p.votes)
        if p.kind not in ("list", "against_all"):
            raise InputError("kind must be 'list' or 'against_all'", source=source, row=row, field="kind", value=p.kind)
        if p.candidates is not None and (isinstance(p.candidates, bool) or p.candidates < 0):
            raise InputError("candidates must be a whole number >= 0", source=source, row=row,
                             field="candidates", value=p.candidates)
    given = [p.registration_order is not None for p in parties]
    if any(given) and not all(given):
        row = given.index(False) + 1
        raise InputError("registration order is given for some lines but not this one",
                         source=source, row=row, field="registration_order", value="")
    if all(given):
        orders = [p.registration_order for p in parties]
        if len(set(orders)) != len(orders):
            dup = next(o for o in orders if orders.count(o) > 1)
            row = orders.index(dup) + 1
            raise InputError("duplicate registration order", source=source, row=row,
                             field="registration_order", value=dup)
        return parties, False
    return [
        Party(p.name, p.votes, p.kind, i, p.candidates) for i, p in enumerate(parties, start=1)
    ], True


def _totals(parties: Sequence[Party], valid: int | None, ballots_cast: int | None,
            registered: int | None) -> Totals:
    listed = sum(p.votes for p in parties)
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
    parties, order_from_input = normalise_parties(votes, source=source)
    tier = system.lists
    totals = _totals(parties, valid, ballots_cast, registered)
    notes: list[str] = []
    if order_from_input:
        notes.append("registration order not given: the input order stands in for it in tie-breaks")
    order = {p.name: p.registration_order or 0 for p in parties}
    ties = TieBreaker(tier.ties, order, seed=seed, clause=tier.clause("ties"))

    threshold = tier.threshold
    base_total: int | None = None
    if threshold is not None and threshold.share is not None:
        base_total = totals.get(threshold.base)
        if base_total is None:
            raise InputError(f"the threshold is a share of {BASE_LABELS[threshold.base]}, which was not given",
                             field=threshold.base)
    lists = [p for p in parties if p.kind == "list"]
    if not lists:
        raise InputError("no party lists among the ballot lines", source=source)
    passed = {p.name for p in lists if threshold is None or threshold.passes(p.votes, base_total or 0)}

    admission: dict[str, str] = {}
    for p in parties:
        if p.kind == "against_all":
            admission[p.name] = "against all"
        else:
            admission[p.name] = "threshold" if p.name in passed else "below threshold"
    weights: dict[str, Fraction] = {}
    lo = {p.name: tier.min_seats for p in lists}
    surplus: bool = False

    if not passed:
        rule = tier.clause("no_list") or tier.clause("threshold")
        raise NoListPassed(
            f"no list reached the threshold ({threshold.describe() if threshold else 'none'})"
            + (f" [{rule}]" if rule else "")
            + "; the rules provide no allocation for this case, so none is invented"
        )
    if len(passed) == 1 and tier.runner_up is not None:
        rest = [p for p in lists if p.name not in passed and p.votes > 0]
        if rest:
            best = max(p.votes for p in rest)
            contenders = [p.name for p in rest if p.votes == best]
            if len(contenders) > 1:
                contenders = ties.choose(contenders, 1, seat=1, stage="runner-up")
            runner = contenders[0]
            admission[runner] = "runner-up"
            weights[runner] = tier.runner_up.factor
            lo[runner] = max(lo[runner], tier.runner_up.min_seats)
            surplus = True
        else:
            only = next(iter(passed))
            admission[only] = "sole list"
    admitted = [p for p in lists if admission[p.name] in ("threshold", "runner-up", "sole list")]

    hi: dict[str, int | None] = {}
    for p in admitted:
        cap = tier.max_seats
        if tier.exhaustion == "redistribute" and p.candidates is not None:
            cap = p.candidates if cap is None else min(cap, p.candidates)
        hi[p.name] = cap
    rounds = _apportion_bounded(tier, admitted, lo, hi, weights, ties, surplus)

    won = dict.fromkeys(order, 0)
    bound: dict[str, str] = {}
    where: dict[str, tuple[Apportionment, int]] = {}
    final = rounds[-1]
    for name, (count, why) in final.fixed.items():
        won[name] = count
        bound[name] = why
    a = final.apportionment
    for slot, name in enumerate(a.names):
        won[name] = a.seats[slot]
    for r in rounds:
        for slot, name in enumerate(r.apportionment.names):
            where[name] = (r.apportionment, slot)  # the last round a list took part in

    lines: list[ListLine] = []
    for p in parties:
        seats = won[p.name]
        filled = seats
        if p.candidates is not None and seats > p.candidates:
            if tier.exhaustion == "error":
                raise ListExhausted(
                    f"list {p.name!r} won {seats} seats but has {p.candidates} candidates"
                    + (f" [{tier.clause('exhaustion')}]" if tier.clause("exhaustion") else "")
                )
            filled = p.candidates
        ap, slot = where.get(p.name, (None, -1))
        lines.append(ListLine(p.name, p.votes, p.kind, order[p.name], p.candidates, p.name in passed,
                              admission[p.name], seats, filled, bound.get(p.name, ""), ap, slot))
    return Allocation(system, tuple(lines), totals, tuple(rounds), tuple(ties.records), tuple(notes), seed)


def _apportion_bounded(
    tier: ListTier,
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
    """
    seats = tier.seats
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
        counts = [p.votes for p in free]
        if left == 0:
            a = Apportionment(tuple(names), tuple(counts), (0,) * len(free), tier.family)
        elif tier.family == "quota":
            w = [weights.get(n, ONE) for n in names] if weights else None
            a = largest_remainder(names, counts, left, tier.quota, ties, weights=w,
                                  surplus="largest-quotient" if surplus else "error")
        else:
            a = highest_averages(names, counts, left, tier.divisor_method, ties)
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
