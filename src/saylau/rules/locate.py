"""Where a key sits in ruleset TOML text, so that every error names the file, line and key."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

from saylau.errors import RulesetError

__all__ = ["Fail", "Locator", "check_known", "dotted", "failer", "line_from_message"]

Fail = Callable[..., RulesetError]
"""``fail(message, table, key, value=None)``: the error for ``key`` of ``table``, located in the text."""


def failer(source: str, text: str) -> Fail:
    """A :data:`Fail` for one ruleset's ``source`` and ``text`` (empty text: no line numbers)."""
    locate = Locator(text)

    def fail(message: str, table: str, key: str, value: object = None) -> RulesetError:
        return RulesetError(message, source=source, line=locate(table, key) if text else None,
                            field=dotted(table, key), value=value)

    return fail


def check_known(table: object, allowed: Collection[str], where: str, fail: Fail) -> None:
    """``table`` is a table whose keys are all in ``allowed``."""
    if not isinstance(table, dict):
        raise fail("must be a table", where.rsplit(".", 1)[0] if "." in where else "", where.rsplit(".", 1)[-1])
    for key in table:
        if key not in allowed:
            raise fail(f"unknown key (expected one of {', '.join(sorted(allowed))})", where, key)


def dotted(table: str, key: str) -> str:
    return f"{table}.{key}" if table else key


def line_from_message(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


class Locator:
    """Finds the line of ``key`` inside ``[table]`` (or ``[[tiers]]`` number n) in TOML text."""

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\" ]+?)\s*\]\]?\s*(#.*)?$")
    _KEY = re.compile(r"^\s*([A-Za-z0-9_\-\"]+)\s*=")

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def __call__(self, table: str, key: str) -> int | None:
        current = ""
        counts: dict[str, int] = {}
        header_line: int | None = None
        own_header: int | None = None  # ``key`` may itself be a table: [table.key]
        own = dotted(table, key)
        for number, line in enumerate(self.lines, start=1):
            header = self._HEADER.match(line)
            if header:
                name = header.group(2).replace('"', "").replace(" ", "")
                if header.group(1) == "[[":
                    index = counts.get(name, -1) + 1
                    counts[name] = index
                    name = f"{name}[{index}]"
                current = name
                if current == table:
                    header_line = number
                if own_header is None and (current == own or current.startswith(own + "[")):
                    own_header = number
                continue
            match = self._KEY.match(line)
            if match and current == table and match.group(1).strip('"') == key:
                return number
        return own_header if own_header is not None else header_line
