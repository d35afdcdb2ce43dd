"""Results pages by election kind: the outcome in every language, turnout and shares named as the ruleset defines."""

from __future__ import annotations

from pathlib import Path

import pytest

from saylau.cli import main
from saylau.formats.protocol_files import write_protocol_csv
from saylau.protocols import ProtocolBatch, StationProtocol, load_form
from saylau.store import open_store
from saylau.tabulate.model import PartyInfo
from saylau.web.render import render_results
from saylau.web.views import results_view

pytest.importorskip("fastapi")


def _store(tmp_path: Path, parties: tuple[PartyInfo, ...], votes: dict[str, int], ruleset: str) -> Path:
    valid = sum(votes.values())
    boxes = valid + 3
    lines = {"voters_on_list": boxes + 40, "ballots_received": boxes + 15, "ballots_issued_in_premises": boxes + 4,
             "ballots_issued_outside": 1, "ballots_cancelled": 10, "ballots_in_boxes": boxes, "invalid": 3,
             "valid": valid}
    path, db = tmp_path / "p.csv", tmp_path / "s.sqlite"
    write_protocol_csv(ProtocolBatch(load_form("kz-mazhilis-2021"), parties,
                                     [StationProtocol("S1", "North", "T1", lines, votes)]), path)
    assert main(["ingest", str(path), "--election", "x", "--db", str(db), "--ruleset", ruleset]) == 0
    return db


def test_a_candidate_page_names_the_elected_and_the_definitions(tmp_path: Path) -> None:
    parties = (PartyInfo("1", "Ivanova", 1), PartyInfo("2", "Petrov", 2))
    db = _store(tmp_path, parties, {"1": 400, "2": 197}, "ru-president")
    with open_store(db) as store:
        view = results_view(store, "x")
    assert view["kind"] == "candidate" and view["outcome"] == {"elected": "Ivanova", "code": "1"}
    assert view["seats"]["has_seats"] is False
    assert view["parties"][0]["percent"] == 66.67  # 400 of the 600 who took part (valid: 67.00); a number
    assert view["definitions"]["share_base"] == "ballots_cast"
    pages = {lang: render_results(view, lang) for lang in ("kk", "ru", "en")}
    assert "Ivanova is elected" in pages["en"] and "Ivanova избран" in pages["ru"] and "Ivanova сайланды" in pages["kk"]
    assert "принявших участие" in pages["ru"] and "voters who took part" in pages["en"]
    assert 'id="arch' not in pages["en"]


def test_a_question_page_shows_the_answers_as_bars(tmp_path: Path) -> None:
    parties = (PartyInfo("yes", "ДА", 1, color="#2a9d8f"), PartyInfo("no", "НЕТ", 2, color="#e76f51"))
    db = _store(tmp_path, parties, {"yes": 299, "no": 298}, "ru-constitution-2020")
    with open_store(db) as store:
        view = results_view(store, "x")
    assert view["outcome"]["approved"] is False  # 299 of 600 who took part: not more than half
    page = render_results(view, "en")
    assert "Not approved: 299 of the 600 who took part voted yes." in page
    assert 'width:49.83%;background:' in page and 'width:49.67%;background:' in page
