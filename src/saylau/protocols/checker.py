"""The checker: every failed control relation of every protocol, in one pass.

Each relation is compiled once into the coefficients of ``left - right``
(:attr:`~saylau.protocols.form.Relation.difference`) and evaluated column by
column over the whole batch with integer arithmetic, so checking the 95,225
protocols of a national election costs a few list operations per relation.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from typing import Any

from saylau.protocols.batch import ProtocolBatch, RowError, raise_row_errors
from saylau.protocols.expr import PARTIES, LinearExpr
from saylau.protocols.form import Form, Relation
from saylau.protocols.model import StationProtocol

__all__ = ["Violation", "check_protocols", "errors_only"]

_NEGATED = {"=": "!=", ">=": "<", "<=": ">"}


@dataclass(frozen=True, slots=True)
class Violation:
    """A control relation one protocol fails: both sides' values, the operator and the severity."""

    station: str
    relation: str
    left_value: int
    right_value: int
    operator: str
    severity: str
    row: int | None = None
    source: str | None = None
    expression: str = ""
    """The relation as written in the form (``ballots_in_boxes = invalid + valid``)."""
    index: int | None = None
    """Position of the protocol in the checked sequence (or batch), from 0."""

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def describe(self) -> str:
        """One line: station, where it came from, the relation and both sides."""
        where = ", ".join(x for x in (self.source or "", f"row {self.row}" if self.row is not None else "") if x)
        location = f"station {self.station}" + (f" ({where})" if where else "")
        formula = f" [{self.expression}]" if self.expression else ""
        return (f"{location}: {self.severity}: {self.relation}{formula}: "
                f"{self.left_value} {_NEGATED.get(self.operator, '?')} {self.right_value}, "
                f"expected {self.operator}")

    def to_dict(self) -> dict[str, object]:
        return {"station": self.station, "relation": self.relation, "left_value": self.left_value,
                "right_value": self.right_value, "operator": self.operator, "severity": self.severity,
                "row": self.row, "source": self.source, "expression": self.expression, "index": self.index}


def check_protocols(protocols: Iterable[StationProtocol] | ProtocolBatch, form: Form | None = None) -> list[Violation]:
    """Every failed relation of every protocol, ordered by protocol then by the form's relation order.

    ``protocols`` may be a :class:`ProtocolBatch` (its columns are used directly and its
    form is the default) or any iterable of protocols. A protocol lacking a line the
    relations use raises :class:`~saylau.errors.ProtocolError` naming station and line.
    """
    if isinstance(protocols, ProtocolBatch):
        batch = protocols
        form = form or batch.form
        table = batch.table
        n = len(table)
        stations, rows = table.stations, table.rows
        sources: Sequence[str | None] = [batch.source] * n
        column = _batch_columns(table.columns, batch.party_codes, n)
    else:
        if form is None:
            raise TypeError("check_protocols needs a form when given protocols rather than a batch")
        records = list(protocols)
        n = len(records)
        stations = [p.station for p in records]
        rows = [p.row for p in records]
        sources = [p.source for p in records]
        column = _record_columns(records, form)
    vectorised = None
    if isinstance(protocols, ProtocolBatch) and protocols.table.arrays is not None:
        vectorised = _array_failing(protocols.table.arrays, protocols.party_codes, form, n)
    found: list[tuple[int, int, Relation]] = []
    for order, relation in enumerate(form.relations):
        failing = vectorised(relation) if vectorised else _failing(relation, column, n)
        for index in failing:
            found.append((index, order, relation))
    if not found:  # the usual case: no relation text to render
        return []
    found.sort(key=lambda item: (item[0], item[1]))
    expressions = {r.name: str(r) for r in form.relations}
    if vectorised is not None:  # a side's value from the arrays: no column turned into a list for a few rows
        column = _array_columns(protocols.table.arrays, protocols.party_codes)  # type: ignore[union-attr]
    return [
        Violation(stations[i], r.name, _value(r.left, column, i), _value(r.right, column, i), r.operator,
                  r.severity, rows[i], sources[i], expressions[r.name], i)
        for i, _, r in found
    ]


