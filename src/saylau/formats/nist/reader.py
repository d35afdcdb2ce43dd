"""Typed access to a parsed NIST document: every failure names the file and the JSON path."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from saylau.errors import InputError

__all__ = ["Reader", "ext_map", "first_text", "int_ext", "read_text", "short"]


class Reader:
    """Typed access to a parsed document; every failure names the file and the JSON path."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, path: str, message: str, value: object = None) -> InputError:
        return InputError(message, source=self.source, field=path, value=value)

    def obj(self, value: object, path: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(path, "expected a JSON object", short(value))
        return value

    def array(self, parent: Mapping[str, Any], key: str, path: str) -> list[Any]:
        value = parent.get(key, [])
        if not isinstance(value, list):
            raise self.fail(f"{path}.{key}", "expected a JSON array", short(value))
        return value

    def text(self, parent: Mapping[str, Any], key: str, path: str, *, required: bool = True) -> str | None:
        value = parent.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or (required and not value):
            raise self.fail(f"{path}.{key}", "expected a non-empty string", short(value))
        return value

    def count(self, parent: Mapping[str, Any], key: str, path: str, *, required: bool = False) -> int | None:
        value = parent.get(key)
        if value is None and not required:
            return None
        # Counts are whole numbers: 12.0 or true would hide a broken export.
        if type(value) is not int or value < 0:
            raise self.fail(f"{path}.{key}", "expected a whole number >= 0", short(value))
        return value


def short(value: object) -> object:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "..."


def ext_map(r: Reader, obj: Mapping[str, Any], path: str) -> dict[str, str]:
    out = {}
    for i, e in enumerate(r.array(obj, "ExternalIdentifier", path)):
        e = r.obj(e, f"{path}.ExternalIdentifier[{i}]")
        other = e.get("OtherType")
        if e.get("Type") == "other" and isinstance(other, str) and other.startswith("saylau-"):
            out[other[len("saylau-"):]] = r.text(e, "Value", f"{path}.ExternalIdentifier[{i}]") or ""
    return out


def int_ext(r: Reader, ids: Mapping[str, str], key: str, path: str) -> int | None:
    if key not in ids:
        return None
    if not re.fullmatch(r"\d+", ids[key]):
        raise r.fail(f"{path}.ExternalIdentifier[saylau-{key}]", "expected a whole number >= 0", ids[key])
    return int(ids[key])


def read_text(r: Reader, obj: Mapping[str, Any], key: str, path: str) -> dict[str, str]:
    """An InternationalizedText as language → content, in file order."""
    if key not in obj:
        return {}
    text = r.obj(obj[key], f"{path}.{key}")
    out: dict[str, str] = {}
    for i, s in enumerate(r.array(text, "Text", f"{path}.{key}")):
        where = f"{path}.{key}.Text[{i}]"
        s = r.obj(s, where)
        lang = r.text(s, "Language", where) or ""
        out.setdefault(lang, r.text(s, "Content", where, required=False) or "")
    return out


def first_text(texts: Mapping[str, str], fallback: str) -> str:
    return texts.get("en") or next(iter(texts.values()), "") or fallback
