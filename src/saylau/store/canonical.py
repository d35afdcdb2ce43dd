"""The one JSON text every hash of the audit chain is computed over (sorted keys, no spaces, UTF-8)."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["canonical_json", "encode_canonical"]

# json.dumps with these options builds a new encoder per call; every audit entry is encoded at least twice.
_CANONICAL_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def canonical_json(value: Any) -> str:
    """The one JSON text of ``value`` that hashes are computed over."""
    return _CANONICAL_ENCODER(value)


#: :func:`canonical_json` itself, without its Python-level call: for loops over many rows.
encode_canonical = _CANONICAL_ENCODER
