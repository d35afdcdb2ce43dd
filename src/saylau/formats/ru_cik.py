"""The Russian Central Election Commission's station table (CSV, optionally zipped), read by its header.

Every layout of the ``dkobak/elections`` corpus (Duma 2007-2021, president
2004-2024, the 2020 constitutional vote) is read unconverted. The file has one
row per polling station (УИК). Its header names:

* hierarchy columns: ``level``, ``region``, ``oik``, ``tik``, ``uik`` (those present),
  and ``name`` (2020: the vote's name on every row);
* the protocol lines ("Число ..."), recognised by the meaning of their words
  (:mod:`saylau.formats.ru_lines`), whatever the year's wording;
* the vote columns: parties ``N. Name`` (ballot number, dot, official name),
  candidates (full names), or the answers ``ДА``/``НЕТ``; ``Против всех``
  (against all) with any of them;
* a trailing ``url`` (the station's page on izbirkom.ru).

The form is the one whose lines are exactly the file's and whose ``choices``
are its kind of vote columns; among several (2011 and 2016), the one that
prints the file's wording. Codes: parties their ballot number (``"6"`` is
United Russia in 2011), candidates their position in the header (the ballot's
order), answers ``yes``/``no``, against all ``against_all``.

A station's id is its whole path, ``region/oik/tik/uik`` with the columns the
file has: the ``uik`` number alone does not identify a station. A remote
electronic voting unit (empty ``uik``, a commission named "Дистанционное
электронное голосование") is a station of its own, ``extra["kind"] =
"electronic"``. A row whose counts are all empty is a station without data:
known, not reported (``batch.unreported``), never zeros.

Every row is checked before anything is returned: cells per row, non-negative
whole numbers, non-empty hierarchy cells, unique stations. With pandas
installed, a clean file is parsed by pandas' C reader; any doubt (a cell that
is not a whole number >= 0, an empty or missing cell, a blank line, an
electronic voting unit) sends the file through the row-by-row reader, which
names every bad cell.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import compress, repeat
from operator import itemgetter
from pathlib import Path
from typing import Any, Literal

from saylau.core.numbers import MAX_COUNT, parse_count
from saylau.errors import InputError
from saylau.formats.filebytes import FileBytes, open_bytes
from saylau.formats.ru_lines import closest_line, is_protocol_line, line_meaning
from saylau.gcpause import gc_paused
from saylau.protocols.batch import (
    KnownStation,
    ProtocolBatch,
    RowError,
    StationTable,
    raise_row_errors,
)
from saylau.protocols.form import Form
from saylau.protocols.registry import FORMS, load_form
from saylau.protocols.station_paths import ComposedIds, StationPaths
from saylau.tabulate.model import PartyInfo

__all__ = ["AGAINST_ALL", "ELECTRONIC", "HIERARCHY", "PATH", "Layout", "detect_layout", "is_electronic",
           "normalise_name", "read_ru_cik"]

AGAINST_ALL = "against_all"
"""The code of the 'Против всех' (against all) column of 2004: counted in the votes, not a candidate."""
ELECTRONIC = "electronic"
"""A station's ``extra["kind"]`` for a remote electronic voting unit (ДЭГ, 2021)."""

HIERARCHY = ("level", "region", "oik", "tik", "uik")
PATH = ("region", "oik", "tik", "uik")
"""The columns whose cells, joined with ``/``, identify a station: its whole path, not its number alone."""
TITLE = "name"
"""A column naming the election on every row (the 2020 vote's table)."""
_PARTY = re.compile(r"^\s*(\d+)\s*\.\s*(\S.*?)\s*$")
_NOT_WORD = re.compile(r"[^\w]+")
_ANSWERS = {"да": ("yes", 1), "нет": ("no", 2)}
_AGAINST_ALL = "против всех"
_ELECTRONIC = ("дистанционн", "электронн")

Engine = Literal["auto", "pandas", "python"]
Choices = Literal["parties", "candidates", "answers"]


