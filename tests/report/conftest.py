"""Fixtures of the report tests: the built-in elections and text snapshots.

Snapshots live in ``tests/report/snapshots/``; run with ``SAYLAU_UPDATE_SNAPSHOTS=1``
to write them again after an intended change, then review the diff.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from saylau.datasets import load_dataset
from saylau.tabulate.model import ElectionData

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("SAYLAU_UPDATE_SNAPSHOTS", "") in ("1", "true", "yes")


@pytest.fixture(autouse=True)
def private_store(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands run without --db use the default store: give each test its own (parallel-safe)."""
    monkeypatch.setenv("SAYLAU_DB", str(tmp_path_factory.mktemp("store") / "default.sqlite"))


@pytest.fixture(scope="session")
def kz2021(spec_data: Path) -> ElectionData:
    return load_dataset("kz-2021")


@pytest.fixture(scope="session")
def kz2016(spec_data: Path) -> ElectionData:
    return load_dataset("kz-2016")


@pytest.fixture(scope="session")
def nist_schema(spec_data: Path) -> Path:
    """NIST's published JSON schema, beside the spec data in ../shared (present whenever that is)."""
    path = spec_data.parents[1] / "standards" / "NIST_V2_election_results_reporting.json"
    assert path.is_file(), f"{path} is missing from ../shared"
    return path


@pytest.fixture
def snapshot() -> Callable[[str, str], None]:
    """``snapshot(name, text)`` fails unless ``text`` equals the stored snapshot ``name``."""

    def check(name: str, text: str) -> None:
        path = SNAPSHOTS / name
        if UPDATE:
            path.write_text(text, encoding="utf-8", newline="")
            return
        if not path.is_file():
            pytest.fail(f"no snapshot {name}; run with SAYLAU_UPDATE_SNAPSHOTS=1 to create it")
        expected = path.read_text(encoding="utf-8")
        if text != expected:
            diff = "".join(difflib.unified_diff(expected.splitlines(True), text.splitlines(True),
                                                f"snapshots/{name}", "output", n=2))
            pytest.fail(f"output differs from snapshot {name} (SAYLAU_UPDATE_SNAPSHOTS=1 to accept):\n"
                        + diff[:4000])

    return check
