"""What-if tables: the known 2021 answers, variant parsing, and every output format."""

from __future__ import annotations

import argparse
import csv
import io
import json

import pytest

from saylau.analysis.ballot import Ballot, ballot_from_election
from saylau.analysis.whatif import compare, parse_variant, variant
from saylau.commands import whatif as whatif_command
from saylau.core import Party
from saylau.engine import build_system
from saylau.errors import InputError


@pytest.fixture(scope="module")
def kz2021(spec_data: object) -> Ballot:
    return ballot_from_election("kz-2021")


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    parser = argparse.ArgumentParser()
    whatif_command.register(parser.add_subparsers())
    args = parser.parse_args(["whatif", *argv])
    assert args.run(args) == 0
    return capsys.readouterr().out


def test_auyl_enters_at_five_percent(kz2021: Ballot) -> None:
    baseline = build_system("kz-mazhilis-2021")
    result = compare(kz2021, [variant(baseline, {}), variant(baseline, {"threshold": "5%"})])
    assert result.baseline.seats == {"QHP": 10, "NO": 76, "AUYL": 0, "AJ": 12, "ADAL": 0}
    assert result.outcomes[1].seats == {"QHP": 9, "NO": 72, "AUYL": 6, "AJ": 11, "ADAL": 0}
    assert result.diff(1) == {"QHP": -1, "NO": -4, "AUYL": 6, "AJ": -1, "ADAL": 0}
    assert result.changed(1)


def test_nur_otan_77_under_dhondt(kz2021: Ballot) -> None:
    baseline = build_system("kz-mazhilis-2021")
    result = compare(kz2021, [variant(baseline, {}), variant(baseline, parse_variant("method=dhondt"))])
    seats = result.outcomes[1].seats
    assert seats is not None and seats["NO"] == 77 and sum(seats.values()) == 98


def test_open_seat_ruleset_takes_the_baseline_seats(kz2021: Ballot) -> None:
    baseline = build_system("kz-mazhilis-2021")
    v = variant(baseline, {"rules": "dhondt"})
    assert v.system.lists.seats == 98 and v.system.lists.threshold is None
    seats = compare(kz2021, [variant(baseline, {}), v]).outcomes[1].seats
    assert seats == {"QHP": 9, "NO": 71, "AUYL": 5, "AJ": 10, "ADAL": 3}


def test_runner_up_switched_off_and_no_result_kept() -> None:
    ballot = Ballot((Party("A", 900, registration_order=1), Party("B", 60, registration_order=2),
                     Party("C", 40, registration_order=3)))
    baseline = build_system("kz-mazhilis-2021")
    result = compare(ballot, [variant(baseline, {}), variant(baseline, parse_variant("runner_up=none")),
                              variant(baseline, parse_variant("threshold=95%,label=strict"))])
    assert result.baseline.seats == {"A": 93, "B": 5, "C": 0}
    assert result.outcomes[1].seats == {"A": 98, "B": 0, "C": 0}
    assert result.outcomes[2].variant.label == "strict"
    assert result.outcomes[2].seats is None and "no list reached" in result.outcomes[2].error
    assert result.diff(2) is None and result.changed(2)


@pytest.mark.parametrize("spec", ["method", "colour=red", "seats=many", ""])
def test_bad_variant_specs_are_named(spec: str) -> None:
    with pytest.raises(InputError) as err:
        variant(build_system("kz-mazhilis-2021"), parse_variant(spec))
    assert err.value.field in ("variant", "seats")


def test_cli_table_marks_changes(kz2021: Ballot, capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(["--election", "kz-2021", "--threshold", "5%", "--rules", "dhondt"], capsys)
    header, _, *rows = out.splitlines()
    assert header.split()[3:] == ["kz-mazhilis-2021", "dhondt", "threshold=5%"]
    auyl = next(r for r in rows if r.startswith("AUYL"))
    assert auyl.split()[3:] == ["0", "5", "(+5)", "6", "(+6)"]
    total = next(r for r in rows if r.startswith("total"))
    assert total.split()[2:] == ["98", "98", "98"]


def test_cli_json_csv_markdown(kz2021: Ballot, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(_run(["--election", "kz-2021", "--method", "dhondt", "--format", "json"], capsys))
    assert [v["label"] for v in data["variants"]] == ["kz-mazhilis-2021", "method=dhondt"]
    assert data["variants"][1]["seats"]["NO"] == 77 and data["variants"][1]["diff"]["NO"] == 1
    rows = list(csv.DictReader(io.StringIO(
        _run(["--election", "kz-2021", "--variant", "threshold=5%", "--format", "csv"], capsys))))
    auyl = next(r for r in rows if r["party"] == "AUYL")
    assert auyl["threshold=5%"] == "6" and auyl["threshold=5% change"] == "6"
    md = _run(["--election", "kz-2021", "--variant", "threshold=5%", "--format", "markdown"], capsys)
    assert "| AUYL | 383,023 | 5.29 | 0 | 6 (+6) |" in md


def test_cli_needs_a_variant(kz2021: Ballot) -> None:
    parser = argparse.ArgumentParser()
    whatif_command.register(parser.add_subparsers())
    args = parser.parse_args(["whatif", "--election", "kz-2021"])
    with pytest.raises(InputError, match="at least one variant"):
        args.run(args)
