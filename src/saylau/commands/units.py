"""``saylau units import FILE --election ID``: register the stations an election expects, before protocols arrive.

The unit tree is set up by the central commission, not grown by clerks: a clerk
files a protocol only for a station registered here (or by a central ingest, or
through ``POST /api/elections/{id}/units``). The file is a CSV with the columns
``station,region`` and optionally ``territory`` (the territorial commission);
ids are checked as every store write checks them (normalised, no look-alike of
another id, parents of a higher level). One audit entry records the whole file;
a bad row means nothing is registered.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from saylau.commands.ingest import add_db_option, add_user_option
from saylau.errors import InputError

__all__ = ["read_stations", "register", "run_import"]

REQUIRED = ("station", "region")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("units", help="set up an election's polling stations (the unit tree)",
                       description="The unit tree is set up, not grown by clerks: register the stations an "
                                   "election expects (with their regions and territorial commissions) before "
                                   "their protocols arrive.")
    units_sub = p.add_subparsers(dest="units_command", metavar="ACTION", required=True)
    imp = units_sub.add_parser("import", help="register stations from a CSV (station,region[,territory])",
                               description="Register the stations of FILE (a CSV with the columns station, region "
                                           "and optionally territory) for an election already stored. Known "
                                           "stations are left as they are; one bad row means nothing is "
                                           "registered. One audit entry records the file.")
    imp.add_argument("file", metavar="FILE", help="CSV with the columns station, region[, territory]")
    imp.add_argument("--election", metavar="ID", required=True, help="the election (already stored)")
    add_db_option(imp)
    add_user_option(imp)
    imp.set_defaults(run=run_import)


def read_stations(path: str | Path) -> list[tuple[str, str, str | None]]:
    """``(station, region, territory)`` rows of a stations CSV; InputError naming file, row and field."""
    source = str(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [c for c in REQUIRED if c not in header]
            if missing:
                raise InputError(f"the file lacks the column {missing[0]!r} (columns: station, region[, territory])",
                                 source=source, row=1, field=missing[0])
            stations = []
            for number, row in enumerate(reader, start=2):
                if None in row:
                    raise InputError("the row has more cells than the header", source=source, row=number)
                for column in REQUIRED:
                    if not (row.get(column) or "").strip():
                        raise InputError("empty", source=source, row=number, field=column, value=row.get(column))
                territory = (row.get("territory") or "").strip() or None
                stations.append((row["station"].strip(), row["region"].strip(), territory))
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", source=source) from None
    except UnicodeDecodeError:
        raise InputError("the file is not UTF-8 text", source=source) from None
    if not stations:
        raise InputError("the file names no station", source=source)
    return stations


def run_import(args: argparse.Namespace) -> int:
    from saylau.store import open_store
    from saylau.store.store import default_user

    stations = read_stations(args.file)
    with open_store(args.db, must_exist=True) as store:
        if not store.has_election(args.election):
            raise InputError("no such election in the store", field="--election", value=args.election)
        added = store.register_stations(args.election, stations, user=args.user or default_user())
    print(f"{args.election}: {added:,} stations registered, {len(stations) - added:,} already known "
          f"({len(stations):,} in {args.file})", file=sys.stderr)
    return 0