def normalise_name(name: str) -> str:
    """A column name reduced for matching: lower case, ``ё`` as ``е``, punctuation as single spaces."""
    return _NOT_WORD.sub(" ", name.casefold().replace("ё", "е")).strip()


@lru_cache(maxsize=4096)
def is_electronic(name: str) -> bool:
    """A commission cell naming remote electronic voting ("Дистанционное электронное голосование")."""
    text = normalise_name(name)
    return all(stem in text for stem in _ELECTRONIC)


@dataclass(frozen=True, slots=True)
class Layout:
    """What each column of a CEC header holds, and the form it matches."""

    form: Form
    columns: int
    hierarchy: dict[str, int]
    lines: dict[str, int]
    """Line key -> column index."""
    parties: tuple[PartyInfo, ...]
    """The vote columns: parties (``N. Name``), candidates (full names) or answers (ДА, НЕТ)."""
    party_columns: tuple[int, ...]
    url: int | None
    choices: Choices = "parties"
    title: int | None = None
    """The column naming the election on every row (2020), if any."""


def detect_layout(header: Sequence[str], *, form: Form | str | None = None, source: str | None = None) -> Layout:
    """Classify a CEC header's columns by meaning and pick the form with exactly those lines and that kind of vote."""
    hierarchy: dict[str, int] = {}
    votes: list[tuple[int, str]] = []
    url: int | None = None
    title: int | None = None
    lines: dict[str, int] = {}
    unknown: list[int] = []
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
        elif lowered == TITLE:
            title = index
        elif not name:
            raise InputError("empty column name", **where)
        elif is_protocol_line(name):
            key = line_meaning(name)
            if key is None:
                unknown.append(index)
                continue
            if key in lines:
                raise InputError(f"two columns count the same line {key!r} (also column {lines[key] + 1} "
                                 f"{header[lines[key]].strip()!r})", **where)
            lines[key] = index
        else:
            votes.append((index, name))
    for needed in ("region", "uik"):
        if needed not in hierarchy:
            raise InputError(f"missing the {needed!r} column (a CEC station table has region, tik, uik)",
                             source=source, row=1, field=needed)
    choices, parties = _vote_columns(votes, source)
    if unknown:
        _refuse_unknown(unknown, header, set(lines), choices, form, source)
    chosen = _choose_form(set(lines), choices, header, lines, form, source)
    return Layout(chosen, len(header), hierarchy, lines, tuple(p for p, _ in parties),
                  tuple(i for _, i in parties), url, choices, title)


def _vote_columns(votes: list[tuple[int, str]], source: str | None) -> tuple[Choices, list[tuple[PartyInfo, int]]]:
    """Parties (``N. Name``), answers (ДА / НЕТ) or candidates (full names); 'Против всех' goes with any."""
    if not votes:
        raise InputError("no vote columns (parties 'N. Name', candidates or ДА/НЕТ) in the header",
                         source=source, row=1)
    numbered = [(i, _PARTY.match(n)) for i, n in votes]
    against = [i for i, n in votes if normalise_name(n).startswith(_AGAINST_ALL)]  # "Против всех (кандидатов)"
    plain = [(i, n) for (i, n), (_, m) in zip(votes, numbered, strict=True) if m is None and i not in against]
    found: list[tuple[PartyInfo, int]] = []
    if any(m is not None for _, m in numbered):
        if plain:
            index, name = plain[0]
            raise InputError("a column that is neither a protocol line ('Число ...') nor a party ('N. Name')",
                             source=source, row=1, field=f"column {index + 1}", value=name)
        choices: Choices = "parties"
        for index, match in numbered:
            if match is None:
                continue
            number = int(match.group(1))
            if any(p.registration_order == number for p, _ in found):
                raise InputError(f"two party columns with ballot number {number}", source=source, row=1,
                                 field=f"column {index + 1}", value=votes[[i for i, _ in votes].index(index)][1])
            official = match.group(2)
            found.append((PartyInfo(code=str(number), name=official, registration_order=number,
                                    names={"ru": official}), index))
    elif plain and all(normalise_name(n) in _ANSWERS for _, n in plain):
        choices = "answers"
        for index, name in plain:
            code, order = _ANSWERS[normalise_name(name)]
            found.append((PartyInfo(code=code, name=name, registration_order=order, names={"ru": name}), index))
    else:
        # Candidates in ballot (header) order; the ballot prints no number, so the code is the position.
        choices = "candidates"
        for order, (index, name) in enumerate(plain, start=1):
            found.append((PartyInfo(code=str(order), name=name, registration_order=order, names={"ru": name}),
                          index))
    for index in against:
        found.append((PartyInfo(code=AGAINST_ALL, name=votes[[i for i, _ in votes].index(index)][1],
                                registration_order=len(found) + 1, kind="against_all",
                                names={"ru": "Против всех", "en": "Against all"}), index))
    return choices, found


