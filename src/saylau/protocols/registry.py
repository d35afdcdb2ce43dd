"""The registry of protocol forms saylau ships (``protocols/forms/*.toml``), by name or by path."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from saylau.protocols.form import Form, FormError, load_form_file, parse_form

__all__ = ["FORMS", "FormRegistry", "load_form"]


class FormRegistry:
    """Forms by name: the built-in ones from package data, plus any registered at run time."""

    def __init__(self) -> None:
        self._forms: dict[str, Form] | None = None

    def _load(self) -> dict[str, Form]:
        if self._forms is None:
            found: dict[str, Form] = {}
            folder = resources.files("saylau.protocols") / "forms"
            for entry in sorted(folder.iterdir(), key=lambda e: e.name):
                if entry.name.endswith(".toml"):
                    form = parse_form(entry.read_text(encoding="utf-8"), source=f"saylau:protocols/forms/{entry.name}")
                    if form.name != entry.name.removesuffix(".toml"):
                        raise FormError("a built-in form's name must match its file name",
                                        source=entry.name, field="name", value=form.name)
                    found[form.name] = form
            self._forms = found
        return self._forms

    def names(self) -> list[str]:
        return list(self._load())

    def __iter__(self) -> Iterator[Form]:
        return iter(self._load().values())

    def __contains__(self, name: object) -> bool:
        return name in self._load()

    def __getitem__(self, name: str) -> Form:
        return self.get(name)

    def get(self, name: str) -> Form:
        """The built-in form ``name``; an unknown name is an input error with suggestions."""
        forms = self._load()
        if name in forms:
            return forms[name]
        close = difflib.get_close_matches(name, forms, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else f"; known: {', '.join(forms)}"
        raise FormError(f"unknown protocol form{hint}", field="form", value=name)

    def register(self, form: Form) -> None:
        self._load()[form.name] = form

    def resolve(self, name_or_path: str | Path | Form) -> Form:
        """A form object, a registered name, or the path of a form file (``.toml`` or existing)."""
        if isinstance(name_or_path, Form):
            return name_or_path
        text = str(name_or_path)
        if text.endswith(".toml") or "/" in text or Path(text).is_file():
            return load_form_file(text)
        return self.get(text)


FORMS = FormRegistry()


def load_form(name_or_path: str | Path | Form) -> Form:
    """A protocol form by registry name (``kz-mazhilis-2021``, ``ru-duma-2021``, ``ru-duma-2011``) or file path."""
    return FORMS.resolve(name_or_path)
