"""The collections role and need to know on arrears cases (issue 12; Rælingen's roles table,
appendix 4 points 3 and 13, appendix 5 "håndtering av restanser").

Collections (innfordring) sees the ledger and every arrears case it collects, sends the
reminders and the debt-collection notice, attends the rent meeting and negotiates repayment
plans; it does not take the property unit's steps (the § 4-18 notice, the petition), bill rent
or read the person register. NAV and a follow-up unit see only the cases they have a part in;
everyone else gets 404, like an id that does not exist.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from husly.arrears import actions
from husly.arrears.models import ArrearsCase, ArrearsStep, MeetingItem, RentMeeting, StepStatus
from husly.audit.models import AccessEvent
from husly.organisation.models import Unit, UnitKind
from tests.arrears.helpers import make_lease, make_units
from tests.conftest import _user
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world(raelingen, sara, eirik):  # type: ignore[no-untyped-def]
    make_units(raelingen)
    nav = Unit.objects.get(municipality=raelingen, kind=UnitKind.NAV)
    follow_up = Unit.objects.create(
        municipality=raelingen, name="Booppfølgingstjenesten", kind=UnitKind.FOLLOW_UP
    )
    collections = Unit.objects.create(
        municipality=raelingen, name="Innfordringsavdelingen", kind=UnitKind.OTHER
    )
    ingrid = _user("ingrid", collections, "collections")
    nadia = _user("nadia", nav, "caseworker")
    bente = _user("bente", follow_up, "follow_up")
    household = HouseholdFactory(municipality=raelingen)
    lease = make_lease(raelingen, eirik, household)
    lease.follow_up_unit = follow_up
    lease.save(update_fields=["follow_up_unit"])
    today = timezone.localdate()
    case = ArrearsCase.objects.create(
        municipality=raelingen,
        household=household,
        lease=lease,
        origin="municipal_lease",
        procedure_key="raelingen-restanse-fravikelse@2016",
        opened_on=today,
        arrears=18000,
        months_unpaid=2,
        oldest_unpaid_due=today - dt.timedelta(days=70),
    )
    meeting = RentMeeting.objects.create(municipality=raelingen, held_on=today, created_by=eirik)
    item = MeetingItem.objects.create(meeting=meeting, case=case, reasons=["new"], arrears=18000)
    return {
        "case": case,
        "meeting": meeting,
        "item": item,
        "ingrid": ingrid,
        "nadia": nadia,
        "bente": bente,
        "sara": sara,
        "eirik": eirik,
    }


def test_collections_sees_the_ledger_and_the_cases_it_collects_and_nothing_of_the_register(
    world,
) -> None:
    ingrid, case = world["ingrid"], world["case"]
    client = _client(ingrid)
    listing = client.get(reverse("arrears:case_list"))
    assert listing.status_code == 200
    assert reverse("arrears:case_detail", args=[case.pk]) in listing.content.decode()
    assert client.get(reverse("arrears:case_detail", args=[case.pk])).status_code == 200
    assert (
        client.get(reverse("arrears:meeting_detail", args=[world["meeting"].pk])).status_code == 200
    )
    assert client.get(reverse("rent:arrears")).status_code == 200
    assert client.get(reverse("rent:ledger", args=[case.lease_id])).status_code == 200
    # Every read is logged as collections' read, in its own unit.
    event = AccessEvent.objects.filter(actor=ingrid, what="arrears_case").latest("pk")
    assert event.role == "collections"
    # Not the person register, not billing, not the waiting list.
    assert (
        client.get(reverse("people:household_detail", args=[case.household_id])).status_code == 404
    )
    assert client.get(reverse("rent:payment_upload")).status_code in {403, 404}


def test_collections_sends_the_reminders_and_the_debt_collection_notice_not_the_4_18_notice(
    world,
) -> None:
    ingrid, case = world["ingrid"], world["case"]
    today = timezone.localdate()
    step = actions.arrears_step_prepare(
        actor=ingrid, case=case, step_id="purring-1", taken_on=today
    )
    actions.arrears_step_confirm(actor=ingrid, step=step)
    assert ArrearsStep.objects.get(pk=step.pk).status == StepStatus.CONFIRMED
    with pytest.raises(PermissionDenied):
        actions.arrears_step_prepare(actor=ingrid, case=case, step_id="varsel-4-18", taken_on=today)
    with pytest.raises(PermissionDenied):
        actions.arrears_case_close(actor=ingrid, case=case, on=today)
    agreement = actions.repayment_agreement_create(
        actor=ingrid,
        case=case,
        agreed_on=today,
        instalments=[(today + dt.timedelta(days=30), 18000)],
    )
    assert agreement.recorded_by == ingrid
    actions.rent_meeting_item_record(
        actor=ingrid, item=world["item"], responsible=world["sara"], agreed="Ring leietaker."
    )


def test_nav_sees_an_arrears_case_only_with_a_part_in_it(world) -> None:
    nadia, case = world["nadia"], world["case"]
    client = _client(nadia)
    detail = reverse("arrears:case_detail", args=[case.pk])
    assert client.get(detail).status_code == 404
    assert detail not in client.get(reverse("arrears:case_list")).content.decode()
    meeting = client.get(reverse("arrears:meeting_detail", args=[world["meeting"].pk]))
    assert meeting.status_code == 200
    assert detail not in meeting.content.decode()
    with pytest.raises(PermissionDenied):
        actions.arrears_case_assign(actor=nadia, case=case, responsible=nadia)
    with pytest.raises(PermissionDenied):
        actions.rent_meeting_item_record(
            actor=nadia, item=world["item"], responsible=nadia, agreed="x"
        )
    # Made responsible for the dialogue with the tenant (the rent meeting's minutes), NAV has
    # a part in the case and sees it.
    actions.arrears_case_assign(actor=world["eirik"], case=case, responsible=nadia)
    assert client.get(detail).status_code == 200


def test_the_tenants_follow_up_unit_and_the_housing_consultant_see_the_case(world) -> None:
    case = world["case"]
    detail = reverse("arrears:case_detail", args=[case.pk])
    assert _client(world["bente"]).get(detail).status_code == 200
    assert _client(world["sara"]).get(detail).status_code == 200  # housing office
    other_follow_up = _user(
        "frode",
        Unit.objects.create(
            municipality=case.municipality, name="Psykisk helse", kind=UnitKind.FOLLOW_UP
        ),
        "follow_up",
    )
    assert _client(other_follow_up).get(detail).status_code == 404


def test_a_leader_and_an_administrator_get_404_on_the_case(world, lise, arne) -> None:
    detail = reverse("arrears:case_detail", args=[world["case"].pk])
    for user in (lise, arne):
        assert _client(user).get(detail).status_code == 404
