"""What the store's write and history operations return."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from saylau.protocols.model import StationProtocol

if TYPE_CHECKING:
    from saylau.store.validation import Rejected

__all__ = ["IngestReport", "ProtocolVersion", "StoredWarning", "Submission", "SubmitContext", "SubmitResult"]


@dataclass(frozen=True, slots=True)
class IngestReport:
    """What one ingest did: counts of stored, corrected and unchanged protocols, rejects, audit entries."""

    election_id: str
    created_election: bool
    stored: int
    corrected: int
    unchanged: int
    warnings: int
    rejected: tuple[Rejected, ...] = ()
    audit_seqs: tuple[int, ...] = ()
    unreported: int = 0
    """Stations the source lists without any count: registered as known stations, not reported."""

    @property
    def written(self) -> int:
        """Protocol versions written (new stations plus corrections)."""
        return self.stored + self.corrected

    def summary(self) -> str:
        parts = [f"{self.stored} stored", f"{self.corrected} corrected", f"{self.unchanged} unchanged"]
        if self.unreported:
            parts.append(f"{self.unreported} listed without data (not reported)")
        if self.rejected:
            parts.append(f"{len(self.rejected)} rejected")
        if self.warnings:
            parts.append(f"{self.warnings} with warnings")
        return f"{self.election_id}: " + ", ".join(parts)


@dataclass(frozen=True, slots=True)
class SubmitResult:
    """The outcome of one submitted protocol: ``stored``, ``corrected`` or ``unchanged``, and its warnings."""

    status: Literal["stored", "corrected", "unchanged"]
    station: str
    version: int
    warnings: tuple[Any, ...] = ()
    audit_seq: int | None = None
    stored_warnings: tuple[StoredWarning, ...] = ()
    """The warnings stored with the current version: the form's and any the caller added, with their ids."""


@dataclass(frozen=True, slots=True)
class Submission:
    """One protocol submitted by one user (see :meth:`Store.submit_protocols`)."""

    protocol: StationProtocol
    user: str
    correction: bool = False
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class SubmitContext:
    """What an authorisation check sees of a submission, read under the write lock."""

    election_id: str
    status: str
    """The election's stored status (``certified`` once certified)."""
    nation: str
    """The id of the election's nation unit (regions are ``{nation}/{region}``)."""
    registered_under: str | None
    """The unit the station is registered under (None if the station is not known yet)."""
    registered: bool = True
    """Whether the station is a unit of the election already (False: the submission would add it)."""
    clerks_open_stations: bool = False
    """The election's setting: territorial commissions may add stations in their own territory."""


@dataclass(frozen=True, slots=True)
class ProtocolVersion:
    """One stored version of a station's protocol (the current one has ``current`` True)."""

    station: str
    version: int
    current: bool
    protocol: StationProtocol
    recorded_by: str
    recorded_at: str
    reason: str | None
    audit_seq: int
    totals: dict[str, int | None] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class StoredWarning:
    """A warning relation a stored protocol fails: non-blocking, to be handled with an explanation."""

    id: int
    election_id: str
    station: str
    version: int
    relation: str
    message: str
    handled: bool
    explanation: str | None
    handled_by: str | None
    handled_at: str | None

    def to_dict(self) -> dict[str, Any]:
        """Its fields by name (all plain values: the same as ``dataclasses.asdict``, without its deep copy)."""
        return {"id": self.id, "election_id": self.election_id, "station": self.station, "version": self.version,
                "relation": self.relation, "message": self.message, "handled": self.handled,
                "explanation": self.explanation, "handled_by": self.handled_by, "handled_at": self.handled_at}
