"""``saylau results --election ID``: counts, turnout, shares and seats of an election or of its units.

Percentages are exact fractions rounded **half up to two decimals** (a share
of exactly 12.345% prints as 12.35%). Turnout and shares follow the ruleset's
definitions and are named beside them: by default shares of valid votes and
turnout as ballots cast over registered voters; the Russian rulesets take
shares of the voters who took part (valid + invalid ballots) and turnout as
ballots issued over registered voters. Seats come from the seat engine, with
the election's ruleset unless ``--rules`` or the ad hoc flags say otherwise,
and only for the nation unless ``--unit-seats`` asks for every unit shown; a
candidate election gives its ``outcome`` (elected, or the runoff), a question
whether it was approved.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from typing import Any

from saylau.commands.allocate import add_system_options, system_options
from saylau.commands.ingest import add_db_option
from saylau.core import Party, percent_str
from saylau.formats import csvsafe
from saylau.rules import Ruleset
from saylau.rules.definitions import DEFAULT, Definitions
from saylau.tabulate.model import LEVELS, ElectionData, UnitCounts
from saylau.tabulate.outcome import decide_unit, outcome_record

__all__ = ["register", "result_dict", "run", "stations_dict"]

FORMATS = ("table", "json", "csv", "markdown")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "results", help="counts, turnout, shares and seats of a stored or built-in election",
        description="Registered voters, ballots cast, valid and invalid ballots, turnout, votes and shares per "
                    "party (exact, rounded half up to 2 places; turnout and shares as the ruleset defines them, "
                    "named in the output), seats by the seat engine or the outcome of a candidate election or a "
                    "question, and stations reported / total. The election is looked up in the store, then among the built-in "
                    "elections.")
    p.add_argument("--election", required=True, metavar="ID")
    add_db_option(p)
    p.add_argument("--unit", metavar="NAME", help="a unit's id or name (default: the nation)")
    p.add_argument("--level", choices=LEVELS, help="every unit at this level (below --unit, when given)")
    p.add_argument("--unit-seats", action="store_true",
                   help="allocate seats within every unit shown, not only for the nation")
    add_system_options(p)
    p.add_argument("--format", choices=FORMATS, default="table")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from saylau.errors import InputError
    from saylau.rules import resolve_ruleset
    from saylau.store.source import election_data

    # Station rows are read only when asked for: the levels above come summed from the database.
    deepest = "station" if args.unit is not None else (args.level or "nation")
    levels = LEVELS[:LEVELS.index(deepest) + 1]
    # The ruleset defines turnout; ballots issued are summed from the protocols only when it needs them.
    ruleset = resolve_ruleset(args.rules) if args.rules else None
    data = election_data(args.election, args.db, level=levels, issued=_needs_issued(ruleset))
    if ruleset is None and data.info.ruleset:
        ruleset = resolve_ruleset(data.info.ruleset)
        if _needs_issued(ruleset):
            data = election_data(args.election, args.db, level=levels, issued=True)
    definitions = ruleset.definitions if ruleset is not None else DEFAULT
    shown = _units(data, args.unit, args.level)
    if not shown:
        raise InputError("no units at that level", field="level", value=args.level)
    results = []
    for unit in shown:
        decide = unit.level == "nation" or args.unit_seats
        if ruleset is not None and not ruleset.has_seats:
            outcome = outcome_record(decide_unit(ruleset, data, unit, seed=args.seed), data) if decide else None
            results.append(result_dict(data, unit, None, definitions=definitions, kind=ruleset.kind,
                                       outcome=outcome, system=ruleset.title or ruleset.name))
        else:
            results.append(result_dict(data, unit, _allocation(data, unit, args) if decide else None,
                                       definitions=definitions))
    sys.stdout.write(render(results, args.format))
    return 0


def _needs_issued(ruleset: Ruleset | None) -> bool:
    return ruleset is not None and ruleset.definitions.turnout_count == "issued"


def _units(data: ElectionData, unit: str | None, level: str | None) -> list[UnitCounts]:
    from saylau.errors import InputError

    if unit is None and level is None:
        return [data.nation]
    root = data.nation
    if unit is not None:
        try:
            root = data.unit(unit)
        except KeyError:
            raise InputError(f"no unit {unit!r} in election {data.info.id!r}", field="unit", value=unit) from None
        if level is None:
            return [root]
    below = _descendants(data, root.unit_id)
    return [u for u in (root, *below) if u.level == level]


def _descendants(data: ElectionData, unit_id: str) -> list[UnitCounts]:
    children: dict[str | None, list[UnitCounts]] = {}
    for u in data.units:
        children.setdefault(u.parent, []).append(u)
    out: list[UnitCounts] = []
    stack = list(reversed(children.get(unit_id, [])))
    while stack:
        u = stack.pop()
        out.append(u)
        stack.extend(reversed(children.get(u.unit_id, [])))
    return out


def _allocation(data: ElectionData, unit: UnitCounts, args: argparse.Namespace) -> Any:
    from saylau.engine import allocate

    options = system_options(args)
    rules = args.rules or data.info.ruleset
    if rules is None and options["seats"] is None:
        return None  # no ruleset and no ad hoc system: counts only
    parties = [Party(p.code, unit.votes.get(p.code, 0), p.kind, p.registration_order, p.candidates)
               for p in data.parties]
    return allocate(parties, rules, valid=unit.valid, ballots_cast=unit.ballots_cast, registered=unit.registered,
                    seed=args.seed, source=f"{data.info.id}:{unit.unit_id}", **options)


def result_dict(data: ElectionData, unit: UnitCounts, allocation: Any = None, *,
                definitions: Definitions = DEFAULT, kind: str = "lists", outcome: dict[str, Any] | None = None,
                system: str | None = None) -> dict[str, Any]:
    """The JSON record of one unit's result.

    Turnout and shares follow ``definitions`` (the ruleset's), named in
    ``definitions``; ``seats`` appear only for an election with seats
    (``kind`` lists), ``outcome`` for a candidate or question election.
    """
    _, turnout_count = definitions.turnout_numerator(unit)
    base = definitions.base(unit)
    record: dict[str, Any] = {
        "election": data.info.id,
        "title": data.info.title,
        "kind": kind,
        "unit": {"id": unit.unit_id, "name": unit.name, "level": unit.level, "parent": unit.parent,
                 "kind": unit.kind or unit.level},
        "totals": {"registered": unit.registered, "ballots_cast": unit.ballots_cast, "valid": unit.valid,
                   "invalid": unit.invalid, "issued": unit.issued},
        "definitions": definitions.to_dict(unit),
        "turnout_percent": percent_str(turnout_count, unit.registered) if turnout_count is not None else None,
        "votes": {p.code: unit.votes.get(p.code, 0) for p in data.parties},
        "percent": {p.code: percent_str(unit.votes.get(p.code, 0), base) for p in data.parties},
        "percent_valid": {p.code: percent_str(unit.votes.get(p.code, 0), unit.valid) for p in data.parties},
    }
    if kind == "lists":
        record["seats"] = dict(allocation.seats) if allocation is not None else {}
        record["system"] = (allocation.system.title or allocation.system.name) if allocation is not None else None
        record["other_seats"] = [{"name": t.name, "kind": t.kind, "seats": t.seats}
                                 for t in (allocation.system.tiers if allocation is not None else ())]
    else:
        record["system"] = system
        record["outcome"] = outcome
    record.update({
        "parties": {p.code: p.name for p in data.parties},
        "stations": stations_dict(unit),
        "synthetic": unit.synthetic,
        "rounding": "percentages: exact, rounded half up to 2 decimal places",
    })
    return record


def stations_dict(unit: UnitCounts) -> dict[str, int | None]:
    """Stations reported, known in all, and missing (known without a protocol: never counted as zeros).

    ``registered_missing`` (voters on the lists of the missing stations) is None: the store
    does not keep the list size of a station without a protocol, and the CEC files leave it empty.
    """
    reported, total = unit.stations_reported, unit.stations_total
    missing = total - reported if total is not None and reported is not None else None
    return {"reported": reported, "total": total, "missing": missing, "registered_missing": None}


def render(results: list[dict[str, Any]], fmt: str) -> str:
    """The results in ``fmt`` (table, json, csv or markdown)."""
    if fmt == "json":
        body: Any = results[0] if len(results) == 1 else {"election": results[0]["election"], "units": results}
        return json.dumps(body, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return _csv(results)
    if len(results) > 1:
        return _many(results, markdown=fmt == "markdown")
    return _markdown(results[0]) if fmt == "markdown" else _table(results[0])


def _many(results: list[dict[str, Any]], *, markdown: bool) -> str:
    """Several units side by side: one row per unit, each party's share (of the ruleset's base) in a column."""
    first = results[0]
    codes = list(first["votes"])
    head = ["unit", "reported", "valid", "turnout", *(f"{c} %" for c in codes)]
    definitions = first["definitions"]
    rows = []
    for r in results:
        s = r["stations"]
        reported = f"{_num(s['reported'])} / {_num(s['total'])}" if s["total"] is not None else "—"
        turnout = f"{r['turnout_percent']}%" if r["turnout_percent"] else "—"
        rows.append([r["unit"]["name"] + (" *" if r["synthetic"] else ""), reported, _num(r["totals"]["valid"]),
                     turnout, *(r["percent"][c] or "—" for c in codes)])
    key = "parties: " + "; ".join(f"{c} = {first['parties'][c]}" for c in codes)
    title = f"{first['title']} — {len(results)} units ({first['unit']['level']})"
    notes = [key, f"{definitions['turnout_label']}; shares: {definitions['share_label']}",
             "percentages exact, rounded half up to 2 places"]
    if any(r["synthetic"] for r in results):
        notes.append("* synthetic: counts generated, not real protocols")
    if markdown:
        out = [f"**{title}**", "", "| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 1)]
        out += ["| " + " | ".join(cell.replace("|", "/") for cell in row) + " |" for row in rows]
        return "\n".join([*out, "", *notes]) + "\n"
    widths = [max(len(head[i]), *(len(row[i]) for row in rows)) for i in range(len(head))]
    lines = [title, "", "  ".join(h.ljust(widths[0]) if i == 0 else h.rjust(widths[i]) for i, h in enumerate(head))]
    lines += ["  ".join(c.ljust(widths[0]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(row))
              for row in rows]
    return "\n".join([*lines, "", *notes]) + "\n"


def _num(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


_SHARE_COLUMN = {"valid": "% valid", "ballots_cast": "% took part"}


def _share_column(r: dict[str, Any]) -> str:
    return _SHARE_COLUMN[r["definitions"]["share_base"]]


def _header(r: dict[str, Any]) -> list[str]:
    t, s = r["totals"], r["stations"]
    unit = r["unit"]
    issued = f" · issued {_num(t['issued'])}" if t.get("issued") is not None else ""
    lines = [f"{r['title']} — {unit['name']} ({unit['level']})" + ("  [SYNTHETIC]" if r["synthetic"] else ""),
             f"registered {_num(t['registered'])}{issued} · ballots cast {_num(t['ballots_cast'])} · valid "
             f"{_num(t['valid'])} · invalid {_num(t['invalid'])} · turnout "
             f"{(r['turnout_percent'] + '%') if r['turnout_percent'] else '—'}",
             f"stations reported {_num(s['reported'])} of {_num(s['total'])}"
             + (f" ({_num(s['missing'])} without a protocol: not counted)" if s.get("missing") else ""),
             f"{r['definitions']['turnout_label']}; shares: {r['definitions']['share_label']}"]
    if r["system"]:
        lines.append(f"{'seats' if r['kind'] == 'lists' else 'rules'}: {r['system']}")
    if r.get("outcome"):
        lines.append(_outcome_text(r))
    return lines


def _outcome_text(r: dict[str, Any]) -> str:
    o = r["outcome"]
    if "elected" in o:
        return f"outcome: {o['elected']} elected"
    if "runoff" in o:
        return f"outcome: no majority; runoff between {' and '.join(o['runoff'])}"
    verdict = "approved" if o["approved"] else "not approved"
    return f"outcome: {verdict} (yes {o['yes']:,} of {o['base']:,} who took part: {o['yes_share_exact']})"


def _table(r: dict[str, Any]) -> str:
    seats = r.get("seats")
    column = _share_column(r)
    rows = [(r["parties"][code], _num(votes), f"{r['percent'][code] or '—'}%",
             str(seats[code]) if seats is not None and code in seats else "") for code, votes in r["votes"].items()]
    width = max([len("party"), *(len(x[0]) for x in rows)])
    share_width = max(8, len(column))
    seat_head = f"  {'seats':>5}" if seats is not None else ""
    out = [*_header(r), "", f"{'party':<{width}}  {'votes':>12}  {column:>{share_width}}{seat_head}"]
    out += [f"{name:<{width}}  {votes:>12}  {share:>{share_width}}" + (f"  {won:>5}" if seats is not None else "")
            for name, votes, share, won in rows]
    for tier in r.get("other_seats", []):
        out.append(f"{'(' + tier['name'] + ')':<{width}}  {'':>12}  {'':>{share_width}}  {tier['seats']:>5}")
    return "\n".join(out) + "\n"


def _markdown(r: dict[str, Any]) -> str:
    seats = r.get("seats")
    out = [f"**{line}**  " if i == 0 else f"{line}  " for i, line in enumerate(_header(r))]
    if seats is not None:
        out += ["", f"| party | votes | {_share_column(r)} | seats |", "|---|---:|---:|---:|"]
    else:
        out += ["", f"| party | votes | {_share_column(r)} |", "|---|---:|---:|"]
    for code, votes in r["votes"].items():
        name = r["parties"][code].replace("|", "/")
        row = f"| {name} | {votes:,} | {r['percent'][code] or '—'}% |"
        out.append(row + (f" {seats.get(code, '')} |" if seats is not None else ""))
    return "\n".join(out) + "\n"


def _csv(results: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csvsafe.writer(buffer)
    writer.writerow(["unit_id", "unit", "level", "registered", "ballots_cast", "valid", "invalid", "turnout_percent",
                     "stations_reported", "stations_total", "synthetic", "party", "votes", "percent_valid", "seats",
                     "issued", "turnout_definition", "share_base", "percent"])
    for r in results:
        t, s, u, d = r["totals"], r["stations"], r["unit"], r["definitions"]
        for code, votes in r["votes"].items():
            writer.writerow([u["id"], u["name"], u["level"], t["registered"], t["ballots_cast"], t["valid"],
                             t["invalid"], r["turnout_percent"] or "", s["reported"], s["total"],
                             "true" if r["synthetic"] else "false", code, votes, r["percent_valid"][code] or "",
                             r.get("seats", {}).get(code, ""), "" if t["issued"] is None else t["issued"],
                             d["turnout"], d["share_base"], r["percent"][code] or ""])
    return buffer.getvalue()