def _choose_form(keys: set[str], choices: Choices, header: Sequence[str], lines: dict[str, int],
                 forced: Form | str | None, source: str | None) -> Form:
    """The form with exactly these lines and this kind of vote; among several, the one whose wording is nearest."""
    candidates = [load_form(forced)] if forced is not None else [f for f in FORMS if f.country == "RU"]
    fitting = [f for f in candidates if set(f.line_keys) == keys and f.choices == choices]
    if fitting:
        return max(fitting, key=lambda f: _wording_score(f, header, lines))
    best = _closest_form(keys, choices, candidates)
    problems = []
    if best.choices != choices:
        problems.append(f"its vote columns are {best.choices}, the file's are {choices}")
    missing = [k for k in best.line_keys if k not in keys]
    extra = [f"{lines[k] + 1} {header[lines[k]].strip()!r} ({k})" for k in sorted(keys - set(best.line_keys),
                                                                                     key=lines.__getitem__)]
    if missing:
        problems.append("lines missing: " + ", ".join(missing))
    if extra:
        problems.append("columns not on that form: " + "; ".join(extra))
    tried = ", ".join(c.name for c in candidates)
    raise InputError(f"unknown CEC protocol layout (tried {tried}; closest {best.name}: " + "; ".join(problems) + ")",
                     source=source, row=1)


def _closest_form(keys: set[str], choices: Choices, candidates: list[Form]) -> Form:
    return min(candidates, key=lambda f: (len(set(f.line_keys) ^ keys), f.choices != choices))


def _refuse_unknown(unknown: list[int], header: Sequence[str], keys: set[str], choices: Choices,
                    forced: Form | str | None, source: str | None) -> None:
    """Name each column no line fits, with the closest line: first among those the nearest form still lacks."""
    candidates = [load_form(forced)] if forced is not None else [f for f in FORMS if f.country == "RU"]
    best = _closest_form(keys, choices, candidates)
    lacking = [(line.key, wording) for line in best.lines if line.key not in keys
               for wording in (line.labels.get("ru", ""), *line.aliases) if wording]
    problems = []
    for index in unknown:
        name = header[index].strip()
        near = closest_line(name, lacking) or closest_line(name, _known_labels())
        hint = f" (closest known line: {near[0]}, {near[1]!r})" if near else ""
        problems.append(f"{index + 1} {name!r}{hint}")
    first = header[unknown[0]].strip()
    raise InputError(f"unknown CEC protocol layout (closest {best.name}): columns not recognised as protocol lines: "
                     + "; ".join(problems), source=source, row=1, field=f"column {unknown[0] + 1}", value=first)


def _wording_score(form: Form, header: Sequence[str], lines: dict[str, int]) -> int:
    """How many of the file's line names a form prints word for word (label or alias)."""
    score = 0
    for line in form.lines:
        wordings = {normalise_name(w) for w in (line.labels.get("ru", ""), *line.aliases) if w}
        score += normalise_name(header[lines[line.key]]) in wordings
    return score


def _known_labels() -> tuple[tuple[str, str], ...]:
    """Every Russian wording of every line of the RU forms, for naming the closest line of an unknown column."""
    return tuple((line.key, wording) for form in FORMS if form.country == "RU" for line in form.lines
                 for wording in (line.labels.get("ru", ""), *line.aliases) if wording)


