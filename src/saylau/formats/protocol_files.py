"""saylau's own protocol files (CSV and JSON), and the one entry point that reads any protocol file.

CSV: one row per station; the header is row 1::

    region,territory,station,<form line keys...>,party:CODE:Name,...,synthetic,url,extra:KEY

* ``region`` and ``station`` are required, ``territory`` may be empty;
* one column per line key of the form (the set of line columns identifies the
  form when none is given);
* one column per party, ``party:CODE`` or ``party:CODE:Name``, left to right in
  ballot order (the column's position is the registration order);
* optional ``synthetic`` (``true``/``false``), ``url``, and ``extra:KEY`` columns
  (an empty ``extra:`` cell means the station has no such value).

JSON::

    {"format": "saylau-protocols", "version": 1, "form": "kz-mazhilis-2021",
     "parties": [{"code": "NO", "name": "Nur Otan", "registration_order": 2, "names": {...}}],
     "protocols": [{"station": ..., "region": ..., "territory": ..., "lines": {...},
                    "votes": {...}, "synthetic": false, "url": null, "extra": {}}],
     "meta": {...}}

Row numbers in JSON errors count protocols from 1. :func:`read_protocol_file`
also reads the Russian CEC table (``--format ru-cik``, :mod:`saylau.formats.ru_cik`).
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Mapping, Sequence
from operator import itemgetter
from pathlib import Path
from typing import IO, Any, Literal

from saylau.core.numbers import MAX_COUNT, check_count, parse_count
from saylau.errors import InputError
from saylau.formats import csvsafe
from saylau.formats.csvsafe import restore
from saylau.protocols.batch import ProtocolBatch, RowError, StationTable, raise_row_errors
from saylau.protocols.form import Form
from saylau.protocols.registry import FORMS, load_form
from saylau.tabulate.model import PartyInfo

__all__ = ["FORMATS", "detect_format", "read_protocol_csv", "read_protocol_file", "read_protocol_json",
           "write_protocol_csv", "write_protocol_json"]

FORMATS = ("csv", "json", "ru-cik")
Format = Literal["csv", "json", "ru-cik"]
JSON_FORMAT = "saylau-protocols"
JSON_VERSION = 1
_FIXED = ("region", "territory", "station")
_OPTIONAL = ("synthetic", "url")
_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no", ""}


def detect_format(path: str | Path) -> Format:
    """``json`` for .json, ``ru-cik`` for .zip or a CSV whose header has ``uik``, else ``csv``."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".json":
        return "json"
    if suffix == ".zip":
        return "ru-cik"
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), [])
    except (OSError, UnicodeDecodeError):
        return "csv"  # the reader reports the problem with its location
    names = {cell.strip().lower() for cell in header}
    return "ru-cik" if "uik" in names and "station" not in names else "csv"


def read_protocol_file(path: str | Path, format: str | None = None, form: Form | str | None = None, *,
                       collect: bool = False) -> ProtocolBatch:
    """Read protocols from ``path`` (format from the extension or header unless given), every row checked.

    Raises :class:`~saylau.errors.ProtocolError` listing all bad rows, or with ``collect``
    returns the good ones with the bad ones in ``batch.rejects``.
    """
    chosen = format or detect_format(path)
    if chosen == "ru-cik":
        from saylau.formats.ru_cik import read_ru_cik

        return read_ru_cik(path, form=form, collect=collect)
    if chosen == "json":
        return read_protocol_json(path, form=form, collect=collect)
    if chosen == "csv":
        return read_protocol_csv(path, form=form, collect=collect)
    raise InputError(f"unknown protocol file format; choose one of {', '.join(FORMATS)}", field="format",
                     value=format)


def _read_text(path: str | Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", source=str(path)) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start + 1})", source=str(path)) from None


# --- CSV -------------------------------------------------------------------------------------------

