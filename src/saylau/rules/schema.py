"""Rulesets as dated TOML data, read and written exactly.

The grammar (one file per ruleset, format 1)::

    name = "kz-mazhilis-2021"          # registry name: family-year
    family = "kz-mazhilis"             # rulesets of one body, chosen by date
    title = "..."                      # human title
    election_date = 2021-01-10         # the election it was written for
    in_force_from = 2009-02-09         # optional: first date it governs
    legal_basis = "..."                # the law, cited
    jurisdiction = "KZ"
    notes = "..."                      # optional

    [lists]                            # the party-list tier
    seats = 98                         # optional in generic rulesets (then given at use)
    method = "hare"                    # hare droop hagenbach-bischoff imperiali dhondt sainte-lague
                                       # modified-sainte-lague danish huntington-hill adams dean
    first_divisor = "1.4"              # modified-sainte-lague only
    ties = "registration"              # registration | lot | error
    exhaustion = "vacant"              # vacant | redistribute | error
    min_seats = 0
    max_seats = 10                     # optional

    [lists.threshold]                  # optional
    share = "7%"                       # or "0.07" or "1/150"; or votes = 5000
    comparison = ">="                  # >= | >
    base = "valid"                     # valid | ballots_cast | registered

    [lists.runner_up]                  # optional: Kazakhstan's only-one-list clause
    factor = "0.7"
    min_seats = 2

    [lists.clauses]                    # legal references by topic
    seats = "..."                      # also method, threshold, ties, runner_up, exhaustion, no_list, bounds

    [[tiers]]                          # seats beside the list tier
    name = "Assembly of People"
    kind = "appointed"                 # appointed | plurality
    seats = 9
    body = "..."
    clause = "..."

Numbers that decide seats are strings so that they stay exact. Every error
names the file, line and key.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import tomli_w

from saylau.core import (
    FixedTier,
    ListTier,
    RunnerUp,
    System,
    Threshold,
    fraction_str,
    parse_rational,
    parse_share,
)
from saylau.core.system import EXHAUSTION_POLICIES, METHODS
from saylau.core.thresholds import BASES
from saylau.core.ties import TIE_POLICIES
from saylau.errors import RulesetError

__all__ = ["FORMAT", "Ruleset", "dump_ruleset", "load_ruleset", "parse_ruleset"]

FORMAT = 1

_TOP = {"format", "name", "family", "title", "election_date", "in_force_from", "legal_basis",
        "jurisdiction", "notes", "lists", "tiers"}
_LISTS = {"seats", "method", "first_divisor", "ties", "exhaustion", "min_seats", "max_seats",
          "threshold", "runner_up", "clauses", "name"}
_THRESHOLD = {"share", "votes", "comparison", "base", "clause"}
_RUNNER_UP = {"factor", "min_seats", "clause"}
_CLAUSES = {"seats", "method", "threshold", "ties", "runner_up", "exhaustion", "no_list", "bounds"}
_TIER = {"name", "kind", "seats", "body", "clause"}


@dataclass(frozen=True, slots=True)
class Ruleset:
    """A dated, cited electoral ruleset; :meth:`system` turns it into what the engine runs."""

    name: str
    lists: ListTier | None
    """The list tier, or None when its seats are left open (generic rulesets)."""
    list_spec: Mapping[str, Any] = field(default_factory=dict, repr=False)
    tiers: tuple[FixedTier, ...] = ()
    title: str = ""
    family: str = ""
    election_date: dt.date | None = None
    in_force_from: dt.date | None = None
    legal_basis: str = ""
    jurisdiction: str = ""
    notes: str = ""
    source: str = ""

    def system(self, **overrides: Any) -> System:
        """The engine's system, with list-tier fields overridden (``seats=``, ``method=``, ...)."""
        spec = dict(self.list_spec)
        clean = {k: v for k, v in overrides.items() if v is not None}
        if self.lists is None and "seats" not in clean:
            raise RulesetError(f"ruleset {self.name!r} leaves the number of seats open: give the seats",
                               source=self.source, field="seats")
        tier = self.lists if self.lists is not None else None
        if tier is None:
            spec["seats"] = clean["seats"]
            tier = _build_lists(spec, self.source, "")
        try:
            tier = replace(tier, **clean)
        except (TypeError, ValueError) as exc:
            raise RulesetError(str(exc), source=self.source) from None
        return System(self.name, tier, self.tiers, self.title)

    @property
    def total_seats(self) -> int | None:
        return None if self.lists is None else self.lists.seats + sum(t.seats for t in self.tiers)


def load_ruleset(path: str | Path) -> Ruleset:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RulesetError(f"cannot read ruleset: {exc.strerror}", source=str(path)) from None
    return parse_ruleset(text, source=str(path))


