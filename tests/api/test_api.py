"""The open API: tokens, scopes, one municipality per token, audit of personal data, rate
limit in the database, JSON errors in Norwegian and English, pagination."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from husly.api import actions
from husly.api.models import ApiClient, RateWindow, Scope, WebhookEvent
from husly.audit.models import AccessEvent

pytestmark = pytest.mark.django_db


def _get(token: str | None, path: str, **params):  # type: ignore[no-untyped-def]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return Client().get(f"/api/v1{path}", params, **headers)


def test_the_token_is_shown_once_and_only_its_hash_is_stored(api_world) -> None:
    client = ApiClient.objects.get(pk=api_world["client"].pk)
    token = api_world["token"]
    assert token not in {client.token_hash, client.token_prefix}
    assert not ApiClient.objects.filter(token_hash=token).exists()
    assert token.startswith(client.token_prefix)
    assert not client.user.is_active and not client.user.has_usable_password()


def test_no_token_a_wrong_token_and_a_revoked_token_get_401_in_json(api_world, arne) -> None:
    for token in (None, "husly_wrong", "garbage"):
        response = _get(token, "/dwellings")
        assert response.status_code == 401
        body = response.json()
        assert body["code"] == "unauthorised"
        assert "nøkkel" in body["message"] and "token" in body["message_en"]
    actions.api_client_revoke(actor=arne, client=api_world["client"])
    assert _get(api_world["token"], "/dwellings").status_code == 401


def test_vacant_dwellings_of_the_own_municipality_only(api_world) -> None:
    response = _get(api_world["token"], "/dwellings", status="vacant")
    assert response.status_code == 200
    ids = [d["id"] for d in response.json()["items"]]
    assert api_world["vacant"].pk in ids
    assert api_world["let"].pk not in ids
    assert api_world["other_dwelling"].pk not in ids
    every = {d["id"] for d in _get(api_world["token"], "/dwellings").json()["items"]}
    assert api_world["other_dwelling"].pk not in every


def test_another_municipalitys_objects_are_404_like_ids_that_do_not_exist(api_world) -> None:
    other = api_world["other_token"]
    for path in (
        f"/dwellings/{api_world['vacant'].pk}",
        f"/buildings/{api_world['vacant'].building_id}",
        f"/cases/{api_world['case'].pk}",
        f"/leases/{api_world['lease'].pk}",
    ):
        response = _get(other, path)
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"
        assert _get(api_world["token"], path).status_code == 200, path
    for path in ("/cases", "/leases", "/events"):
        body = _get(other, path).json()
        assert body["items"] == [], path
    buildings = {b["id"] for b in _get(other, "/buildings").json()["items"]}
    assert buildings == {api_world["other_dwelling"].building_id}
    figures = _get(other, "/waiting-list/figures").json()
    assert sum(figures["by_status"].values()) == 0
    assert not AccessEvent.objects.filter(actor=api_world["other_client"].user).exists()


def test_a_scope_the_client_does_not_hold_is_403(api_world, arne, raelingen) -> None:
    _client, token = actions.api_client_register(
        actor=arne, municipality=raelingen, name="Boligportal", scopes=[Scope.DWELLINGS]
    )
    assert _get(token, "/dwellings").status_code == 200
    for path in ("/cases", "/leases", "/events", "/waiting-list/figures"):
        response = _get(token, path)
        assert response.status_code == 403, path
        assert response.json()["code"] == "scope_missing"


def test_every_person_in_a_response_is_logged_with_the_client_as_reader(api_world) -> None:
    client = api_world["client"]
    applicant = api_world["household"].members.get(relation="applicant").person
    response = _get(api_world["token"], "/cases")
    assert response.status_code == 200
    [case] = response.json()["items"]
    assert case["applicant"]["national_id"] == applicant.national_id
    assert [d["outcome"] for d in case["decisions"]] == ["approval"]
    _get(api_world["token"], f"/leases/{api_world['lease'].pk}")
    events = AccessEvent.objects.filter(actor=client.user).order_by("pk")
    assert str(events[0].actor) == "API Arkivet"
    # The client's role and the unit that answers for it (the registering administrator's).
    admin_unit = api_world["arne"].memberships.get(role="administrator").unit
    assert client.unit == admin_unit
    assert [(e.person_id, e.what, e.role, e.unit_id) for e in events] == [
        (applicant.pk, "api_case_list", "api_client", admin_unit.pk),
        (applicant.pk, "api_lease_detail", "api_client", admin_unit.pk),
    ]
    assert events[0].path.startswith("/api/v1/cases")
    assert events[0].municipality_id == client.municipality_id
    # Dwellings name no person and write no access event.
    _get(api_world["token"], "/dwellings")
    assert AccessEvent.objects.filter(actor=client.user).count() == 2


def test_the_rate_limit_counts_in_the_database_and_answers_429(api_world) -> None:
    client = api_world["client"]
    ApiClient.objects.filter(pk=client.pk).update(rate_limit=3)
    codes = [_get(api_world["token"], "/buildings").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    response = _get(api_world["token"], "/buildings")
    assert response.json()["code"] == "rate_limited"
    assert 1 <= int(response["Retry-After"]) <= 60
    assert RateWindow.objects.get(client=client).count == 6
    # another client has its own window
    assert _get(api_world["other_token"], "/buildings").status_code == 200


def test_bad_parameters_are_422_with_the_field_named(api_world) -> None:
    response = _get(api_world["token"], "/dwellings", status="nonsense", page_size=1000)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_parameter"
    assert "status" in body["message"] and "page_size" in body["message_en"]


def test_pagination(api_world, eirik, raelingen) -> None:
    from tests.allocation.helpers import make_dwelling

    for _ in range(3):
        make_dwelling(raelingen, eirik)
    first = _get(api_world["token"], "/dwellings", page_size=2).json()
    assert first["count"] == 5 and len(first["items"]) == 2 and first["next_page"] == 2
    last = _get(api_world["token"], "/dwellings", page_size=2, page=3).json()
    assert len(last["items"]) == 1 and last["next_page"] is None
    ids = [
        d["id"]
        for page in (1, 2, 3)
        for d in _get(api_world["token"], "/dwellings", page_size=2, page=page).json()["items"]
    ]
    assert len(set(ids)) == 5


def test_events_are_written_by_the_actions_and_listed_as_a_feed(api_world) -> None:
    kinds = list(WebhookEvent.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["decision.issued", "offer.made", "lease.signed"]
    body = _get(api_world["token"], "/events").json()
    assert [e["event"] for e in body["items"]] == kinds
    assert body["items"][1]["data"]["dwelling_id"] == api_world["let"].pk
    after = _get(api_world["token"], "/events", after=body["items"][0]["id"]).json()
    assert [e["event"] for e in after["items"]] == kinds[1:]
    only = _get(api_world["token"], "/events", kind="lease.signed").json()
    assert [e["data"]["lease_id"] for e in only["items"]] == [api_world["lease"].pk]


def test_the_openapi_document_and_the_docs_page_need_no_login(db) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/dwellings" in schema["paths"]
    page = Client().get("/api/dokumentasjon/")
    assert page.status_code == 200
    assert "/api/v1/dwellings" in page.content.decode()
    body = page.content.decode()
    assert "Bearer &lt;" in body and "Bearer <" not in body  # escaped, not a tag
    assert "<script" not in page.content.decode().split("</header>")[-1]


def test_a_client_answers_through_a_unit_of_its_own_municipality(api_world, raelingen) -> None:  # type: ignore[no-untyped-def]
    other_unit = api_world["lorenskog_admin"].memberships.first().unit
    with pytest.raises(ValidationError) as refused:
        actions.api_client_register(
            actor=api_world["arne"],
            municipality=raelingen,
            name="Feil enhet",
            scopes=["read:cases"],
            unit=other_unit,
        )
    assert "unit" in refused.value.message_dict
    assert not ApiClient.objects.filter(name="Feil enhet").exists()


def test_the_administrator_chooses_the_clients_unit_among_the_municipalitys_own(  # type: ignore[no-untyped-def]
    arne, property_unit, housing_office, olga
) -> None:
    from django.urls import reverse

    browser = Client()
    browser.force_login(arne)
    form = browser.get(reverse("api:client_create")).content.decode()
    assert property_unit.name in form and housing_office.name in form
    lorenskog_unit = olga.memberships.first().unit
    assert lorenskog_unit.name not in form  # only the administrator's municipality's units
    data = {
        "municipality": property_unit.municipality_id,
        "name": "Eiendomsarkivet",
        "scopes": ["read:dwellings"],
        "rate_limit": 60,
    }
    refused = browser.post(reverse("api:client_create"), {**data, "unit": lorenskog_unit.pk})
    assert refused.status_code == 200
    assert "Velg en enhet i kommunen." in refused.content.decode()
    assert not ApiClient.objects.filter(name="Eiendomsarkivet").exists()

    made = browser.post(reverse("api:client_create"), {**data, "unit": property_unit.pk})
    assert made.status_code == 200 and made["Cache-Control"] == "no-store"
    client = ApiClient.objects.get(name="Eiendomsarkivet")
    assert client.unit == property_unit
    # Without a choice the unit the administrator administers through answers for it.
    browser.post(reverse("api:client_create"), {**data, "name": "Postkassen"})
    assert ApiClient.objects.get(name="Postkassen").unit == housing_office