def read_ru_cik(path: str | Path, *, form: Form | str | None = None, collect: bool = False,
                engine: Engine = "auto") -> ProtocolBatch:
    """Read a CEC station table (``.csv`` or a ``.zip`` holding one) into a checked batch.

    Raises :class:`~saylau.errors.ProtocolError` listing every bad row (``.violations``)
    unless ``collect`` is true, in which case the good rows are returned and the
    bad ones are in ``batch.rejects``. ``form`` forces a layout instead of detecting it.
    Stations listed with every count empty are not protocols: they are in
    ``batch.unreported`` (known, not reported).
    """
    source = str(path)
    with open_bytes(Path(path), source) as data:
        header = _header(data.head(_HEAD), source)
        layout = detect_layout(header, form=form, source=source)
        read: _Read | None = None
        if engine in ("auto", "pandas"):
            with gc_paused():
                read = _pandas_table(data, layout, source, required=engine == "pandas")
        if read is None:
            read = _python_table(_decode(data.whole(), source), layout, source)
    if read.rejects and not collect:
        raise_row_errors(read.rejects, source)
    meta: dict[str, Any] = {"format": "ru-cik", "layout": layout.form.name, "choices": layout.choices}
    if read.title:
        meta["title"] = read.title
    return ProtocolBatch(layout.form, layout.parties, table=read.table, source=source, rejects=read.rejects,
                         meta=meta, unreported=read.unreported)


@dataclass(slots=True)
class _Read:
    table: StationTable
    rejects: list[RowError]
    unreported: list[KnownStation]
    title: str | None = None


def _decode(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start + 1})", source=source) from None


# The header is looked for in the first bytes of a file (64 KiB: a header with every party's name is some 5 KiB).
_HEAD = 1 << 16


def _header(data: bytes, source: str) -> list[str]:
    # The header may not end on the first newline if a quoted name spans lines: read records until one parses.
    # A cut through a character is no error: an incremental decoder keeps its first bytes for more to come.
    head = data[:_HEAD]
    try:
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=len(data) <= _HEAD)
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start + 1})", source=source) from None
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header or not any(cell.strip() for cell in header):
        raise InputError("empty file: expected the CEC header (region, tik, uik, protocol lines, parties, url)",
                         source=source, row=1)
    return header


def _numeric_columns(layout: Layout) -> list[tuple[str, int]]:
    keyed = [(key, index) for key, index in layout.lines.items()]
    keyed += [(p.code, index) for p, index in zip(layout.parties, layout.party_columns, strict=True)]
    return keyed


def _pandas_table(data: bytes | FileBytes, layout: Layout, source: str, *, required: bool) -> _Read | None:
    """The clean-file fast path; None when pandas is absent or the file needs the row-by-row reader."""
    try:
        import pandas as pd
    except ModuleNotFoundError:
        if required:
            raise
        return None
    text_columns = [*layout.hierarchy.values()] + [i for i in (layout.url, layout.title) if i is not None]
    try:
        # Blank lines kept as rows (of empty cells): they fail the checks below, and the row-by-row reader, which
        # skips them and keeps the other rows' numbers, reads the file. Text as plain objects: the cells become
        # lists of str at once, and pandas 3's own string arrays took 15% longer to build (2011: 146 vs 128 ms).
        frame = pd.read_csv(io.BytesIO(data) if isinstance(data, bytes) else data.stream(), header=0,
                            names=list(range(layout.columns)), encoding="utf-8",
                            dtype=dict.fromkeys(text_columns, object), na_filter=False, skip_blank_lines=False,
                            engine="c")
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError):
        return None
    arrays: dict[str, Any] = {}
    for key, index in _numeric_columns(layout):
        series = frame[index]
        if series.dtype.kind != "i" or (len(series) and (int(series.min()) < 0 or int(series.max()) > MAX_COUNT)):
            return None  # an empty count (a station without data) or a bad cell: the row-by-row reader
        arrays[key] = series.to_numpy()
    uik = layout.hierarchy.get("uik")
    texts = {i: frame[i].tolist() if i == uik else _shared_runs(frame[i].to_numpy()) for i in text_columns}
    needed = [*layout.hierarchy.values()] + ([layout.url] if layout.url is not None else [])
    if not all(all(texts[i]) for i in needed):  # an empty cell
        return None
    n = len(frame)
    hierarchy = {name: texts[i] for name, i in layout.hierarchy.items()}
    paths = _station_paths(pd, frame, layout)
    stations: Sequence[str]
    if paths is not None:  # the ids from their parts (made when asked for), and told distinct from them
        stations, regions, territories = ComposedIds(paths), hierarchy["region"], hierarchy["tik"]
        if not paths.distinct() and len(set(stations)) != n:
            return None
    else:
        stations, regions, territories = _paths(hierarchy, n)
        if len(set(stations)) != n:
            return None
    table = StationTable(stations, regions, territories, _Lists(arrays), list(range(2, n + 2)),
                         urls=texts[layout.url] if layout.url is not None else None,
                         extras=_extras(hierarchy, n), arrays=arrays, distinct=True, paths=paths)
    title = texts[layout.title][0] if layout.title is not None and n else None
    return _Read(table, [], [], title)