def parse_ruleset(text: str, *, source: str = "<ruleset>") -> Ruleset:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or _line_from_message(str(exc))
        raise RulesetError(f"not valid TOML: {getattr(exc, 'msg', exc)}", source=source, line=line) from None
    locate = _Locator(text)

    def fail(message: str, table: str, key: str, value: object = None) -> RulesetError:
        return RulesetError(message, source=source, line=locate(table, key), field=_dotted(table, key), value=value)

    _known(data, _TOP, "", fail)
    if data.get("format", FORMAT) != FORMAT:
        raise fail(f"unsupported ruleset format (this saylau reads format {FORMAT})", "", "format", data.get("format"))
    name = data.get("name")
    if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9][a-z0-9.-]*", name):
        raise fail("name must be lower-case letters, digits, '-' or '.'", "", "name", name)
    for key in ("title", "family", "legal_basis", "jurisdiction", "notes"):
        if key in data and not isinstance(data[key], str):
            raise fail("must be a string", "", key, data[key])
    dates: dict[str, dt.date | None] = {}
    for key in ("election_date", "in_force_from"):
        value = data.get(key)
        if value is not None and not (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
            raise fail("must be a date such as 2021-01-10 (unquoted)", "", key, value)
        dates[key] = value
    lists = data.get("lists")
    if not isinstance(lists, dict):
        raise fail("a ruleset needs a [lists] table", "", "lists")
    _known(lists, _LISTS, "lists", fail)
    tier = _build_lists(lists, source, text, fail) if "seats" in lists else None
    if tier is None:
        _build_lists({**lists, "seats": 1}, source, text, fail)  # validate everything but the seats
    tiers = []
    raw_tiers = data.get("tiers", [])
    if not isinstance(raw_tiers, list):
        raise fail("tiers must be an array of tables ([[tiers]])", "", "tiers")
    for index, raw in enumerate(raw_tiers):
        table = f"tiers[{index}]"
        _known(raw, _TIER, table, fail)
        seats = raw.get("seats")
        if isinstance(seats, bool) or not isinstance(seats, int) or seats < 0:
            raise fail("seats must be a whole number >= 0", table, "seats", seats)
        kind = raw.get("kind", "appointed")
        if kind not in ("appointed", "plurality"):
            raise fail("kind must be 'appointed' or 'plurality'", table, "kind", kind)
        if not isinstance(raw.get("name"), str):
            raise fail("each tier needs a name", table, "name", raw.get("name"))
        tiers.append(FixedTier(raw["name"], seats, kind, str(raw.get("body", "")), str(raw.get("clause", ""))))
    return Ruleset(
        name=name,
        lists=tier,
        list_spec=lists,
        tiers=tuple(tiers),
        title=data.get("title", ""),
        family=data.get("family", ""),
        election_date=dates["election_date"],
        in_force_from=dates["in_force_from"],
        legal_basis=data.get("legal_basis", ""),
        jurisdiction=data.get("jurisdiction", ""),
        notes=data.get("notes", ""),
        source=source,
    )


def _build_lists(lists: Mapping[str, Any], source: str, text: str, fail: Any = None) -> ListTier:
    if fail is None:
        locate = _Locator(text)

        def fail(message: str, table: str, key: str, value: object = None) -> RulesetError:
            return RulesetError(message, source=source, line=locate(table, key) if text else None,
                                field=_dotted(table, key), value=value)

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
        first = _exact(lists["first_divisor"], "lists", "first_divisor", fail)
    clauses = lists.get("clauses", {})
    _known(clauses, _CLAUSES, "lists.clauses", fail)
    for key, value in clauses.items():
        if not isinstance(value, str):
            raise fail("a clause reference must be a string", "lists.clauses", key, value)
    threshold = None
    if "threshold" in lists:
        raw = lists["threshold"]
        _known(raw, _THRESHOLD, "lists.threshold", fail)
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
            threshold = Threshold(share=share, inclusive=comparison == ">=", base=base, clause=clause)
        else:
            votes = raw["votes"]
            if isinstance(votes, bool) or not isinstance(votes, int) or votes < 0:
                raise fail("votes must be a whole number >= 0", "lists.threshold", "votes", votes)
            threshold = Threshold(votes_min=votes, inclusive=comparison == ">=", base=base, clause=clause)
    runner_up = None
    if "runner_up" in lists:
        raw = lists["runner_up"]
        _known(raw, _RUNNER_UP, "lists.runner_up", fail)
        factor = _exact(raw.get("factor", "7/10"), "lists.runner_up", "factor", fail)
        if not 0 < factor <= 1:
            raise fail("factor must lie in (0, 1]", "lists.runner_up", "factor", raw.get("factor"))
        min_seats = raw.get("min_seats", 2)
        if isinstance(min_seats, bool) or not isinstance(min_seats, int) or min_seats < 0:
            raise fail("min_seats must be a whole number >= 0", "lists.runner_up", "min_seats", min_seats)
        runner_up = RunnerUp(factor, min_seats, str(raw.get("clause", clauses.get("runner_up", ""))))
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
            name=str(lists.get("name", "party lists")),
            clauses=dict(clauses),
        )
    except ValueError as exc:
        raise fail(str(exc), "lists", "method") from None


