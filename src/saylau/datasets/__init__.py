"""Built-in elections: metadata shipped with saylau, counts read from the official tables.

The official tables live in the project's shared data folder (``shared/spec/data``) and
are never copied into the repository. An installed wheel carries a copy made when it
was built (``saylau/datasets/data``, see setup.py). They are found through
``$SAYLAU_DATA`` (an explicit choice wins), then the installed copy, then
``../shared/spec/data`` from the working directory and from the source checkout.
"""

from __future__ import annotations

import csv
import os
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from saylau.errors import InputError
from saylau.tabulate.model import ElectionData, ElectionInfo, PartyInfo, UnitCounts

__all__ = ["DATASETS", "data_dir", "load_dataset"]

DATASETS = ("kz-2021", "kz-2016")


def data_dir() -> Path:
    """The folder of the official tables."""
    candidates = []
    if os.environ.get("SAYLAU_DATA"):
        candidates.append(Path(os.environ["SAYLAU_DATA"]))
    candidates.append(Path(__file__).resolve().parent / "data")  # shipped in the wheel
    candidates.append(Path.cwd() / ".." / "shared" / "spec" / "data")
    candidates.append(Path(__file__).resolve().parents[3] / ".." / "shared" / "spec" / "data")
    for folder in candidates:
        if (folder / "kz-2021-mazhilis-national.csv").is_file():
            return folder.resolve()
    raise InputError("the official tables (shared/spec/data) were not found; set SAYLAU_DATA to their folder",
                     field="SAYLAU_DATA")


def _meta(name: str) -> dict[str, Any]:
    if name not in DATASETS:
        raise InputError(f"unknown built-in election; known: {', '.join(DATASETS)}", field="election", value=name)
    text = (resources.files("saylau.datasets") / f"{name}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def load_dataset(name: str) -> ElectionData:
    """The built-in election ``name`` (``kz-2021`` or ``kz-2016``) with its official counts."""
    meta = _meta(name)
    folder = data_dir()
    national = _rows(folder / meta["national"])
    styles = meta.get("parties", {})
    previous = _previous_seats(meta.get("previous"))
    parties = []
    official: dict[str, int] = {}
    for order, row in enumerate(national, start=1):
        code = row["party_id"]
        style = styles.get(code, {})
        names = {"en": row["party"]}
        names.update({lang: style[lang] for lang in ("kk", "ru") if lang in style})
        parties.append(PartyInfo(
            code=code,
            name=row["party"],
            registration_order=int(row.get("ballot_no") or order),
            candidates=int(row["candidates"]) if row.get("candidates") else None,
            color=style.get("color", "#888888"),
            names=names,
            leader=row.get("leader", ""),
            previous_seats=previous.get(code) if previous is not None else None,
        ))
        if row.get("seats_official"):
            official[code] = int(row["seats_official"])
    parties.sort(key=lambda p: p.registration_order)
    nation_votes = {row["party_id"]: int(row["votes"]) for row in national}
    nation_votes = {p.code: nation_votes[p.code] for p in parties}
    totals = {}
    if "totals" in meta:
        totals = {row["item"]: row["value"] for row in _rows(folder / meta["totals"])}
    units = []
    regions = _rows(folder / meta["regions"]) if "regions" in meta else []
    nation_id = "KZ"
    stations = int(totals["polling_stations"]) if "polling_stations" in totals else None
    units.append(UnitCounts(
        unit_id=nation_id,
        name="Kazakhstan",
        level="nation",
        parent=None,
        votes=nation_votes,
        valid=int(totals.get("valid_votes", sum(nation_votes.values()))),
        registered=int(totals["registered_voters"]) if "registered_voters" in totals else None,
        ballots_cast=int(totals["ballots_cast"]) if "ballots_cast" in totals else None,
        invalid=int(totals["invalid_votes"]) if "invalid_votes" in totals else None,
        stations_reported=stations,
        stations_total=stations,
        kind="country",
    ))
    for row in regions:
        votes = {p.code: int(row[p.code]) for p in parties}
        units.append(UnitCounts(
            unit_id=f"KZ/{row['region']}",
            name=row["region"],
            level="region",
            parent=nation_id,
            votes=votes,
            valid=sum(votes.values()),
            kind=row.get("region_type", "region"),
        ))
    info = ElectionInfo(
        id=meta["id"],
        title=meta["title"],
        date=meta.get("date"),
        ruleset=meta.get("ruleset"),
        country=meta.get("country", ""),
        previous=meta.get("previous"),
        status=meta.get("status", "unofficial partial"),
        official_seats=official,
    )
    return ElectionData(info, tuple(parties), tuple(units))


def _previous_seats(name: str | None) -> dict[str, int] | None:
    if not name:
        return None
    meta = _meta(name)
    return {row["party_id"]: int(row["seats_official"]) for row in _rows(data_dir() / meta["national"])
            if row.get("seats_official")}
