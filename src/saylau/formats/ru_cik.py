"""The Russian Central Election Commission's station table (CSV, optionally zipped), read by its header.

The file has one row per polling station (УИК). Its header names:

* hierarchy columns: ``level``, ``region``, ``oik``, ``tik``, ``uik`` (those present);
* the protocol lines by their Russian names, matched (case, ``ё`` and punctuation
  aside) against each Russian form's labels and aliases, which tells the 2011
  layout (absentee-certificate lines 11-16) from the 2021 layout (lines 1-12);
* party columns ``N. Name`` (ballot number, dot, official name);
* a trailing ``url`` (the station's page on izbirkom.ru).

Parties get the ballot number as their code (``"6"`` is United Russia in 2011)
and keep their official Russian names. A station's id is its path
``region/tik/uik`` (``region/oik/uik`` when a file has no ``tik``).

Every row is checked before anything is returned: cells per row, non-negative
whole numbers, non-empty hierarchy cells, unique stations. With pandas
installed, a clean file is parsed by pandas' C reader; any doubt (a cell that
is not a whole number >= 0, an empty or missing cell, a blank line) sends the
file through the row-by-row reader, which names every bad cell.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any, Literal

from saylau.errors import InputError
from saylau.protocols.batch import ProtocolBatch, RowError, StationTable, raise_row_errors
from saylau.protocols.form import Form
from saylau.protocols.registry import FORMS, load_form
from saylau.tabulate.model import PartyInfo

__all__ = ["HIERARCHY", "Layout", "detect_layout", "normalise_name", "read_ru_cik"]

HIERARCHY = ("level", "region", "oik", "tik", "uik")
_PARTY = re.compile(r"^\s*(\d+)\s*\.\s*(\S.*?)\s*$")
_NOT_WORD = re.compile(r"[^\w]+")

Engine = Literal["auto", "pandas", "python"]


def normalise_name(name: str) -> str:
    """A column name reduced for matching: lower case, ``ё`` as ``е``, punctuation as single spaces."""
    return _NOT_WORD.sub(" ", name.casefold().replace("ё", "е")).strip()


@dataclass(frozen=True, slots=True)
class Layout:
    """What each column of a CEC header holds, and the form it matches."""

    form: Form
    columns: int
    hierarchy: dict[str, int]
    lines: dict[str, int]
    """Line key -> column index."""
    parties: tuple[PartyInfo, ...]
    party_columns: tuple[int, ...]
    url: int | None


def detect_layout(header: Sequence[str], *, form: Form | str | None = None, source: str | None = None) -> Layout:
    """Classify a CEC header's columns and pick the form whose lines they are (2011 or 2021)."""
    hierarchy: dict[str, int] = {}
    parties: list[PartyInfo] = []
    party_columns: list[int] = []
    url: int | None = None
    line_columns: dict[int, str] = {}
    seen: dict[str, int] = {}
    for index, raw in enumerate(header):
        name = raw.strip().lstrip("\ufeff")
        where: dict[str, Any] = {"source": source, "row": 1, "field": f"column {index + 1}", "value": name}
        if name in seen:
            raise InputError(f"duplicate column (also column {seen[name] + 1})", **where)
        seen[name] = index
        lowered = name.lower()
        if lowered in HIERARCHY:
            hierarchy[lowered] = index
        elif lowered == "url":
            url = index
        elif match := _PARTY.match(name):
            number = int(match.group(1))
            if any(p.registration_order == number for p in parties):
                raise InputError(f"two party columns with ballot number {number}", **where)
            official = match.group(2)
            parties.append(PartyInfo(code=str(number), name=official, registration_order=number,
                                     names={"ru": official}))
            party_columns.append(index)
        elif not name:
            raise InputError("empty column name", **where)
        else:
            line_columns[index] = name
    for needed in ("region", "uik"):
        if needed not in hierarchy:
            raise InputError(f"missing the {needed!r} column (a CEC station table has region, tik, uik)",
                             source=source, row=1, field=needed)
    if not parties:
        raise InputError("no party columns ('N. Name') in the header", source=source, row=1)
    candidates = [load_form(form)] if form is not None else [f for f in FORMS if f.country == "RU"]
    attempts = [_match_lines(candidate, line_columns) for candidate in candidates]
    for candidate, (lines, unknown, missing) in zip(candidates, attempts, strict=True):
        if not unknown and not missing:
            return Layout(candidate, len(header), hierarchy, lines, tuple(parties), tuple(party_columns), url)
    best = min(range(len(candidates)), key=lambda i: len(attempts[i][1]) + len(attempts[i][2]))
    _, unknown, missing = attempts[best]
    problems = []
    if unknown:
        problems.append("columns not recognised: " + "; ".join(f"{i + 1} {line_columns[i]!r}" for i in unknown))
    if missing:
        problems.append("lines missing: " + ", ".join(missing))
    tried = ", ".join(c.name for c in candidates)
    raise InputError(f"unknown CEC protocol layout (tried {tried}; closest {candidates[best].name}): "
                     + "; ".join(problems), source=source, row=1)


