"""Official documents a commission signs, in Kazakh, Russian and English.

``model`` says what a document states (figures and names, exact, hashed);
``render`` lays it out as PDF (fpdf2, the ``documents`` extra); ``lang``
writes numbers and dates as each language does; ``wording`` holds the fixed
text. ``saylau document`` (``saylau.commands.document``) is the command.
"""

from __future__ import annotations

from saylau.documents.model import (
    ResultsSummary,
    SeatProtocol,
    StationProtocolDocument,
    canonical_json,
    digest,
    results_summary,
    seat_protocol,
    station_protocol,
)
from saylau.documents.source import KINDS, load_document

__all__ = [
    "KINDS",
    "ResultsSummary",
    "SeatProtocol",
    "StationProtocolDocument",
    "canonical_json",
    "digest",
    "load_document",
    "results_summary",
    "seat_protocol",
    "station_protocol",
]
