"""``saylau project --polls FILE``: seat chances from polls, by Monte Carlo with exact allocation."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import sys
from typing import Any

from saylau.commands.allocate import FORMATS, add_system_options, system_options
from saylau.formats import csvsafe

__all__ = ["register", "render_projection"]


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _positive(kind: type) -> Any:
    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not value > 0:
            raise argparse.ArgumentTypeError(f"must be > 0: {text!r}")
        return value
    return parse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from saylau.analysis.polls import DEFAULT_HALF_LIFE

    p = sub.add_parser(
        "project", help="seat chances from polls (Monte Carlo)",
        description="Average the polls with recency weights, draw elections around the average with the "
                    "sampling error of an effective sample size, allocate each one exactly, and report per "
                    "list: P(passing the threshold), median seats, 90% interval, P(majority of the house) and "
                    "the distribution of seats. Needs the 'sim' extra (NumPy, Dask); --plot needs matplotlib.")
    p.add_argument("--polls", required=True, metavar="FILE", help="polls CSV: date,pollster,kind,<party>...")
    p.add_argument("--election", metavar="ID",
                   help="the election the polls are for: its ballot, ruleset, votes cast and actual seats")
    p.add_argument("--db", metavar="URL", help="store URL or SQLite path (default: $SAYLAU_DB or ./saylau.sqlite)")
    add_system_options(p)
    m = p.add_argument_group("model")
    m.add_argument("--n", type=_positive(float), metavar="N",
                   help="effective sample size of the poll average (default: 1,000 per poll, Kish-weighted)")
    m.add_argument("--sims", type=_positive(int), default=10_000, metavar="S", help="simulated elections (10,000)")
    m.add_argument("--kind", action="append", choices=("poll", "exit_poll"),
                   help="poll kinds to average (repeatable; default: poll); 'result' rows never enter")
    m.add_argument("--as-of", type=_date, metavar="DATE", help="ignore later polls; ages count from here")
    m.add_argument("--half-life", type=_positive(float), default=DEFAULT_HALF_LIFE, metavar="DAYS",
                   help=f"a poll this many days older weighs half as much ({DEFAULT_HALF_LIFE:g})")
    m.add_argument("--others", choices=("renormalise", "bucket"), default="renormalise",
                   help="undecided/others: split like the decided (default), or an 'others' line in the base")
    m.add_argument("--votes-cast", type=_positive(int), metavar="V",
                   help="valid votes per simulated election (default: the election's, else 1,000,000)")
    p.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="run the simulations on this Dask scheduler")
    p.add_argument("--plot", metavar="FILE", help="write a chart of the seat distributions (PNG, SVG, PDF)")
    p.add_argument("--format", choices=FORMATS, default="table")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from saylau.analysis.polls import average_polls, read_polls
    from saylau.analysis.projection import plot_projection, project
    from saylau.engine import build_system
    from saylau.errors import InputError

    ballot = None
    ruleset = None
    votes_cast = args.votes_cast
    actual: dict[str, int] = {}
    if args.election:
        from saylau.store.source import election_data

        data = election_data(args.election, args.db)
        ballot = sorted(_parties(data), key=lambda p: p.registration_order or 0)
        ruleset = data.info.ruleset
        votes_cast = votes_cast or data.nation.valid
        actual = dict(data.info.official_seats)
    seed = None
    if args.seed is not None:
        try:
            seed = int(args.seed)
        except ValueError:
            raise InputError("the seed must be a whole number", field="seed", value=args.seed) from None
    system = build_system(args.rules or ruleset or "kz-mazhilis-2021", **system_options(args))
    average = average_polls(read_polls(args.polls), kinds=tuple(args.kind or ("poll",)), as_of=args.as_of,
                            half_life=args.half_life, source=args.polls)
    result = project(average, system, ballot=ballot, n_eff=args.n, votes_cast=votes_cast or 1_000_000,
                     sims=args.sims, seed=seed, others=args.others, scheduler=args.scheduler, actual=actual)
    if args.plot:
        plot_projection(result, args.plot)
    sys.stdout.write(render_projection(result, args.format))
    return 0


def _parties(data: Any) -> list[Any]:
    from saylau.core import Party

    return [Party(p.code, 0, p.kind, p.registration_order, p.candidates) for p in data.parties]


def _pct(p: float) -> str:
    return f"{100 * p:.1f}%"


def render_projection(result: Any, fmt: str) -> str:
    """A projection as ``table``, ``json``, ``csv`` or ``markdown``."""
    data = result.to_dict()
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    has_actual = any(x["actual"] is not None for x in data["lists"])
    header = ["party", "poll share", "P(pass)", "median", "90% interval", "mean", f"P(≥{data['majority']})",
              *(["actual"] if has_actual else [])]
    rows = [[x["party"], f"{x['share']:.2f}%", _pct(x["p_pass"]), str(x["median"]),
             f"{x['interval_90'][0]}–{x['interval_90'][1]}", f"{x['mean']:.2f}", _pct(x["p_majority"]),
             *([("" if x["actual"] is None else str(x["actual"]))] if has_actual else [])] for x in data["lists"]]
    if fmt == "csv":
        out = io.StringIO()
        w = csvsafe.writer(out)
        w.writerow(["party", "share", "p_pass", "median", "low_90", "high_90", "mean", "p_majority",
                    "p_list_majority", "actual", "distribution"])
        for x in data["lists"]:
            w.writerow([x["party"], x["share"], x["p_pass"], x["median"], *x["interval_90"], x["mean"],
                        x["p_majority"], x["p_list_majority"], "" if x["actual"] is None else x["actual"],
                        ";".join(f"{k}={v:.6g}" for k, v in x["distribution"].items())])
        return out.getvalue()
    about = (f"{data['sims']:,} simulated elections of {data['votes_cast']:,} valid votes under {data['system']} "
             f"(seed {data['seed']}); {len(data['polls'])} polls, half-life {data['half_life_days']:g} days "
             f"as of {data['as_of']}; effective sample size {data['n_eff']:,.0f}; others: {data['others']}; "
             f"majority = {data['majority']} of {data['house']} seats")
    if data["p_no_result"]:
        about += f"; no list passed in {_pct(data['p_no_result'])} of the elections"
    dist_lines = []
    for x in data["lists"]:
        shown = [f"{k}: {_pct(v)}" for k, v in x["distribution"].items() if v >= 0.005]
        dist_lines.append(f"{x['party']}: " + (", ".join(shown) or "—"))
    if fmt == "markdown":
        text = [about + ".", "", "| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
        text += ["| " + " | ".join(r) + " |" for r in rows]
        text += ["", "Seat distributions (P ≥ 0.5%):", ""] + [f"- {line}" for line in dist_lines]
        return "\n".join(text) + "\n"
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [about, ""]
    lines += ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
              for r in [header, *rows]]
    lines.insert(3, "  ".join("-" * w for w in widths))
    lines += ["", "seat distributions (P >= 0.5%):"] + [f"  {line}" for line in dist_lines]
    return "\n".join(lines) + "\n"