def _shared_runs(cells: Any) -> list[Any]:
    """The cells of a column (a NumPy object array) as a list in which each run of equal cells is one object.

    A file lists a territory's stations together, so its region, territory and URL cells come in runs: one
    string per run, not per station, is hashed once (str caches its hash) by every set and dict built over the
    column later (ids checked, URLs looked up), and is kept once in memory."""
    import numpy as np

    if not len(cells):
        return []
    first = np.flatnonzero(_run_starts(cells))
    shared: list[Any] = np.repeat(cells[first], np.diff(first, append=len(cells))).tolist()
    return shared


def _run_starts(*columns: Any) -> Any:
    """A boolean array: True where a row's cells differ from the row before's in any of ``columns`` (NumPy object
    arrays of one length), and for the first row."""
    import numpy as np

    starts = np.ones(len(columns[0]), dtype=bool)
    for cells in columns:
        starts[1:] |= cells[1:] != cells[:-1]
    return starts


def _station_paths(pd: Any, frame: Any, layout: Layout) -> StationPaths | None:
    """How :func:`_paths` composed the ids of a region/tik/uik file (None for other layouts)."""
    import numpy as np

    if set(layout.hierarchy) != {"region", "tik", "uik"}:
        return None
    regions = frame[layout.hierarchy["region"]].to_numpy()
    tiks = frame[layout.hierarchy["tik"]].to_numpy()
    # A file lists a territory's stations together: its places are numbered run by run (a few thousand runs,
    # found by comparing neighbours), not station by station.
    first = np.flatnonzero(_run_starts(regions, tiks))
    numbers: dict[tuple[str, str | None], int] = {}
    pairs = zip(regions[first].tolist(), tiks[first].tolist(), strict=True)
    run_place = [numbers.setdefault(place, len(numbers)) for place in pairs]
    place_of = np.repeat(np.asarray(run_place, dtype=np.intp), np.diff(first, append=len(regions)))
    leaf_of, leaves = pd.factorize(frame[layout.hierarchy["uik"]], sort=False)
    return StationPaths(list(numbers), place_of, leaves.tolist(), leaf_of)


class _Lists(Mapping[str, list[int]]):
    """The counts as lists of ints, each made from its NumPy array when first asked for: a batch that is only
    checked (by the arrays) or summed by some columns does not turn 2.4 million counts into Python ints."""

    __slots__ = ("_arrays", "_lists")

    def __init__(self, arrays: Mapping[str, Any]) -> None:
        self._arrays = arrays
        self._lists: dict[str, list[int]] = {}

    def __getitem__(self, key: str) -> list[int]:
        found = self._lists.get(key)
        if found is None:
            found = self._lists[key] = self._arrays[key].tolist()
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._arrays)

    def __len__(self) -> int:
        return len(self._arrays)


