"""``saylau document KIND --election ID --lang kk|ru|en -o FILE.pdf``: official documents a commission signs.

KIND is ``seat-protocol`` (the protocol on the distribution of seats),
``station-protocol --station S`` (filled from the stored protocol, or
``--blank``) or ``results-summary`` (national and regional tables). Every
page shows the SHA-256 of the document's figures; ``--verify FILE.pdf``
checks a document against the store instead of writing one.
"""

from __future__ import annotations

import argparse
import sys

from saylau.commands.ingest import add_db_option

__all__ = ["register", "run"]

KINDS = ("seat-protocol", "station-protocol", "results-summary")
LANGUAGES = ("kk", "ru", "en")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "document", help="official documents as PDF in kk, ru, en: seat protocol, station protocol, summary",
        description="Write an official document as PDF in Kazakh, Russian or English: the protocol on the "
                    "distribution of seats (seat-protocol), a station's protocol for printing and signing, filled "
                    "or blank (station-protocol), or the national and regional tables (results-summary). Every "
                    "page shows the SHA-256 of the document's figures, which are attached as figures.json; "
                    "--verify checks a document against the store. Needs the 'documents' extra.")
    p.add_argument("kind", choices=KINDS, metavar="KIND", help=f"one of {', '.join(KINDS)}")
    p.add_argument("--election", required=True, metavar="ID", help="election id (built-in: kz-2021, kz-2016)")
    p.add_argument("--lang", choices=LANGUAGES, help="language of the document: kk, ru or en (needed with -o)")
    add_db_option(p)
    p.add_argument("--station", metavar="S", help="the station (station-protocol)")
    p.add_argument("--blank", action="store_true", help="a blank station protocol, to be filled in by hand")
    p.add_argument("-o", "--output", metavar="FILE.pdf", help="write the PDF here (replaced whole, never half-written)")
    p.add_argument("--verify", metavar="FILE.pdf",
                   help="check FILE.pdf instead: its figures hash to the SHA-256 on every page and equal the "
                        "figures in the store now")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from saylau.cli import UsageError

    if args.kind != "station-protocol" and (args.station is not None or args.blank):
        raise UsageError("--station and --blank are for station-protocol")
    if args.kind == "station-protocol" and not args.station:
        raise UsageError("station-protocol needs --station S")
    if (args.output is None) == (args.verify is None):
        raise UsageError("give either -o FILE.pdf (write a document) or --verify FILE.pdf (check one)")
    if args.output is not None and args.lang is None:
        raise UsageError("say the document's language: --lang kk, --lang ru or --lang en")
    from saylau.documents import canonical_json, load_document

    document = load_document(args.kind, args.election, args.db, station=args.station, blank=args.blank)
    if args.verify is not None:
        return _verify(args.verify, canonical_json(document))
    from saylau.commands.report import write_output
    from saylau.documents.render import render_pdf

    pdf = render_pdf(document, args.lang)
    write_output(pdf, args.output)
    from saylau.documents import digest

    # On standard error, as every command that writes a file says it (and the PDF may be on standard output).
    print(f"wrote {args.output}: {args.kind} of {args.election} in {args.lang}, {len(pdf):,} bytes; "
          f"SHA-256 of the figures {digest(document)}", file=sys.stderr)
    return 0


def _verify(path: str, expected: bytes) -> int:
    from pathlib import Path

    from saylau.documents.verify import check_document
    from saylau.errors import InputError

    try:
        pdf = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", source=path) from None
    seal = check_document(pdf, expected, source=path)
    print(f"{path}: verified: every page shows SHA-256 {seal}, the hash of its attached figures, which equal the "
          "figures in the store")
    return 0
