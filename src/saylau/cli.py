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
import atexit
import contextlib
import importlib
import os
import sys
from collections.abc import Collection, Sequence
from typing import Any, NoReturn

from saylau.errors import (
    AccessDenied,
    AllocationError,
    ConflictError,
    InputError,
    SaylauError,
    StorageError,
)
from saylau.gcpause import gc_paused

__all__ = ["main"]

#: The subcommands in the order --help lists them: each command's name, the module that adds it (its
#: ``register(subparsers)``) and the one line of help that module gives it. ``saylau --help`` lists them from here,
#: and a command line imports only the module of the command it names (a test keeps these lines the modules' own).
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("allocate", "saylau.commands.allocate", "allocate seats from a votes file"),
    ("rules", "saylau.commands.rules", "list and show rulesets"),
    ("check", "saylau.commands.check", "check protocol files against their form's control relations"),
    ("synth", "saylau.commands.synth", "generate synthetic station protocols"),
    ("ingest", "saylau.commands.ingest", "check and store a file of station protocols"),
    ("results", "saylau.commands.results", "counts, turnout, shares and seats of a stored or built-in election"),
    ("load", "saylau.commands.load", "store a built-in election's official results"),
    ("audit-log", "saylau.commands.audit_log", "verify or list the store's audit log"),
    ("audit-table", "saylau.commands.audit_table", "recompute a published table's percentages from its counts"),
    ("report", "saylau.commands.report",
     "publish an election's result (HTML, Markdown, CSV, JSON, NIST, SVG/PNG pictures)"),
    ("document", "saylau.commands.document",
     "official documents as PDF in kk, ru, en: seat protocol, station protocol, summary"),
    ("nist", "saylau.commands.nist", "export or import NIST SP 1500-100 v2 election results (JSON)"),
    ("forensics", "saylau.commands.forensics", "statistical diagnostics on polling-station counts (not proof)"),
    ("whatif", "saylau.commands.whatif", "seats under other rules, side by side"),
    ("margins", "saylau.commands.margins", "votes needed for a seat or the threshold, votes to spare"),
    ("project", "saylau.commands.project", "seat chances from polls (Monte Carlo)"),
    ("serve", "saylau.commands.serve", "serve live results and the protocol API (web extra)"),
    ("users", "saylau.commands.users", "manage the web app's users (web extra)"),
    ("units", "saylau.commands.units", "set up an election's polling stations (the unit tree)"),
)
#: Modules that add subcommands, in the order their commands are listed in --help.
COMMAND_MODULES: tuple[str, ...] = tuple(module for _, module, _ in COMMANDS)

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


class _Version(argparse._VersionAction):
    """``--version``: the installed version, looked up (importlib.metadata, slow to import) only when asked."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: str | Sequence[Any] | None, option_string: str | None = None) -> None:
        self.version = f"saylau {_version()}"
        super().__call__(parser, namespace, values, option_string)


def build_parser(commands: Collection[str] | None = None) -> argparse.ArgumentParser:
    """The parser of every command; with ``commands``, only those commands' modules are imported and the others
    are listed (name and help, as --help shows them) without their options."""
    parser = _Parser(
        prog="saylau",
        description="From an election's counts to its official result: seats, tabulation, reports, analysis.",
    )
    parser.add_argument("--version", action=_Version)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, module, summary in COMMANDS:
        if commands is None or name in commands:
            importlib.import_module(module).register(sub)
        else:
            sub.add_parser(name, help=summary)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("saylau")
    except PackageNotFoundError:  # running from a source tree
        return "0+unknown"


def _named_command(argv: Sequence[str]) -> set[str]:
    """The command a command line names: its first word that is not an option (the top level's options, --help
    and --version, take no value)."""
    for i, word in enumerate(argv):
        if word == "--":
            return set(argv[i + 1:i + 2])
        if not word.startswith("-"):
            return {word}
    return set()


def main(argv: Sequence[str] | None = None) -> int:
    # A command is a batch job that makes a few hundred thousand objects and no cycles worth collecting: without
    # the cyclic collector walking every live object again and again, start-up alone is ~80 ms shorter per
    # command. serve, which runs for days, turns collection back on (saylau.commands.serve).
    with gc_paused():
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(_named_command(argv)).parse_args(argv)
    if not hasattr(args, "run"):  # a command only listed, not added (never expected): parse with them all
        args = build_parser().parse_args(argv)
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


def console() -> NoReturn:
    """The ``saylau`` command (and ``python -m saylau``): :func:`main`, then an exit that skips tearing the
    interpreter down. Freeing a bulk command's objects one by one (a 95,000-station batch, pandas, SQLAlchemy)
    took 0.15 s that serves no one: the system takes a process's memory back at once. Exit handlers still run
    and output is flushed first (mypy ends the same way). Tests call :func:`main`, which returns."""
    code = main()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BrokenPipeError, ValueError):  # a reader gone (| head), a stream closed
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    console()


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
