"""``saylau margins``: how many votes each list lacked or could spare, exactly."""

from __future__ import annotations

import argparse
import io
import json
import sys
from typing import Any

from saylau.commands.allocate import FORMATS, add_system_options, system_options
from saylau.commands.whatif import add_ballot_options, ballot_from_args
from saylau.formats import csvsafe

__all__ = ["register", "render_margins"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "margins", help="votes needed for a seat or the threshold, votes to spare",
        description="For each list: the fewest votes added (others unchanged) that win it one more seat, "
                    "that make it pass the threshold, and the fewest taken away that cost it a seat; for each "
                    "pair of lists, the fewest votes moved from one to the other that change the seats. Added "
                    "votes come from voters who stayed home (valid votes and ballots cast grow; registered "
                    "voters do not). Exact: the engine decides every case; see saylau.analysis.margins.")
    add_ballot_options(p)
    add_system_options(p)
    p.add_argument("--format", choices=FORMATS, default="table")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from saylau.analysis.margins import margins
    from saylau.engine import build_system

    ballot = ballot_from_args(args)
    system = build_system(args.rules or ballot.ruleset or "kz-mazhilis-2021", **system_options(args))
    sys.stdout.write(render_margins(margins(ballot, system), args.format))
    return 0


def _n(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def render_margins(result: Any, fmt: str) -> str:
    """Margins as ``table``, ``json``, ``csv`` or ``markdown``."""
    if fmt == "json":
        return json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        w = csvsafe.writer(out)
        w.writerow(["kind", "party", "to", "votes", "seats", "passed", "to_gain_seat", "seats_if_gained",
                    "to_threshold", "to_lose_seat", "can_lose"])
        for m in result.lists:
            w.writerow(["list", m.party, "", m.votes, m.seats, "yes" if m.passed else "no", _c(m.to_gain_seat),
                        _c(m.seats_if_gained), _c(m.to_threshold), _c(m.to_lose_seat), _c(m.can_lose)])
        for t in result.transfers:
            w.writerow(["transfer", t.source, t.target, _c(t.votes), "", "", "", "", "", "", ""])
        return out.getvalue()
    header = ["party", "votes", "seats", "passed", "+votes: one more seat", "+votes: threshold",
              "−votes: loses a seat", "could lose"]
    rows = []
    for m in result.lists:
        gain = _n(m.to_gain_seat) + (f" (→ {m.seats_if_gained})" if m.seats_if_gained is not None else "")
        rows.append([result.ballot.label(m.party), _n(m.votes), str(m.seats), "yes" if m.passed else "no", gain,
                     _n(m.to_threshold), _n(m.to_lose_seat), _n(m.can_lose)])
    moves = sorted((t for t in result.transfers if t.votes is not None), key=lambda t: t.votes)
    closest = result.closest
    summary = "no transfer of votes between lists changes the seats"
    if closest is not None:
        changed = ", ".join(f"{p} {s}" for p, s in (closest.seats_after or {}).items()
                            if s != result.allocation.seats[p]) or "no result"
        summary = (f"closest: {closest.votes:,} votes moved from {closest.source} to {closest.target} "
                   f"change the seats ({changed})")
    if fmt == "markdown":
        text = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
        text += ["| " + " | ".join(r) + " |" for r in rows]
        text += ["", summary + ".", "", "| from | to | votes moved |", "|---|---|---:|"]
        text += [f"| {t.source} | {t.target} | {t.votes:,} |" for t in moves]
        return "\n".join(text) + "\n"
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
             for r in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines += ["", summary, "", "votes moved that change the seats:"]
    lines += [f"  {t.source:>8} → {t.target:<8} {t.votes:>12,}" for t in moves]
    return "\n".join(lines) + "\n"


def _c(value: int | None) -> str:
    return "" if value is None else str(value)
