"""Households referred from the waiting list to flats under a nomination agreement
(tilvisningsavtale): within the agreement's share and period, refused when the share is used
up or the period is over; shown on the agreement page, in Min side and the export; audited
(issue 14, gap 2)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from husly.audit.export import Scope, build_export
from husly.audit.models import AccessEvent, ChangeEvent
from husly.landlords import actions
from husly.landlords.models import AgreementKind, AgreementStatus, LandlordKind
from husly.portal.auth import resident_user
from tests.allocation.helpers import approve, entry_of, make_household
from tests.factories import synthetic_number

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _nomination(sara, raelingen, *, share=2, start=None, end=None):  # type: ignore[no-untyped-def]
    developer = actions.landlord_register(
        actor=sara,
        municipality=raelingen,
        data={"kind": LandlordKind.DEVELOPER, "name": "Bygg AS", "org_number": "974760673"},
    )
    return actions.agreement_create(
        actor=sara,
        landlord=developer,
        kind=AgreementKind.NOMINATION,
        data={
            "project": "Sjøkanten",
            "flats_total": 40,
            "flats_nominated": share,
            "start_date": start or TODAY - dt.timedelta(days=60),
            "end_date": end or TODAY + dt.timedelta(days=365),
        },
    )


def _waiting(sara, geir, raelingen, name, number=None):  # type: ignore[no-untyped-def]
    household = make_household(raelingen, name, national_id=number)
    approve(sara, geir, household)
    return entry_of(household)


def test_referrals_within_the_share_then_refused(raelingen, routing, sara, geir) -> None:  # type: ignore[no-untyped-def]
    agreement = _nomination(sara, raelingen, share=2)
    first = _waiting(sara, geir, raelingen, "Først")
    second = _waiting(sara, geir, raelingen, "Andre")
    third = _waiting(sara, geir, raelingen, "Tredje")
    with pytest.raises(ValidationError) as error:  # not in the future
        actions.nomination_referral_create(
            actor=sara,
            agreement=agreement,
            entry=first,
            flat="H0101",
            referred_on=TODAY + dt.timedelta(days=1),
        )
    assert "referred_on" in error.value.error_dict
    referral = actions.nomination_referral_create(
        actor=sara, agreement=agreement, entry=first, flat="H0101", referred_on=TODAY
    )
    assert referral.household_id == first.household_id
    event = ChangeEvent.objects.get(action="nomination_referral_create")
    assert event.object_id == str(referral.pk)
    with pytest.raises(ValidationError) as error:  # the same flat twice
        actions.nomination_referral_create(
            actor=sara, agreement=agreement, entry=second, flat="h0101", referred_on=TODAY
        )
    assert "flat" in error.value.error_dict
    with pytest.raises(ValidationError):  # the same household twice
        actions.nomination_referral_create(
            actor=sara, agreement=agreement, entry=first, flat="H0102", referred_on=TODAY
        )
    actions.nomination_referral_create(
        actor=sara, agreement=agreement, entry=second, flat="H0102", referred_on=TODAY
    )
    with pytest.raises(ValidationError, match="2"):  # the share is used up
        actions.nomination_referral_create(
            actor=sara, agreement=agreement, entry=third, flat="H0103", referred_on=TODAY
        )
    assert agreement.referrals.count() == 2


def test_refused_outside_the_period_or_when_ended(raelingen, routing, sara, geir) -> None:  # type: ignore[no-untyped-def]
    agreement = _nomination(
        sara,
        raelingen,
        start=TODAY - dt.timedelta(days=400),
        end=TODAY - dt.timedelta(days=10),
    )
    entry = _waiting(sara, geir, raelingen, "Sen")
    with pytest.raises(ValidationError) as error:
        actions.nomination_referral_create(
            actor=sara, agreement=agreement, entry=entry, flat="H0101", referred_on=TODAY
        )
    assert "referred_on" in error.value.error_dict
    actions.agreement_end(actor=sara, agreement=agreement, ended_on=TODAY, reason="Over.")
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ENDED
    with pytest.raises(ValidationError, match=r"ended|avsluttet|slutt"):
        actions.nomination_referral_create(
            actor=sara,
            agreement=agreement,
            entry=entry,
            flat="H0101",
            referred_on=TODAY - dt.timedelta(days=20),
        )


def test_the_page_min_side_and_export_show_the_referral(raelingen, routing, sara, geir) -> None:  # type: ignore[no-untyped-def]
    agreement = _nomination(sara, raelingen, share=3)
    number = synthetic_number(dt.date(1980, 2, 2))
    entry = _waiting(sara, geir, raelingen, "Tilvist", number)
    client = Client()
    client.force_login(sara)
    client.cookies["django_language"] = "nb"
    page_url = reverse("landlords:agreement_detail", args=[agreement.pk])
    page = client.get(page_url, HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert "3 leiligheter" in page or "3 flats" in page
    response = client.post(
        reverse("landlords:agreement_step", args=[agreement.pk, "tilvisning"]),
        {"entry": entry.pk, "flat": "B-204", "referred_on": TODAY.isoformat()},
        HTTP_ACCEPT_LANGUAGE="nb",
    )
    assert response.status_code == 302
    page = client.get(page_url, HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert 'id="referrals"' in page and "B-204" in page and "Tilvist" in page
    applicant = entry.household.members.get(relation="applicant").person
    assert AccessEvent.objects.filter(what="agreement_detail", person_id=applicant.pk).exists()
    resident = Client()
    resident.force_login(resident_user(request=None, national_id=number))
    home = resident.get(reverse("portal:home")).content.decode()
    assert "B-204" in home and "Sjøkanten" in home
    export = build_export(
        applicant, Scope(user=sara, household_ids=frozenset({entry.household_id}))
    )
    rows = next(s for s in export["sections"] if s.key == "landlord_agreements").rows
    assert any("B-204" in r["dwelling"] for r in rows)