def _paths(hierarchy: dict[str, list[str]], n: int) -> tuple[list[str], list[str], list[str | None]]:
    """Each station's id (its whole path: region/oik/tik/uik, the parts the file has), region and territory."""
    parts = [hierarchy[name] for name in PATH if name in hierarchy]
    if len(parts) == 3 and all(parts[2]):  # region/tik/uik (2011, 2012): the common case, kept cheap
        stations = list(map("/".join, zip(*parts, strict=True)))
    else:  # an empty part (an electronic voting unit's uik) is left out, as in _station_id
        stations = ["/".join(p for p in path if p) for path in zip(*parts, strict=True)]
    middle = hierarchy.get("tik") or hierarchy.get("oik")
    territories: list[str | None] = list(middle) if middle is not None else [None] * n
    return stations, hierarchy["region"], territories


def _extras(hierarchy: dict[str, list[str]], n: int) -> list[dict[str, str]] | None:
    """Per station: the ``level`` and ``oik`` cells (when the file has them) and ``kind`` for electronic voting."""
    kept = tuple(name for name in ("level", "oik") if name in hierarchy)
    commissions = [hierarchy[name] for name in ("oik", "tik") if name in hierarchy]
    # Few distinct commission names (thousands, not 95,000 rows): each is looked at once.
    marked = {name for column in commissions for name in set(column) if is_electronic(name)}
    if not kept and not marked:
        return None
    if kept:  # one dict per station, dict(zip(kept, cells)), made by C-level calls over the rows' cells
        rows = zip(*(hierarchy[name] for name in kept), strict=True)
        extras: list[dict[str, str]] = list(map(dict, map(zip, repeat(kept), rows)))
    else:
        extras = [{} for _ in range(n)]
    if marked:
        for column in commissions:
            for i in compress(range(n), map(marked.__contains__, column)):
                extras[i]["kind"] = ELECTRONIC
    return extras


def _python_table(text: str, layout: Layout, source: str) -> _Read:
    """Row by row with the csv module: slower, and names every bad cell."""
    reader = csv.reader(io.StringIO(text))
    next(reader, None)
    numeric = _numeric_columns(layout)
    # A column whose counts are written "1210.0" (a table saved with empty cells by a float-typed tool) is read
    # as whole numbers, told from its first count; one "4.0" among whole numbers stays an error.
    undecided = {index for _, index in numeric}
    decimal: set[int] = set()
    keys = [key for key, _ in numeric]
    pick = itemgetter(*(index for _, index in numeric))
    text_names = list(layout.hierarchy)
    pick_text = itemgetter(*layout.hierarchy.values())
    registered_at = layout.lines.get("voters_on_list")
    good_rows: list[tuple[int, ...]] = []
    good_texts: list[tuple[str, ...]] = []
    good_numbers: list[int] = []
    urls: list[str | None] = []
    errors: list[RowError] = []
    unreported: list[KnownStation] = []
    first_row: dict[str, int] = {}
    title: str | None = None
    for number, row in enumerate(reader, start=2):
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) != layout.columns:
            errors.append(RowError(source, number, None, None,
                                   f"has {len(row)} cells, the header has {layout.columns}", raw=tuple(row)))
            continue
        if title is None and layout.title is not None:
            title = row[layout.title].strip() or None
        texts = pick_text(row)
        texts = texts if isinstance(texts, tuple) else (texts,)
        parts = dict(zip(text_names, texts, strict=True))
        bad = _text_errors(row, number, parts, layout, source)
        station = _station_id(parts) if not bad else None
        if station is not None:  # a bad row still claims its station
            if station in first_row:
                bad.append(RowError(source, number, "uik", row[layout.hierarchy["uik"]],
                                    f"duplicate station {station!r} (first on row {first_row[station]})",
                                    station, tuple(row)))
            else:
                first_row[station] = number
        empty = [index for _, index in numeric if not row[index].strip()]
        if station is not None and not bad and _without_data(empty, numeric, registered_at):
            registered = _list_size(row[registered_at]) if registered_at is not None else None
            if registered != -1:  # -1: a list size that is not a count (then the row is an error below)
                unreported.append(KnownStation(station, parts["region"], _territory(parts), number, registered,
                                               source))
                continue
        if undecided:
            _decide_styles(row, undecided, decimal)
        bad.extend(_count_errors(row, number, numeric, layout, source, station, decimal))
        if layout.url is not None and not row[layout.url].strip() and not _is_electronic_row(parts):
            bad.append(RowError(source, number, "url", row[layout.url], "empty", station, tuple(row)))
        if bad and station is not None:  # a rejected row is still a station the file lists
            bad = [replace(e, station=station, region=parts["region"], territory=_territory(parts)) for e in bad]
        if bad:
            errors.extend(bad)
            continue
        if decimal:
            good_rows.append(tuple(_whole(row[index]) for _, index in numeric))
        else:
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
    return _Read(table, errors, unreported, title)


