"""Every JSON twin follows the JSON Schema served beside it: numbers as numbers, null as null, no embedded SVG."""

from __future__ import annotations

import json
from typing import Any

import pytest
from web_helpers import ELECTION, Night, unit_path

jsonschema = pytest.importorskip("jsonschema")

pytestmark = pytest.mark.anyio


async def _valid(client: Any, twin_url: str, schema_url: str) -> dict[str, Any]:
    twin = await client.get(twin_url)
    schema = await client.get(schema_url)
    assert twin.status_code == 200 and schema.status_code == 200, (twin_url, schema_url)
    assert schema.headers["content-type"].startswith("application/schema+json")
    doc, spec = twin.json(), schema.json()
    jsonschema.Draft202012Validator.check_schema(spec)
    validator = jsonschema.Draft202012Validator(spec, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    text = json.dumps(doc)
    assert "n/a" not in text and "<svg" not in text
    return doc  # type: ignore[no-any-return]


async def test_every_results_twin_follows_its_schema(night: Night, client: Any) -> None:
    nation = await _valid(client, f"/elections/{ELECTION}.json", f"/elections/{ELECTION}.schema.json")
    assert nation["$schema"] == f"/elections/{ELECTION}.schema.json"
    assert all(isinstance(p["percent"], float | int) for p in nation["parties"])
    assert isinstance(nation["totals"]["turnout"], float | int) and isinstance(nation["stations"]["percent"], float | int)
    region = nation["children"][0]
    doc = await _valid(client, f"/elections/{ELECTION}/units/{unit_path(region['unit_id'])}.json",
                       f"/elections/{ELECTION}.schema.json")
    territory = doc["children"][0]
    doc = await _valid(client, f"/elections/{ELECTION}/units/{unit_path(territory['unit_id'])}.json",
                       f"/elections/{ELECTION}.schema.json")
    station = next(c for c in doc["children"] if c["reported"])
    doc = await _valid(client, f"/elections/{ELECTION}/units/{unit_path(station['unit_id'])}.json",
                       f"/elections/{ELECTION}.schema.json")
    assert doc["protocol"]["reported"]


async def test_board_and_election_list_follow_their_schemas(night: Night, client: Any) -> None:
    board = await _valid(client, f"/elections/{ELECTION}/board.json", f"/elections/{ELECTION}/board.schema.json")
    assert board["$schema"] == f"/elections/{ELECTION}/board.schema.json"
    listing = await _valid(client, "/elections.json", "/elections.schema.json")
    assert [e["id"] for e in listing["elections"]] == [ELECTION]


async def test_the_schema_refuses_a_percentage_written_as_text(night: Night, client: Any) -> None:
    doc = (await client.get(f"/elections/{ELECTION}.json")).json()
    spec = (await client.get("/schemas/results.schema.json")).json()
    doc["parties"][0]["percent"] = "71.09"
    assert not jsonschema.Draft202012Validator(spec).is_valid(doc)
    doc["parties"][0]["percent"] = 71.09
    doc["totals"]["turnout"] = "n/a"
    assert not jsonschema.Draft202012Validator(spec).is_valid(doc)


async def test_unknown_schemas_are_404(night: Night, client: Any) -> None:
    assert (await client.get("/schemas/../app.py")).status_code == 404
    assert (await client.get("/schemas/nope.schema.json")).status_code == 404
