"""Warning routes: list the warnings of the current protocols, explain and close one."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from saylau.web.access import check_warning_handler
from saylau.web.api.common import require_election, web_state, writer
from saylau.web.api.models import HandleIn
from saylau.web.app import NotFound, WebState
from saylau.web.auth import Identity

__all__ = ["handle_warning_as", "router"]

router = APIRouter(prefix="/api", tags=["api"])


@router.get("/elections/{election_id}/warnings")
def list_warnings(election_id: str, request: Request, handled: bool | None = None,
                  unit: Annotated[str | None, Query(max_length=300)] = None) -> dict[str, Any]:
    """Warnings of the current protocols (optionally only open or handled ones, only below ``unit``)."""
    store = web_state(request).store
    require_election(store, election_id)
    found = store.warnings(election_id, handled=handled)
    if unit is not None:
        below = store.stations_below(election_id, unit)
        found = [w for w in found if w.station in below]
    return {"election_id": election_id, "warnings": [w.to_dict() for w in found]}


def handle_warning_as(state: WebState, identity: Identity, election_id: str, warning_id: int,
                      explanation: str) -> dict[str, Any]:
    """Explain and close a warning (shared by the API and the page's form)."""
    store = state.store
    if identity.user is None:  # who asks comes first: a stranger learns nothing of which warnings exist
        from saylau.web.access import NotAuthenticated

        raise NotAuthenticated("sign in to handle a warning")
    require_election(store, election_id)
    warning = next((w for w in store.warnings(election_id) if w.id == warning_id), None)
    if warning is None:
        raise NotFound("no such warning of a current protocol", field="warning", value=warning_id)
    unit = store.unit(election_id, warning.station)
    under = unit[1] if unit is not None and unit[0] == "station" else None
    user = check_warning_handler(identity.user, election_id=election_id, station_under=under)
    with state.write_lock:
        store.handle_warning(warning_id, user=user.name, explanation=explanation)
    state.hub.wrote(store.change_counter())
    return {"id": warning_id, "handled": True, "explanation": explanation, "handled_by": user.name}


@router.post("/elections/{election_id}/warnings/{warning_id}/handle",
             responses={401: {"description": "no credentials"}, 403: {"description": "outside the user's scope"},
                        404: {"description": "no such warning"}})
def handle_warning(election_id: str, warning_id: Annotated[int, Path(ge=1, le=2**62)], body: HandleIn,
                   request: Request) -> dict[str, Any]:
    """Attach an explanation to a warning and mark it handled (territorial commission of the station, or central)."""
    state, identity = writer(request)
    return handle_warning_as(state, identity, election_id, warning_id, body.explanation)
