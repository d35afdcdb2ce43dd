"""``saylau.allocate``: votes and a ruleset (or ad hoc options) in, an explained Allocation out."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from saylau.core import (
    Allocation,
    ListTier,
    Party,
    System,
    Threshold,
    allocate_system,
    parse_rational,
)
from saylau.core.thresholds import Base
from saylau.errors import InputError, RulesetError
from saylau.rules import RULESETS, Ruleset, resolve_ruleset

__all__ = ["allocate", "build_system"]


def build_system(
    rules: str | Path | Ruleset | System | None = None,
    *,
    method: str | None = None,
    seats: int | None = None,
    threshold: str | Threshold | None = None,
    threshold_base: Base | None = None,
    min_seats: int | None = None,
    max_seats: int | None = None,
    tie: str | None = None,
    first_divisor: str | Fraction | None = None,
) -> System:
    """A system from a ruleset (name, path or object) with ad hoc options laid over it.

    Without ``rules`` the options alone describe the system (``method`` defaults
    to Hare, ``seats`` is required).
    """
    overrides: dict[str, Any] = {"method": method, "seats": seats, "min_seats": min_seats,
                                 "max_seats": max_seats, "ties": tie}
    if first_divisor is not None:
        try:
            overrides["first_divisor"] = parse_rational(first_divisor)
        except ValueError as exc:
            raise InputError(str(exc), field="first_divisor", value=first_divisor) from None
    if isinstance(rules, System):
        base_system = rules
        try:
            tier = replace(base_system.lists, **{k: v for k, v in overrides.items() if v is not None})
        except ValueError as exc:
            raise InputError(str(exc)) from None
        system = replace(base_system, lists=tier)
    elif rules is None:
        if seats is None:
            raise InputError("give the number of seats (or a ruleset)", field="seats")
        try:
            tier = ListTier(**{k: v for k, v in overrides.items() if v is not None})
        except (TypeError, ValueError) as exc:
            raise InputError(str(exc)) from None
        system = System("ad hoc", tier, (), "ad hoc system")
    else:
        ruleset = rules if isinstance(rules, Ruleset) else resolve_ruleset(rules)
        try:
            system = ruleset.system(**overrides)
        except ValueError as exc:
            raise RulesetError(str(exc), source=ruleset.source) from None

    current = system.lists.threshold
    if threshold is not None:
        if isinstance(threshold, Threshold):
            new = threshold
        else:
            try:
                new = Threshold.parse(str(threshold), base=threshold_base or (current.base if current else "valid"))
            except ValueError as exc:
                raise InputError(str(exc), field="threshold", value=threshold) from None
        system = replace(system, lists=replace(system.lists, threshold=new))
    elif threshold_base is not None:
        if current is None:
            raise InputError("a threshold base needs a threshold", field="threshold_base", value=threshold_base)
        try:
            system = replace(system, lists=replace(system.lists, threshold=replace(current, base=threshold_base)))
        except ValueError as exc:
            raise InputError(str(exc), field="threshold_base", value=threshold_base) from None
    return system


# Systems built for (ruleset, options), remembered so that repeated calls neither read nor rebuild.
# Keyed by the ruleset object's identity (the entry holds the object, so the id stays its own):
# re-registering a name or editing a ruleset file gives a new object and so a new entry.
_SYSTEMS: dict[Any, tuple[Ruleset | None, System]] = {}
_SYSTEMS_KEPT = 256
# The same for a registered name asked without options (the common call), keyed by the name: an entry
# stands only while the registry still holds its very ruleset under that name. A path is never
# registered, so a ruleset file always goes the long way (read, and parsed again if its bytes changed).
_NAMED: dict[str, tuple[Ruleset, System]] = {}


def _system_for(rules: str | Path | Ruleset | System | None, options: dict[str, Any]) -> System:
    """The system of :func:`build_system`, from memory when the same rules and options were asked before.

    (A registered name without options is looked up in ``_NAMED`` by :func:`allocate` itself first.)
    """
    if isinstance(rules, System):
        return build_system(rules, **options) if options else rules
    if rules is None and not options.get("method"):
        raise InputError("give a ruleset (rules=NAME or a path) or a method and seats; rulesets: "
                         + ", ".join(RULESETS.names()), field="rules")
    ruleset = rules if rules is None or isinstance(rules, Ruleset) else resolve_ruleset(rules)
    try:
        key = (id(ruleset), *sorted(options.items())) if options else id(ruleset)
        known_system = _SYSTEMS.get(key)
    except TypeError:  # an option value that cannot be a key (a list, say): build it every time
        return build_system(ruleset, **options)
    if known_system is not None and known_system[0] is ruleset:
        system = known_system[1]
    else:
        system = build_system(ruleset, **options)
        if len(_SYSTEMS) >= _SYSTEMS_KEPT:
            _SYSTEMS.clear()
        _SYSTEMS[key] = (ruleset, system)
    if type(rules) is str and not options and ruleset is not None and RULESETS.registered(rules) is ruleset:
        if len(_NAMED) >= _SYSTEMS_KEPT:
            _NAMED.clear()
        _NAMED[rules] = (ruleset, system)
    return system


def allocate(
    votes: Mapping[str, int] | Iterable[Party],
    rules: str | Path | Ruleset | System | None = None,
    *,
    valid: int | None = None,
    ballots_cast: int | None = None,
    registered: int | None = None,
    seed: int | str | None = None,
    source: str | None = None,
    **options: Any,
) -> Allocation:
    """Allocate seats to ``votes`` under ``rules``; ``options`` override the ruleset.

    ``rules`` is a ruleset's name (``saylau rules list``), the path of a ruleset file, a
    :class:`Ruleset` or a :class:`System`; without it, ``method`` and ``seats`` (and any
    other option) describe the system ad hoc. A ruleset is never assumed. The system
    built for a name and options is remembered, so repeated calls cost the allocation
    alone; a ruleset file is read on each call and parsed again when its bytes changed.

    >>> allocate({"A": 600, "B": 300, "C": 100}, "hare", seats=10).seats
    {'A': 6, 'B': 3, 'C': 1}
    >>> allocate({"A": 600, "B": 300, "C": 100}, seats=10, method="dhondt", threshold="15%").seats
    {'A': 7, 'B': 3, 'C': 0}
    """
    if (type(rules) is str and not options and (known := _NAMED.get(rules)) is not None
            and RULESETS.registered(rules) is known[0]):
        system = known[1]  # a registered name asked before, and still registered to the same ruleset
    else:
        system = _system_for(rules, options)
    if seed is None and system.lists.ties == "lot":
        # A lot needs a seed to be replayable: without one, draw it from the OS. The result records it
        # (Allocation.seed, and each tie's record), so the draw can be replayed and checked.
        seed = secrets.token_hex(8)  # text, so that `--seed TEXT` on the command line replays it exactly
    return allocate_system(votes, system, valid=valid, ballots_cast=ballots_cast, registered=registered,
                           seed=seed, source=source)
