"""The ``saylau`` command: parse, call the library, map errors to exit codes.

Each feature area registers its own subcommands (``register(subparsers)`` in
``saylau.<area>.commands``); this module only dispatches and maps the one
exception tree to one-line messages:

====  ==================================================================================
 0    success
 1    the rules give no result (no list passed, unresolved tie), or a check failed
 2    bad input: the message names file, row, field and value
 3    the store refused: a protocol differs from the accepted one (nothing written), or a storage error
 4    a feature's optional dependencies are not installed
====  ==================================================================================
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn

from saylau.errors import (
    AccessDenied,
    AllocationError,
    ConflictError,
    InputError,
    SaylauError,
    StorageError,
)

__all__ = ["main"]

#: Modules that add subcommands, in the order their commands are listed in --help.
COMMAND_MODULES: tuple[str, ...] = (
    "saylau.commands.allocate",
    "saylau.commands.rules",
    "saylau.commands.check",
    "saylau.commands.synth",
    "saylau.commands.ingest",
    "saylau.commands.results",
    "saylau.commands.load",
    "saylau.commands.audit_log",
    "saylau.commands.audit_table",
    "saylau.commands.report",
    "saylau.commands.document",
    "saylau.commands.nist",
    "saylau.commands.forensics",
    "saylau.commands.whatif",
    "saylau.commands.margins",
    "saylau.commands.project",
    "saylau.commands.serve",
    "saylau.commands.users",
    "saylau.commands.units",
)

#: Extras whose absence is reported with an install hint instead of a traceback.
EXTRA_FOR_MODULE = {
    "fastapi": "web",
    "uvicorn": "web",
    "numpy": "sim",
    "dask": "sim",
    "distributed": "sim",
    "psycopg": "postgres",
    "matplotlib": "charts",
    "scipy": "forensics",
    "parliamentarch": "charts",
    "fpdf": "documents",
    "pypdf": "documents",
}


class UsageError(SaylauError):
    """Command-line usage that argparse cannot check by itself."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (and exit code 2) like every other input error."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


#: How each branch of the error tree reaches the user: message prefix and exit code (first match wins).
EXIT_CODES: tuple[tuple[type[SaylauError], str, int], ...] = (
    (InputError, "error", 2),
    (UsageError, "error", 2),
    (AllocationError, "no result", 1),
    (ConflictError, "refused", 3),  # accepted data stands; the message says how to correct it
    (StorageError, "storage error", 3),
    (AccessDenied, "access denied", 1),
    (SaylauError, "error", 1),
)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="saylau",
        description="From an election's counts to its official result: seats, tabulation, reports, analysis.",
    )
    parser.add_argument("--version", action="version", version=f"saylau {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("saylau")
    except PackageNotFoundError:  # running from a source tree
        return "0+unknown"


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code = args.run(args)
    except SaylauError as exc:
        prefix, status = next((p, c) for kind, p, c in EXIT_CODES if isinstance(exc, kind))
        print(f"saylau: {prefix}: {exc}", file=sys.stderr)
        return status
    except ModuleNotFoundError as exc:
        extra = EXTRA_FOR_MODULE.get((exc.name or "").split(".")[0])
        if extra is None:
            raise
        print(f"saylau: error: this command needs the '{extra}' extra: pip install 'saylau[{extra}]'",
              file=sys.stderr)
        return 4
    except BrokenPipeError:
        return 0
    return int(code or 0)


if __name__ == "__main__":
    sys.exit(main())


def reference_markdown() -> str:
    """The CLI reference (docs/cli.md), generated from the parser so it cannot drift from --help."""
    import os

    # argparse wraps help to the terminal's width: pin it, so the text is the same everywhere.
    saved = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "100"
    try:
        return _reference_markdown()
    finally:
        if saved is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = saved


def _reference_markdown() -> str:
    parser = build_parser()
    out = ["# Command-line reference", "",
           "Generated from `saylau --help` by `make docs`; a test keeps it in step with the code.", "",
           "```text", parser.format_help().rstrip(), "```", ""]
    for name, sub in _subcommands(parser):
        out += [f"## saylau {name}", "", "```text", sub.format_help().rstrip(), "```", ""]
    return "\n".join(out)


def _subcommands(parser: argparse.ArgumentParser, prefix: str = "") -> list[tuple[str, argparse.ArgumentParser]]:
    found: list[tuple[str, argparse.ArgumentParser]] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                full = f"{prefix}{name}"
                found.append((full, sub))
                found.extend(_subcommands(sub, f"{full} "))
    return found
