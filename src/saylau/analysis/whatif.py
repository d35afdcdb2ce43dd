"""What if the rules were different: one election's votes under several systems, side by side.

The first variant is the baseline (normally the ruleset the election was held
under); every other column is compared with it. A variant is a ruleset, ad
hoc options laid over the baseline (``method=dhondt,threshold=5%``), or both.
Seats always come from the engine; a variant for which the rules give no
result (no list passes) keeps its column with the reason instead of seats.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from saylau.analysis.ballot import Ballot
from saylau.core import Allocation, System
from saylau.engine import build_system
from saylau.errors import AllocationError, InputError

__all__ = ["VARIANT_KEYS", "Comparison", "Outcome", "Variant", "compare", "parse_variant", "variant"]

#: Keys a variant spec may set, and the build_system option each one sets.
VARIANT_KEYS: dict[str, str] = {
    "rules": "rules",
    "method": "method",
    "seats": "seats",
    "threshold": "threshold",
    "threshold_base": "threshold_base",
    "base": "threshold_base",
    "min_seats": "min_seats",
    "max_seats": "max_seats",
    "tie": "tie",
    "ties": "tie",
    "first_divisor": "first_divisor",
    "runner_up": "runner_up",
    "label": "label",
}
_INTS = ("seats", "min_seats", "max_seats")


@dataclass(frozen=True, slots=True)
class Variant:
    """A named system to try."""

    label: str
    system: System


@dataclass(frozen=True, slots=True)
class Outcome:
    """One variant's allocation, or why the rules give none."""

    variant: Variant
    allocation: Allocation | None
    error: str = ""

    @property
    def seats(self) -> dict[str, int] | None:
        return None if self.allocation is None else self.allocation.seats


@dataclass(frozen=True, slots=True)
class Comparison:
    """Every variant's seats for one ballot; the first outcome is the baseline."""

    ballot: Ballot
    outcomes: tuple[Outcome, ...]

    @property
    def baseline(self) -> Outcome:
        return self.outcomes[0]

    def diff(self, index: int) -> dict[str, int] | None:
        """Seats of variant ``index`` minus the baseline's, per list (None if either has no result)."""
        mine, base = self.outcomes[index].seats, self.baseline.seats
        if mine is None or base is None:
            return None
        return {name: mine[name] - base[name] for name in self.ballot.names}

    def changed(self, index: int) -> bool:
        """Whether variant ``index`` gives a different seat outcome from the baseline."""
        d = self.diff(index)
        if d is None:
            return (self.outcomes[index].seats is None) != (self.baseline.seats is None)
        return any(d.values())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record: every variant's seats, admissions and differences from the baseline."""
        valid = self.ballot.valid if self.ballot.valid is not None else sum(p.votes for p in self.ballot.parties)
        variants = []
        for i, out in enumerate(self.outcomes):
            a = out.allocation
            tier = out.variant.system.lists
            variants.append({
                "label": out.variant.label,
                "baseline": i == 0,
                "system": out.variant.system.name,
                "method": tier.method,
                "seats_total": tier.seats,
                "threshold": tier.threshold.describe() if tier.threshold else None,
                "seats": out.seats,
                "admitted": list(a.admitted) if a is not None else None,
                "diff": self.diff(i),
                "changed": self.changed(i) if i else False,
                "error": out.error or None,
            })
        return {
            "title": self.ballot.title,
            "valid": valid,
            "parties": [{"party": p.name, "label": self.ballot.label(p.name), "votes": p.votes,
                         "registration_order": p.registration_order} for p in self.ballot.parties],
            "variants": variants,
        }


def parse_variant(spec: str) -> dict[str, str]:
    """``'method=dhondt,threshold=5%'`` as a dict; keys are checked against :data:`VARIANT_KEYS`."""
    options: dict[str, str] = {}
    for part in spec.split(","):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or not value.strip():
            raise InputError("a variant is key=value pairs separated by commas", field="variant", value=spec)
        if key not in VARIANT_KEYS:
            raise InputError(f"unknown variant key {key!r}; known: {', '.join(sorted(VARIANT_KEYS))}",
                             field="variant", value=spec)
        options[VARIANT_KEYS[key]] = value.strip()
    if not options:
        raise InputError("an empty variant", field="variant", value=spec)
    return options


def variant(baseline: System, options: Mapping[str, Any], *, label: str | None = None) -> Variant:
    """A variant: ``options`` (build_system's, plus ``rules`` and ``runner_up=none``) laid over ``baseline``.

    A ruleset that leaves its seats open (``dhondt``, ``hare``) takes the baseline's seats.
    """
    opts = {k: v for k, v in options.items() if v is not None}
    text = opts.pop("label", None)
    rules = opts.pop("rules", None)
    runner_up = opts.pop("runner_up", None)
    threshold = opts.get("threshold")
    no_threshold = isinstance(threshold, str) and threshold.strip().lower() in ("none", "0", "0%")
    if no_threshold:
        opts.pop("threshold")
    for key in _INTS:
        if isinstance(opts.get(key), str):
            try:
                opts[key] = int(opts[key])
            except ValueError:
                raise InputError("not a whole number", field=key, value=opts[key]) from None
    base: Any = baseline
    if rules is not None:
        from saylau.rules import resolve_ruleset

        ruleset = resolve_ruleset(rules)
        if ruleset.lists is None and "seats" not in opts:
            opts["seats"] = baseline.lists.seats
        base = ruleset
    system = build_system(base, **opts)
    if no_threshold:
        system = replace(system, lists=replace(system.lists, threshold=None))
    if runner_up is not None:
        if str(runner_up).lower() not in ("none", "no", "off"):
            raise InputError("runner_up can only be switched off (runner_up=none)", field="runner_up",
                             value=runner_up)
        system = replace(system, lists=replace(system.lists, runner_up=None))
    if label is None:
        label = text or ", ".join(f"{k}={v}" for k, v in options.items() if v is not None and k != "label")
    return Variant(label or system.name, system)


def compare(ballot: Ballot, variants: Sequence[Variant]) -> Comparison:
    """Allocate ``ballot`` under every variant; the first is the baseline."""
    if not variants:
        raise InputError("no variants to compare", field="variant")
    outcomes = []
    for v in variants:
        try:
            outcomes.append(Outcome(v, ballot.allocate(v.system)))
        except AllocationError as exc:
            outcomes.append(Outcome(v, None, str(exc)))
    return Comparison(ballot, tuple(outcomes))
