"""The registry of protocol forms saylau ships (``protocols/forms/*.toml``), by name or by path."""

from __future__ import annotations

from pathlib import Path

from saylau.datafiles import DataRegistry
from saylau.protocols.form import Form, FormError, load_form_file, parse_form

__all__ = ["FORMS", "FormRegistry", "load_form"]


class FormRegistry(DataRegistry[Form]):
    """Forms by name: the built-in ones from package data, plus any registered at run time."""

    def __init__(self) -> None:
        super().__init__("saylau.protocols", "forms", kind="protocol form",
                         parse=lambda text, source: parse_form(text, source=source),
                         load_file=load_form_file, error=FormError)

    def resolve(self, name_or_path: str | Path | Form) -> Form:
        """A form object, a registered name, or the path of a form file (``.toml`` or existing)."""
        if isinstance(name_or_path, Form):
            return name_or_path
        return self.resolve_name_or_path(name_or_path)


FORMS = FormRegistry()


def load_form(name_or_path: str | Path | Form) -> Form:
    """A protocol form by registry name (``kz-mazhilis-2021``, ``ru-duma-2021``, ``ru-duma-2011``) or file path."""
    return FORMS.resolve(name_or_path)
