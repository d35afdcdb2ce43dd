"""The report as data for programs: numbers as numbers, null as null, exact values beside rounded ones.

Percentages are JSON numbers rounded half up to two decimals; the counts they
come from are in the same record (``votes`` over ``valid``), so a program can
recompute them exactly. Fractions (quotas, quotients) are written as
``{"numerator": …, "denominator": …}``. No field holds ``"n/a"``: what is
unknown is null. The schema of this record is ``report.schema.json`` beside it.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from saylau.report.model import Report, percent_text

__all__ = ["from_json_value", "json_value", "percent_number", "report_record"]


def percent_number(text: str | None) -> float | None:
    """``"71.09"`` → ``71.09``; ``"n/a"`` or None → None (the exact counts travel beside it)."""
    if text is None or text == "n/a":
        return None
    return float(text)


def json_value(value: Any) -> Any:
    """A step's value as JSON: Fractions as numerator and denominator, tuples as lists."""
    if isinstance(value, Fraction):
        return {"numerator": value.numerator, "denominator": value.denominator}
    if isinstance(value, tuple | list):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    return value


def from_json_value(value: Any) -> Any:
    """The inverse of :func:`json_value` (a twin's step values back to Fractions and tuples)."""
    if isinstance(value, dict):
        if set(value) == {"numerator", "denominator"}:
            return Fraction(value["numerator"], value["denominator"])
        return {k: from_json_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return tuple(from_json_value(v) for v in value)
    return value


def report_record(report: Report) -> dict[str, Any]:
    """The whole report as one JSON-ready dict (the ``--format json`` output)."""
    t = report.totals
    p = report.provenance
    return {
        "election": {"id": report.election_id, "title": report.title, "date": report.date,
                     "status": report.status, "ruleset": report.ruleset, "previous": report.previous},
        "nation": report.nation,
        "parties": [{
            "code": row.code, "name": row.name, "names": dict(row.names), "color": row.color, "kind": row.kind,
            "votes": row.votes, "percent": percent_number(row.percent), "admitted": row.admitted,
            "seats": row.seats, "vacant": row.vacant, "previous_seats": row.previous_seats, "change": row.change,
        } for row in report.parties],
        "totals": {"valid": t.valid, "invalid": t.invalid, "ballots_cast": t.ballots_cast,
                   "registered": t.registered, "turnout": percent_number(t.turnout)},
        "stations": {"reported": t.stations_reported, "total": t.stations_total,
                     "percent": (percent_number(percent_text(t.stations_reported, t.stations_total))
                                 if t.stations_total and t.stations_reported is not None else None)},
        "seats": {
            "has_seats": report.has_seats,
            "reason": report.seats_reason or None,
            "list_seats": report.list_seats,
            "total_seats": report.total_seats,
            "appointed": [{"key": a.key, "name": a.name, "seats": a.seats, "kind": a.kind, "body": a.body or None}
                          for a in report.appointed],
            "change_comparable": report.change_comparable,
            "official_check": None if not report.official_check else {
                "matches": not report.official_differences,
                "differences": [{"code": d.code, "name": d.name, "seats": d.seats, "declared": d.declared}
                                for d in report.official_differences],
            },
            "explanation": [{"topic": s.topic, "clause": s.clause or None, "text": s.text, "code": s.code or None,
                             "values": {k: json_value(v) for k, v in s.values}} for s in report.explanation],
            "notes": list(report.notes),
        },
        "regions": [{
            "unit_id": r.unit_id, "name": r.name, "kind": r.kind, "valid": r.valid, "synthetic": r.synthetic,
            "votes": dict(zip(report.region_parties, r.votes, strict=True)),
            "percents": {c: percent_number(x) for c, x in zip(report.region_parties, r.percents, strict=True)},
        } for r in report.regions],
        "provenance": {"source": p.source, "status": p.status, "stations_reported": p.stations_reported,
                       "stations_total": p.stations_total, "exported_at": p.exported_at, "version": p.version,
                       "ruleset": p.ruleset},
        "kind": report.kind,
        "outcome": json_value(dict(report.outcome)) if report.outcome else None,
        "definitions": {"turnout": report.totals.turnout_label or None, "share": report.share_label,
                        "issued": report.totals.issued},
        "synthetic": report.synthetic,
        "synthetic_units": report.synthetic_units,
        "units": report.units,
    }
