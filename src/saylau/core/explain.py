"""Render an allocation as steps a person can check by hand, and as a JSON-ready dict."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from saylau.core.allocators import Apportionment
from saylau.core.numbers import decimal_str, fraction_str, percent_str
from saylau.core.result import Allocation, Round
from saylau.core.thresholds import BASE_LABELS, percent

__all__ = ["Step", "explain", "steps", "to_dict"]

#: Beyond this many seats the seat-by-seat award list is summarised.
AWARD_LIST_LIMIT = 200


@dataclass(frozen=True, slots=True)
class Step:
    """One step of an allocation and the clause that produced it.

    ``text`` is the English sentence; ``code`` and ``values`` say the same as
    data (counts as ints, quotas and quotients as Fractions, lists by their
    names), so a report can write the step in another language.
    """

    topic: str
    clause: str
    text: str
    code: str = ""
    values: tuple[tuple[str, Any], ...] = ()

    def render(self) -> str:
        return f"{self.text} [{self.clause}]" if self.clause else self.text


def _n(value: int) -> str:
    return f"{value:,}"


def _claim_text(num: int, den: int, squared: bool) -> str:
    if den == 0:
        return "∞"
    value = Fraction(num, den)
    if squared:
        # An exact square root is rarely rational; show it to 4 places, exactly rounded.
        root = math.isqrt(value.numerator * 10**8 // value.denominator)
        return f"≈{decimal_str(Fraction(root, 10**4), 4)}"
    return decimal_str(value, 4)


def steps(allocation: Allocation) -> tuple[Step, ...]:
    tier = allocation.system.lists
    totals = allocation.totals
    out: list[Step] = []
    valid_how = "given" if "valid" in totals.given else "the sum of the lines"
    parts = [f"valid votes {_n(totals.valid)} ({valid_how})"]
    if totals.ballots_cast is not None:
        parts.append(f"ballots cast {_n(totals.ballots_cast)}")
    if totals.registered is not None:
        parts.append(f"registered voters {_n(totals.registered)}")
    out.append(Step("totals", "", "Totals: " + "; ".join(parts) + ".", "totals", (
        ("valid", totals.valid), ("valid_given", "valid" in totals.given),
        ("ballots_cast", totals.ballots_cast), ("registered", totals.registered))))

    threshold = tier.threshold
    base = allocation.threshold_base
    if threshold is None:
        out.append(Step("threshold", "", "No threshold: every list takes part.", "no_threshold"))
    else:
        values: tuple[tuple[str, Any], ...]
        rule = (("inclusive", threshold.inclusive), ("share", threshold.share), ("votes_min", threshold.votes_min),
                ("base", threshold.base))
        if threshold.share is not None and base is not None:
            line = threshold.share * base
            text = (
                f"Threshold {threshold.describe()}: {percent(threshold.share)} × {_n(base)} = "
                f"{decimal_str(line, 2)} votes, so a list needs at least {_n(threshold.minimum_votes(base))} votes."
            )
            values = (*rule, ("base_total", base), ("line", line), ("minimum", threshold.minimum_votes(base)))
            code = "threshold_share"
        else:
            text = f"Threshold {threshold.describe()}: a list needs at least {_n(threshold.minimum_votes(0))} votes."
            values = (*rule, ("minimum", threshold.minimum_votes(0)))
            code = "threshold_votes"
        out.append(Step("threshold", threshold.clause or tier.clause("threshold"), text, code, values))
        for ln in allocation.lines:
            if ln.kind == "against_all":
                out.append(Step("threshold", "", f"  {ln.party}: {_n(ln.votes)} — counts in the base, never takes seats.",
                                "against_all", (("party", ln.party), ("votes", ln.votes))))
                continue
            share = f" ({percent_of(ln.votes, base)} of {BASE_LABELS[threshold.base]})" if base else ""
            verdict = "passes" if ln.passed else "does not pass"
            out.append(Step("threshold", "", f"  {ln.party}: {_n(ln.votes)}{share} — {verdict}.", "line_threshold", (
                ("party", ln.party), ("votes", ln.votes), ("share", Fraction(ln.votes, base) if base else None),
                ("base", threshold.base), ("passed", ln.passed))))

    out.extend(_coverage_steps(allocation))
    runner = allocation.runner_up
    if runner is not None and tier.runner_up is not None:
        ru = tier.runner_up
        leader = next(ln.party for ln in allocation.lines if ln.passed)
        out.append(Step(
            "runner_up",
            ru.clause or tier.clause("runner_up"),
            f"Only {leader} passed, so {runner}, the list with the next largest vote, also takes part. "
            f"The quota is the two lists' votes over {tier.seats}; {runner}'s quotient is multiplied by "
            f"{fraction_str(ru.factor)} and it receives not less than {ru.min_seats} seats. "
            "Interpretation (the published text is cut short): integer parts first, one seat each to the "
            "larger remainders, any seat still unfilled to the leading list, then the minimum is applied.",
            "runner_up", (("leader", leader), ("runner", runner), ("seats", tier.seats), ("factor", ru.factor),
                          ("min_seats", ru.min_seats)),
        ))
    for ln in allocation.lines:
        if ln.admission == "sole list":
            out.append(Step("admission", tier.clause("runner_up"),
                            f"{ln.party} is the only list with votes; it takes every seat.", "sole_list",
                            (("party", ln.party),)))

    for index, rnd in enumerate(allocation.rounds):
        out.extend(_round_steps(allocation, rnd, index))

    for tie in allocation.ties:
        out.append(Step("ties", tie.clause, "Tie: " + tie.describe(), "tie", (
            ("stage", tie.stage), ("seat", tie.seat), ("seats", tie.seats), ("lists", tie.lists),
            ("winners", tie.winners), ("policy", tie.policy), ("seed", tie.seed), ("draw", tie.draw))))
    for ln in allocation.lines:
        if ln.vacant:
            out.append(Step(
                "exhaustion", tier.clause("exhaustion"),
                f"{ln.party} won {ln.seats_won} seats but has {ln.candidates} candidates: "
                f"{ln.vacant} seat(s) stay vacant.", "vacant",
                (("party", ln.party), ("won", ln.seats_won), ("candidates", ln.candidates), ("vacant", ln.vacant)),
            ))
    for fixed in allocation.system.tiers:
        who = f" by {fixed.body}" if fixed.body else ""
        how = "appointed" if fixed.kind == "appointed" else "won by plurality in single-member districts"
        out.append(Step("tiers", fixed.clause, f"{fixed.name}: {fixed.seats} seats {how}{who}, not from these votes.",
                        "tier", (("name", fixed.name), ("seats", fixed.seats), ("kind", fixed.kind),
                                 ("body", fixed.body))))
    winners = tuple((ln.party, ln.seats) for ln in allocation.lines if ln.seats or ln.admitted)
    won = ", ".join(f"{party} {seats}" for party, seats in winners)
    out.append(Step("result", tier.clause("seats"), f"Result: {won} — {tier.seats} list seats.", "result",
                    (("won", winners), ("seats", tier.seats))))
    return tuple(out)


def _coverage_steps(allocation: Allocation) -> list[Step]:
    """The coverage clause and the share bands, where the system has them."""
    tier = allocation.system.lists
    base = allocation.threshold_base
    threshold = tier.threshold
    out: list[Step] = []
    if tier.coverage is not None and threshold is not None and base is not None:
        cov = tier.coverage
        op = "or more" if cov.inclusive else "more than"
        passed = [ln for ln in allocation.lines if ln.admission == "threshold"]
        held = sum(ln.votes for ln in passed)
        added = sorted((ln for ln in allocation.lines if ln.admission == "coverage"), key=lambda ln: -ln.votes)
        text = (f"The admitted lists must together hold {op} {percent(cov.share)} of {BASE_LABELS[threshold.base]}, "
                f"and at least {cov.min_lists} lists take part. The lists that passed hold {_n(held)} "
                f"({percent_of(held, base)}) in {len(passed)} list(s)")
        if added:
            total = held + sum(ln.votes for ln in added)
            text += (f", so lists below the threshold are admitted in order of votes: "
                     f"{', '.join(f'{ln.party} {_n(ln.votes)}' for ln in added)}; together {_n(total)} "
                     f"({percent_of(total, base)}).")
        else:
            text += ": no list is added."
        out.append(Step("coverage", cov.clause or tier.clause("coverage"), text))
    for ln in allocation.lines:
        if ln.admission == "share band" and threshold is not None and base is not None:
            band = next(b for b in tier.bands if b.holds(ln.votes, base))
            out.append(Step("bands", band.clause or tier.clause("bands"),
                            f"{ln.party}: {percent_of(ln.votes, base)} lies in [{percent(band.lower)}, "
                            f"{percent(band.upper)}): {band.seats} seat(s), outside the division."))
    if tier.bands and allocation.rounds:
        given = sum(w for w, a in zip(allocation.won, allocation.admission, strict=True) if a == "share band")
        if given:
            out.append(Step("bands", tier.clause("bands"),
                            f"The share bands give {given} seat(s); the other {tier.seats - given} are divided."))
    return out


def percent_of(part: int, whole: int) -> str:
    share = percent_str(part, whole)
    return "n/a" if share is None else f"{share}%"


def _round_steps(allocation: Allocation, rnd: Round, index: int) -> list[Step]:
    tier = allocation.system.lists
    a = rnd.apportionment
    out: list[Step] = []
    clause = tier.clause("method")
    if rnd.fixed:
        held = ", ".join(f"{name} at its {why} of {count}" for name, (count, why) in rnd.fixed.items())
        bound_clause = tier.clause("runner_up") if allocation.runner_up in rnd.fixed else tier.clause("bounds")
        out.append(Step("bounds", bound_clause,
                        f"Round {index + 1}: held {held}; the other {rnd.seats} seats are divided again.", "bounds",
                        (("round", index + 1), ("held", tuple((name, count, why) for name, (count, why)
                                                                in rnd.fixed.items())), ("seats", rnd.seats))))
    if a.family == "quota":
        out.extend(_quota_steps(a, rnd.seats, tier.quota.label, tier.quota.formula, clause))
    else:
        out.extend(_divisor_steps(a, rnd.seats, clause))
    return out


def _quota_steps(a: Apportionment, seats: int, label: str, formula: str, clause: str) -> list[Step]:
    assert a.quota is not None
    total = sum(a.votes)
    out = [Step("quota", clause,
                f"{label} quota ({formula}) over {_n(seats)} seats: {_n(total)} → "
                f"{fraction_str(a.quota)} = {decimal_str(a.quota, 4)}.", "quota",
                (("label", label), ("formula", formula), ("seats", seats), ("total", total), ("quota", a.quota)))]
    for i, name in enumerate(a.names):
        weighted = a.weights and a.weights[i] != 1
        weight = f" × {fraction_str(a.weights[i])}" if weighted else ""
        out.append(Step("quotients", "",
                        f"  {name}: {_n(a.votes[i])} / {decimal_str(a.quota, 4)}{weight} = "
                        f"{decimal_str(a.quotient(i), 4)} → {a.integer_part(i)} seats, remainder "
                        f"{decimal_str(a.remainder(i), 4)}.", "quotient",
                        (("party", name), ("votes", a.votes[i]), ("quota", a.quota),
                         ("weight", a.weights[i] if weighted else None), ("quotient", a.quotient(i)),
                         ("integer", a.integer_part(i)), ("remainder", a.remainder(i)))))
    whole = sum(a.integer_part(i) for i in range(len(a.names)))
    left = seats - whole
    if left > 0:
        order = sorted((i for i in range(len(a.names)) if a.remainder_seats[i]),
                       key=lambda i: -a.remainder(i))
        given = ", ".join(
            f"{a.names[i]} ({decimal_str(a.remainder(i), 4)})" + (f" +{a.remainder_seats[i] - 1} unfilled" if a.remainder_seats[i] > 1 else "")
            for i in order
        )
        out.append(Step("remainders", clause,
                        f"Integer parts fill {whole} seats; the {left} left go to the largest remainders: {given}.",
                        "remainders_left", (("whole", whole), ("left", left), ("given", tuple(
                            (a.names[i], a.remainder(i), a.remainder_seats[i] - 1) for i in order)))))
    elif left < 0:
        taken = tuple(a.names[i] for i in range(len(a.names)) if a.taken_back[i])
        back = ", ".join(taken)
        out.append(Step("remainders", clause,
                        f"Integer parts fill {whole} seats, {-left} more than there are; "
                        f"taken back from the smallest remainders: {back}.", "remainders_over",
                        (("whole", whole), ("over", -left), ("back", taken))))
    else:
        out.append(Step("remainders", clause, f"Integer parts fill all {whole} seats.", "remainders_exact",
                        (("whole", whole),)))
    return out


def _divisor_steps(a: Apportionment, seats: int, clause: str) -> list[Step]:
    method = a.method
    assert method is not None
    out = [Step("divisors", clause,
                f"{method.label}: divisors {method.sequence}; each seat goes to the largest quotient "
                f"votes / divisor among {len(a.names)} lists, {_n(seats)} seats.", "divisors",
                (("label", method.label), ("sequence", method.sequence), ("lists", len(a.names)), ("seats", seats)))]
    awards = award_sequence(a)
    if len(awards) <= AWARD_LIST_LIMIT:
        for number, (name, held, num, den) in enumerate(awards, start=1):
            votes = a.votes[a.names.index(name)]
            claim = _claim_text(num, den, method.squared)
            out.append(Step("awards", "", f"  seat {number}: {name} ({_n(votes)} / "
                                          f"{method.divisor_text(held)} = {claim})", "award",
                            (("seat", number), ("party", name), ("votes", votes),
                             ("divisor", method.divisor_text(held)), ("claim", claim))))
    if a.last_claim is not None:
        last = _claim_text(*a.last_claim, method.squared)
        following = _claim_text(*a.next_claim, method.squared) if a.next_claim is not None else None
        text = f"The last seat went at quotient {last}"
        if following is not None:
            text += f"; the next claim was {following}"
        out.append(Step("divisors", "", text + ".", "last_seat", (("last", last), ("next", following))))
    for i, name in enumerate(a.names):
        out.append(Step("divisors", "", f"  {name}: {_n(a.votes[i])} votes → {a.seats[i]} seats.", "divisor_line",
                        (("party", name), ("votes", a.votes[i]), ("seats", a.seats[i]))))
    return out


def award_sequence(a: Apportionment) -> list[tuple[str, int, int, int]]:
    """Seats in the order a divisor table awards them: (list, seats held before, claim num, claim den)."""
    method = a.method
    assert method is not None
    claims = []
    for i, name in enumerate(a.names):
        for held in range(a.seats[i]):
            num, den = method.claim(a.votes[i], held)
            claims.append((name, held, num, den, i))
    def key(c: tuple[str, int, int, int, int]) -> tuple[int, Fraction, int, int]:
        infinite = c[3] == 0
        return (1 if infinite else 0, Fraction(c[2]) if infinite else Fraction(c[2], c[3]), -c[4], -c[1])
    claims.sort(key=key, reverse=True)
    return [(name, held, num, den) for name, held, num, den, _ in claims]


def explain(allocation: Allocation) -> str:
    system = allocation.system
    head = system.title or system.name
    lines = [f"{head}", f"ruleset: {system.name}; method: {system.lists.method}; list seats: {system.lists.seats}"]
    lines += [f"note: {note}" for note in allocation.notes]
    lines.append("")
    lines += [s.render() for s in steps(allocation)]
    lines.append("")
    lines.append(results_table(allocation))
    return "\n".join(lines)


def results_table(allocation: Allocation) -> str:
    """The plain-text table of an allocation; a ``vacant`` column when a list had too few candidates."""
    valid = allocation.totals.valid
    vacant = any(ln.vacant for ln in allocation.lines)
    rows = [("party", "votes", "% valid", "seats", *(("vacant",) if vacant else ()))]
    for ln in allocation.lines:
        rows.append((ln.party, _n(ln.votes), percent_of(ln.votes, valid), str(ln.seats) if ln.kind == "list" else "—",
                     *((str(ln.vacant) if ln.vacant else "",) if vacant else ())))
    for fixed in allocation.system.tiers:
        rows.append((f"({fixed.name})", "", "", str(fixed.seats), *(("",) if vacant else ())))
    rows.append(("total", _n(sum(ln.votes for ln in allocation.lines)), "",
                 str(sum(ln.seats for ln in allocation.lines) + sum(t.seats for t in allocation.system.tiers)),
                 *((str(sum(ln.vacant for ln in allocation.lines)),) if vacant else ())))
    columns = len(rows[0])
    widths = [max(len(r[c]) for r in rows) for c in range(columns)]
    out = []
    for r in rows:
        out.append("  ".join((r[0].ljust(widths[0]), *(r[c].rjust(widths[c]) for c in range(1, columns)))))
    return "\n".join(out)


def _frac(value: Fraction | None) -> str | None:
    return None if value is None else fraction_str(value)


def to_dict(allocation: Allocation) -> dict[str, Any]:
    system = allocation.system
    tier = system.lists
    threshold = tier.threshold
    base = allocation.threshold_base
    final = allocation.rounds[-1].apportionment if allocation.rounds else None
    divisor = None
    if final is not None and final.family == "divisor" and final.last_claim is not None and final.last_claim[1]:
        divisor = fraction_str(Fraction(*final.last_claim))
    return {
        "ruleset": system.name,
        "title": system.title,
        "method": tier.method,
        "list_seats": tier.seats,
        "total_seats": system.total_seats,
        "seats": allocation.seats,
        "admitted": list(allocation.admitted),
        "quota": _frac(allocation.quota),
        "quota_decimal": None if allocation.quota is None else decimal_str(allocation.quota, 4),
        "last_quotient": divisor,
        "last_quotient_squared": bool(final and final.method and final.method.squared),
        "threshold": None if threshold is None else {
            "rule": threshold.describe(),
            "share": _frac(threshold.share),
            "votes": threshold.votes_min,
            "inclusive": threshold.inclusive,
            "base": threshold.base,
            "base_total": base,
            "minimum_votes": threshold.minimum_votes(base or 0),
            "clause": threshold.clause,
        },
        "totals": {
            "valid": allocation.totals.valid,
            "ballots_cast": allocation.totals.ballots_cast,
            "registered": allocation.totals.registered,
            "listed": allocation.totals.listed,
        },
        "lines": [
            {
                "party": ln.party,
                "votes": ln.votes,
                "kind": ln.kind,
                "registration_order": ln.registration_order,
                "candidates": ln.candidates,
                "share_of_valid": fraction_str(Fraction(ln.votes, allocation.totals.valid)) if allocation.totals.valid else None,
                "passed": ln.passed,
                "admission": ln.admission,
                "weight": fraction_str(ln.weight),
                "quotient": _frac(ln.quotient),
                "integer_part": ln.integer_part,
                "remainder": _frac(ln.remainder),
                "remainder_seats": ln.remainder_seats,
                "seats_won": ln.seats_won,
                "seats": ln.seats,
                "vacant": ln.vacant,
                "bound": ln.bound or None,
            }
            for ln in allocation.lines
        ],
        "ties": [
            {
                "seat": t.seat,
                "stage": t.stage,
                "lists": list(t.lists),
                "seats": t.seats,
                "winners": list(t.winners),
                "policy": t.policy,
                "clause": t.clause,
                "draw": list(t.draw),
                "seed": t.seed,
            }
            for t in allocation.ties
        ],
        "vacancies": allocation.vacancies,
        "tiers": [
            {"name": t.name, "kind": t.kind, "seats": t.seats, "body": t.body, "clause": t.clause}
            for t in system.tiers
        ],
        "notes": list(allocation.notes),
        "seed": allocation.seed,
        "steps": [{"topic": s.topic, "clause": s.clause, "text": s.text} for s in steps(allocation)],
    }
