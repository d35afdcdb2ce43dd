"""The votes file of ``saylau allocate``: ``party,votes`` and optional ``kind``, ``registration_order``, ``candidates``."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from saylau.core import Party
from saylau.core.numbers import parse_count
from saylau.errors import InputError

__all__ = ["read_votes_csv"]

REQUIRED = ("party", "votes")
OPTIONAL = ("kind", "registration_order", "candidates")
ALIASES = {"ballot_no": "registration_order", "list": "party", "name": "party"}


def read_votes_csv(path: str | Path, text: str | None = None, *, delimiter: str = ",") -> list[Party]:
    """Read and check every row; raise :class:`InputError` naming file, row and field.

    Rows are numbered as a spreadsheet shows them: the header is row 1. Extra
    columns are ignored, so official tables with more columns read as they are.
    """
    source = str(path)
    if text is None:
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror}", source=source) from None
        except UnicodeDecodeError:
            raise InputError("not UTF-8 text", source=source) from None
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    if not header or not any(cell.strip() for cell in header):
        raise InputError("empty file: expected a header with columns party,votes", source=source)
    if len(header) == 1 and delimiter != ";" and ";" in header[0]:
        # A spreadsheet saved in a locale whose decimal mark is a comma writes ';' between cells.
        raise InputError("the file is separated by semicolons, not commas: give --delimiter ';' "
                         "(or save it as comma-separated CSV)", source=source, row=1, value=header[0])
    names = [cell.strip().lower() for cell in header]
    columns: dict[str, int] = {}
    for index, name in enumerate(names):
        key = name if name in REQUIRED + OPTIONAL else ALIASES.get(name)
        if key is not None and key not in columns:
            columns[key] = index
    # A file with party_id and party columns (the official tables) names lists by party.
    for needed in REQUIRED:
        if needed not in columns:
            raise InputError(f"missing column {needed!r} (the header must have party,votes)",
                             source=source, row=1, field=needed)
    parties: list[Party] = []
    seen: dict[str, int] = {}
    for row_number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        def cell(key: str, row: list[str] = row) -> str | None:
            index = columns.get(key)
            if index is None:
                return None
            return row[index].strip() if index < len(row) else ""
        name = cell("party") or ""
        if not name:
            raise InputError("missing party name", source=source, row=row_number, field="party", value="")
        if name in seen:
            raise InputError(f"duplicate party (first on row {seen[name]})", source=source, row=row_number,
                             field="party", value=name)
        seen[name] = row_number
        votes = _integer(cell("votes"), source, row_number, "votes", required=True)
        kind = (cell("kind") or "list").lower().replace("-", "_").replace(" ", "_")
        if kind not in ("list", "against_all"):
            raise InputError("kind must be 'list' or 'against_all'", source=source, row=row_number,
                             field="kind", value=cell("kind"))
        order = _integer(cell("registration_order"), source, row_number, "registration_order")
        candidates = _integer(cell("candidates"), source, row_number, "candidates")
        parties.append(Party(name, votes if votes is not None else 0, kind, order, candidates))  # type: ignore[arg-type]
    if not parties:
        raise InputError("no rows after the header", source=source)
    return parties


def _integer(text: str | None, source: str, row: int, field: str, *, required: bool = False) -> int | None:
    if text is None or text == "":
        if required:
            raise InputError("missing value", source=source, row=row, field=field, value=text or "")
        return None
    try:
        return parse_count(text)
    except ValueError as exc:
        raise InputError(str(exc), source=source, row=row, field=field, value=text) from None
