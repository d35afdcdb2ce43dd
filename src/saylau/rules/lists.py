"""The ``[lists]`` table of a ruleset, checked and built into the engine's :class:`ListTier`."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from saylau.core import (
    Coverage,
    ListTier,
    RunnerUp,
    ShareBand,
    Threshold,
    parse_rational,
    parse_share,
)
from saylau.core.system import EXHAUSTION_POLICIES, METHODS
from saylau.core.thresholds import BASES
from saylau.core.ties import TIE_POLICIES
from saylau.rules.locate import Fail, check_known
from saylau.rules.schema import BAND, CLAUSES, COVERAGE, RUNNER_UP, THRESHOLD

__all__ = ["build_list_tier", "exact", "share"]


def build_list_tier(lists: Mapping[str, Any], fail: Fail) -> ListTier:
    """The list tier ``lists`` describes; anything ill-formed raises ``fail(...)`` naming its key."""
    seats = lists.get("seats")
    if isinstance(seats, bool) or not isinstance(seats, int) or seats < 1:
        raise fail("seats must be a whole number >= 1", "lists", "seats", seats)
    method = lists.get("method", "hare")
    if method not in METHODS:
        raise fail(f"unknown method; choose one of {', '.join(METHODS)}", "lists", "method", method)
    ties = lists.get("ties", "registration")
    if ties not in TIE_POLICIES:
        raise fail(f"unknown tie policy; choose one of {', '.join(TIE_POLICIES)}", "lists", "ties", ties)
    exhaustion = lists.get("exhaustion", "vacant")
    if exhaustion not in EXHAUSTION_POLICIES:
        raise fail(f"unknown exhaustion policy; choose one of {', '.join(EXHAUSTION_POLICIES)}",
                   "lists", "exhaustion", exhaustion)
    ints: dict[str, int | None] = {}
    for key in ("min_seats", "max_seats"):
        value = lists.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise fail("must be a whole number >= 0", "lists", key, value)
        ints[key] = value
    first = Fraction(7, 5)
    if "first_divisor" in lists:
        first = exact(lists["first_divisor"], "lists", "first_divisor", fail)
    clauses = lists.get("clauses", {})
    check_known(clauses, CLAUSES, "lists.clauses", fail)
    for key, value in clauses.items():
        if not isinstance(value, str):
            raise fail("a clause reference must be a string", "lists.clauses", key, value)
    threshold = _threshold(lists["threshold"], clauses, fail) if "threshold" in lists else None
    runner_up = _runner_up(lists["runner_up"], clauses, fail) if "runner_up" in lists else None
    coverage = _coverage(lists["coverage"], clauses, fail) if "coverage" in lists else None
    bands = _bands(lists["bands"], clauses, fail) if "bands" in lists else ()
    if (coverage is not None or bands) and (threshold is None or threshold.share is None):
        key = "coverage" if coverage is not None else "bands"
        raise fail("needs a threshold that is a share of a base ([lists.threshold] share = ...)", "lists", key)
    try:
        return ListTier(
            seats=seats,
            method=method,
            threshold=threshold,
            ties=ties,
            first_divisor=first,
            runner_up=runner_up,
            min_seats=ints["min_seats"] or 0,
            max_seats=ints["max_seats"],
            exhaustion=exhaustion,
            coverage=coverage,
            bands=bands,
            name=str(lists.get("name", "party lists")),
            clauses=dict(clauses),
        )
    except ValueError as exc:
        raise fail(str(exc), "lists", "method") from None


def _threshold(raw: Any, clauses: Mapping[str, str], fail: Fail) -> Threshold:
    check_known(raw, THRESHOLD, "lists.threshold", fail)
    comparison = raw.get("comparison", ">=")
    if comparison not in (">=", ">"):
        raise fail("comparison must be '>=' or '>'", "lists.threshold", "comparison", comparison)
    base = raw.get("base", "valid")
    if base not in BASES:
        raise fail(f"base must be one of {', '.join(BASES)}", "lists.threshold", "base", base)
    clause = str(raw.get("clause", clauses.get("threshold", "")))
    if ("share" in raw) == ("votes" in raw):
        raise fail("give either share or votes", "lists.threshold", "share")
    if "share" in raw:
        if not isinstance(raw["share"], str | int):
            raise fail("write the share as a string, e.g. \"7%\"", "lists.threshold", "share", raw["share"])
        try:
            share = parse_share(str(raw["share"]))
        except ValueError as exc:
            raise fail(str(exc), "lists.threshold", "share", raw["share"]) from None
        return Threshold(share=share, inclusive=comparison == ">=", base=base, clause=clause)
    votes = raw["votes"]
    if isinstance(votes, bool) or not isinstance(votes, int) or votes < 0:
        raise fail("votes must be a whole number >= 0", "lists.threshold", "votes", votes)
    return Threshold(votes_min=votes, inclusive=comparison == ">=", base=base, clause=clause)


def _runner_up(raw: Any, clauses: Mapping[str, str], fail: Fail) -> RunnerUp:
    check_known(raw, RUNNER_UP, "lists.runner_up", fail)
    factor = exact(raw.get("factor", "7/10"), "lists.runner_up", "factor", fail)
    if not 0 < factor <= 1:
        raise fail("factor must lie in (0, 1]", "lists.runner_up", "factor", raw.get("factor"))
    min_seats = raw.get("min_seats", 2)
    if isinstance(min_seats, bool) or not isinstance(min_seats, int) or min_seats < 0:
        raise fail("min_seats must be a whole number >= 0", "lists.runner_up", "min_seats", min_seats)
    return RunnerUp(factor, min_seats, str(raw.get("clause", clauses.get("runner_up", ""))))


def _coverage(raw: Any, clauses: Mapping[str, str], fail: Fail) -> Coverage:
    check_known(raw, COVERAGE, "lists.coverage", fail)
    comparison = raw.get("comparison", ">")
    if comparison not in (">=", ">"):
        raise fail("comparison must be '>=' or '>'", "lists.coverage", "comparison", comparison)
    min_lists = raw.get("min_lists", 2)
    if isinstance(min_lists, bool) or not isinstance(min_lists, int) or min_lists < 0:
        raise fail("min_lists must be a whole number >= 0", "lists.coverage", "min_lists", min_lists)
    return Coverage(share(raw.get("share"), "lists.coverage", "share", fail), comparison == ">=", min_lists,
                    str(raw.get("clause", clauses.get("coverage", ""))))


def _bands(raw: Any, clauses: Mapping[str, str], fail: Fail) -> tuple[ShareBand, ...]:
    if not isinstance(raw, list):
        raise fail("bands must be an array of tables ([[lists.bands]])", "lists", "bands")
    out: list[ShareBand] = []
    for index, band in enumerate(raw):
        table = f"lists.bands[{index}]"
        check_known(band, BAND, table, fail)
        lower = share(band.get("lower"), table, "lower", fail)
        upper = share(band.get("upper"), table, "upper", fail)
        seats = band.get("seats")
        if isinstance(seats, bool) or not isinstance(seats, int) or seats < 1:
            raise fail("seats must be a whole number >= 1", table, "seats", seats)
        if not lower < upper:
            raise fail("lower must be below upper", table, "upper", band.get("upper"))
        if any(lower < b.upper and b.lower < upper for b in out):
            raise fail("share bands must not overlap", table, "lower", band.get("lower"))
        out.append(ShareBand(lower, upper, seats, str(band.get("clause", clauses.get("bands", "")))))
    return tuple(out)


def share(value: object, table: str, key: str, fail: Fail) -> Fraction:
    """A share written as a string (``"60%"``, ``"0.6"``, ``"3/5"``), exactly, within [0, 1]."""
    if not isinstance(value, str):
        raise fail("write the share as a string, e.g. \"60%\"", table, key, value)
    try:
        result = parse_share(value)
    except ValueError as exc:
        raise fail(str(exc), table, key, value) from None
    if not 0 <= result <= 1:
        raise fail("a share must lie between 0% and 100%", table, key, value)
    return result


def exact(value: object, table: str, key: str, fail: Fail) -> Fraction:
    """``value`` as an exact fraction; a TOML float is refused (it would not stay exact)."""
    if isinstance(value, float):
        raise fail("write this number as a string (\"1.4\") so that it stays exact", table, key, value)
    try:
        return parse_rational(value)  # type: ignore[arg-type]
    except ValueError as exc:
        raise fail(str(exc), table, key, value) from None