def errors_only(violations: Iterable[Violation]) -> list[Violation]:
    """The violations of error severity (warnings dropped)."""
    return [v for v in violations if v.severity == "error"]


def _failing(relation: Relation, column: Callable[[str], list[int]], n: int) -> Iterable[int]:
    diff: list[int] | None = None
    for key, coefficient in relation.difference:
        values = column(key)
        if diff is None:
            diff = values if coefficient == 1 else list(map(operator.mul, values, repeat(coefficient)))
        elif coefficient == 1:
            diff = list(map(operator.add, diff, values))
        elif coefficient == -1:
            diff = list(map(operator.sub, diff, values))
        else:
            diff = list(map(operator.add, diff, map(operator.mul, values, repeat(coefficient))))
    if diff is None:  # both sides identical: the relation always holds
        return ()
    if relation.operator == "=":
        return compress(range(n), diff)
    if relation.operator == ">=":
        return compress(range(n), map((0).__gt__, diff))
    return compress(range(n), map((0).__lt__, diff))


def _array_failing(arrays: Mapping[str, Any], party_codes: Sequence[str], form: Form,
                   n: int) -> Callable[[Relation], Iterable[int]] | None:
    """The same test on NumPy int64 columns, when a reader kept them and no sum can overflow int64."""
    import numpy as np

    keys = {key for r in form.relations for key, _ in r.difference if key != PARTIES}
    if not keys <= set(arrays) or not set(party_codes) <= set(arrays):
        return None
    largest = max([int(arrays[k].max()) if n else 0 for k in keys | set(party_codes)], default=0)
    width = max((sum(abs(c) for _, c in r.difference) for r in form.relations), default=0)
    if largest * max(width, len(party_codes)) * 2 >= 2**62:  # exactness first: fall back to Python ints
        return None
    parties = sum((arrays[c] for c in party_codes), np.zeros(n, dtype=np.int64))

    def failing(relation: Relation) -> Iterable[int]:
        diff = np.zeros(n, dtype=np.int64)
        for key, coefficient in relation.difference:
            diff += coefficient * (parties if key == PARTIES else arrays[key])
        test = diff != 0 if relation.operator == "=" else diff < 0 if relation.operator == ">=" else diff > 0
        return np.flatnonzero(test).tolist()

    return failing


def _value(expr: LinearExpr, column: Callable[[str], list[int]], i: int) -> int:
    return sum(coefficient * column(key)[i] for key, coefficient in expr.terms)


def _batch_columns(columns: Mapping[str, list[int]], party_codes: Sequence[str], n: int) -> Callable[[str], list[int]]:
    cache: dict[str, list[int]] = {}

    def column(key: str) -> list[int]:  # columns are looked up when a relation needs them, not before
        if key != PARTIES:
            return columns[key]
        if PARTIES not in cache:
            total = [0] * n
            for code in party_codes:
                total = list(map(operator.add, total, columns[code]))
            cache[PARTIES] = total
        return cache[PARTIES]

    return column


class _ArrayColumn:
    """A column as :func:`_value` reads it (a value at a time) from NumPy arrays: one line's, or the parties' sum."""

    def __init__(self, arrays: Sequence[Any]) -> None:
        self.arrays = arrays

    def __getitem__(self, i: int) -> int:
        return sum(int(a[i]) for a in self.arrays)


def _array_columns(arrays: Mapping[str, Any], party_codes: Sequence[str]) -> Callable[[str], Any]:
    return lambda key: _ArrayColumn([arrays[c] for c in party_codes] if key == PARTIES else [arrays[key]])


def _record_columns(records: Sequence[StationProtocol], form: Form) -> Callable[[str], list[int]]:
    needed = {key for r in form.relations for key, _ in r.left.terms + r.right.terms}
    errors = [RowError(p.source, p.row if p.row is not None else i + 1, key, None, "missing form line", p.station)
              for i, p in enumerate(records) for key in sorted(needed - {PARTIES}) if key not in p.lines]
    raise_row_errors(errors, records[0].source if records else None)
    columns = {key: [p.lines[key] for p in records] for key in needed if key != PARTIES}
    if PARTIES in needed:
        columns[PARTIES] = [sum(p.votes.values()) for p in records]
    return columns.__getitem__
