"""``saylau units import``: the central commission sets up the stations an election expects."""

from __future__ import annotations

from pathlib import Path

import pytest

from saylau.cli import main
from saylau.store import open_store


@pytest.fixture
def election(tmp_path: Path) -> str:
    """A stored election with no station yet (kz-2021 from its official tables)."""
    db = str(tmp_path / "s.sqlite")
    assert main(["load", "kz-2021", "--db", db]) == 0
    return db


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "stations.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_stations_are_registered_once_with_one_audit_entry(election: str, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = _csv(tmp_path, "station,region,territory\nS1,Akmola Region,T1\nS2,Akmola Region,T1\nS3,Almaty,\n")
    with open_store(election) as store:
        before = len(store.audit_entries())
    assert main(["units", "import", str(path), "--election", "kz-2021", "--db", election, "--user", "cec"]) == 0
    assert "3 stations registered, 0 already known" in capsys.readouterr().err
    with open_store(election) as store:
        entries = store.audit_entries()
        tree = store.unit_tree("kz-2021")
    assert len(entries) == before + 1 and entries[-1].actor == "cec"
    assert tree["S1"] == ("station", "KZ/Akmola Region/T1") and tree["S3"][0] == "station"
    assert main(["audit-log", "verify", "--db", election]) == 0  # the new units are covered by the chain
    # Importing again registers nothing new.
    assert main(["units", "import", str(path), "--election", "kz-2021", "--db", election]) == 0
    assert "0 stations registered, 3 already known" in capsys.readouterr().err


@pytest.mark.parametrize(("text", "message"), [
    ("station,territory\nS1,T1\n", "lacks the column 'region'"),
    ("station,region\nS1,\n", "region"),
    ("station,region\nS\u200b1,Akmola Region\n", "S"),          # a zero-width space in an id
    ("station,region\n", "names no station"),
])
def test_bad_files_are_refused_and_nothing_is_registered(election: str, tmp_path: Path, text: str, message: str,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = _csv(tmp_path, text)
    with open_store(election) as store:
        before = (len(store.audit_entries()), len(store.unit_tree("kz-2021")))
    assert main(["units", "import", str(path), "--election", "kz-2021", "--db", election]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    with open_store(election) as store:
        assert (len(store.audit_entries()), len(store.unit_tree("kz-2021"))) == before


def test_a_station_under_a_region_id_or_a_look_alike_is_refused(election: str, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    ok = _csv(tmp_path, "station,region\nST-A1,Akmola Region\n")
    assert main(["units", "import", str(ok), "--election", "kz-2021", "--db", election]) == 0
    capsys.readouterr()
    twin = _csv(tmp_path, "station,region\nST-\u04101,Akmola Region\n")  # Cyrillic А in place of Latin A
    assert main(["units", "import", str(twin), "--election", "kz-2021", "--db", election]) == 2
    err = capsys.readouterr().err
    assert "ST-A1" in err


def test_unknown_election_and_missing_store_are_named(tmp_path: Path, election: str,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = _csv(tmp_path, "station,region\nS1,Akmola Region\n")
    assert main(["units", "import", str(path), "--election", "nope", "--db", election]) == 2
    assert "nope" in capsys.readouterr().err
    missing = tmp_path / "absent.sqlite"
    assert main(["units", "import", str(path), "--election", "kz-2021", "--db", str(missing)]) == 2
    assert "no such database" in capsys.readouterr().err and not missing.exists()
