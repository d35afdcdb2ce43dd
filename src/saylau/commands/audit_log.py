"""``saylau audit-log verify|show|head``: check the store's hash-chained audit log, list it, anchor it."""

from __future__ import annotations

import argparse
import json
import sys

from saylau.commands.ingest import add_db_option

__all__ = ["register", "run_head", "run_show", "run_verify"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("audit-log", help="verify or list the store's audit log",
                       description="Every write to the store appends an entry (who, when, what, why, and the hash "
                                   "of the data written), chained to the previous entry by SHA-256.")
    commands = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    v = commands.add_parser("verify", help="check every entry, link, stored row and data hash; print the head "
                                           "(exit 1 naming the first bad entry or every bad row)")
    v.add_argument("--expect-head", metavar="HASH", help="the head hash published earlier: fail if the log does not "
                                                         "end there (catches removed newest entries)")
    add_db_option(v)
    v.set_defaults(run=run_verify)
    s = commands.add_parser("show", help="list entries, oldest first")
    add_db_option(s)
    s.add_argument("--election", metavar="ID", help="only this election's entries")
    s.add_argument("--limit", type=int, metavar="N", help="only the newest N entries")
    s.add_argument("--format", choices=("table", "json"), default="table")
    s.set_defaults(run=run_show)
    h = commands.add_parser("head", help="print the newest entry's hash (publish it to anchor the log)")
    add_db_option(h)
    h.set_defaults(run=run_head)


def run_verify(args: argparse.Namespace) -> int:
    from saylau.store import open_store

    with open_store(args.db) as store:
        check = store.verify_audit_log(expect_head=args.expect_head)
    if check.ok:
        print(check)
        return 0
    print(f"saylau: {check}", file=sys.stderr)
    return 1


def run_show(args: argparse.Namespace) -> int:
    from saylau.store import open_store

    with open_store(args.db) as store:
        entries = store.audit_entries(election_id=args.election, limit=args.limit)
    if args.format == "json":
        print(json.dumps([e.to_dict() for e in entries], ensure_ascii=False, indent=2))
        return 0
    for e in entries:
        why = f" — {e.reason}" if e.reason else ""
        print(f"{e.seq:>6}  {e.at}  {e.actor:<12} {e.action:<16} {e.election_id or '':<12} {e.subject}{why}  "
              f"{e.hash[:12]}")
    return 0


def run_head(args: argparse.Namespace) -> int:
    from saylau.store import open_store

    with open_store(args.db) as store:
        check = store.verify_audit_log()
    print(f"{check.entries} {check.head_hash}")
    return 0 if check.ok else 1
