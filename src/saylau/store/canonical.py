"""The one JSON text every hash of the audit chain is computed over (sorted keys, no spaces, UTF-8)."""

from __future__ import annotations

import json
from collections.abc import Callable
from json.encoder import encode_basestring
from typing import Any

__all__ = ["canonical_json", "encode_canonical"]

# json.dumps with these options builds a new encoder per call; every audit entry is encoded at least twice.
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _c_encoder() -> Callable[[Any], str] | None:
    """The C encoder JSONEncoder.encode builds on every call, built once (None without the C accelerator).

    Same arguments, same text: JSONEncoder.encode makes exactly this one for a one-shot encoding without indent
    (a test holds the two equal). It is called on each of tens of thousands of rows a bulk write hashes, where
    building it again each time was half the cost. Without the markers dict a circular value recurses until
    RecursionError instead of raising ValueError: none of saylau's values is circular."""
    try:
        from _json import make_encoder
    except ImportError:  # an interpreter without the C accelerator
        return None
    chunks = make_encoder(None, _ENCODER.default, encode_basestring, None, _ENCODER.key_separator,
                          _ENCODER.item_separator, True, False, True)
    join = "".join

    def encode(value: Any) -> str:
        return join(chunks(value, 0))

    return encode


#: The one JSON text of a value that hashes are computed over (the same function as :func:`canonical_json`,
#: without its Python-level call: for loops over many rows).
encode_canonical: Callable[[Any], str] = _c_encoder() or _ENCODER.encode


def canonical_json(value: Any) -> str:
    """The one JSON text of ``value`` that hashes are computed over."""
    return encode_canonical(value)
