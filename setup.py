"""Build step: the official tables of the built-in elections go into the wheel and the sdist.

The tables live in the project's shared data folder (``../shared/spec/data``, or ``$SAYLAU_DATA``)
and are never copied into the repository. When a wheel or an sdist is built, the files the
built-in elections read are copied from there into the *built* package as
``saylau/datasets/data/*.csv``, so that ``pip install saylau`` then ``saylau load kz-2021`` works
anywhere. An sdist carries them in its ``src/saylau/datasets/data``, so a wheel built from the
sdist finds them without the shared folder. Everything else is in pyproject.toml.
"""

from __future__ import annotations

import os
import shutil
import tomllib
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

ROOT = Path(__file__).resolve().parent
DATASETS = ROOT / "src" / "saylau" / "datasets"
PACKAGED = Path("saylau") / "datasets" / "data"


def _table_names() -> list[str]:
    """Every official table a built-in election's metadata names (national, regions, totals)."""
    names: set[str] = set()
    for meta in sorted(DATASETS.glob("*.toml")):
        data = tomllib.loads(meta.read_text(encoding="utf-8"))
        names.update(str(data[key]) for key in ("national", "regions", "totals") if key in data)
    return sorted(names)


def _source_folder() -> Path:
    """Where the tables are read from at build time: $SAYLAU_DATA, ../shared, or an sdist's own copy."""
    candidates = [Path(os.environ["SAYLAU_DATA"])] if os.environ.get("SAYLAU_DATA") else []
    candidates += [ROOT / ".." / "shared" / "spec" / "data", ROOT / "src" / PACKAGED]
    names = _table_names()
    for folder in candidates:
        if all((folder / name).is_file() for name in names):
            return folder
    raise SystemExit("saylau build: the official tables (shared/spec/data) were not found: "
                     f"{', '.join(names)}; set SAYLAU_DATA to their folder")


def _copy_tables(target: Path) -> None:
    source = _source_folder()
    target.mkdir(parents=True, exist_ok=True)
    for name in _table_names():
        shutil.copyfile(source / name, target / name)


class BuildPyWithTables(build_py):
    """build_py, then the official tables into the built package (never into src/)."""

    def run(self) -> None:
        super().run()
        if not self.editable_mode:  # an editable install reads ../shared like the tests do
            _copy_tables(Path(self.build_lib) / PACKAGED)


class SdistWithTables(sdist):
    """sdist, with the official tables in the release tree's src/saylau/datasets/data."""

    def make_release_tree(self, base_dir: str, files: list[str]) -> None:
        super().make_release_tree(base_dir, files)
        _copy_tables(Path(base_dir) / "src" / PACKAGED)


setup(cmdclass={"build_py": BuildPyWithTables, "sdist": SdistWithTables})
