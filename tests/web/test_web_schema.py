"""Schemathesis against the app's OpenAPI schema, in process, on SQLite and on PostgreSQL: generated requests
(anonymous and as the central commission) never get a 5xx. Seeded (derandomized) and bounded, so it is neither
flaky nor slow; run it randomised with ``SAYLAU_FUZZ_RANDOM=1`` (and more examples with ``SAYLAU_FUZZ_EXAMPLES``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from web_helpers import Night, make_night  # noqa: E402

EXAMPLES = int(os.environ.get("SAYLAU_FUZZ_EXAMPLES", "15"))
DERANDOMIZE = not os.environ.get("SAYLAU_FUZZ_RANDOM")


@pytest.fixture
def schema_night(web_db: str) -> Iterator[Night]:
    night = make_night(web_db)
    try:
        yield night
    finally:
        night.store.close()


@pytest.mark.slow
def test_no_server_errors_on_any_operation(schema_night: Night) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", schema_night.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 14  # every API route and JSON twin is in the schema
    tried: list[str] = []
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, derandomize=DERANDOMIZE, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case: Any) -> None:
            case.call_and_validate(checks=[not_a_server_error])
            case.call_and_validate(headers=schema_night.auth("cec"), checks=[not_a_server_error])

        run()
        tried.append(operation.label)
    assert "POST /api/elections/{election_id}/protocols" in tried
