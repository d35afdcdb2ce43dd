"""A registry of definitions shipped as package data (rulesets, protocol forms), by name or by path.

Names resolve through a dict this registry owns; a path is read as a file.
Nothing is ever imported from a string.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import Generic, Protocol, TypeVar

from saylau.errors import InputError

__all__ = ["DataRegistry"]


class Named(Protocol):
    @property
    def name(self) -> str: ...


T = TypeVar("T", bound=Named)


class DataRegistry(Generic[T]):
    """Definitions by name: the TOML files of ``package/folder``, plus any registered at run time."""

    def __init__(
        self,
        package: str,
        folder: str,
        *,
        kind: str,
        parse: Callable[[str, str], T],
        load_file: Callable[[str], T],
        error: type[InputError],
    ) -> None:
        self._package = package
        self._folder = folder
        self._kind = kind
        self._parse = parse
        self._load_file = load_file
        self._error = error
        self._items: dict[str, T] | None = None

    def _load(self) -> dict[str, T]:
        if self._items is None:
            found: dict[str, T] = {}
            folder = resources.files(self._package) / self._folder
            for entry in sorted(folder.iterdir(), key=lambda e: e.name):
                if entry.name.endswith(".toml"):
                    source = f"saylau:{self._package.split('.', 1)[-1]}/{self._folder}/{entry.name}"
                    item = self._parse(entry.read_text(encoding="utf-8"), source)
                    if item.name != entry.name.removesuffix(".toml"):
                        raise self._error(f"a built-in {self._kind}'s name must match its file name",
                                          source=entry.name, field="name", value=item.name)
                    found[item.name] = item
            self._items = found
        return self._items

    def names(self) -> list[str]:
        return list(self._load())

    def __iter__(self) -> Iterator[T]:
        return iter(self._load().values())

    def __contains__(self, name: object) -> bool:
        return name in self._load()

    def __getitem__(self, name: str) -> T:
        return self.get(name)

    def get(self, name: str) -> T:
        """The built-in definition ``name``; an unknown name is an input error with suggestions."""
        items = self._load()
        if name in items:
            return items[name]
        close = difflib.get_close_matches(name, items, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else f"; known: {', '.join(items)}"
        raise self._error(f"unknown {self._kind}{hint}", field=self._kind.split()[-1], value=name)

    def register(self, item: T) -> None:
        self._load()[item.name] = item

    def resolve_name_or_path(self, name_or_path: str | Path) -> T:
        """A registered name, or the path of a file (anything ending in .toml, with a '/', or existing)."""
        text = str(name_or_path)
        if text.endswith(".toml") or "/" in text or Path(text).is_file():
            return self._load_file(text)
        return self.get(text)
