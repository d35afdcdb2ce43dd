"""The protocol API: one router made of one module per concept.

* :mod:`~saylau.web.api.protocols`: submit (election night's hot route), correct, batch, history;
* :mod:`~saylau.web.api.warnings`: list and handle warnings;
* :mod:`~saylau.web.api.elections`: certify, settings, the stations an election expects;
* :mod:`~saylau.web.api.accounts`: who am I, users, API tokens;
* :mod:`~saylau.web.api.models` the bodies, :mod:`~saylau.web.api.common` what the routes share.
"""

from __future__ import annotations

from fastapi import APIRouter

from saylau.web.api import accounts, elections, protocols, warnings
from saylau.web.api.protocols import SUBMIT_PATH, submit_protocol_plain
from saylau.web.api.warnings import handle_warning_as

__all__ = ["SUBMIT_PATH", "handle_warning_as", "router", "submit_protocol_plain"]

router = APIRouter()
for _module in (protocols, warnings, elections, accounts):
    router.include_router(_module.router)
