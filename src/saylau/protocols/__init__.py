"""Protocol forms as data (lines and control relations) and the checker that applies them.

>>> form = load_form("kz-mazhilis-2021")
>>> [r.name for r in form.relations][:2]
['ballots_accounted', 'list_covers_issued']
"""

from saylau.protocols.batch import (
    KnownStation,
    ProtocolBatch,
    RowError,
    StationTable,
    raise_row_errors,
)
from saylau.protocols.checker import Violation, check_protocols, errors_only
from saylau.protocols.expr import PARTIES, LinearExpr, parse_expr
from saylau.protocols.form import TOTALS, Form, FormError, Line, Relation, parse_form
from saylau.protocols.model import StationProtocol
from saylau.protocols.registry import FORMS, FormRegistry, load_form

__all__ = [
    "FORMS",
    "PARTIES",
    "TOTALS",
    "Form",
    "FormError",
    "FormRegistry",
    "KnownStation",
    "Line",
    "LinearExpr",
    "ProtocolBatch",
    "Relation",
    "RowError",
    "StationProtocol",
    "StationTable",
    "Violation",
    "check_protocols",
    "errors_only",
    "load_form",
    "parse_expr",
    "parse_form",
    "raise_row_errors",
]
