"""The web stack's floor for election night: FastAPI on uvicorn answering the submission route with nothing behind it.

Same path, same body model (``ProtocolIn``, parsed and validated), same 201
JSON shape, but no authentication, no checks, no store: what any
FastAPI/uvicorn server spends on one such request on this machine. The web
benchmark serves it with ``saylau serve``'s server settings and loads it as it
loads the real server, so the two CPU figures compare directly.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from saylau.web.api.models import ProtocolIn

app = FastAPI()


@app.post("/api/elections/{election_id}/protocols", status_code=201)
async def submit(election_id: str, request: Request) -> JSONResponse:
    body = ProtocolIn.model_validate_json(await request.body())
    return JSONResponse({"election_id": election_id, "station": body.station, "status": "stored", "version": 1},
                        status_code=201)
