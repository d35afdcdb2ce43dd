"""``saylau check FILE``: read protocols and check every control relation, storing nothing."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter

from saylau.formats.protocol_files import FORMATS, read_protocol_file
from saylau.protocols import check_protocols

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "check", help="check protocol files against their form's control relations",
        description="Read FILE (saylau CSV or JSON, or the Russian CEC station table, zipped or not) and print "
                    "every failed control relation of every protocol (station, relation, both sides). Nothing "
                    "is stored. Exit 1 if any error-severity relation fails, 2 if the file cannot be read.")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--form", metavar="NAME|PATH", help="protocol form (default: from the file)")
    p.add_argument("--format", dest="file_format", choices=FORMATS, help="file format (default: from the file)")
    p.add_argument("--output", choices=("text", "json"), default="text", help="how to print the violations")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    batch = read_protocol_file(args.file, args.file_format, args.form)
    violations = check_protocols(batch)
    errors = sum(v.severity == "error" for v in violations)
    if args.output == "json":
        json.dump({"file": args.file, "form": batch.form.name, "protocols": len(batch),
                   "unreported": len(batch.unreported), "errors": errors,
                   "warnings": len(violations) - errors, "violations": [v.to_dict() for v in violations]},
                  sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        for violation in violations:
            sys.stdout.write(violation.describe() + "\n")
        by_relation = Counter(v.relation for v in violations)
        detail = "".join(f"\n  {name}: {count}" for name, count in by_relation.items())
        unreported = (f" ({len(batch.unreported)} stations listed without data: not reported)"
                      if batch.unreported else "")
        sys.stdout.write(f"{len(batch)} protocols checked against {batch.form.name}{unreported}: {errors} error(s), "
                         f"{len(violations) - errors} warning(s){detail}\n")
    return 1 if errors else 0
