"""``saylau results --election ID``: counts, turnout, shares and seats of an election or of its units.

Percentages are exact fractions rounded **half up to two decimals** (a share
of exactly 12.345% prints as 12.35%): party shares are of valid votes, turnout
is ballots cast over registered voters. Seats come from the seat engine, with
the election's ruleset unless ``--rules`` or the ad hoc flags say otherwise,
and only for the nation unless ``--unit-seats`` asks for every unit shown.
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
from saylau.tabulate.model import LEVELS, ElectionData, UnitCounts

__all__ = ["register", "result_dict", "run"]

FORMATS = ("table", "json", "csv", "markdown")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "results", help="counts, turnout, shares and seats of a stored or built-in election",
        description="Registered voters, ballots cast, valid and invalid ballots, turnout, votes and percent of "
                    "valid votes per party (exact, rounded half up to 2 places), seats by the seat engine, and "
                    "stations reported / total. The election is looked up in the store, then among the built-in "
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
    from saylau.tabulate.source import election_data

    # Station rows are read only when asked for: the levels above come summed from the database.
    deepest = "station" if args.unit is not None else (args.level or "nation")
    data = election_data(args.election, args.db, level=LEVELS[:LEVELS.index(deepest) + 1])
    shown = _units(data, args.unit, args.level)
    if not shown:
        raise InputError("no units at that level", field="level", value=args.level)
    results = [result_dict(data, unit, _allocation(data, unit, args) if unit.level == "nation" or args.unit_seats
                           else None) for unit in shown]
    sys.stdout.write(render(results, args.format))
    return 0


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


def result_dict(data: ElectionData, unit: UnitCounts, allocation: Any = None) -> dict[str, Any]:
    """The JSON record of one unit's result."""
    seats = dict(allocation.seats) if allocation is not None else {}
    return {
        "election": data.info.id,
        "title": data.info.title,
        "unit": {"id": unit.unit_id, "name": unit.name, "level": unit.level, "parent": unit.parent},
        "totals": {"registered": unit.registered, "ballots_cast": unit.ballots_cast, "valid": unit.valid,
                   "invalid": unit.invalid},
        "turnout_percent": percent_str(unit.ballots_cast, unit.registered) if unit.ballots_cast is not None else None,
        "votes": {p.code: unit.votes.get(p.code, 0) for p in data.parties},
        "percent_valid": {p.code: percent_str(unit.votes.get(p.code, 0), unit.valid) for p in data.parties},
        "seats": seats,
        "system": (allocation.system.title or allocation.system.name) if allocation is not None else None,
        "other_seats": [{"name": t.name, "kind": t.kind, "seats": t.seats}
                        for t in (allocation.system.tiers if allocation is not None else ())],
        "parties": {p.code: p.name for p in data.parties},
        "stations": {"reported": unit.stations_reported, "total": unit.stations_total},
        "synthetic": unit.synthetic,
        "rounding": "percentages: exact, rounded half up to 2 decimal places",
    }


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
    """Several units side by side: one row per unit, each party's % of valid votes in a column."""
    first = results[0]
    codes = list(first["votes"])
    head = ["unit", "reported", "valid", "turnout", *(f"{c} %" for c in codes)]
    rows = []
    for r in results:
        s = r["stations"]
        reported = f"{_num(s['reported'])} / {_num(s['total'])}" if s["total"] is not None else "—"
        turnout = f"{r['turnout_percent']}%" if r["turnout_percent"] else "—"
        rows.append([r["unit"]["name"] + (" *" if r["synthetic"] else ""), reported, _num(r["totals"]["valid"]),
                     turnout, *(r["percent_valid"][c] or "—" for c in codes)])
    key = "parties: " + "; ".join(f"{c} = {first['parties'][c]}" for c in codes)
    title = f"{first['title']} — {len(results)} units ({first['unit']['level']})"
    notes = [key, "percentages of valid votes, exact, rounded half up to 2 places"]
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


def _header(r: dict[str, Any]) -> list[str]:
    t, s = r["totals"], r["stations"]
    unit = r["unit"]
    lines = [f"{r['title']} — {unit['name']} ({unit['level']})" + ("  [SYNTHETIC]" if r["synthetic"] else ""),
             f"registered {_num(t['registered'])} · ballots cast {_num(t['ballots_cast'])} · valid {_num(t['valid'])}"
             f" · invalid {_num(t['invalid'])} · turnout {(r['turnout_percent'] + '%') if r['turnout_percent'] else '—'}",
             f"stations reported {_num(s['reported'])} of {_num(s['total'])}"]
    if r["system"]:
        lines.append(f"seats: {r['system']}")
    return lines


def _table(r: dict[str, Any]) -> str:
    rows = [(r["parties"][code], _num(votes), f"{r['percent_valid'][code] or '—'}%",
             str(r["seats"][code]) if code in r["seats"] else "") for code, votes in r["votes"].items()]
    width = max([len("party"), *(len(x[0]) for x in rows)])
    out = [*_header(r), "", f"{'party':<{width}}  {'votes':>12}  {'% valid':>8}  {'seats':>5}"]
    out += [f"{name:<{width}}  {votes:>12}  {share:>8}  {seats:>5}" for name, votes, share, seats in rows]
    for tier in r.get("other_seats", []):
        out.append(f"{'(' + tier['name'] + ')':<{width}}  {'':>12}  {'':>8}  {tier['seats']:>5}")
    return "\n".join(out) + "\n"


def _markdown(r: dict[str, Any]) -> str:
    out = [f"**{line}**  " if i == 0 else f"{line}  " for i, line in enumerate(_header(r))]
    out += ["", "| party | votes | % valid | seats |", "|---|---:|---:|---:|"]
    for code, votes in r["votes"].items():
        name = r["parties"][code].replace("|", "/")
        out.append(f"| {name} | {votes:,} | {r['percent_valid'][code] or '—'}% | {r['seats'].get(code, '')} |")
    return "\n".join(out) + "\n"


def _csv(results: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csvsafe.writer(buffer)
    writer.writerow(["unit_id", "unit", "level", "registered", "ballots_cast", "valid", "invalid", "turnout_percent",
                     "stations_reported", "stations_total", "synthetic", "party", "votes", "percent_valid", "seats"])
    for r in results:
        t, s, u = r["totals"], r["stations"], r["unit"]
        for code, votes in r["votes"].items():
            writer.writerow([u["id"], u["name"], u["level"], t["registered"], t["ballots_cast"], t["valid"],
                             t["invalid"], r["turnout_percent"] or "", s["reported"], s["total"],
                             "true" if r["synthetic"] else "false", code, votes, r["percent_valid"][code] or "",
                             r["seats"].get(code, "")])
    return buffer.getvalue()
