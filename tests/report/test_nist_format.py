"""NIST SP 1500-100 v2 JSON: valid against NIST's schema, exact counts, byte-identical round trip, clear errors."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from saylau.errors import InputError
from saylau.formats.nist import export_nist, from_nist, read_nist, to_nist
from saylau.tabulate.model import ElectionData, ElectionInfo, PartyInfo, UnitCounts

GENERATED = "2021-01-12T06:00:00Z"


@pytest.fixture(scope="module")
def validator(nist_schema: Path) -> Any:
    import jsonschema

    schema = json.loads(nist_schema.read_text(encoding="utf-8"))
    # The file is draft-04 with every $ref inside it ("#/definitions/..."): the validator resolves them itself.
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def _errors(validator: Any, doc: dict[str, Any]) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(doc)]


def _stations(data: ElectionData) -> ElectionData:
    """kz-2021 with two synthetic stations under Almaty, as the store would give them."""
    almaty = next(u for u in data.units if u.name == "Almaty")
    a = {"QHP": 100, "NO": 400, "AUYL": 50, "AJ": 30, "ADAL": 20}
    b = {"QHP": 10, "NO": 40, "AUYL": 5, "AJ": 3, "ADAL": 2}
    stations = (
        UnitCounts("KZ/Almaty/1", "Station 1", "station", almaty.unit_id, a, 600, registered=900,
                   ballots_cast=610, invalid=10, synthetic=True),
        UnitCounts("KZ/Almaty/2", "Station 2", "station", almaty.unit_id, b, 60, registered=100,
                   ballots_cast=61, invalid=1, synthetic=True),
    )
    return replace(data, units=(*data.units, *stations))


def test_export_is_valid_against_nists_schema(kz2021: ElectionData, validator: Any) -> None:
    doc = to_nist(kz2021, generated=GENERATED)
    assert _errors(validator, doc) == []


def test_station_level_export_is_valid_too(kz2021: ElectionData, validator: Any) -> None:
    doc = to_nist(_stations(kz2021), generated=GENERATED)
    assert _errors(validator, doc) == []
    assert doc["Format"] == "precinct-level"
    assert "synthetic" in doc["Notes"]


def test_export_carries_the_official_counts(kz2021: ElectionData) -> None:
    doc = to_nist(kz2021, generated=GENERATED)
    assert doc["Status"] == "certified" and doc["GeneratedDate"] == GENERATED
    election = doc["Election"][0]
    assert (election["StartDate"], election["ElectionScopeId"]) == ("2021-01-10", "gpu-KZ")
    units = {u["@id"]: u for u in doc["GpUnit"]}
    nation = units["gpu-KZ"]
    assert (nation["VotersRegistered"], nation["VotersParticipated"]) == (11_919_241, 7_539_280)
    assert (nation["SubUnitsReported"], nation["TotalSubUnits"], nation["Type"]) == (10060, 10060, "country")
    assert len(nation["ComposingGpUnitIds"]) == 17
    assert units["gpu-KZ-Almaty"]["Type"] == "city"
    assert units["gpu-KZ-Akmola-Region"]["OtherType"] == "region"
    assert election["BallotCounts"] == [{"@type": "ElectionResults.BallotCounts", "BallotsCast": 7_539_280,
                                         "BallotsRejected": 297_718, "GpUnitId": "gpu-KZ", "Type": "total"}]
    contest = election["Contest"][0]
    by_party = {s["PartyIds"][0]: s for s in contest["ContestSelection"]}
    no = by_party["party-NO"]["VoteCounts"]
    assert {"@type": "ElectionResults.VoteCounts", "Count": 5_148_074, "GpUnitId": "gpu-KZ", "Type": "total"} in no
    seats = {pid: [c["Count"] for c in s["VoteCounts"] if c["Type"] == "other" and c["OtherType"] == "seats-won"]
             for pid, s in by_party.items()}
    assert seats == {"party-QHP": [10], "party-NO": [76], "party-AUYL": [0], "party-AJ": [12], "party-ADAL": [0]}
    # The regional counts add up to the national ones in the file as in the tables.
    regional = sum(c["Count"] for c in no if c["Type"] == "total" and c["GpUnitId"] != "gpu-KZ")
    assert regional == 5_148_074
    party = next(p for p in doc["Party"] if p["@id"] == "party-NO")
    assert party["Color"] == "1c9cd8"
    assert {t["Language"] for t in party["Name"]["Text"]} == {"en", "kk", "ru"}


def test_export_import_export_is_byte_identical(kz2021: ElectionData) -> None:
    first = export_nist(kz2021, generated=GENERATED)
    imported = from_nist(json.loads(first))
    assert imported.generated == GENERATED
    assert export_nist(imported.data, generated=imported.generated) == first


def test_round_trip_keeps_every_count(kz2021: ElectionData) -> None:
    data = _stations(kz2021)
    first = export_nist(data, generated=GENERATED)
    back = from_nist(json.loads(first)).data
    assert export_nist(back, generated=GENERATED) == first
    assert back.info.id == "kz-2021" and back.info.ruleset == "kz-mazhilis-2021"
    assert back.info.previous == "kz-2016" and back.info.official_seats == kz2021.info.official_seats
    assert [p.code for p in back.parties] == [p.code for p in kz2021.parties]
    assert back.party("QHP").previous_seats == 7 and back.party("NO").candidates == 126
    assert back.party("AJ").leader == "Azat Peruashev"
    original = {u.unit_id: u for u in data.units}
    for u in back.units:
        o = original[u.unit_id]
        assert (u.name, u.level, u.parent, dict(u.votes), u.valid) == (o.name, o.level, o.parent, dict(o.votes), o.valid)
        assert (u.registered, u.ballots_cast, u.invalid, u.synthetic) == (o.registered, o.ballots_cast, o.invalid,
                                                                         o.synthetic)


def test_round_trip_through_a_file_and_the_cli(kz2021: ElectionData, tmp_path: Path) -> None:
    from saylau.cli import main

    out = tmp_path / "kz.json"
    assert main(["nist", "export", "--election", "kz-2021", "--generated", GENERATED, "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == export_nist(kz2021, generated=GENERATED)
    again = read_nist(out)
    assert export_nist(again.data, generated=again.generated) == out.read_text(encoding="utf-8")
    assert main(["nist", "import", str(out), "--check"]) == 0


def test_valid_votes_that_differ_from_the_lines_survive(kz2021: ElectionData) -> None:
    nation = replace(kz2021.nation, valid=kz2021.nation.valid + 5)
    data = replace(kz2021, units=(nation, *kz2021.units[1:]))
    back = from_nist(to_nist(data, generated=GENERATED)).data
    assert back.nation.valid == kz2021.nation.valid + 5


def test_an_election_without_a_date_cannot_be_exported(kz2021: ElectionData) -> None:
    with pytest.raises(InputError, match="date"):
        to_nist(replace(kz2021, info=replace(kz2021.info, date=None)))


def test_a_minimal_foreign_report_imports(validator: Any) -> None:
    """A report written by another system: no saylau identifiers, ballot-type splits instead of totals."""
    t = "ElectionResults."
    doc = {
        "@type": t + "ElectionReport", "Format": "precinct-level", "GeneratedDate": "2024-11-06T02:00:00Z",
        "Issuer": "County", "IssuerAbbreviation": "C", "SequenceStart": 1, "SequenceEnd": 1,
        "Status": "unofficial-partial", "VendorApplicationId": "other",
        "GpUnit": [
            {"@id": "state", "@type": t + "ReportingUnit", "Type": "state", "ComposingGpUnitIds": ["p1", "p2"]},
            {"@id": "p1", "@type": t + "ReportingUnit", "Type": "precinct"},
            {"@id": "p2", "@type": t + "ReportingUnit", "Type": "precinct"},
        ],
        "Party": [{"@id": "red", "@type": t + "Party",
                   "Name": {"@type": t + "InternationalizedText",
                            "Text": [{"@type": t + "LanguageString", "Language": "en", "Content": "Red"}]}}],
        "Election": [{
            "@type": t + "Election", "ElectionScopeId": "state", "StartDate": "2024-11-05", "EndDate": "2024-11-05",
            "Type": "general",
            "Name": {"@type": t + "InternationalizedText",
                     "Text": [{"@type": t + "LanguageString", "Language": "en", "Content": "General"}]},
            "Contest": [{"@id": "c", "@type": t + "PartyContest", "ElectionDistrictId": "state", "Name": "Lists",
                         "ContestSelection": [{"@id": "s", "@type": t + "PartySelection", "PartyIds": ["red"],
                                               "VoteCounts": [
                                                   {"@type": t + "VoteCounts", "GpUnitId": "p1", "Type": "early",
                                                    "Count": 3},
                                                   {"@type": t + "VoteCounts", "GpUnitId": "p1",
                                                    "Type": "election-day", "Count": 4},
                                                   {"@type": t + "VoteCounts", "GpUnitId": "p2", "Type": "total",
                                                    "Count": 5}]}]}],
        }],
    }
    assert _errors(validator, doc) == []
    data = from_nist(doc).data
    assert data.nation.unit_id == "state" and data.info.status == "unofficial partial"
    assert [(u.unit_id, u.level, u.parent, dict(u.votes)) for u in data.units[1:]] == [
        ("p1", "station", "state", {"red": 7}), ("p2", "station", "state", {"red": 5})]
    assert data.party("red").name == "Red" and data.info.id == "general"


def _doc(kz2021: ElectionData) -> dict[str, Any]:
    return to_nist(kz2021, generated=GENERATED)


@pytest.mark.parametrize(("damage", "field", "message"), [
    (lambda d: d.update({"@type": "Nope"}), "$.@type", "ElectionReport"),
    (lambda d: d["Election"][0]["Contest"][0]["ContestSelection"][1]["VoteCounts"][0].update({"Count": -5}),
     "$.Election[0].Contest[0].ContestSelection[1].VoteCounts[0].Count", "whole number"),
    (lambda d: d["Election"][0]["Contest"][0]["ContestSelection"][0]["VoteCounts"][2].update({"Count": 1.5}),
     "$.Election[0].Contest[0].ContestSelection[0].VoteCounts[2].Count", "whole number"),
    (lambda d: d["Election"][0]["Contest"][0]["ContestSelection"][0]["VoteCounts"][0].update({"GpUnitId": "x"}),
     "$.Election[0].Contest[0].ContestSelection[0].VoteCounts[0].GpUnitId", "no ReportingUnit"),
    (lambda d: d["Election"][0].update({"ElectionScopeId": "gpu-XX"}), "$.Election[0].ElectionScopeId",
     "no ReportingUnit"),
    (lambda d: d.update({"Status": "final"}), "$.Status", "status"),
    (lambda d: d["Election"][0].update({"StartDate": "10/01/2021"}), "$.Election[0].StartDate", "date"),
    (lambda d: d["Election"][0].update({"Contest": []}), "$.Election[0].Contest", "PartyContest"),
    (lambda d: d["GpUnit"][1].update({"VotersRegistered": "many"}), "$.GpUnit[1].VotersRegistered", "whole"),
    (lambda d: d["Party"][0].update({"Color": "red"}), "$.Party[0].Color", "hex"),
])
def test_bad_input_names_the_field_and_value(kz2021: ElectionData, damage: Any, field: str, message: str) -> None:
    doc = copy.deepcopy(_doc(kz2021))
    damage(doc)
    with pytest.raises(InputError, match=message) as info:
        from_nist(doc, source="bad.json")
    assert info.value.source == "bad.json"
    assert info.value.field == field


def test_unreadable_files_are_input_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"@type": ', encoding="utf-8")
    with pytest.raises(InputError, match="not JSON") as info:
        read_nist(bad)
    assert info.value.source == str(bad) and info.value.line == 1
    with pytest.raises(InputError, match="cannot read"):
        read_nist(tmp_path / "missing.json")


def test_cli_import_of_a_bad_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from saylau.cli import main

    bad = tmp_path / "bad.json"
    bad.write_text("[]", encoding="utf-8")
    assert main(["nist", "import", str(bad), "--check"]) == 2
    assert f"{bad}, field '$'" in capsys.readouterr().err


def test_import_stores_the_election(kz2021: ElectionData, tmp_path: Path) -> None:
    from saylau.cli import main
    from saylau.store import open_store

    path = tmp_path / "kz.json"
    path.write_text(export_nist(kz2021, generated=GENERATED), encoding="utf-8")
    db = tmp_path / "store.sqlite"
    assert main(["nist", "import", str(path), "--db", str(db)]) == 0
    with open_store(str(db)) as store:
        stored = store.election_data("kz-2021")
    assert stored.nation.votes == kz2021.nation.votes
    assert {u.name: dict(u.votes) for u in stored.units} == {u.name: dict(u.votes) for u in kz2021.units}
    # Importing the same file again changes nothing.
    assert main(["nist", "import", str(path), "--db", str(db)]) == 0


def test_a_tiny_election_round_trips() -> None:
    info = ElectionInfo("t", "Tiny", date=__import__("datetime").date(2020, 1, 1))
    parties = (PartyInfo("A", "Alpha", 1), PartyInfo("B|x", "Beta", 2, kind="against_all"))
    units = (UnitCounts("N", "Nation", "nation", None, {"A": 3, "B|x": 4}, 7),)
    text = export_nist(ElectionData(info, parties, units), generated=GENERATED)
    back = from_nist(json.loads(text)).data
    assert export_nist(back, generated=GENERATED) == text
    assert back.party("B|x").kind == "against_all" and back.nation.votes == {"A": 3, "B|x": 4}
