"""The report's sentences and names in the reader's language, shared by every text format.

Everything a reader sees goes through :mod:`saylau.i18n`: the catalog for the
words, the names catalog for regions, parties and bodies, and the locale formats
for numbers, percentages and dates, so HTML and Markdown say the same thing.
"""

from __future__ import annotations

from saylau.i18n import catalog, datetime_text, number, percent
from saylau.i18n.names import body_name, election_title, party_name, place_name, ruleset_title
from saylau.report.model import AppointedRow, PartyRow, RegionRow, Report

__all__ = [
    "appointed_text",
    "no_seats_text",
    "official_text",
    "party_label",
    "provenance_rows",
    "region_label",
    "seats_text",
    "stations_text",
    "title",
]


def title(report: Report, lang: str) -> str:
    return election_title(report.title, lang)


def party_label(party: PartyRow, lang: str) -> str:
    return party_name(party.name, lang, dict(party.names))


def region_label(row: RegionRow, lang: str) -> str:
    return place_name(row.name, lang)


def _body(row: AppointedRow, lang: str) -> str:
    return body_name(row.body or row.name, lang)


def appointed_text(row: AppointedRow, lang: str) -> str:
    """The table row of seats not taken from these votes, in words."""
    t = catalog(lang)
    name = body_name(row.name, lang)
    if row.kind == "plurality":
        return t("report.plurality_row", name=name)
    if (row.body or row.name).removeprefix("the ") == row.name:
        return t("report.appointed_row_self", name=name)
    return t("report.appointed_row", name=name, body=_body(row, lang))


def seats_text(report: Report, lang: str) -> str:
    """``Seats: from party lists — 98; elected by the Assembly … — 9. 107 seats in all.``"""
    t = catalog(lang)
    parts = [t("report.seats_lists", seats=number(report.list_seats, lang))]
    for a in report.appointed:
        key = "report.seats_plurality" if a.kind == "plurality" else "report.seats_appointed"
        parts.append(t(key, seats=number(a.seats, lang), body=_body(a, lang)))
    return t["report.seats_intro"] + " " + "; ".join(parts) + ". " + t("report.seats_all",
                                                                     seats=number(report.total_seats, lang))


def official_text(report: Report, lang: str) -> str:
    """How the seats compare with the declared ones; empty when none are declared."""
    if not report.official_check:
        return ""
    t = catalog(lang)
    if not report.official_differences:
        return t("report.official_matches")
    names = {p.code: party_label(p, lang) for p in report.parties}
    parties = ", ".join(t("report.official_difference", party=names.get(d.code, d.name),
                          seats=number(d.seats, lang), declared=number(d.declared, lang))
                        for d in report.official_differences)
    return t("report.official_differs", parties=parties)


def no_seats_text(report: Report, lang: str) -> str:
    t = catalog(lang)
    key = f"report.no_seats.{report.seats_reason or 'no_result'}"
    return t(key)


def stations_text(reported: int | None, total: int | None, lang: str) -> str:
    """``10,060 of 10,060 (complete)`` or ``9,500 of 10,060 (94.43%)``."""
    t = catalog(lang)
    if total is None:
        return t("report.not_given")
    text = t("report.of", part=number(reported, lang), whole=number(total, lang))
    if reported is not None and total and reported >= total:
        return f"{text} ({t('report.complete')})"
    if reported is not None and total:
        from saylau.report.model import percent_text

        return f"{text} ({percent(percent_text(reported, total), lang)})"
    return text


def provenance_rows(report: Report, lang: str) -> list[tuple[str, str]]:
    """The lines a printed result ends with: data source, count status, stations, export time, version."""
    t = catalog(lang)
    p = report.provenance
    rows = [
        (t("report.source"), t(f"report.source.{p.source}")),
        (t("report.count_status"), t(f"status.{p.status}")),
        (t("report.stations"), stations_text(p.stations_reported, p.stations_total, lang)),
    ]
    if p.ruleset:
        rows.append((t("report.rules"), ruleset_title(p.ruleset, lang)))
    rows.append((t("report.exported"), datetime_text(p.exported_at, lang)))
    rows.append((t("report.version"), f"saylau {p.version}"))
    return rows


def steps(report: Report, lang: str) -> list[tuple[str, str]]:
    """The engine's explanation as (text, clause) pairs in ``lang``."""
    from saylau.report.steps import step_text

    names = {p.code: party_label(p, lang) for p in report.parties}
    return [step_text(step, lang, names) for step in report.explanation]


def notes(report: Report, lang: str) -> list[str]:
    from saylau.report.steps import note_text

    return [note_text(note, lang) for note in report.notes]


def definitions(report: Report, lang: str) -> tuple[str, str]:
    """What the turnout and the shares are, in ``lang`` (as the ruleset defines them)."""
    if lang in report.labels:
        return report.labels[lang]
    return report.totals.turnout_label, report.share_label


def outcome_text(report: Report, lang: str) -> str:
    """A candidate election's or a question's outcome in one sentence (Markdown emphasis)."""
    t = catalog(lang)
    o = report.outcome or {}
    if "elected" in o:
        return f"**{o['elected']}** {t['report.elected']}"
    if "runoff" in o:
        return t["report.runoff"] + " " + f" {t['report.and']} ".join(f"**{name}**" for name in o["runoff"]) + "."
    verdict = t["report.approved"] if o.get("approved") else t["report.not_approved"]
    return f"**{verdict}**: " + t("report.voted_yes", yes=number(o.get("yes"), lang), base=number(o.get("base"), lang))
