"""The report as Markdown (GitHub-flavoured tables), for READMEs, wikis and e-mail."""

from __future__ import annotations

from saylau.report.fmt import change_text, count_text, percent_cell
from saylau.report.model import Report

__all__ = ["render_markdown"]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(head: list[str], align: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(_cell(h) for h in head) + " |",
           "|" + "|".join("---:" if a == "r" else "---" for a in align) + "|"]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return out


def render_markdown(report: Report) -> str:
    """The national table, totals, seats, regional table and explanation as Markdown."""
    t = report.totals
    lines = [f"# {report.title}", ""]
    meta = [f"Election `{report.election_id}`"]
    if report.date:
        meta.append(report.date)
    meta.append(f"status: {report.status}")
    if report.ruleset:
        meta.append(f"rules: `{report.ruleset}`")
    lines += [" · ".join(meta), ""]
    if report.synthetic:
        lines += [f"> **Synthetic data.** {report.synthetic_units} of {report.units} units include synthetic "
                  "(simulated) protocols. These figures are not an official result.", ""]

    lines += ["## National result", ""]
    head = [{"candidate": "Candidate", "question": "Answer"}.get(report.kind, "Party"), "Votes",
            "% of valid" if report.shares_of_valid else report.share_label]
    align = ["l", "r", "r"]
    if report.has_seats:
        head += ["Seats", f"Change since {report.previous or 'the previous election'}"]
        align += ["r", "r"]
    rows = []
    for p in report.parties:
        row = [p.name, count_text(p.votes), percent_cell(p.percent)]
        if report.has_seats:
            seats = "—" if p.seats is None else str(p.seats)
            if p.vacant:
                seats += f" (+{p.vacant} vacant)"
            row += [seats, change_text(p.change)]
        rows.append(row)
    for a in report.appointed:
        rows.append([f"*{a.name} ({a.kind})*", "—", "—", str(a.seats), "n/a"])
    total = ["**Total**", f"**{count_text(t.valid)}**",
             ("**100.00%**" if t.valid else "n/a") if report.shares_of_valid else "—"]
    if report.has_seats:
        total += [f"**{report.total_seats}**", ""]
    rows.append(total)
    lines += _table(head, align, rows)
    lines.append("")
    if report.outcome:
        lines += [_outcome_text(report), ""]
    elif not report.has_seats:
        lines += [f"No seats: {report.seats_note}.", ""]
    lines += [f"{t.turnout_label.capitalize()}; shares: {report.share_label}.", ""]

    lines += ["## Totals", ""]
    totals = [
        ["Valid votes", count_text(t.valid)],
        ["Invalid ballots", count_text(t.invalid)],
        ["Ballots cast", count_text(t.ballots_cast)],
        *([["Ballots issued", count_text(t.issued)]] if t.issued is not None else []),
        ["Registered voters", count_text(t.registered)],
        ["Turnout", percent_cell(t.turnout)],
    ]
    if t.stations_total is not None:
        totals.append(["Polling stations reported", f"{count_text(t.stations_reported)} of {count_text(t.stations_total)}"])
    lines += _table(["Item", "Value"], ["l", "r"], totals)
    lines.append("")

    if report.has_seats:
        lines += ["## Seats", ""]
        parts = [f"{report.list_seats} seats elected from party lists"]
        parts += [f"{a.seats} {a.kind} by {a.body or a.name}" for a in report.appointed]
        text = ", ".join(parts) + f": {report.total_seats} in all."
        if report.official_check:
            text += f" The allocation {report.official_check}."
        lines += [text, ""]

    if report.regions:
        names = {p.code: p.name for p in report.parties}
        lines += ["## By region", "", "Parties: " + "; ".join(f"{c} = {names[c]}" for c in report.region_parties)
                  + ".", ""]
        head = ["Unit"]
        for code in report.region_parties:
            head += [f"{code} votes", f"{code} %"]
        head.append("Valid")
        rows = []
        for r in report.regions:
            row = [r.name + (" (synthetic)" if r.synthetic else "")]
            for votes, pct in zip(r.votes, r.percents, strict=True):
                row += [count_text(votes), percent_cell(pct)]
            row.append(count_text(r.valid))
            rows.append(row)
        lines += _table(head, ["l"] + ["r"] * (len(head) - 1), rows)
        lines.append("")

    if report.explanation:
        lines += ["## How the seats were allocated", ""]
        lines += [f"Note: {note}" for note in report.notes]
        for i, step in enumerate(report.explanation, start=1):
            clause = f" *[{step.clause}]*" if step.clause else ""
            lines.append(f"{i}. {step.text.strip()}{clause}")
        lines.append("")
    return "\n".join(lines)


def _outcome_text(report: Report) -> str:
    """The outcome of a candidate election or a question, in one sentence."""
    o = report.outcome or {}
    if "elected" in o:
        return f"**{o['elected']}** is elected: more than half of the voters who took part."
    if "runoff" in o:
        return ("No candidate has more than half of the voters who took part: a runoff between "
                + " and ".join(f"**{name}**" for name in o["runoff"]) + ".")
    verdict = "Approved" if o.get("approved") else "Not approved"
    return f"**{verdict}**: {count_text(o['yes'])} of the {count_text(o['base'])} who took part voted yes."