def _without_data(empty: list[int], numeric: list[tuple[str, int]], registered_at: int | None) -> bool:
    """Every count empty (the voters on the list may be given): a station whose protocol was never published."""
    if len(empty) == len(numeric):
        return True
    return registered_at is not None and registered_at not in empty and len(empty) == len(numeric) - 1


def _territory(parts: dict[str, str]) -> str | None:
    return parts.get("tik") or parts.get("oik") or None


def _text_errors(row: list[str], number: int, parts: dict[str, str], layout: Layout, source: str) -> list[RowError]:
    """Empty hierarchy cells; an empty uik is allowed on an electronic voting unit (its commission says so)."""
    errors: list[RowError] = []
    raw = tuple(row)
    electronic = _is_electronic_row(parts)
    for name, value in parts.items():
        if not value.strip() and not (name == "uik" and electronic):
            errors.append(RowError(source, number, name, value, "empty", raw=raw))
    return errors


def _is_electronic_row(parts: dict[str, str]) -> bool:
    return any(is_electronic(parts[name]) for name in ("oik", "tik") if name in parts)


_DECIMAL_WHOLE = re.compile(r"[0-9]+\.0")


def _decide_styles(row: list[str], undecided: set[int], decimal: set[int]) -> None:
    """Each count column's notation, from its first non-empty cell: whole numbers, or "N.0" throughout."""
    for index in list(undecided):
        cell = row[index]
        if cell.strip():
            undecided.discard(index)
            if _DECIMAL_WHOLE.fullmatch(cell):
                decimal.add(index)


def _list_size(cell: str) -> int | None:
    """The voters on the list of a station without data: None if not given, -1 if not a count."""
    if not cell.strip():
        return None
    try:
        return parse_count(cell[:-2] if _DECIMAL_WHOLE.fullmatch(cell) else cell)
    except ValueError:
        return -1


def _whole(cell: str) -> int:
    """A count as written: "1210", or "1210.0" in a column written that way (checked before)."""
    return int(cell[:-2]) if cell.endswith(".0") else int(cell)


def _count_errors(row: list[str], number: int, numeric: list[tuple[str, int]], layout: Layout,
                  source: str, station: str | None, decimal: set[int] | frozenset[int] = frozenset()) -> list[RowError]:
    """Every count cell that is not a whole number 0..MAX_COUNT in ASCII digits ("N.0" in a decimal column)."""
    errors: list[RowError] = []
    raw = tuple(row)
    for key, index in numeric:
        cell = row[index]
        digits = cell[:-2] if index in decimal and _DECIMAL_WHOLE.fullmatch(cell) else cell
        try:
            parse_count(digits)
        except ValueError as exc:
            reason = "empty (a station without data has every count empty)" if not cell.strip() else str(exc)
            if index in decimal and cell.strip():
                reason += " (this column writes them as N.0)"
            errors.append(RowError(source, number, _field_name(key, layout), cell, reason, station, raw))
    return errors


def _field_name(key: str, layout: Layout) -> str:
    if key in layout.lines:
        return key
    party = next(p for p in layout.parties if p.code == key)
    return f"{party.registration_order}. {party.name}" if layout.choices == "parties" else party.name


def _station_id(parts: dict[str, str]) -> str:
    return "/".join(parts[name] for name in PATH if parts.get(name))
