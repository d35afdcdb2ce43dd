"""A registry of definitions shipped as package data (rulesets, protocol forms), by name or by path.

Names resolve through a dict this registry owns; a path is read as a file.
Nothing is ever imported from a string. A registered name wins over a file of
the same name in the working directory. A file once parsed is remembered with
its bytes: each call reads the file (it may have changed) but parses it again
only if its bytes differ.
"""

from __future__ import annotations

import difflib
import os
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
        # path (absolute) -> the file's bytes and the definition parsed from them
        self._files: dict[str, tuple[bytes, T]] = {}

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

    def registered(self, name: str) -> T | None:
        """The definition registered as ``name``, or None (also before any is loaded); never reads a file."""
        items = self._items
        return None if items is None else items.get(name)

    def register(self, item: T) -> None:
        self._load()[item.name] = item

    def resolve_name_or_path(self, name_or_path: str | Path) -> T:
        """A registered name, or the path of a file (anything ending in .toml, with a '/', or existing)."""
        if type(name_or_path) is str:
            items = self._items if self._items is not None else self._load()
            found = items.get(name_or_path)
            if found is not None:  # the hot path: a name, no file system access
                return found
        text = str(name_or_path)
        if text.endswith(".toml") or "/" in text or os.sep in text or Path(text).is_file():
            return self._file(text)
        return self.get(text)

    def _file(self, text: str) -> T:
        """The definition in file ``text``, parsed again only if the file's bytes changed since."""
        try:
            with open(text, "rb") as handle:
                content = handle.read()
            decoded = content.decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return self._load_file(text)  # the loader names the file and what is wrong with it
        key = os.path.abspath(text)
        known = self._files.get(key)
        if known is not None and known[0] == content:
            return known[1]
        item = self._parse(decoded, str(Path(text)))  # the bytes just compared, not a second read
        if len(self._files) >= 64:  # a long-running process reading many files keeps the recent ones
            self._files.pop(next(iter(self._files)))
        self._files[key] = (content, item)
        return item
