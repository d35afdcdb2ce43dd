"""Checking a batch before anything is written: the form's relations, split into errors and warnings.

The checks themselves are the protocol checker's (``saylau.protocols``); this
module decides what the store does with them: refuse the batch, or (with
``skip_invalid``) set the failing protocols aside as rejects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from saylau.errors import InputError, ProtocolError
from saylau.protocols import Form, ProtocolBatch, RowError, Violation, check_protocols, load_form

__all__ = ["SHOWN", "Checked", "Rejected", "check_batch", "resolve_form"]

#: How many problems an error message lists before "and N more" (all are in ``.violations``).
SHOWN = 10


def resolve_form(form: Form | str | None) -> Form:
    """A form object from a form or its registry name."""
    if isinstance(form, Form):
        return form
    if not form:
        raise InputError("the protocol form is not known: give --form", field="form")
    return load_form(form)


@dataclass(frozen=True, slots=True)
class Rejected:
    """A protocol (or unreadable row) set aside by ``skip_invalid``, with every reason."""

    station: str | None
    row: int | None
    source: str | None
    problems: tuple[str, ...]
    raw: tuple[str, ...] = ()
    """The row's cells as read, where the reader kept them."""
    region: str | None = None
    territory: str | None = None
    """Where the station is, when known: a rejected station still counts among the stations, not reported."""


@dataclass(frozen=True, slots=True)
class Checked:
    """A checked batch: the indices of acceptable protocols, the errors, and warnings by index."""

    accepted: tuple[int, ...]
    errors: tuple[Violation | RowError, ...]
    warnings: dict[int, list[Violation]] = field(default_factory=dict)
    rejected: tuple[Rejected, ...] = ()
    source: str | None = None

    def error(self) -> ProtocolError:
        """One ProtocolError naming the first problems; ``.violations`` holds every one."""
        shown = "; ".join(_describe(v) for v in self.errors[:SHOWN])
        more = f"; and {len(self.errors) - SHOWN} more" if len(self.errors) > SHOWN else ""
        rows = {getattr(v, "row", None) for v in self.errors}
        first = self.errors[0]
        return ProtocolError(
            f"{len(self.errors)} error(s) in {len(rows)} row(s), nothing written: {shown}{more}",
            violations=self.errors, source=getattr(first, "source", None) or self.source,
            row=getattr(first, "row", None),
            field=getattr(first, "relation", None) or getattr(first, "field", None))


def check_batch(batch: ProtocolBatch, form: Form) -> Checked:
    """Check every protocol of ``batch`` (and count the rows its reader refused) in one pass."""
    violations = check_protocols(batch, form) if len(batch) else []
    stations = batch.table.stations
    bad: dict[int, list[Violation]] = {}
    warnings: dict[int, list[Violation]] = {}
    rows = batch.table.rows
    for v in violations:  # each names its protocol's position in the batch
        assert v.index is not None
        (bad if v.severity == "error" else warnings).setdefault(v.index, []).append(v)
    reader_rejects: Sequence[RowError] = batch.rejects
    errors = (*reader_rejects, *(v for v in violations if v.severity == "error"))
    n = len(batch)
    accepted = tuple(i for i in range(n) if i not in bad) if bad else tuple(range(n))
    rejected = tuple(
        [Rejected(e.station, e.row, e.source, (e.describe(),), tuple(e.raw), e.region, e.territory)
         for e in reader_rejects]
        + [Rejected(stations[i], rows[i], batch.source, tuple(v.describe() for v in vs), (),
                    batch.table.regions[i], batch.table.territories[i]) for i, vs in sorted(bad.items())])
    return Checked(accepted, errors, {i: w for i, w in warnings.items() if i not in bad}, rejected, batch.source)


def _describe(problem: Violation | RowError) -> str:
    return problem.describe()
