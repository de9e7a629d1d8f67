"""Landlords who are persons, and brokered or guaranteed households, are personal data: they are
in the art. 15 export, Min side shows what concerns the household, and the retention job keeps
them only while the private-market work still uses them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from husly.audit.export import build_export, full_scope
from husly.landlords import actions, hooks
from husly.landlords.models import AgreementKind, LandlordKind
from husly.portal.auth import resident_user
from tests.allocation.helpers import make_household
from tests.factories import synthetic_number

pytestmark = pytest.mark.django_db


def _landlord(raelingen, sara):  # type: ignore[no-untyped-def]
    return actions.landlord_register(
        actor=sara,
        municipality=raelingen,
        data={"kind": LandlordKind.PERSON, "notes": "Vil ha lange avtaler."},
        person={
            "national_id": synthetic_number(dt.date(1950, 1, 2)),
            "given_name": "Olav",
            "family_name": "Eiersen",
        },
    )


def _brokerage(raelingen, sara, landlord, household):  # type: ignore[no-untyped-def]
    flat = actions.offered_dwelling_register(
        actor=sara,
        landlord=landlord,
        data={
            "address": "Eiersvingen 2",
            "postal_code": "2008",
            "postal_town": "Fjerdingby",
            "rooms": 1,
            "area_m2": 35,
            "monthly_rent": 7000,
        },
    )
    return actions.agreement_create(
        actor=sara,
        landlord=landlord,
        kind=AgreementKind.BROKERAGE,
        data={"offered_dwelling": flat, "start_date": timezone.localdate(), "household": household},
    )


def test_the_export_holds_the_landlord_and_the_tenants_agreements(
    raelingen, routing, sara, arne
) -> None:
    landlord = _landlord(raelingen, sara)
    actions.landlord_contact_record(
        actor=sara, landlord=landlord, channel="phone", summary="Snakket om visning."
    )
    household = make_household(raelingen, "Leietaker")
    _brokerage(raelingen, sara, landlord, household)
    export = build_export(landlord.person, full_scope(landlord.person, arne))
    section = next(s for s in export["sections"] if s.key == "landlord")
    texts = " ".join(str(row["text"]) for row in section.rows)
    assert "Vil ha lange avtaler." in texts
    assert "Snakket om visning." in texts
    assert "Eiersvingen 2" in texts
    tenant = household.members.get(relation="applicant").person
    export = build_export(tenant, full_scope(tenant, arne))
    section = next(s for s in export["sections"] if s.key == "landlord_agreements")
    assert section.rows[0]["landlord"] == "Olav Eiersen"


def test_min_side_shows_the_brokered_dwelling_and_the_landlords_own_agreements(
    raelingen, routing, sara
) -> None:
    landlord = _landlord(raelingen, sara)
    number = synthetic_number(dt.date(1990, 9, 9))
    household = make_household(raelingen, "Leietaker", national_id=number)
    _brokerage(raelingen, sara, landlord, household)
    tenant = Client()
    tenant.force_login(resident_user(request=None, national_id=number))
    body = tenant.get("/minside/").content.decode()
    assert "Olav Eiersen" in body and "Eiersvingen 2" in body
    owner = Client()
    owner.force_login(resident_user(request=None, national_id=landlord.person.national_id))
    assert "Eiersvingen 2" in owner.get("/minside/").content.decode()
    stranger = Client()
    stranger.force_login(
        resident_user(request=None, national_id=synthetic_number(dt.date(1991, 1, 1)))
    )
    assert "Eiersvingen 2" not in stranger.get("/minside/").content.decode()


def test_retention_keeps_landlords_and_tenants_only_while_in_use(raelingen, routing, sara) -> None:
    landlord = _landlord(raelingen, sara)
    household = make_household(raelingen, "Leietaker")
    tenant_id = household.members.get(relation="applicant").person_id
    agreement = _brokerage(raelingen, sara, landlord, household)
    ids = {landlord.person_id, tenant_id}
    assert hooks.landlords_in_use(ids) == ids
    actions.agreement_end(
        actor=sara, agreement=agreement, ended_on=timezone.localdate(), reason="Trakk seg."
    )
    assert hooks.landlords_in_use(ids) == {landlord.person_id}  # still in the register
    actions.landlord_update(actor=sara, landlord=landlord, data={"active": False})
    assert hooks.landlords_in_use(ids) == set()


def test_the_retention_run_anonymises_a_landlord_no_longer_used(raelingen, routing, sara) -> None:
    from husly.landlords.models import Landlord
    from husly.retention import jobs

    landlord = _landlord(raelingen, sara)
    actions.landlord_contact_record(
        actor=sara, landlord=landlord, channel="phone", summary="Olav vil selge."
    )
    company = actions.landlord_register(
        actor=sara,
        municipality=raelingen,
        data={"kind": LandlordKind.COMPANY, "name": "Firma AS", "org_number": "974760673"},
    )
    later = timezone.localdate() + dt.timedelta(days=365 * 12)
    jobs.run(today=later)  # still in the register: kept
    landlord.refresh_from_db()
    assert landlord.name == "Olav Eiersen"
    actions.landlord_update(actor=sara, landlord=landlord, data={"active": False})
    actions.landlord_update(actor=sara, landlord=company, data={"active": False})
    jobs.run(today=timezone.localdate())  # too recent: kept
    landlord.refresh_from_db()
    assert landlord.name == "Olav Eiersen"
    report = jobs.run(today=later)
    landlord.refresh_from_db()
    landlord.person.refresh_from_db()
    assert report.counts["landlords"] == 1
    assert landlord.name == jobs.ANON and landlord.notes == ""
    assert landlord.contacts.get().summary == jobs.ANON
    assert landlord.person.national_id == "" and landlord.person.given_name == "Anonymisert"
    assert Landlord.objects.get(pk=company.pk).name == "Firma AS"  # not personal data
    assert jobs.run(today=later).counts["landlords"] == 0  # done once
