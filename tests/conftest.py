"""Shared fixtures: paths to the shared data, and the rule that real components never skip in CI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT / ".." / "shared").resolve()
SPEC_DATA = SHARED / "spec" / "data"
RU_2011 = SHARED / "data" / "ru-duma-2011-stations.csv.zip"
NIST_SCHEMA = SHARED / "standards" / "NIST_V2_election_results_reporting.json"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# Property tests: the same examples on every CI run (a red build is the code's fault, never the
# draw's); fresh examples on every local run and with `make test-random`, which finds new cases
# (a failure prints the example and the seed to reproduce it). HYPOTHESIS_PROFILE picks one.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("random", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if IN_CI else "default"))


def require(condition: bool, what: str) -> None:
    """Skip when a real component is absent, except in CI, where its absence fails the run."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{what} is required in CI (CI=true) but is not available")
    pytest.skip(f"{what} is not available")


@pytest.fixture(scope="session")
def spec_data() -> Path:
    require(SPEC_DATA.is_dir(), "../shared/spec/data")
    return SPEC_DATA


@pytest.fixture(scope="session")
def ru2011_zip() -> Path:
    require(RU_2011.is_file(), "../shared/data/ru-duma-2011-stations.csv.zip")
    return RU_2011


@pytest.fixture(scope="session")
def postgres_url() -> str:
    url = os.environ.get("SAYLAU_TEST_POSTGRES_URL", "")
    require(bool(url), "PostgreSQL (SAYLAU_TEST_POSTGRES_URL)")
    return url


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = os.environ.get("SAYLAU_CHROMIUM", "/usr/bin/chromium")
    require(Path(path).is_file(), f"Chromium at {path}")
    return path
