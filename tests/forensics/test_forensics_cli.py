"""``saylau forensics``: every test through the CLI, its outputs, its caveat and its errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from saylau.cli import main
from saylau.commands.forensics import TESTS


@pytest.mark.parametrize("test", TESTS)
def test_every_test_prints_a_table_and_a_figure(test: str, small_cec: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    figure = tmp_path / f"{test}.png"
    code = main(["forensics", test, "--file", str(small_cec), "--reps", "2" if test == "klimek" else "50",
                 "--seed", "1", "--plot", str(figure)])
    out = capsys.readouterr().out
    assert code == 0
    assert "not proof" in out
    assert figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not list(tmp_path.glob(".*"))  # no temporary file left behind
    if test == "klimek":
        assert "MODEL-BASED" in out


def test_integer_percent_json(small_cec: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["forensics", "integer-percent", "--file", str(small_cec), "--format", "json", "--reps", "100",
                 "--seed", "9"]) == 0
    doc = json.loads(capsys.readouterr().out)
    for key in ("observed", "null_mean", "excess", "null_sd", "null_q999", "regions", "disclaimer"):
        assert key in doc
    assert doc["seed"] == 9 and doc["reps"] == 100
    assert doc["excess"] == pytest.approx(doc["observed"] - doc["null_mean"])
    assert "not proof" in doc["disclaimer"]
    assert sum(r["observed"] for r in doc["regions"]) == doc["observed"]


def test_digit_json_lists_every_party(small_cec: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["forensics", "second-digit", "--file", str(small_cec), "--format", "json", "--reps", "20"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert len(doc["results"]) == 7
    assert all("mean_ci95" in r and "p_value" in r for r in doc["results"])


def test_store_and_file_agree(small_cec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from saylau.formats.ru_cik import read_ru_cik
    from saylau.store import open_store

    db = tmp_path / "s.sqlite"
    with open_store(f"sqlite:///{db}") as store:
        report = store.ingest(read_ru_cik(small_cec), election_id="ru", user="t", skip_invalid=True)
    if report.rejected:
        pytest.skip("the sample has protocols the store rejects; the comparison needs them all")
    outputs = []
    for source in (["--election", "ru", "--db", f"sqlite:///{db}"], ["--file", str(small_cec)]):
        assert main(["forensics", "turnout-share", *source, "--format", "json"]) == 0
        outputs.append(json.loads(capsys.readouterr().out))
    assert outputs[0]["hist2d"] == outputs[1]["hist2d"]


def test_bad_input_exits_2_and_writes_nothing(small_cec: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    figure = tmp_path / "f.gif"
    assert main(["forensics", "turnout-share", "--file", str(small_cec), "--plot", str(figure)]) == 2
    assert "--plot" in capsys.readouterr().err and not figure.exists()
    assert main(["forensics", "integer-percent", "--file", str(small_cec), "--party", "Nobody"]) == 2
    err = capsys.readouterr().err
    assert "party" in err and "Nobody" in err
    absent = tmp_path / "e.sqlite"
    assert main(["forensics", "klimek", "--election", "missing", "--db", f"sqlite:///{absent}"]) == 2
    assert "no such database" in capsys.readouterr().err and not absent.exists()
    with pytest.raises(SystemExit) as info:
        main(["forensics", "integer-percent", "--file", str(small_cec), "--reps", "0"])
    assert info.value.code == 2


def test_cli_start_does_not_import_numpy() -> None:
    code = ("import sys, saylau.cli as c; c.build_parser(); "
            "sys.exit(1 if {'numpy', 'scipy', 'matplotlib'} & set(sys.modules) else 0)")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_missing_extra_exits_4_with_a_hint(small_cec: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "scipy" else real(name, *a))
    assert main(["forensics", "integer-percent", "--file", str(small_cec)]) == 4
    err = capsys.readouterr().err
    assert "saylau[forensics]" in err and "scipy" in err


def test_stored_counts_read_as_columns_equal_the_protocols(small_cec: Path, tmp_path: Path) -> None:
    import numpy as np

    from saylau.analysis.forensics.data import StationData
    from saylau.analysis.forensics.load import station_data_from_file, station_data_from_store
    from saylau.formats.ru_cik import read_ru_cik
    from saylau.protocols.registry import load_form
    from saylau.store import open_store

    db = tmp_path / "s.sqlite"
    with open_store(f"sqlite:///{db}") as store:
        store.ingest(read_ru_cik(small_cec), election_id="ru", user="t")
        rows = store.station_count_rows("ru")
        protocols = list(store.station_protocols("ru"))
        form = load_form(store.election_form("ru"))
        parties = store.parties("ru")
    # The plain-row view and the record view of the same store agree value for value.
    assert rows.lines() == [[p.lines[k] for k in rows.line_keys] for p in protocols]
    assert rows.votes() == [[p.votes[c] for c in rows.party_codes] for p in protocols]
    columnar = station_data_from_store("ru", f"sqlite:///{db}")
    records = StationData.from_protocols(protocols, form, [p for p in parties if p.kind == "list"])
    from_file = station_data_from_file(small_cec)
    for name in ("voters", "issued", "valid", "invalid", "votes"):
        assert np.array_equal(getattr(columnar, name), getattr(records, name)), name
        assert np.array_equal(getattr(columnar, name), getattr(from_file, name)), name
    assert columnar.party_codes == records.party_codes == from_file.party_codes
    assert columnar.station_ids.tolist() == records.station_ids.tolist()


@pytest.mark.parametrize(("ruleset", "turnout", "share_base"), [
    (None, "issued", "ballots_cast"),               # no ruleset: the Russian CEC's, as the papers use them
    ("ru-duma-2011", "issued", "ballots_cast"),
    ("kz-mazhilis-2021", "ballots_cast", "valid"),  # Kazakhstan's CEC: shares of valid votes
])
def test_forensics_reads_turnout_and_shares_as_the_ruleset_defines_them(
        small_cec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], ruleset: str | None, turnout: str,
        share_base: str) -> None:
    from saylau.analysis.forensics.load import station_data_from_store
    from saylau.formats.ru_cik import read_ru_cik
    from saylau.store import open_store
    from saylau.tabulate.model import ElectionInfo

    db = f"sqlite:///{tmp_path / 's.sqlite'}"
    with open_store(db) as store:
        store.ingest(read_ru_cik(small_cec), election_id="ru", user="t",
                     info=ElectionInfo(id="ru", title="sample", ruleset=ruleset))
    assert main(["forensics", "turnout-share", "--election", "ru", "--db", db, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["definitions"]["turnout"] == turnout and doc["definitions"]["share_base"] == share_base
    data = station_data_from_store("ru", db)
    leader = data.votes[:, data.party_index(None)]
    base = data.found if share_base == "ballots_cast" else data.valid
    assert doc["share_overall"] == pytest.approx(leader.sum() / base.sum(), abs=1e-12)
    assert main(["forensics", "turnout-share", "--election", "ru", "--db", db]) == 0
    assert "Definitions: turnout: " in capsys.readouterr().out

