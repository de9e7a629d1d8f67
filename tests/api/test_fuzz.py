"""schemathesis fuzzes every operation of the OpenAPI document against a live server: no 5xx,
every response matches its declared schema and status codes, and Lørenskog's token never
receives any of Rælingen's data (ADR 0022). Bounded: a few examples per operation."""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings

from husly.api.models import ApiClient
from husly.housing.models import Building, Dwelling

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES_PER_OPERATION = 12


def _ids(body: Any, key: str = "id") -> set[int]:
    """Every ``id`` of the items (or of the object itself) in a response body."""
    items = body.get("items", [body]) if isinstance(body, dict) else []
    return {item[key] for item in items if isinstance(item, dict) and key in item}


def test_the_openapi_document_holds_under_fuzzing(api_world, live_server) -> None:
    ApiClient.objects.update(rate_limit=10_000)
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    raelingen = api_world["client"].municipality_id
    own = {"Authorization": f"Bearer {api_world['token']}"}
    other = {"Authorization": f"Bearer {api_world['other_token']}"}
    lorenskog_dwellings = set(
        Dwelling.objects.exclude(building__municipality_id=raelingen).values_list("pk", flat=True)
    )
    lorenskog_buildings = set(
        Building.objects.exclude(municipality_id=raelingen).values_list("pk", flat=True)
    )
    applicant = api_world["household"].members.get(relation="applicant").person
    secrets_of_raelingen = [applicant.national_id, applicant.family_name, "Rælingsen"]
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 10
    leaks: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case: Any) -> None:
            case.call_and_validate(base_url=live_server.url, headers=own)
            response = case.call(base_url=live_server.url, headers=other)
            assert response.status_code < 500, (case.path, response.status_code)
            text = response.text
            leaks.extend(f"{case.path}: {s}" for s in secrets_of_raelingen if s and s in text)
            if response.status_code == 200 and case.path.startswith("/api/v1/dwellings"):
                body = json.loads(text)
                extra = _ids(body) - lorenskog_dwellings
                leaks.extend(f"{case.path}: dwelling {i}" for i in extra)
            if response.status_code == 200 and case.path.startswith("/api/v1/buildings"):
                extra = _ids(json.loads(text)) - lorenskog_buildings
                leaks.extend(f"{case.path}: building {i}" for i in extra)

        fuzz()
    assert leaks == []
