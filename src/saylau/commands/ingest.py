"""``saylau ingest FILE --election ID``: check every protocol of a file, then store them all (or none).

Also home of the options every store command shares (``--db``, ``--user``) and of
:func:`store_batch`, which other commands (``load --synth``, ``synth --db``) call
to put a batch they made into the store.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from saylau.errors import ProtocolError
from saylau.formats import csvsafe
from saylau.tabulate.model import ElectionInfo

__all__ = ["add_db_option", "add_user_option", "register", "run", "store_batch", "write_rejects"]

#: Above this many protocols a progress bar is shown even when stderr is not a terminal.
LONG_IMPORT = 50_000


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """``--db URL``: the store to use."""
    parser.add_argument("--db", metavar="URL",
                        help="store: a SQLite path or postgresql://... URL (default: $SAYLAU_DB or ./saylau.sqlite)")


def add_user_option(parser: argparse.ArgumentParser) -> None:
    """``--user NAME``: who is acting, for the audit log."""
    parser.add_argument("--user", metavar="NAME", help="who is acting, for the audit log (default: $SAYLAU_USER "
                                                       "or the login name)")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from saylau.formats.protocol_files import FORMATS

    p = sub.add_parser(
        "ingest", help="check and store a file of station protocols",
        description="Read FILE, check every protocol against its form's control relations, and store them in one "
                    "transaction: one bad row means nothing is written, and every bad row is reported. The election "
                    "is created on its first ingest. An identical protocol for an accepted station is a no-op; a "
                    "different one is refused unless --correction --reason TEXT, which stores a new version and "
                    "keeps the old.")
    p.add_argument("file", metavar="FILE", help="protocol file (saylau CSV or JSON, or the Russian CEC CSV or .zip)")
    p.add_argument("--election", required=True, metavar="ID", help="election id (created on first ingest)")
    p.add_argument("--form", metavar="FORM", help="protocol form (default: from the file)")
    p.add_argument("--format", choices=FORMATS, help="file format (default: from the extension and header)")
    add_db_option(p)
    p.add_argument("--correction", action="store_true", help="replace accepted protocols (needs --reason)")
    p.add_argument("--reason", metavar="TEXT", help="why the correction is made (recorded with it)")
    p.add_argument("--skip-invalid", action="store_true", help="store the good rows, write the bad ones to --rejects")
    p.add_argument("--rejects", metavar="FILE", help="where --skip-invalid writes the rejected rows (CSV)")
    add_user_option(p)
    p.add_argument("--title", metavar="TEXT", help="the election's title, when this ingest creates it")
    p.add_argument("--ruleset", metavar="NAME", help="the election's ruleset (results' default), when created here")
    p.add_argument("--chunk-size", type=int, default=0, metavar="N",
                   help="commit every N protocols (resumable huge imports; default: one transaction)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from saylau.cli import UsageError
    from saylau.formats.protocol_files import read_protocol_file

    if args.correction and not args.reason:
        raise UsageError("--correction needs --reason TEXT")
    if args.skip_invalid and not args.rejects:
        raise UsageError("--skip-invalid needs --rejects FILE (where the rejected rows go)")
    if args.chunk_size < 0:
        raise UsageError("--chunk-size must be >= 0")
    try:
        batch = read_protocol_file(args.file, args.format, args.form, collect=args.skip_invalid)
    except ProtocolError as exc:
        _print_problems(exc)
        raise
    info = None
    if args.title or args.ruleset:
        info = ElectionInfo(id=args.election, title=args.title or args.election, ruleset=args.ruleset,
                            country=batch.form.country)
    report = store_batch(batch, args.db, args.election, user=args.user, correction=args.correction,
                         reason=args.reason, skip_invalid=args.skip_invalid, info=info,
                         chunk_size=args.chunk_size or None)
    if args.skip_invalid:
        write_rejects(args.rejects, report.rejected)
        if report.rejected:
            print(f"saylau: {len(report.rejected)} rejected row(s) written to {args.rejects}", file=sys.stderr)
    print(report.summary())
    return 0


def store_batch(batch: Any, db: str | None, election_id: str, *, user: str | None = None, correction: bool = False,
                reason: str | None = None, skip_invalid: bool = False, info: ElectionInfo | None = None,
                chunk_size: int | None = None) -> Any:
    """Ingest ``batch`` into the store at ``db`` with a progress bar on long imports; the IngestReport."""
    from tqdm import tqdm

    from saylau.store import open_store

    show = sys.stderr.isatty() or len(batch) > LONG_IMPORT
    with open_store(db) as store, tqdm(total=len(batch), unit="protocol", desc=f"ingest {election_id}",
                                       file=sys.stderr, disable=not show, leave=False) as bar:
        try:
            return store.ingest(batch, election_id=election_id, correction=correction, reason=reason, user=user,
                                skip_invalid=skip_invalid, info=info, chunk_size=chunk_size, progress=bar.update)
        except ProtocolError as exc:
            bar.close()
            _print_problems(exc)
            raise


def _print_problems(exc: ProtocolError) -> None:
    """Every bad row on stderr (the error's own message names only the first few)."""
    for problem in exc.violations:
        describe = getattr(problem, "describe", None)
        print(f"  {describe() if describe else problem}", file=sys.stderr)


def write_rejects(path: str | os.PathLike[str], rejected: Sequence[Any]) -> None:
    """Write rejected rows as CSV (row, station, problems, cells), atomically: all of it or nothing."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=".rejects-", suffix=".csv", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            writer = csvsafe.writer(handle)
            writer.writerow(["source", "row", "station", "problems", "cells"])
            for r in rejected:
                writer.writerow([r.source or "", "" if r.row is None else r.row, r.station or "",
                                 " | ".join(r.problems), json.dumps(list(r.raw), ensure_ascii=False) if r.raw else ""])
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