def _exact(value: object, table: str, key: str, fail: Any) -> Fraction:
    if isinstance(value, float):
        raise fail("write this number as a string (\"1.4\") so that it stays exact", table, key, value)
    try:
        return parse_rational(value)  # type: ignore[arg-type]
    except ValueError as exc:
        raise fail(str(exc), table, key, value) from None


def _known(table: object, allowed: set[str], where: str, fail: Any) -> None:
    if not isinstance(table, dict):
        raise fail("must be a table", where.rsplit(".", 1)[0] if "." in where else "", where.rsplit(".", 1)[-1])
    for key in table:
        if key not in allowed:
            raise fail(f"unknown key (expected one of {', '.join(sorted(allowed))})", where, key)


def _dotted(table: str, key: str) -> str:
    return f"{table}.{key}" if table else key


def _line_from_message(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


class _Locator:
    """Finds the line of ``key`` inside ``[table]`` (or ``[[tiers]]`` number n) in TOML text."""

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\" ]+?)\s*\]\]?\s*(#.*)?$")
    _KEY = re.compile(r"^\s*([A-Za-z0-9_\-\"]+)\s*=")

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def __call__(self, table: str, key: str) -> int | None:
        current = ""
        counts: dict[str, int] = {}
        header_line: int | None = None
        for number, line in enumerate(self.lines, start=1):
            header = self._HEADER.match(line)
            if header:
                name = header.group(2).replace('"', "").replace(" ", "")
                if header.group(1) == "[[":
                    index = counts.get(name, -1) + 1
                    counts[name] = index
                    name = f"{name}[{index}]"
                current = name
                if current == table:
                    header_line = number
                continue
            match = self._KEY.match(line)
            if match and current == table and match.group(1).strip('"') == key:
                return number
        return header_line


def dump_ruleset(ruleset: Ruleset) -> str:
    """TOML text that :func:`parse_ruleset` reads back to an equal ruleset."""
    data: dict[str, Any] = {"format": FORMAT, "name": ruleset.name}
    for key in ("family", "title"):
        if getattr(ruleset, key):
            data[key] = getattr(ruleset, key)
    for key in ("election_date", "in_force_from"):
        if getattr(ruleset, key) is not None:
            data[key] = getattr(ruleset, key)
    for key in ("legal_basis", "jurisdiction", "notes"):
        if getattr(ruleset, key):
            data[key] = getattr(ruleset, key)
    data["lists"] = _lists_table(ruleset)
    if ruleset.tiers:
        data["tiers"] = [
            {"name": t.name, "kind": t.kind, "seats": t.seats, "body": t.body, "clause": t.clause}
            for t in ruleset.tiers
        ]
    return tomli_w.dumps(data)


def _lists_table(ruleset: Ruleset) -> dict[str, Any]:
    tier = ruleset.lists
    if tier is None:
        spec = dict(ruleset.list_spec)
        return spec
    out: dict[str, Any] = {"seats": tier.seats, "method": tier.method}
    if tier.method == "modified-sainte-lague":
        out["first_divisor"] = fraction_str(tier.first_divisor)
    out["ties"] = tier.ties
    out["exhaustion"] = tier.exhaustion
    out["min_seats"] = tier.min_seats
    if tier.max_seats is not None:
        out["max_seats"] = tier.max_seats
    if tier.name != "party lists":
        out["name"] = tier.name
    if tier.threshold is not None:
        th = tier.threshold
        table: dict[str, Any] = {}
        if th.share is not None:
            table["share"] = fraction_str(th.share)
        else:
            table["votes"] = th.votes_min
        table["comparison"] = ">=" if th.inclusive else ">"
        table["base"] = th.base
        if th.clause:
            table["clause"] = th.clause
        out["threshold"] = table
    if tier.runner_up is not None:
        ru = tier.runner_up
        out["runner_up"] = {"factor": fraction_str(ru.factor), "min_seats": ru.min_seats}
        if ru.clause:
            out["runner_up"]["clause"] = ru.clause
    if tier.clauses:
        out["clauses"] = dict(tier.clauses)
    return out
