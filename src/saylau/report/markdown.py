"""The report as Markdown (GitHub-flavoured tables) in the reader's language, for READMEs, wikis and e-mail."""

from __future__ import annotations

from saylau.i18n import catalog, date_text, language, number, percent, signed
from saylau.report import words
from saylau.report.model import Report

__all__ = ["render_markdown"]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(head: list[str], align: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(_cell(h) for h in head) + " |",
           "|" + "|".join("---:" if a == "r" else "---" for a in align) + "|"]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return out


def render_markdown(report: Report, *, lang: str = "en") -> str:
    """The national table, totals, seats, regional table, explanation and provenance in ``lang``."""
    lang = language(lang)
    t = catalog(lang)
    tot = report.totals
    lines = [f"# {words.title(report, lang)}", ""]
    meta = []
    if report.date:
        meta.append(t("report.meta_date", date=date_text(report.date, lang)))
    meta.append(t[f"status.{report.status}"])
    lines += [" · ".join(meta), ""]
    if report.synthetic:
        lines += ["> **" + t("report.synthetic", units=number(report.synthetic_units, lang),
                             total=number(report.units, lang)) + "**", ""]

    lines += [f"## {t['report.national']}", ""]
    kind = {"candidate": "candidate", "question": "answer"}.get(report.kind, "party")
    turnout_label, share_label = words.definitions(report, lang)
    head = [t[f"report.col_{kind}"], t["report.col_votes"],
            t["report.col_percent"] if report.shares_of_valid else t("report.col_share_of", base=share_label)]
    align = ["l", "r", "r"]
    if report.has_seats:
        head.append(t["report.col_seats"])
        align.append("r")
        if report.has_change:
            head.append(t["report.col_change"])
            align.append("r")
    rows = []
    for p in report.parties:
        row = [words.party_label(p, lang), number(p.votes, lang), percent(p.percent, lang)]
        if report.has_seats:
            seats = "—" if p.seats is None else number(p.seats, lang)
            if p.vacant:
                seats += f" ({t('report.vacant', vacant=number(p.vacant, lang))})"
            row.append(seats)
            if report.has_change:
                row.append("—" if p.seats is None else t["report.no_change"] if p.change is None
                           else signed(p.change, lang))
        rows.append(row)
    for a in report.appointed:
        row = [f"*{words.appointed_text(a, lang)}*", t["report.not_voted"], "", number(a.seats, lang)]
        if report.has_change:
            row.append("—")
        rows.append(row)
    total = [f"**{t['report.total']}**", f"**{number(tot.valid, lang)}**",
             f"**{percent('100.00', lang)}**" if tot.valid and report.shares_of_valid else "—"]
    if report.has_seats:
        total.append(f"**{number(report.total_seats, lang)}**")
        if report.has_change:
            total.append("")
    rows.append(total)
    lines += _table(head, align, rows)
    lines.append("")
    for p in report.parties:
        if p.vacant and p.seats is not None:
            lines += [t("report.vacant_note", party=words.party_label(p, lang), won=number(p.seats + p.vacant, lang),
                        candidates=number(p.seats, lang), vacant=number(p.vacant, lang)), ""]
    if report.outcome:
        lines += [words.outcome_text(report, lang), ""]
    elif not report.has_seats:
        lines += [words.no_seats_text(report, lang), ""]
    lines += [t("report.definitions", turnout=turnout_label[:1].upper() + turnout_label[1:], share=share_label), ""]

    lines += [f"## {t['report.totals']}", ""]
    missing = t["report.not_given"]
    totals = [
        [t["report.registered"], number(tot.registered, lang, missing=missing)],
        [t["report.ballots_cast"], number(tot.ballots_cast, lang, missing=missing)],
        *([[t["report.issued"], number(tot.issued, lang)]] if tot.issued is not None else []),
        [t["report.valid"], number(tot.valid, lang)],
        [t["report.invalid"], number(tot.invalid, lang, missing=missing)],
        [t["report.turnout"], percent(tot.turnout, lang, missing=missing)],
    ]
    if tot.stations_total is not None:
        totals.append([t["report.stations"], words.stations_text(tot.stations_reported, tot.stations_total, lang)])
    lines += _table(["", ""], ["l", "r"], totals)
    lines.append("")

    if report.has_seats:
        lines += [f"## {t['report.seats_heading']}", ""]
        text = words.seats_text(report, lang)
        official = words.official_text(report, lang)
        lines += [text + (f" {official}" if official else ""), ""]

    if report.regions:
        names = {p.code: words.party_label(p, lang) for p in report.parties}
        lines += [f"## {t['report.regions']}", "", t("report.regions_caption", count=len(report.regions)), ""]
        head = [t["report.col_unit"]]
        for code in report.region_parties:
            head += [f"{names[code]}: {t['report.col_votes']}", f"{names[code]}: %"]
        head.append(t["report.col_valid"])
        rows = []
        for r in report.regions:
            row = [words.region_label(r, lang) + (f" ({t['report.synthetic_tag']})" if r.synthetic else "")]
            for votes, pct in zip(r.votes, r.percents, strict=True):
                row += [number(votes, lang), percent(pct, lang)]
            row.append(number(r.valid, lang))
            rows.append(row)
        lines += _table(head, ["l"] + ["r"] * (len(head) - 1), rows)
        lines.append("")

    steps = words.steps(report, lang)
    if steps:
        lines += [f"## {t['report.explanation']}", ""]
        lines += [t("report.note", note=note) for note in words.notes(report, lang)]
        for i, (text, clause) in enumerate(steps, start=1):
            lines.append(f"{i}. {text}" + (f" *[{clause}]*" if clause else ""))
        lines.append("")

    lines += [f"## {t['report.provenance']}", ""]
    lines += [f"- {label}: {value}" for label, value in words.provenance_rows(report, lang)]
    lines += ["", t["report.footer"], ""]
    return "\n".join(lines)
