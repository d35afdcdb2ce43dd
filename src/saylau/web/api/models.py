"""The protocol API's request and response bodies (pydantic): what each route takes, bounded and strict.

Every text has a length limit and every count a range; unit names (station,
region, territory) are normalised ids (:func:`saylau.ids.normalise_id`: NFC,
no control, format or zero-width character), so a look-alike cannot hide in an
invisible character. Unknown fields are refused.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from saylau.errors import InputError
from saylau.ids import normalise_id
from saylau.web.roles import ROLES

__all__ = ["BatchIn", "CorrectionIn", "CredentialsIn", "HandleIn", "ProtocolIn", "SettingsIn", "StationIn",
           "StationsIn", "SubmitOut", "UserIn"]


def _unit_name(value: str) -> str:
    if value.isascii() and value.isprintable() and value[0] != " " and value[-1] != " ":
        return value  # already normal (ASCII is NFC): the common case, on the hot route, at C speed
    try:
        return normalise_id(value, field="id")
    except InputError as exc:  # pydantic reports a ValueError's message at the field's location
        raise ValueError(str(exc)) from None


def _no_nul(value: str) -> str:
    if "\x00" in value:  # PostgreSQL refuses NUL in text, and nothing here has one
        raise ValueError("a NUL character is not allowed")
    return value


def _text(most: int, least: int = 1) -> Any:
    """A string field of ``least`` to ``most`` characters, without NUL."""
    return Annotated[str, Field(min_length=least, max_length=most), AfterValidator(_no_nul)]


Count = Annotated[int, Field(ge=0, le=10**12)]
UnitName = Annotated[str, Field(min_length=1, max_length=300), AfterValidator(_unit_name)]


class ProtocolIn(BaseModel):
    """One station's protocol: the form's lines by key and the votes by party code."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": {
        "station": "Akmola Region/Akmola Region territorial commission 01/0001", "region": "Akmola Region",
        "territory": "Akmola Region territorial commission 01",
        "lines": {"voters_on_list": 1303, "ballots_received": 1242, "ballots_issued_in_premises": 738,
                  "ballots_issued_outside": 56, "ballots_cancelled": 448, "ballots_in_boxes": 793,
                  "invalid": 29, "valid": 764},
        "votes": {"QHP": 86, "NO": 606, "AUYL": 15, "AJ": 46, "ADAL": 11}}})

    station: UnitName
    region: UnitName
    territory: UnitName | None = None
    lines: Annotated[dict[Annotated[str, Field(max_length=100)], Count], Field(max_length=200)]
    votes: Annotated[dict[Annotated[str, Field(max_length=100)], Count], Field(max_length=500)]


class CorrectionIn(ProtocolIn):
    reason: _text(2000)


class BatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    protocols: Annotated[list[ProtocolIn], Field(min_length=1, max_length=20000)]


class HandleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    explanation: _text(4000)


class StationIn(BaseModel):
    """A station the election expects a protocol from, and the commission it belongs to."""

    model_config = ConfigDict(extra="forbid")
    station: UnitName
    region: UnitName
    territory: UnitName | None = None


class StationsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    stations: Annotated[list[StationIn], Field(min_length=1, max_length=200000)]


class SettingsIn(BaseModel):
    """Election settings to change (only the ones given)."""

    model_config = ConfigDict(extra="forbid")
    clerks_open_stations: bool | None = None


class UserIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: _text(200)
    role: Literal[ROLES]  # type: ignore[valid-type]
    scope: _text(300) | None = None
    election_id: _text(100) | None = None
    password: _text(1000, 8) | None = None


class CredentialsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: _text(200)
    password: _text(1000)
    label: _text(200, 0) | None = None


class SubmitOut(BaseModel):
    status: Literal["stored", "corrected", "unchanged"]
    station: str
    version: int
    warnings: list[dict[str, Any]]
    audit_seq: int | None
