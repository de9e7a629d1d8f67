"""Every settlement page and action, for every role inside one municipality: the refugee
service's caseworkers and approvers work; a leader sees the progress page only; everybody else
gets 404 on the pages and is refused by the actions. Reads are logged; Min side and the export
show the household its settlement."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from husly.audit.models import AccessEvent, ChangeEvent
from husly.organisation.models import Unit
from husly.portal.auth import resident_user
from husly.settlement import actions
from husly.settlement.models import SettlementCase, SettlementRequest
from tests.allocation.helpers import make_dwelling
from tests.conftest import _user
from tests.factories import synthetic_number
from tests.settlement.helpers import (
    accepted_case,
    approved_flat,
    refugee_caseworker,
    refugee_unit,
    register_request,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(raelingen, housing_office, eirik, sara, geir, lise, arne):  # type: ignore[no-untyped-def]
    unit = refugee_unit(raelingen)
    follow_up = Unit.objects.create(municipality=raelingen, name="Booppfølging", kind="follow_up")
    nav = Unit.objects.create(municipality=raelingen, name="NAV Rælingen", kind="nav")
    return {
        "refugee caseworker": refugee_caseworker(raelingen),
        "refugee approver": _user("amina", unit, "approver"),
        "refugee follow-up": _user("per", unit, "follow_up"),
        "housing caseworker": sara,
        "housing approver": geir,
        "allocation member": _user("tone", housing_office, "allocation_member"),
        "property": eirik,
        "follow-up": _user("bente", follow_up, "follow_up"),
        "leader": lise,
        "administrator": arne,
        "nav caseworker": _user("nina", nav, "caseworker"),
    }


WORKERS = {"refugee caseworker", "refugee approver"}


@pytest.fixture
def objects(cast, raelingen, eirik):  # type: ignore[no-untyped-def]
    farid = cast["refugee caseworker"]
    dwelling = make_dwelling(raelingen, eirik, rooms=3, address="Skolevegen 2")
    case = accepted_case(farid, raelingen)
    chosen = accepted_case(farid, raelingen, given_name="Lina", imdi_reference="IMDi-2")
    actions.settlement_dwelling_choose(
        actor=farid, case=chosen, dwelling=dwelling, reason="Nær skolen."
    )
    return {
        "request": register_request(farid, raelingen, imdi_reference="IMDi-3"),
        "case": case,
        "chosen": SettlementCase.objects.get(pk=chosen.pk),
        "building": dwelling.building,
        "offered": approved_flat(raelingen, farid),
    }


def _pages(o: dict[str, Any]) -> list[tuple[str, str, set[str]]]:
    return [
        (reverse("settlement:overview"), "get", WORKERS),
        (reverse("settlement:progress"), "get", WORKERS | {"leader"}),
        (reverse("settlement:decision_edit"), "get", WORKERS),
        (reverse("settlement:request_create"), "get", WORKERS),
        (reverse("settlement:request_detail", args=[o["request"].pk]), "get", WORKERS),
        (reverse("settlement:request_detail", args=[o["case"].request_id]), "get", WORKERS),
        (reverse("settlement:case_detail", args=[o["case"].pk]), "get", WORKERS),
        (reverse("settlement:case_detail", args=[o["chosen"].pk]), "get", WORKERS),
        (reverse("settlement:case_lease", args=[o["chosen"].pk]), "get", WORKERS),
        (reverse("settlement:surroundings_edit", args=[o["building"].pk]), "get", WORKERS),
        (reverse("settlement:case_step", args=[o["case"].pk, "velg"]), "post", set()),
        (reverse("settlement:case_step", args=[o["case"].pk, "ankomst"]), "post", set()),
    ]


def test_every_page_per_role(cast, objects) -> None:
    problems = []
    for label, user in cast.items():
        client = Client()
        client.force_login(user)
        for url, method, allowed in _pages(objects):
            status = getattr(client, method)(url).status_code
            if method == "get":
                expected = 200 if label in allowed else 404
            else:  # a POST with an empty form: the page again with the errors, or 404
                expected = 400 if label in WORKERS else 404
            if status != expected:
                problems.append((label, url, status, expected))
    assert problems == []


def test_another_municipality_sees_nothing(objects, olga) -> None:
    client = Client()
    client.force_login(olga)
    for url, method, _allowed in _pages(objects):
        assert getattr(client, method)(url).status_code == 404, url


def _calls(o: dict[str, Any], raelingen) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    return {
        "settlement_decision_record": lambda a: actions.settlement_decision_record(
            actor=a,
            municipality=raelingen,
            data={
                "year": 2026,
                "persons": 10,
                "council_reference": "PS 1/2026",
                "decided_on": today,
            },
        ),
        "settlement_request_register": lambda a: register_request(a, raelingen, imdi_reference="N"),
        "settlement_request_accept": lambda a: actions.settlement_request_accept(
            actor=a,
            request=o["request"],
            applicant={
                "given_name": "Ali",
                "family_name": "Haddad",
                "date_of_birth": dt.date(1990, 1, 1),
            },
            expected_arrival=today,
        ),
        "settlement_request_decline": lambda a: actions.settlement_request_decline(
            actor=a, request=o["request"], reason="Nei."
        ),
        "settlement_dwelling_choose": lambda a: actions.settlement_dwelling_choose(
            actor=a, case=o["chosen"], dwelling=o["chosen"].dwelling, reason="x"
        ),
        "settlement_private_dwelling_choose": lambda a: actions.settlement_private_dwelling_choose(
            actor=a, case=o["case"], offered=o["offered"], reason="x"
        ),
        "settlement_private_dwelling_record": lambda a: actions.settlement_private_dwelling_record(
            actor=a, case=o["case"], source="brokered", reference="F-1", reason="x"
        ),
        "self_settlement_assess": lambda a: actions.self_settlement_assess(
            actor=a,
            case=o["case"],
            data={
                "address": "A 1",
                "landlord": "B",
                "monthly_rent": 9000,
                "lease_months": 36,
                "standard_ok": True,
                "contract_ok": True,
                "decision": "approved",
            },
        ),
        "settlement_lease_create": lambda a: actions.settlement_lease_create(
            actor=a, case=o["chosen"], data={}
        ),
        "settlement_arrival_record": lambda a: actions.settlement_arrival_record(
            actor=a, case=o["case"], data={"arrived_on": today}
        ),
        "building_surroundings_save": lambda a: actions.building_surroundings_save(
            actor=a, building=o["building"], data={"school_m": 300}
        ),
    }


def test_every_action_per_role(cast, objects, raelingen) -> None:
    """Only the refugee service's caseworkers and approvers are let through; everyone else is
    refused with a message and nothing is written. (``self_settlement_imdi_record`` is tried in
    ``test_imdi_answer_per_role``: it needs an approved dwelling.)"""
    from django.db import transaction

    calls = _calls(objects, raelingen)
    names = {
        n for n in dir(actions) if n.startswith(("settlement_", "self_settlement_", "building_"))
    }
    assert names - set(calls) == {"self_settlement_imdi_record"}
    problems = []
    for label, user in cast.items():
        for name, call in calls.items():
            before = ChangeEvent.objects.count()
            refused: Exception | None = None
            try:
                with transaction.atomic():
                    call(user)
                    transaction.set_rollback(True)
            except PermissionDenied as error:
                refused = error
            except Exception:
                refused = None
            if (label in WORKERS) == isinstance(refused, PermissionDenied):
                problems.append((label, name, refused))
            if refused is not None and ChangeEvent.objects.count() != before:
                problems.append((label, name, "wrote"))
    assert problems == []


def test_imdi_answer_per_role(cast, objects) -> None:
    farid = cast["refugee caseworker"]
    approval = actions.self_settlement_assess(
        actor=farid,
        case=objects["case"],
        data={
            "address": "A 1",
            "landlord": "B",
            "monthly_rent": 9000,
            "lease_months": 36,
            "standard_ok": True,
            "contract_ok": True,
            "decision": "approved",
        },
    )
    for label, user in cast.items():
        if label in WORKERS:
            continue
        with pytest.raises(PermissionDenied):
            actions.self_settlement_imdi_record(
                actor=user, approval=approval, status="pending", answered_on=None
            )
    actions.self_settlement_imdi_record(
        actor=cast["refugee approver"], approval=approval, status="pending", answered_on=None
    )


def test_the_case_page_logs_every_member_and_shows_the_criteria(cast, objects) -> None:
    client = Client()
    client.force_login(cast["refugee caseworker"])
    case = objects["case"]
    body = client.get(reverse("settlement:case_detail", args=[case.pk])).content.decode()
    assert "Skolevegen 2" not in body  # reserved for the other case
    chosen = objects["chosen"]
    body = client.get(reverse("settlement:case_detail", args=[chosen.pk])).content.decode()
    assert "Nær skolen." in body and 'id="chosen-criteria"' in body
    person = chosen.household.members.get().person
    assert AccessEvent.objects.filter(person_id=person.pk, what="settlement_case").exists()


def test_choosing_through_the_page(cast, objects, raelingen, eirik) -> None:
    free = make_dwelling(raelingen, eirik, rooms=3, address="Ledigvegen 9")
    client = Client()
    client.force_login(cast["refugee caseworker"])
    url = reverse("settlement:case_step", args=[objects["case"].pk, "velg"])
    response = client.post(url, {"dwelling": free.pk, "reason": ""})
    assert response.status_code == 400 and "Ledigvegen 9" in response.content.decode()
    response = client.post(url, {"dwelling": free.pk, "reason": "Nær skolen."})
    assert response.status_code == 302
    assert SettlementCase.objects.get(pk=objects["case"].pk).dwelling == free


def test_min_side_and_the_export_show_the_settlement(cast, objects) -> None:

    case = objects["chosen"]
    person = case.household.members.get().person
    person.national_id = synthetic_number(person.date_of_birth)
    person.save()
    resident = resident_user(request=None, national_id=person.national_id)
    client = Client()
    client.force_login(resident)
    body = client.get(reverse("portal:home")).content.decode()
    assert "Skolevegen 2" in body
    exported = client.get(reverse("portal:export_json", args=[person.pk])).json()
    assert "Nær skolen." in str(exported)
    assert SettlementRequest.objects.count() == 3
