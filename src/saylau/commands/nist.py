"""``saylau nist export|import``: NIST SP 1500-100 v2 election results (JSON) out of and into saylau."""

from __future__ import annotations

import argparse
import sys

from saylau.commands.report import write_output

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("nist", help="export or import NIST SP 1500-100 v2 election results (JSON)",
                       description="Exchange results with other systems in the NIST SP 1500-100 v2 "
                                   "Election Results Common Data Format (JSON).")
    nist = p.add_subparsers(dest="nist_command", metavar="ACTION", required=True)

    e = nist.add_parser("export", help="write an election as a NIST ElectionReport",
                        description="Write an election (votes per unit, ballots, declared seats) as NIST JSON.")
    e.add_argument("--election", required=True, metavar="ID", help="election id (built-in: kz-2021, kz-2016)")
    e.add_argument("--db", metavar="URL", help="store URL or SQLite path")
    e.add_argument("--generated", metavar="DATETIME",
                   help="GeneratedDate, e.g. 2021-01-12T00:00:00Z (default: $SOURCE_DATE_EPOCH or now)")
    e.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    e.set_defaults(run=run_export)

    i = nist.add_parser("import", help="read a NIST ElectionReport into the store",
                        description="Read a NIST JSON file, check it, and store the election (unless --check).")
    i.add_argument("file", metavar="FILE")
    i.add_argument("--db", metavar="URL", help="store URL or SQLite path (default: $SAYLAU_DB or ./saylau.sqlite)")
    i.add_argument("--check", action="store_true", help="only read and check the file; store nothing")
    i.set_defaults(run=run_import)


def run_export(args: argparse.Namespace) -> int:
    from saylau.formats.nist import export_nist
    from saylau.store.source import election_data

    data = election_data(args.election, args.db)
    generated = args.generated
    if generated is not None:
        _check_datetime(generated)
    write_output(export_nist(data, generated=generated), args.output,
                 what=f"NIST SP 1500-100 results of {args.election}")
    return 0


def _check_datetime(text: str) -> None:
    import re

    from saylau.errors import InputError

    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})", text):
        raise InputError("expected a date and time like 2021-01-12T00:00:00Z", field="generated", value=text)


def run_import(args: argparse.Namespace) -> int:
    from saylau.formats.nist import read_nist

    imported = read_nist(args.file)
    data = imported.data
    summary = (f"{args.file}: election {data.info.id!r} ({data.info.title}), {len(data.parties)} parties, "
               f"{len(data.units)} units")
    if args.check:
        print(f"{summary}: checked, nothing stored")
        return 0
    from saylau.store import open_store

    with open_store(args.db) as store:
        created = store.put_election_data(data, source=args.file)
        where = store.url
    print(f"{summary}: {'stored' if created else 'already stored, unchanged'} in {where}", file=sys.stdout)
    return 0
