"""A library analysts install: the wheel carries the built-in elections and works away from the repository.

The sdist is built from a copy of the source (so nothing is written into the checkout), with the
official tables read from ``../shared`` through ``$SAYLAU_DATA``; the wheel is built from that sdist
alone; it is installed into a fresh virtual environment (no system site packages) in a folder
with no ``../shared`` beside it, where ``saylau load kz-2021`` runs and the library allocates into
pandas. Offline: the wheel is installed with ``--no-index``, and its dependencies (jinja2,
SQLAlchemy, pandas, ...) are lent by this test's own environment through a path file, which adds
their folder but none of its path files (so this checkout's editable saylau is not seen).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SPEC_DATA = (ROOT / ".." / "shared" / "spec" / "data").resolve()
TABLES = ("kz-2016-mazhilis-national.csv", "kz-2021-mazhilis-national.csv", "kz-2021-mazhilis-regions.csv",
          "kz-2021-mazhilis-totals.csv")

pytestmark = pytest.mark.slow


def _run(args: list[str], *, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=600)
    assert proc.returncode == 0, f"{args}: {proc.stdout}\n{proc.stderr}"
    return proc


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SAYLAU_DATA", "VIRTUAL_ENV")}
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory, spec_data: Path) -> Path:
    assert spec_data == SPEC_DATA
    pytest.importorskip("build")
    work = tmp_path_factory.mktemp("build")
    source = work / "saylau"  # a copy: no ../shared beside it, nothing written into the checkout
    source.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    _run([sys.executable, "-m", "build", "--sdist", "--no-isolation", "--outdir", str(work / "dist")],
         cwd=source, env=_clean_env(SAYLAU_DATA=str(SPEC_DATA)))
    (sdist,) = (work / "dist").glob("saylau-*.tar.gz")
    with tarfile.open(sdist) as archive:
        shipped = {Path(n).name for n in archive.getnames() if "/src/saylau/datasets/data/" in n}
    assert shipped == set(TABLES)
    # The wheel from the sdist alone: no SAYLAU_DATA, no ../shared, only the sdist's own copy.
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
          "-w", str(work / "wheels"), str(sdist)], cwd=work, env=_clean_env())
    (built,) = (work / "wheels").glob("saylau-*.whl")
    return built


def test_the_wheel_carries_the_official_tables_unchanged(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        for name in TABLES:
            assert archive.read(f"saylau/datasets/data/{name}") == (SPEC_DATA / name).read_bytes()
        assert "saylau/rules/data/kz-mazhilis-2021.toml" in archive.namelist()


def test_the_checkout_holds_no_copy_of_the_tables() -> None:
    assert not (ROOT / "src" / "saylau" / "datasets" / "data").exists()
    tracked = subprocess.run(["git", "ls-files", "*.csv"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert not any(Path(line).name in TABLES for line in tracked.stdout.splitlines())


def test_installed_away_from_the_repository_it_loads_and_allocates_into_pandas(wheel: Path,
                                                                              tmp_path: Path) -> None:
    pytest.importorskip("pandas")
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=tmp_path, env=_clean_env())
    python = venv / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "-q",
          str(wheel)], cwd=tmp_path, env=_clean_env())
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                     cwd=tmp_path, env=_clean_env()).stdout.strip())
    lent = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "zz_lent_dependencies.pth").write_text("\n".join(sorted(lent)) + "\n", encoding="utf-8")

    elsewhere = tmp_path / "analyst" / "notebooks"  # no ../shared beside it
    elsewhere.mkdir(parents=True)
    env = _clean_env()
    _run([str(venv / "bin" / "saylau"), "load", "kz-2021", "--db", "sqlite:///kz.sqlite"], cwd=elsewhere, env=env)
    results = _run([str(venv / "bin" / "saylau"), "results", "--election", "kz-2021", "--db", "sqlite:///kz.sqlite",
                    "--format", "json"], cwd=elsewhere, env=env)
    assert "5148074" in results.stdout.replace(",", "").replace(" ", "")

    script = (
        "import json, saylau\n"
        "from saylau.datasets import data_dir, load_dataset\n"
        "election = load_dataset('kz-2021')\n"
        "votes = dict(election.nation.votes)\n"
        "result = saylau.allocate(votes, 'kz-mazhilis-2021')\n"
        "frame = result.to_pandas()\n"
        "units = election.to_pandas()\n"
        "print(json.dumps({'file': saylau.__file__, 'version': saylau.__version__, 'data': str(data_dir()),\n"
        "    'seats': dict(zip(frame['party'], (int(s) for s in frame['seats']))),\n"
        "    'units': len(units), 'html': result._repr_html_().startswith('<table>')}))\n"
    )
    out = json.loads(_run([str(python), "-c", script], cwd=elsewhere, env=env).stdout)
    assert Path(out["file"]).is_relative_to(venv)  # the installed copy, not this checkout
    assert Path(out["data"]).is_relative_to(venv)  # the tables shipped in the wheel
    assert out["version"] == wheel.name.split("-")[1]
    with (SPEC_DATA / "kz-2021-mazhilis-national.csv").open(encoding="utf-8-sig", newline="") as handle:
        official = {row["party_id"]: int(row["seats_official"]) for row in csv.DictReader(handle)}
    with (SPEC_DATA / "kz-2021-mazhilis-regions.csv").open(encoding="utf-8-sig", newline="") as handle:
        regions = sum(1 for _ in csv.DictReader(handle))
    assert out["seats"] == official
    assert out["units"] == 1 + regions and out["html"] is True  # the nation and its regions
