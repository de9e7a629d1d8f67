"""Vacancy days for every lease end, not only move-outs through the follow-up flow: eviction,
death, institution or a swap start a vacancy segment with the reason the lease ended; renewal
and purchase do not (the tenant stays); the next lease's start ends the segment (stored); the
days are split by cause and by why the lease ended, on the move-out page too."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from husly.audit.models import ChangeEvent
from husly.followup import selectors
from husly.followup.models import VacancySegment
from husly.tenancy import actions as tenancy
from husly.tenancy.models import EndReason, Lease, LeaseStatus
from tests.followup.test_followup import _lease

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.mark.parametrize(
    "reason", [EndReason.EVICTION, EndReason.DEATH, EndReason.INSTITUTION, EndReason.SWAP]
)
def test_every_lease_end_that_empties_the_dwelling_starts_a_vacancy(
    sara, eirik, raelingen, reason
) -> None:  # type: ignore[no-untyped-def]
    lease = _lease(raelingen, sara, "Ende", start=TODAY - dt.timedelta(days=400))
    tenancy.lease_end(
        actor=eirik, lease=lease, ended_on=TODAY - dt.timedelta(days=20), reason=reason
    )
    segment = VacancySegment.objects.get(dwelling_id=lease.dwelling_id)
    assert (segment.lease_id, segment.end_reason, segment.cause) == (lease.pk, reason, "repairs")
    assert segment.starts_on == TODAY - dt.timedelta(days=19) and segment.ends_on is None
    assert segment.move_out_id is None
    assert ChangeEvent.objects.filter(action="vacancy_start", object_id=str(segment.pk)).exists()


@pytest.mark.parametrize("reason", [EndReason.RENEWED, EndReason.PURCHASED])
def test_no_vacancy_when_the_tenant_stays(sara, eirik, raelingen, reason) -> None:  # type: ignore[no-untyped-def]
    lease = _lease(raelingen, sara, "Blir", start=TODAY - dt.timedelta(days=400))
    tenancy.lease_end(
        actor=eirik, lease=lease, ended_on=TODAY - dt.timedelta(days=1), reason=reason
    )
    assert not VacancySegment.objects.exists()


def test_the_next_lease_ends_the_vacancy_and_the_days_are_split(sara, eirik, raelingen) -> None:  # type: ignore[no-untyped-def]
    old = _lease(raelingen, sara, "Gammel", start=TODAY - dt.timedelta(days=400))
    tenancy.lease_end(
        actor=eirik, lease=old, ended_on=TODAY - dt.timedelta(days=31), reason=EndReason.EVICTION
    )
    new = Lease.objects.create(
        municipality=raelingen,
        dwelling=old.dwelling,
        household=_lease(raelingen, sara, "Ny").household,
        start_date=TODAY - dt.timedelta(days=10),
        end_date=TODAY + dt.timedelta(days=1000),
        monthly_rent=9000,
        status=LeaseStatus.SIGNED,
        created_by=sara,
    )
    tenancy.lease_activate(actor=eirik, lease=new, today=TODAY)
    segment = VacancySegment.objects.get(dwelling_id=old.dwelling_id)
    assert segment.ends_on == new.start_date  # stored, not recomputed
    vacancy = selectors.vacancy_days(raelingen.pk, TODAY - dt.timedelta(days=60), TODAY)
    assert vacancy.by_cause["repairs"] == 20
    assert vacancy.by_end_reason == {"eviction": 20}
    client = Client()
    client.force_login(eirik)
    page = client.get(reverse("followup:move_out_list")).content.decode()
    assert 'id="vacancy-by-end"' in page and "<td>20</td>" in page
    assert str(EndReason.EVICTION.label) in page or "Utkastelse" in page
