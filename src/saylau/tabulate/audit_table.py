"""Audit a published results table: recompute every printed percentage from the counts it rests on.

``counts`` has one row per unit (a key column first, then one integer column
per party; text columns such as ``region_type`` are ignored). ``published``
has the same key column and, for each party ``X``, a column ``X_percent``,
``X%`` or ``X``. Each printed percentage is compared with the party's share of
the row's sum of the party columns, rounded half up to ``places`` decimals
exactly (Fractions; no float), and every mismatch is reported.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from saylau.core import decimal_str
from saylau.errors import InputError

__all__ = ["Mismatch", "TableAudit", "audit_table", "audit_table_files"]


@dataclass(frozen=True, slots=True)
class Mismatch:
    """A printed percentage that its row's counts do not give."""

    row: int
    """The row in the published file as a spreadsheet shows it (header = 1)."""
    unit: str
    column: str
    party: str
    printed: str
    recomputed: str
    difference: str
    """printed - recomputed, in percentage points, exact."""
    votes: int
    row_total: int

    def to_dict(self) -> dict[str, object]:
        return {"row": self.row, "unit": self.unit, "column": self.column, "party": self.party,
                "printed": self.printed, "recomputed": self.recomputed, "difference": self.difference,
                "votes": self.votes, "row_total": self.row_total}


@dataclass(frozen=True, slots=True)
class TableAudit:
    """The outcome: every mismatch, and how many cells were checked."""

    mismatches: tuple[Mismatch, ...]
    cells: int
    places: int
    key: str

    @property
    def ok(self) -> bool:
        return not self.mismatches


def _read(path: str | Path) -> tuple[list[str], list[list[str]]]:
    source = str(path)
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", source=source) from None
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", source=source) from None
    except csv.Error as exc:
        raise InputError(f"not CSV: {exc}", source=source) from None
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise InputError("empty file: expected a header row", source=source, row=1)
    return [cell.strip() for cell in rows[0]], rows[1:]


def audit_table_files(counts: str | Path, published: str | Path, *, places: int = 2) -> TableAudit:
    """Read both CSV files and :func:`audit_table` them; bad cells raise InputError with file, row and field."""
    count_header, count_rows = _read(counts)
    pub_header, pub_rows = _read(published)
    return audit_table(count_header, count_rows, pub_header, pub_rows, places=places,
                       counts_source=str(counts), published_source=str(published))


def audit_table(count_header: list[str], count_rows: list[list[str]], pub_header: list[str],
                pub_rows: list[list[str]], *, places: int = 2, counts_source: str = "counts",
                published_source: str = "published") -> TableAudit:
    """Compare every published percentage with the one its counts give, rounded half up to ``places``."""
    if places < 0:
        raise InputError("must be >= 0", field="places", value=places)
    key = count_header[0]
    if pub_header[0] != key:
        raise InputError(f"the first column must be the key column {key!r} of the counts", source=published_source,
                         row=1, field="column 1", value=pub_header[0])
    parties = _party_columns(count_header, count_rows)
    counts: dict[str, tuple[int, dict[str, int]]] = {}
    for number, row in enumerate(count_rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        values: dict[str, int] = {}
        for party, index in parties.items():
            cell = row[index].strip() if index < len(row) else ""
            if not cell.isdigit():
                raise InputError("must be a whole number >= 0", source=counts_source, row=number, field=party,
                                 value=cell)
            values[party] = int(cell)
        unit = row[0].strip()
        if unit in counts:
            raise InputError(f"duplicate {key} (first on row {counts[unit][0]})", source=counts_source, row=number,
                             field=key, value=unit)
        counts[unit] = (number, values)
    columns = _published_columns(pub_header, parties, published_source)
    mismatches: list[Mismatch] = []
    cells = 0
    for number, row in enumerate(pub_rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        unit = row[0].strip()
        if unit not in counts:
            raise InputError(f"no row with this {key} in the counts", source=published_source, row=number,
                             field=key, value=unit)
        values = counts[unit][1]
        total = sum(values.values())
        for column, (party, index) in columns.items():
            printed = row[index].strip() if index < len(row) else ""
            if printed == "":
                continue
            try:
                shown = Fraction(printed.rstrip("%").replace(",", "."))
            except (ValueError, ZeroDivisionError):
                raise InputError("not a number", source=published_source, row=number, field=column,
                                 value=printed) from None
            if total == 0:
                raise InputError("the row's counts sum to zero: no percentage can be recomputed",
                                 source=counts_source, row=counts[unit][0], field=key, value=unit)
            cells += 1
            recomputed = decimal_str(Fraction(100 * values[party], total), places)
            if shown != Fraction(recomputed):
                mismatches.append(Mismatch(number, unit, column, party, printed, recomputed,
                                           decimal_str(shown - Fraction(recomputed), places), values[party], total))
    return TableAudit(tuple(mismatches), cells, places, key)


def _party_columns(header: list[str], rows: list[list[str]]) -> dict[str, int]:
    """Columns after the key whose every cell is a whole number (text columns such as a unit type are skipped)."""
    parties: dict[str, int] = {}
    for index, name in enumerate(header[1:], start=1):
        cells = [row[index].strip() for row in rows if index < len(row) and any(c.strip() for c in row)]
        if cells and all(cell.isdigit() for cell in cells):
            parties[name] = index
    if not parties:
        raise InputError("the counts have no integer party columns", row=1)
    return parties


def _published_columns(header: list[str], parties: dict[str, int], source: str) -> dict[str, tuple[str, int]]:
    columns: dict[str, tuple[str, int]] = {}
    for index, name in enumerate(header[1:], start=1):
        party = next((p for p in (name, name.removesuffix("_percent"), name.removesuffix("%").strip(),
                                  name.removesuffix("_pct")) if p in parties), None)
        if party is None:
            raise InputError(f"no counts column for this percentage column (counts have {', '.join(parties)})",
                             source=source, row=1, field=f"column {index + 1}", value=name)
        columns[name] = (party, index)
    return columns
