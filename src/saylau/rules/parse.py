"""Reading a ruleset file: TOML text checked against the grammar in :mod:`saylau.rules.schema`."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import Any

from saylau.core import CandidateRule, FixedTier, QuestionRule
from saylau.errors import RulesetError
from saylau.rules.definitions import SHARE_BASES, TURNOUTS, Definitions
from saylau.rules.lists import build_list_tier
from saylau.rules.locate import Fail, check_known, failer, line_from_message
from saylau.rules.outcomes import build_candidate, build_question
from saylau.rules.ruleset import Ruleset
from saylau.rules.schema import DEFINITIONS, FORMAT, KINDS, LISTS, TIER, TOP

__all__ = ["load_ruleset", "parse_ruleset"]


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
        line = getattr(exc, "lineno", None) or line_from_message(str(exc))
        raise RulesetError(f"not valid TOML: {getattr(exc, 'msg', exc)}", source=source, line=line) from None
    fail = failer(source, text)

    check_known(data, TOP, "", fail)
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
    kind = data.get("kind", "lists")
    if kind not in KINDS:
        raise fail(f"kind must be one of {', '.join(KINDS)}", "", "kind", kind)
    for other in KINDS[1:]:
        if other in data and other != kind:
            raise fail(f"a [{other}] table belongs to kind = \"{other}\"", "", other)
    definitions = _definitions(data.get("definitions", {}), fail)
    candidate: CandidateRule | None = None
    question: QuestionRule | None = None
    tier = None
    lists = data.get("lists", {})
    if kind != "lists":
        if "lists" in data or "tiers" in data:
            raise fail(f"a {kind} election has no seats: no [lists] or [[tiers]]", "", "lists" if "lists" in data
                       else "tiers")
        if kind == "candidate":
            candidate = build_candidate(data.get("candidate", {}), fail)
        else:
            if "question" not in data:
                raise fail("a question needs a [question] table naming its yes and no lines", "", "question")
            question = build_question(data["question"], fail)
    else:
        if not isinstance(lists, dict) or "lists" not in data:
            raise fail("a ruleset needs a [lists] table", "", "lists")
        check_known(lists, LISTS, "lists", fail)
        tier = build_list_tier(lists, fail) if "seats" in lists else None
        if tier is None:
            build_list_tier({**lists, "seats": 1}, fail)  # validate everything but the seats
    tiers = []
    raw_tiers = data.get("tiers", [])
    if not isinstance(raw_tiers, list):
        raise fail("tiers must be an array of tables ([[tiers]])", "", "tiers")
    for index, raw in enumerate(raw_tiers):
        table = f"tiers[{index}]"
        check_known(raw, TIER, table, fail)
        seats = raw.get("seats")
        if isinstance(seats, bool) or not isinstance(seats, int) or seats < 0:
            raise fail("seats must be a whole number >= 0", table, "seats", seats)
        tier_kind = raw.get("kind", "appointed")
        if tier_kind not in ("appointed", "plurality"):
            raise fail("kind must be 'appointed' or 'plurality'", table, "kind", tier_kind)
        if not isinstance(raw.get("name"), str):
            raise fail("each tier needs a name", table, "name", raw.get("name"))
        tiers.append(FixedTier(raw["name"], seats, tier_kind, str(raw.get("body", "")), str(raw.get("clause", ""))))
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
        kind=kind,
        candidate=candidate,
        question=question,
        definitions=definitions,
    )


def _definitions(raw: Any, fail: Fail) -> Definitions:
    check_known(raw, DEFINITIONS, "definitions", fail)
    turnout = raw.get("turnout", "ballots_cast")
    if turnout not in TURNOUTS:
        raise fail(f"turnout must be one of {', '.join(TURNOUTS)}", "definitions", "turnout", turnout)
    base = raw.get("share_base", "valid")
    if base not in SHARE_BASES:
        raise fail(f"share_base must be one of {', '.join(SHARE_BASES)}", "definitions", "share_base", base)
    return Definitions(turnout, base)
