"""``election_data`` looks in the store first and falls back to the built-in elections."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from saylau.datasets import load_dataset
from saylau.errors import InputError
from saylau.store import open_store
from saylau.store.source import election_data


def test_store_first_then_built_in(tmp_path: Path, spec_data: Path) -> None:
    db = str(tmp_path / "s.sqlite")
    official = load_dataset("kz-2016")
    # A stored election under the same id wins over the built-in one.
    renamed = replace(official, info=replace(official.info, title="stored copy"))
    with open_store(db) as store:
        store.put_election_data(renamed, user="t")
    assert election_data("kz-2016", db).info.title == "stored copy"
    assert election_data("kz-2021", db).info.title == load_dataset("kz-2021").info.title
    assert [u.level for u in election_data("kz-2021", db, level="region").units] == ["region"] * 17
    with pytest.raises(InputError, match="kz-2016"):
        election_data("nope", db)