def read_protocol_csv(path: str | Path, *, form: Form | str | None = None, collect: bool = False,
                      text: str | None = None) -> ProtocolBatch:
    """Read saylau's protocol CSV (see the module docstring)."""
    source = str(path)
    text = _read_text(path) if text is None else text
    reader = csv.reader(io.StringIO(text))
    header = [cell.strip() for cell in next(reader, [])]
    if not any(header):
        raise InputError("empty file: expected a header region,territory,station,<lines>,party:CODE,...",
                         source=source, row=1)
    columns, parties, extras, line_names = _csv_header(header, source)
    chosen = _csv_form(form, line_names, source)
    numeric = [(key, columns[key]) for key in chosen.line_keys]
    numeric += [(p.code, columns[f"party:{p.code}"]) for p in parties]
    fields = [key if i < len(chosen.line_keys) else f"party:{key}" for i, (key, _) in enumerate(numeric)]
    pick = itemgetter(*(index for _, index in numeric))
    stations: list[str] = []
    regions: list[str] = []
    territories: list[str | None] = []
    rows: list[int | None] = []
    values: list[list[int]] = []
    synthetic: list[bool] = []
    urls: list[str | None] = []
    extra_rows: list[Mapping[str, str]] = []
    errors: list[RowError] = []
    first: dict[str, int] = {}
    for number, row in enumerate(reader, start=2):
        if not row or not any(cell.strip() for cell in row):
            continue
        raw = tuple(row)
        if len(row) != len(header):
            errors.append(RowError(source, number, None, None, f"has {len(row)} cells, the header has {len(header)}",
                                   raw=raw))
            continue
        bad: list[RowError] = []
        # text cells as written before csvsafe neutralised them (a leading ' before = + - @)
        region, station = restore(row[columns["region"]].strip()), restore(row[columns["station"]].strip())
        for name, cell in (("region", region), ("station", station)):
            if not cell:
                bad.append(RowError(source, number, name, cell, "empty", raw=raw))
        cells = pick(row)
        # Digits 0-9 only (no sign, space, separator or other script) checked in one pass over the row;
        # anything else, and any count above MAX_COUNT, is reported cell by cell.
        joined = "".join(cells)
        try:
            counts = list(map(int, cells)) if joined.isascii() and joined.isdigit() else []
        except ValueError:  # an empty cell among digits
            counts = []
        if len(counts) != len(numeric) or max(counts, default=0) > MAX_COUNT:
            bad.extend(_count_errors(row, number, numeric, fields, source, station))
        flag = False
        if "synthetic" in columns:
            cell = row[columns["synthetic"]].strip().lower()
            if cell not in _TRUE | _FALSE:
                bad.append(RowError(source, number, "synthetic", row[columns["synthetic"]], "must be true or false",
                                    station, raw))
            flag = cell in _TRUE
        if station:  # a bad row still claims its station, so that a later duplicate is caught
            if station in first:
                bad.append(RowError(source, number, "station", station,
                                    f"duplicate station (first on row {first[station]})", station, raw))
            else:
                first[station] = number
        if bad:
            errors.extend(bad)
            continue
        territory = restore(row[columns["territory"]].strip()) if "territory" in columns else ""
        stations.append(station)
        regions.append(region)
        territories.append(territory or None)
        rows.append(number)
        values.append(counts)
        synthetic.append(flag)
        urls.append((restore(row[columns["url"]].strip()) or None) if "url" in columns else None)
        extra_rows.append({key: restore(row[index]) for key, index in extras.items() if row[index] != ""})
    if errors and not collect:
        raise_row_errors(errors, source)
    keys = [key for key, _ in numeric]
    transposed = list(zip(*values, strict=True)) if values else [()] * len(keys)
    table = StationTable(stations, regions, territories,
                         {key: list(col) for key, col in zip(keys, transposed, strict=True)}, rows,
                         urls=urls, synthetic=synthetic, extras=extra_rows if extras else None)
    return ProtocolBatch(chosen, parties, table=table, source=source, rejects=errors, meta={"format": "csv"})


