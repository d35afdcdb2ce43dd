"""Writing a ruleset back as TOML that :func:`~saylau.rules.parse.parse_ruleset` reads to an equal one."""

from __future__ import annotations

from typing import Any

import tomli_w

from saylau.core import Majority, fraction_str
from saylau.rules.definitions import DEFAULT
from saylau.rules.ruleset import Ruleset
from saylau.rules.schema import FORMAT

__all__ = ["dump_ruleset"]


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
    if ruleset.kind != "lists":
        data["kind"] = ruleset.kind
    if ruleset.definitions != DEFAULT:
        data["definitions"] = {"turnout": ruleset.definitions.turnout_count,
                               "share_base": ruleset.definitions.share_base}
    if ruleset.candidate is not None:
        c = ruleset.candidate
        data["candidate"] = {"runoff": c.runoff, "ties": c.ties, "majority": _majority(c.majority)}
        if c.runoff_clause:
            data["candidate"]["runoff_clause"] = c.runoff_clause
    if ruleset.question is not None:
        q = ruleset.question
        data["question"] = {"yes": list(q.yes), "no": list(q.no), "majority": _majority(q.majority)}
    if ruleset.kind == "lists":
        data["lists"] = _lists_table(ruleset)
    if ruleset.tiers:
        data["tiers"] = [
            {"name": t.name, "kind": t.kind, "seats": t.seats, "body": t.body, "clause": t.clause}
            for t in ruleset.tiers
        ]
    return tomli_w.dumps(data)


def _majority(m: Majority) -> dict[str, Any]:
    out: dict[str, Any] = {"share": fraction_str(m.share), "comparison": ">=" if m.inclusive else ">", "base": m.base}
    if m.clause:
        out["clause"] = m.clause
    return out


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
    if tier.coverage is not None:
        cov = tier.coverage
        out["coverage"] = {"share": fraction_str(cov.share), "comparison": ">=" if cov.inclusive else ">",
                           "min_lists": cov.min_lists}
        if cov.clause:
            out["coverage"]["clause"] = cov.clause
    if tier.bands:
        out["bands"] = [{"lower": fraction_str(b.lower), "upper": fraction_str(b.upper), "seats": b.seats,
                         **({"clause": b.clause} if b.clause else {})} for b in tier.bands]
    if tier.clauses:
        out["clauses"] = dict(tier.clauses)
    return out
