"""The audit chain's one JSON text: the encoder built once writes exactly what json.dumps writes."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.store import canonical
from saylau.store.canonical import canonical_json, encode_canonical

_SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
                       | st.dictionaries(st.text(max_size=5), inner, max_size=4), max_leaves=20)


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@settings(max_examples=400, deadline=None)
@given(value=_VALUES)
def test_the_encoder_built_once_writes_what_json_dumps_writes(value: object) -> None:
    assert canonical_json(value) == encode_canonical(value) == _dumps(value)


def test_the_c_encoder_is_the_one_in_use_and_refuses_what_json_refuses() -> None:
    assert canonical._c_encoder() is not None and encode_canonical is not canonical._ENCODER.encode
    assert canonical_json([1, "ы", None, True, 1.5, math.inf, {"b": 1, "a": [2]}]) == \
        '[1,"ы",null,true,1.5,Infinity,{"a":[2],"b":1}]'
    for bad in ({1: 2, "a": 3}, [object()], b"bytes"):
        with pytest.raises(TypeError):
            _dumps(bad)
        with pytest.raises(TypeError):
            canonical_json(bad)