def _count_errors(row: Sequence[str], number: int, numeric: Sequence[tuple[str, int]], fields: Sequence[str],
                  source: str, station: str) -> list[RowError]:
    bad: list[RowError] = []
    for (_, index), field in zip(numeric, fields, strict=True):
        cell = row[index]
        try:
            parse_count(cell)
        except ValueError as exc:
            bad.append(RowError(source, number, field, cell, "missing" if cell == "" else str(exc), station,
                                tuple(row)))
    return bad


def _csv_header(header: list[str], source: str) -> tuple[dict[str, int], list[PartyInfo], dict[str, int], list[str]]:
    columns: dict[str, int] = {}
    parties: list[PartyInfo] = []
    extras: dict[str, int] = {}
    line_names: list[str] = []
    for index, name in enumerate(header):
        where: dict[str, Any] = {"source": source, "row": 1, "field": f"column {index + 1}", "value": name}
        if name in columns or (name.startswith("extra:") and name[6:] in extras):
            raise InputError("duplicate column", **where)
        if name.startswith("party:"):
            code, _, party_name = name[6:].partition(":")
            if not code:
                raise InputError("a party column is party:CODE or party:CODE:Name", **where)
            parties.append(PartyInfo(code=code, name=party_name or code, registration_order=len(parties) + 1))
            columns[f"party:{code}"] = index
        elif name.startswith("extra:") and name[6:]:
            extras[name[6:]] = index
        elif not name:
            raise InputError("empty column name", **where)
        else:
            columns[name] = index
            if name not in _FIXED + _OPTIONAL:
                line_names.append(name)
    for needed in ("region", "station"):
        if needed not in columns:
            raise InputError(f"missing the {needed!r} column", source=source, row=1, field=needed)
    if not parties:
        raise InputError("no party columns (party:CODE or party:CODE:Name)", source=source, row=1)
    return columns, parties, extras, line_names


def _csv_form(form: Form | str | None, line_names: Sequence[str], source: str) -> Form:
    names = set(line_names)
    if form is not None:
        chosen = load_form(form)
        missing = [k for k in chosen.line_keys if k not in names]
        unknown = sorted(names - set(chosen.line_keys))
        if missing or unknown:
            detail = "; ".join(x for x in (f"missing lines: {', '.join(missing)}" if missing else "",
                                            f"unknown columns: {', '.join(unknown)}" if unknown else "") if x)
            raise InputError(f"the columns do not match form {chosen.name!r}: {detail}", source=source, row=1)
        return chosen
    matches = [f for f in FORMS if set(f.line_keys) == names]
    if len(matches) > 1:
        # Forms with the same lines differ in what the vote columns are (ru-duma-2021 and ru-president-2018),
        # which this CSV does not say: the party-list form is read unless --form names the other.
        matches = [f for f in matches if f.choices == "parties"]
    if len(matches) == 1:
        return matches[0]
    raise InputError("the line columns match no built-in form; give --form (known: "
                     f"{', '.join(FORMS.names())})", source=source, row=1, field="form")


def write_protocol_csv(batch: ProtocolBatch, target: str | Path | IO[str] | None = None) -> None:
    """Write ``batch`` as saylau's protocol CSV to a path, an open text stream, or stdout."""
    table = batch.table
    extra_keys: list[str] = sorted({k for e in table.extras or [] for k in e})
    header = [*_FIXED, *batch.form.line_keys]
    header += [f"party:{p.code}:{p.name}" if p.name and p.name != p.code else f"party:{p.code}"
               for p in batch.parties]
    header += ["synthetic", "url", *(f"extra:{k}" for k in extra_keys)]
    n = len(table)
    synthetic = table.synthetic or [False] * n
    urls = table.urls or [None] * n
    extras = table.extras or [{}] * n
    counts = [table.columns[k] for k in (*batch.form.line_keys, *batch.party_codes)]

    def emit(handle: IO[str]) -> None:
        writer = csvsafe.writer(handle)
        writer.writerow(header)
        for i, numbers in enumerate(zip(*counts, strict=True)):
            writer.writerow([table.regions[i], table.territories[i] or "", table.stations[i], *numbers,
                             "true" if synthetic[i] else "false", urls[i] or "",
                             *(extras[i].get(k, "") for k in extra_keys)])

    _emit(target, emit)


