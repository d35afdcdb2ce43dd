"""Election routes of the central commission: certify, the election's settings, the stations it expects."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from saylau.web.access import check_central
from saylau.web.api.common import require_election, web_state, writer
from saylau.web.api.models import SettingsIn, StationsIn
from saylau.web.status import CERTIFIED

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["api"])


@router.post("/elections/{election_id}/certify",
             responses={401: {"description": "no credentials"}, 403: {"description": "not the central commission"},
                        404: {"description": "no such election"}})
def certify_election(election_id: str, request: Request) -> dict[str, Any]:
    """Certify the election (central commission): its status becomes ``certified``; later changes need central."""
    state, identity = writer(request)
    store = state.store
    require_election(store, election_id)
    user = check_central(identity.user, election_id)
    with state.write_lock:  # the totals are read in the transaction that certifies them
        changed, summary = store.certify(election_id, user=user.name, status=CERTIFIED)
    state.hub.wrote(store.change_counter())
    return {"election_id": election_id, "status": CERTIFIED, "changed": changed, "certified": summary}


@router.get("/elections/{election_id}/settings", responses={404: {"description": "no such election"}})
def election_settings(election_id: str, request: Request) -> dict[str, Any]:
    """The election's settings (e.g. whether territorial commissions may open stations in their territory)."""
    store = web_state(request).store
    require_election(store, election_id)
    return {"election_id": election_id, "settings": store.election_settings(election_id)}


@router.put("/elections/{election_id}/settings",
            responses={401: {"description": "no credentials"}, 403: {"description": "not the central commission"},
                       404: {"description": "no such election"}})
def change_settings(election_id: str, body: SettingsIn, request: Request) -> dict[str, Any]:
    """Change the election's settings (central commission; each change is an audit entry)."""
    state, identity = writer(request)
    store = state.store
    require_election(store, election_id)
    user = check_central(identity.user, election_id)
    changes = {k: v for k, v in body.model_dump().items() if v is not None}
    with state.write_lock:
        settings = store.set_election_settings(election_id, changes, user=user.name)
    state.hub.wrote(store.change_counter())
    return {"election_id": election_id, "settings": settings}


@router.post("/elections/{election_id}/units", status_code=201,
             responses={401: {"description": "no credentials"}, 403: {"description": "not the central commission"},
                        404: {"description": "no such election"},
                        422: {"description": "an id not normalised, like another, or under a unit of its level"}})
def register_stations(election_id: str, body: StationsIn, request: Request) -> dict[str, Any]:
    """Register stations the election expects (central commission; one audit entry): the unit tree is set up
    here, by ``saylau units import`` or by a central ingest, never grown by clerks."""
    state, identity = writer(request)
    store = state.store
    require_election(store, election_id)
    user = check_central(identity.user, election_id)
    with state.write_lock:
        added = store.register_stations(election_id, [(s.station, s.region, s.territory) for s in body.stations],
                                        user=user.name)
    state.hub.wrote(store.change_counter())
    return {"election_id": election_id, "added": added}
