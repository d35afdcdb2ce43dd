"""The report by election kind: an outcome instead of seats (no arch for a president, bars for a question),
turnout and shares as the ruleset defines them, named."""

from __future__ import annotations

import datetime as dt

from saylau.report import build_report, render
from saylau.tabulate.model import ElectionData, ElectionInfo, PartyInfo, UnitCounts


def _data(parties: tuple[PartyInfo, ...], votes: dict[str, int], *, invalid: int = 20,
          issued: int | None = None) -> ElectionData:
    valid = sum(votes.values())
    nation = UnitCounts("RU", "Russia", "nation", None, votes, valid, registered=2000, ballots_cast=valid + invalid,
                        invalid=invalid, stations_reported=1, stations_total=1, issued=issued)
    return ElectionData(ElectionInfo("e", "Test", dt.date(2012, 3, 4)), parties, (nation,))


CANDIDATES = (PartyInfo("1", "Ivanova", 1), PartyInfo("2", "Petrov", 2), PartyInfo("3", "Sidorov", 3))


def test_a_president_elected_has_an_outcome_and_no_seats_or_arch() -> None:
    report = build_report(_data(CANDIDATES, {"1": 511, "2": 300, "3": 189}, issued=1030), rules="ru-president")
    assert report.kind == "candidate" and not report.has_seats
    assert report.outcome == {"elected": "Ivanova", "code": "1"}  # 511 of 1,020 who took part
    assert report.party("1").percent == "50.10"  # of the voters who took part, not of valid (51.10)
    assert report.totals.turnout == "51.50" and report.totals.issued == 1030  # 1,030 issued / 2,000
    html = render(report, "html")
    assert "<strong>Ivanova</strong> is elected" in html and 'id="arch-figure"' not in html
    assert "No seats" not in html and "ballots issued (early, in the premises and outside)" in html
    assert "Candidate</th>" in html and "Ballots issued" in html
    markdown = render(report, "markdown")
    assert "**Ivanova** is elected" in markdown and "| Candidate |" in markdown


def test_a_runoff_is_named_with_both_candidates() -> None:
    report = build_report(_data(CANDIDATES, {"1": 510, "2": 300, "3": 190}), rules="ru-president")
    assert report.outcome == {"runoff": ["Ivanova", "Petrov"], "codes": ["1", "2"]}  # 510 of 1,020: half
    html = render(report, "html")
    assert "a runoff between <strong>Ivanova</strong> and <strong>Petrov</strong>" in html
    # Without ballots issued the turnout falls back to ballots cast, and says so.
    assert report.totals.turnout == "51.00" and "not in this data" in report.totals.turnout_label


ANSWERS = (PartyInfo("yes", "ДА", 1, color="#2a9d8f"), PartyInfo("no", "НЕТ", 2, color="#e76f51"))


def test_a_question_shows_yes_and_no_bars() -> None:
    report = build_report(_data(ANSWERS, {"yes": 700, "no": 280}), rules="ru-constitution-2020")
    assert report.kind == "question" and report.outcome is not None and report.outcome["approved"] is True
    assert report.outcome["yes"] == 700 and report.outcome["base"] == 1000
    html = render(report, "html")
    assert "<strong>Approved</strong>" in html
    assert 'data-party="yes"><span class="answer-label">ДА 70.00%</span>' in html
    assert "width:28.00%;background:#e76f51" in html
    assert "Answer</th>" in html and 'id="arch-figure"' not in html


def test_kazakh_reports_keep_valid_votes() -> None:
    parties = (PartyInfo("A", "Alpha", 1), PartyInfo("B", "Beta", 2))
    report = build_report(_data(parties, {"A": 600, "B": 400}), rules="kz-mazhilis-2021")
    assert report.has_seats and report.outcome is None and report.shares_of_valid
    assert report.party("A").percent == "60.00" and report.totals.turnout == "51.00"  # 1,020 cast / 2,000
    html = render(report, "html")
    assert "% of valid votes</th>" in html and "Turnout: ballots cast over registered voters" in html


def test_nist_export_names_the_definitions_and_keeps_ballots_issued() -> None:
    from dataclasses import replace

    from saylau.formats.nist import from_nist, to_nist

    data = _data(CANDIDATES, {"1": 511, "2": 300, "3": 189}, issued=1030)
    data = replace(data, info=replace(data.info, ruleset="ru-duma-2011"))
    doc = to_nist(data, generated="2026-01-01T00:00:00Z")
    ids = {e["OtherType"]: e["Value"] for e in doc["Election"][0]["ExternalIdentifier"]}
    assert ids["saylau-turnout"] == "issued" and ids["saylau-share-base"] == "ballots_cast"
    back = from_nist(doc)
    assert back.data.nation.issued == 1030
    assert to_nist(back.data, generated="2026-01-01T00:00:00Z", seats={}) == to_nist(
        data, generated="2026-01-01T00:00:00Z", seats={})
    kz = replace(data, info=replace(data.info, ruleset="kz-mazhilis-2021"))
    kz_ids = {e["OtherType"] for e in to_nist(kz, generated="2026-01-01T00:00:00Z")["Election"][0]["ExternalIdentifier"]}
    assert "saylau-turnout" not in kz_ids  # the default definitions are not repeated