def _emit(target: str | Path | IO[str] | None, emit: Any) -> None:
    if target is None or target == "-":
        emit(sys.stdout)
        return
    if isinstance(target, (str, Path)):
        # Write beside the target and rename, so that a failure leaves nothing half-written.
        path = Path(target)
        partial = path.with_name(f".{path.name}.partial")
        try:
            with partial.open("w", encoding="utf-8", newline="") as handle:
                emit(handle)
            partial.replace(path)
        finally:
            partial.unlink(missing_ok=True)
        return
    emit(target)


# --- JSON ------------------------------------------------------------------------------------------

def write_protocol_json(batch: ProtocolBatch, target: str | Path | IO[str] | None = None) -> None:
    """Write ``batch`` as saylau's protocol JSON to a path, an open text stream, or stdout."""
    head = {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "form": batch.form.name,
        "parties": [{"code": p.code, "name": p.name, "registration_order": p.registration_order,
                     **({"names": dict(p.names)} if p.names else {})} for p in batch.parties],
        "meta": batch.meta,
    }
    table = batch.table
    n = len(table)
    synthetic = table.synthetic or [False] * n
    urls = table.urls or [None] * n
    extras = table.extras or [{}] * n
    line_cols = [table.columns[k] for k in batch.form.line_keys]
    vote_cols = [table.columns[c] for c in batch.party_codes]

    def emit(handle: IO[str]) -> None:
        # One protocol per line: readable, diffable, and fast to write with the C encoder.
        text = json.dumps(head, ensure_ascii=False)
        handle.write(text[:-1] + ', "protocols": [\n')
        keys, codes = batch.form.line_keys, batch.party_codes
        for i in range(n):
            item = {"station": table.stations[i], "region": table.regions[i], "territory": table.territories[i],
                    "lines": dict(zip(keys, (c[i] for c in line_cols), strict=True)),
                    "votes": dict(zip(codes, (c[i] for c in vote_cols), strict=True)),
                    "synthetic": synthetic[i], "url": urls[i], "extra": dict(extras[i])}
            handle.write(json.dumps(item, ensure_ascii=False) + (",\n" if i + 1 < n else "\n"))
        handle.write("]}\n")

    _emit(target, emit)


def read_protocol_json(path: str | Path, *, form: Form | str | None = None, collect: bool = False,
                       text: str | None = None) -> ProtocolBatch:
    """Read saylau's protocol JSON (see the module docstring); ``row`` in errors is the protocol's number."""
    from saylau.protocols.model import StationProtocol

    source = str(path)
    text = _read_text(path) if text is None else text
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg}", source=source, line=exc.lineno) from None
    if not isinstance(document, dict) or not isinstance(document.get("protocols"), list):
        raise InputError("expected an object with 'form', 'parties' and 'protocols'", source=source)
    if document.get("format", JSON_FORMAT) != JSON_FORMAT or document.get("version", 1) != JSON_VERSION:
        raise InputError(f"not a {JSON_FORMAT} version {JSON_VERSION} file", source=source, field="format",
                         value=document.get("format"))
    chosen_name = form if form is not None else document.get("form")
    if chosen_name is None:
        raise InputError("no form: the file names none and none was given", source=source, field="form")
    chosen = load_form(chosen_name)
    parties = _json_parties(document.get("parties"), source)
    codes = [p.code for p in parties]
    protocols: list[StationProtocol] = []
    errors: list[RowError] = []
    first: dict[str, int] = {}
    for number, item in enumerate(document["protocols"], start=1):
        bad, protocol = _json_protocol(item, number, chosen, codes, source)
        station = item.get("station") if isinstance(item, dict) else None
        if isinstance(station, str) and station.strip():
            if station in first:
                bad.append(RowError(source, number, "station", station,
                                    f"duplicate station (first as protocol {first[station]})", station))
            else:
                first[station] = number
        if bad or protocol is None:
            errors.extend(bad)
            continue
        protocols.append(protocol)
    if errors and not collect:
        raise_row_errors(errors, source)
    meta: dict[str, Any] = document["meta"] if isinstance(document.get("meta"), dict) else {}
    return ProtocolBatch(chosen, parties, protocols, source=source, rejects=errors, meta={**meta, "format": "json"})


