"""One exception tree for saylau; every edge (CLI, web) maps it once.

::

    SaylauError
    ├── InputError (ValueError)          bad input data: names file, row, field and value
    │   ├── RulesetError                 a malformed ruleset: file, line and key
    │   └── ProtocolError                a protocol that fails validation or a control relation
    ├── AllocationError                  the law gives no result for these votes
    │   ├── NoListPassed                 no list reached the threshold
    │   ├── TieUnresolved                a tie the ruleset does not break
    │   └── ListExhausted                a list won more seats than it has candidates
    ├── StorageError                     the database refused or is inconsistent
    │   └── ConflictError                a different protocol for an accepted station
    └── AccessDenied                     a user acting outside their role or scope

Each input error carries its location so that a one-line message can say
exactly where the problem is: ``votes.csv, row 3, field 'votes': value '-1': must not be negative``.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "AccessDenied",
    "AllocationError",
    "ConflictError",
    "InputError",
    "ListExhausted",
    "MissingExtra",
    "NoListPassed",
    "ProtocolError",
    "RulesetError",
    "SaylauError",
    "StorageError",
    "TieUnresolved",
    "located",
]


class SaylauError(Exception):
    """Base of every error saylau raises on purpose."""


class MissingExtra(SaylauError, ImportError):
    """An optional part needs a package that is not installed; the message names the extra to install."""

    def __init__(self, package: str, extra: str, purpose: str) -> None:
        super().__init__(f"{purpose} needs {package}, which is not installed: pip install 'saylau[{extra}]'")
        self.package = package
        self.extra = extra


class InputError(SaylauError, ValueError):
    """Bad input, located as precisely as the input allows."""

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        row: int | None = None,
        line: int | None = None,
        field: str | None = None,
        value: object = None,
    ) -> None:
        self.reason = message
        self.source = source
        self.row = row
        self.line = line
        self.field = field
        self.value = value
        super().__init__(self._render())

    def _render(self) -> str:
        return located(self.reason, source=self.source, row=self.row, line=self.line, field=self.field,
                       value=self.value)


def located(
    reason: str,
    *,
    source: object = None,
    row: int | None = None,
    line: int | None = None,
    field: str | None = None,
    value: object = None,
) -> str:
    """``file, row 3, field 'votes', value '-1': reason`` -- the one format of every located message."""
    where: list[str] = []
    if source:
        where.append(str(source))
    if row is not None:
        where.append(f"row {row}")
    if line is not None:
        where.append(f"line {line}")
    if field is not None:
        where.append(f"field {field!r}")
    if value is not None:
        where.append(f"value {value!r}")
    prefix = ", ".join(where)
    return f"{prefix}: {reason}" if prefix else reason


class RulesetError(InputError):
    """A ruleset file or description that cannot be used (file, line, key)."""


class ProtocolError(InputError):
    """A protocol that is malformed or fails its form's control relations."""

    def __init__(self, message: str, *, violations: Sequence[object] = (), **where: object) -> None:
        self.violations = tuple(violations)
        super().__init__(message, **where)  # type: ignore[arg-type]


class AllocationError(SaylauError):
    """The rules give no seat allocation for these votes."""


class NoListPassed(AllocationError):
    """No list reached the threshold and the law provides nothing for that case."""


class TieUnresolved(AllocationError):
    """Lists tie for a seat and the ruleset's tie policy is to refuse."""

    def __init__(self, message: str, *, lists: Sequence[str], seat: int) -> None:
        self.lists = tuple(lists)
        self.seat = seat
        super().__init__(message)


class ListExhausted(AllocationError):
    """A list won more seats than it has candidates and the ruleset says that is an error."""


class StorageError(SaylauError):
    """The database refused an operation or was found inconsistent."""


class ConflictError(StorageError):
    """A protocol differs from the accepted one and no correction was asked for."""


class AccessDenied(SaylauError):
    """A user acted outside their role or scope."""