def _match_lines(form: Form, line_columns: dict[int, str]) -> tuple[dict[str, int], list[int], list[str]]:
    names: dict[str, str] = {}
    for line in form.lines:
        for label in (line.labels.get("ru", ""), *line.aliases):
            if label:
                names[normalise_name(label)] = line.key
    lines: dict[str, int] = {}
    unknown: list[int] = []
    for index, name in line_columns.items():
        key = names.get(normalise_name(name))
        if key is None or key in lines:
            unknown.append(index)
        else:
            lines[key] = index
    missing = [key for key in form.line_keys if key not in lines]
    return lines, unknown, missing


def read_ru_cik(path: str | Path, *, form: Form | str | None = None, collect: bool = False,
                engine: Engine = "auto") -> ProtocolBatch:
    """Read a CEC station table (``.csv`` or a ``.zip`` holding one) into a checked batch.

    Raises :class:`~saylau.errors.ProtocolError` listing every bad row (``.violations``)
    unless ``collect`` is true, in which case the good rows are returned and the
    bad ones are in ``batch.rejects``. ``form`` forces a layout instead of detecting it.
    """
    source = str(path)
    data = _read_bytes(Path(path), source)
    header = _header(data, source)
    layout = detect_layout(header, form=form, source=source)
    table = None
    if engine in ("auto", "pandas"):
        table = _pandas_table(data, layout, source, required=engine == "pandas")
    rejects: list[RowError] = []
    if table is None:
        table, rejects = _python_table(_decode(data, source), layout, source)
        if rejects and not collect:
            raise_row_errors(rejects, source)
    return ProtocolBatch(layout.form, layout.parties, table=table, source=source, rejects=rejects,
                         meta={"format": "ru-cik", "layout": layout.form.name})


def _read_bytes(path: Path, source: str) -> bytes:
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                members = [m for m in archive.namelist() if m.lower().endswith(".csv") and not m.endswith("/")]
                if len(members) != 1:
                    raise InputError(f"a zip must hold exactly one .csv file, found {len(members)}", source=source)
                return archive.read(members[0])
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", source=source) from None
    except zipfile.BadZipFile as exc:
        raise InputError(f"broken zip file: {exc}", source=source) from None


def _decode(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start + 1})", source=source) from None


def _header(data: bytes, source: str) -> list[str]:
    # The header may not end on the first newline if a quoted name spans lines: read records until one parses.
    head = _decode(data[: 1 << 16], source) if len(data) > 1 << 16 else _decode(data, source)
    reader = csv.reader(io.StringIO(head))
    header = next(reader, None)
    if not header or not any(cell.strip() for cell in header):
        raise InputError("empty file: expected the CEC header (region, tik, uik, protocol lines, parties, url)",
                         source=source, row=1)
    return header


def _numeric_columns(layout: Layout) -> list[tuple[str, int]]:
    keyed = [(key, index) for key, index in layout.lines.items()]
    keyed += [(p.code, index) for p, index in zip(layout.parties, layout.party_columns, strict=True)]
    return keyed


def _pandas_table(data: bytes, layout: Layout, source: str, *, required: bool) -> StationTable | None:
    """The clean-file fast path; None when pandas is absent or the file needs the row-by-row reader."""
    try:
        import pandas as pd
    except ModuleNotFoundError:
        if required:
            raise
        return None
    if b"\n\n" in data or b"\r\n\r\n" in data:  # blank lines would shift row numbers
        return None
    text_columns = [*layout.hierarchy.values()] + ([layout.url] if layout.url is not None else [])
    try:
        frame = pd.read_csv(io.BytesIO(data), header=0, names=list(range(layout.columns)), encoding="utf-8",
                            dtype={i: str for i in text_columns}, na_filter=False, engine="c")
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError):
        return None
    columns: dict[str, list[int]] = {}
    arrays: dict[str, Any] = {}
    for key, index in _numeric_columns(layout):
        series = frame[index]
        if series.dtype.kind != "i" or (len(series) and int(series.min()) < 0):
            return None
        arrays[key] = series.to_numpy()
        columns[key] = arrays[key].tolist()
    texts = {i: frame[i].tolist() for i in text_columns}
    if any("" in values for values in texts.values()):
        return None
    n = len(frame)
    hierarchy = {name: texts[i] for name, i in layout.hierarchy.items()}
    stations, regions, territories = _paths(hierarchy, n)
    if len(set(stations)) != n:
        return None
    return StationTable(stations, regions, territories, columns, list(range(2, n + 2)),
                        urls=texts[layout.url] if layout.url is not None else None,
                        extras=_extras(hierarchy, n), arrays=arrays)