def _json_parties(raw: Any, source: str) -> list[PartyInfo]:
    if not isinstance(raw, list) or not raw:
        raise InputError("'parties' must be a non-empty list", source=source, field="parties")
    parties: list[PartyInfo] = []
    for i, item in enumerate(raw, start=1):
        where: dict[str, Any] = {"source": source, "field": f"parties[{i}]"}
        if not isinstance(item, dict) or not isinstance(item.get("code"), str) or not item["code"]:
            raise InputError("a party needs a non-empty 'code'", value=item, **where)
        order = item.get("registration_order", i)
        if isinstance(order, bool) or not isinstance(order, int):
            raise InputError("registration_order must be a whole number", value=order, **where)
        if any(p.code == item["code"] for p in parties):
            raise InputError("duplicate party code", value=item["code"], **where)
        names = item.get("names") or {}
        parties.append(PartyInfo(code=item["code"], name=str(item.get("name") or item["code"]),
                                 registration_order=order, names=dict(names) if isinstance(names, dict) else {}))
    return parties


def _json_protocol(item: Any, number: int, form: Form, codes: Sequence[str], source: str) -> tuple[list[RowError], Any]:
    from saylau.protocols.model import StationProtocol

    if not isinstance(item, dict):
        return [RowError(source, number, None, None, "a protocol must be an object")], None
    bad: list[RowError] = []
    station = item.get("station")
    texts: dict[str, str | None] = {}
    for key, required in (("station", True), ("region", True), ("territory", False), ("url", False)):
        value = item.get(key)
        if value is None and not required:
            texts[key] = None
        elif not isinstance(value, str) or (required and not value.strip()):
            bad.append(RowError(source, number, key, value, "must be a non-empty string" if required
                                else "must be a string or null", station if isinstance(station, str) else None))
        else:
            texts[key] = value
    label = station if isinstance(station, str) else None
    counts: dict[str, dict[str, int]] = {}
    for group, expected in (("lines", list(form.line_keys)), ("votes", list(codes))):
        raw = item.get(group)
        if not isinstance(raw, dict):
            bad.append(RowError(source, number, group, raw, "must be an object", label))
            continue
        for key in expected:
            if key not in raw:
                bad.append(RowError(source, number, f"{group}.{key}", None, "missing", label))
        for key, value in raw.items():
            if key not in expected:
                bad.append(RowError(source, number, f"{group}.{key}", value,
                                    "not a line of the form" if group == "lines" else "not one of the parties", label))
            else:
                try:
                    check_count(value)  # "12", true, 1.0 and counts above MAX_COUNT are refused
                except ValueError as exc:
                    bad.append(RowError(source, number, f"{group}.{key}", value, str(exc), label))
        counts[group] = {key: raw[key] for key in expected if key in raw}
    synthetic = item.get("synthetic", False)
    if not isinstance(synthetic, bool):
        bad.append(RowError(source, number, "synthetic", synthetic, "must be true or false", label))
    extra = item.get("extra") or {}
    if not isinstance(extra, dict) or not all(isinstance(v, str) for v in extra.values()):
        bad.append(RowError(source, number, "extra", extra, "must be an object of strings", label))
    if bad:
        return bad, None
    return [], StationProtocol(texts["station"] or "", texts["region"] or "", texts["territory"], counts["lines"],
                               counts["votes"], synthetic, source, number, texts["url"], extra)
