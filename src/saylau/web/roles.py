"""The roles of the web app's users, in one place: what each is, how wide, and what its scope names.

* ``public``: reads only (as anyone without an account does);
* ``station``: a polling-station commission; submits its own station's protocol (scope: the station id);
* ``typist``: enters protocols of its territory's stations for double entry (scope: a territory, as a
  territorial user's); two typists' entries that agree make the protocol (:mod:`saylau.web.entries`);
* ``territorial``: a territorial commission; submits, corrects and handles warnings within its territory
  (scope: the territory's unit id, e.g. ``KZ/Akmola Region/... 01``);
* ``central``: the central commission; everything, including the unit tree, certifying and managing users
  (of one election when it has an ``election_id``).

A user grants only what lies within its own rights (:func:`saylau.web.access.check_grant`).
"""

from __future__ import annotations

from saylau.store.schema import ROLES  # the stored users' roles, from the narrowest to the widest

__all__ = ["RANK", "ROLES", "SCOPE_LEVEL"]
#: A role's width: a user may grant roles of a lower rank only (central: its own rank too, within its election).
RANK = {role: rank for rank, role in enumerate(ROLES)}
#: The level of the unit a scoped role's scope names.
SCOPE_LEVEL = {"station": "station", "typist": "territory", "territorial": "territory"}