def _paths(hierarchy: dict[str, list[str]], n: int) -> tuple[list[str], list[str], list[str | None]]:
    regions, uiks = hierarchy["region"], hierarchy["uik"]
    middle = hierarchy.get("tik") or hierarchy.get("oik")
    if middle is None:
        return [f"{r}/{u}" for r, u in zip(regions, uiks, strict=True)], regions, [None] * n
    territories: list[str | None] = list(middle)
    stations = [f"{r}/{t}/{u}" for r, t, u in zip(regions, territories, uiks, strict=True)]
    return stations, regions, territories


def _extras(hierarchy: dict[str, list[str]], n: int) -> list[dict[str, str]] | None:
    kept = [name for name in ("level", "oik") if name in hierarchy]
    if not kept:
        return None
    return [{name: hierarchy[name][i] for name in kept} for i in range(n)]


def _python_table(text: str, layout: Layout, source: str) -> tuple[StationTable, list[RowError]]:
    """Row by row with the csv module: slower, and names every bad cell."""
    reader = csv.reader(io.StringIO(text))
    next(reader, None)
    numeric = _numeric_columns(layout)
    keys = [key for key, _ in numeric]
    pick = itemgetter(*(index for _, index in numeric))
    text_names = list(layout.hierarchy)
    pick_text = itemgetter(*layout.hierarchy.values())
    good_rows: list[tuple[int, ...]] = []
    good_texts: list[tuple[str, ...]] = []
    good_numbers: list[int] = []
    urls: list[str | None] = []
    errors: list[RowError] = []
    first_row: dict[str, int] = {}
    for number, row in enumerate(reader, start=2):
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) != layout.columns:
            errors.append(RowError(source, number, None, None,
                                   f"has {len(row)} cells, the header has {layout.columns}", raw=tuple(row)))
            continue
        bad = _row_errors(row, number, numeric, layout, source)
        texts = pick_text(row)
        texts = texts if isinstance(texts, tuple) else (texts,)
        if all(cell.strip() for cell in texts):  # a bad row still claims its station
            station = _station_id(dict(zip(text_names, texts, strict=True)))
            if station in first_row:
                bad.append(RowError(source, number, "uik", row[layout.hierarchy["uik"]],
                                    f"duplicate station {station!r} (first on row {first_row[station]})",
                                    station, tuple(row)))
            else:
                first_row[station] = number
        if bad:
            errors.extend(bad)
            continue
        good_rows.append(tuple(map(int, pick(row))))
        good_texts.append(texts)
        good_numbers.append(number)
        urls.append(row[layout.url] if layout.url is not None else None)
    n = len(good_rows)
    value_columns = list(zip(*good_rows, strict=True)) if good_rows else [()] * len(keys)
    columns = {key: list(values) for key, values in zip(keys, value_columns, strict=True)}
    text_columns = list(zip(*good_texts, strict=True)) if good_texts else [()] * len(text_names)
    hierarchy = {name: list(values) for name, values in zip(text_names, text_columns, strict=True)}
    stations, regions, territories = _paths(hierarchy, n)
    table = StationTable(stations, regions, territories, columns, list(good_numbers),
                         urls=urls if layout.url is not None else None, extras=_extras(hierarchy, n))
    return table, errors


def _row_errors(row: list[str], number: int, numeric: list[tuple[str, int]], layout: Layout,
                source: str) -> list[RowError]:
    errors: list[RowError] = []
    raw = tuple(row)
    for name, index in layout.hierarchy.items():
        if not row[index].strip():
            errors.append(RowError(source, number, name, row[index], "empty", raw=raw))
    if layout.url is not None and not row[layout.url].strip():
        errors.append(RowError(source, number, "url", row[layout.url], "empty", raw=raw))
    for key, index in numeric:
        cell = row[index]
        try:
            value = int(cell)
        except ValueError:
            errors.append(RowError(source, number, _field_name(key, layout), cell, "must be a whole number",
                                   raw=raw))
            continue
        if value < 0:
            errors.append(RowError(source, number, _field_name(key, layout), cell, "must not be negative", raw=raw))
    return errors


def _field_name(key: str, layout: Layout) -> str:
    if key in layout.lines:
        return key
    party = next(p for p in layout.parties if p.code == key)
    return f"{party.registration_order}. {party.name}"


def _station_id(parts: dict[str, Any]) -> str:
    middle = parts.get("tik") or parts.get("oik")
    region, uik = parts["region"], parts["uik"]
    return f"{region}/{middle}/{uik}" if middle is not None else f"{region}/{uik}"
