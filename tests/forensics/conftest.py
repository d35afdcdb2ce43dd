"""Fixtures of the forensics tests: a small real CEC station table sampled from the 2011 file."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

pytest.importorskip("numpy")
pytest.importorskip("scipy")


@pytest.fixture(scope="session")
def small_cec(ru2011_zip: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every 150th station of the 2011 Duma file (about 630 stations from every region), as a CSV."""
    with zipfile.ZipFile(ru2011_zip) as archive:
        name = archive.namelist()[0]
        lines = archive.read(name).decode("utf-8").splitlines()
    path = tmp_path_factory.mktemp("cec") / "ru-2011-sample.csv"
    path.write_text("\n".join([lines[0], *lines[1::150]]) + "\n", encoding="utf-8")
    return path
