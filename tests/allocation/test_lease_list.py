"""The lease list (tenancy:lease_list): the work on top (offers to write, reminders sent,
renewal applications), the leases being signed and the active leases a page at a time, each
list in one query with only what it shows, and one access event per household's applicant."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from husly.audit.models import AccessEvent
from husly.tenancy import actions
from tests.allocation.helpers import lease_in_force, make_dwelling
from tests.allocation.test_tenancy import _accepted, _terms

pytestmark = pytest.mark.django_db


def _active(sara, geir, raelingen, eirik, name):  # type: ignore[no-untyped-def]
    offer = _accepted(sara, geir, raelingen, make_dwelling(raelingen, eirik), name=name)
    lease = actions.lease_create(actor=sara, offer=offer, data=_terms(dt.date(2026, 4, 1)))
    return lease_in_force(sara, lease)


def test_the_lease_list_shows_each_kind_of_work_and_logs_each_household_once(
    sara, geir, eirik, raelingen, routing
) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 5, 10, tzinfo=dt.UTC), tick=False):
        offered = _accepted(sara, geir, raelingen, make_dwelling(raelingen, eirik), name="Aas")
        drafted = actions.lease_create(
            actor=sara,
            offer=_accepted(sara, geir, raelingen, make_dwelling(raelingen, eirik), name="Bø"),
            data=_terms(dt.date(2026, 4, 1)),
        )
        # Being signed too, and starting first: listed first.
        earlier = actions.lease_create(
            actor=sara,
            offer=_accepted(sara, geir, raelingen, make_dwelling(raelingen, eirik), name="Berg"),
            data=_terms(dt.date(2026, 3, 20)),
        )
        reminded = _active(sara, geir, raelingen, eirik, "Dahl")
        renewing = _active(sara, geir, raelingen, eirik, "Eik")
    call_command("renewal_reminders", "--today", "2028-10-01", stdout=io.StringIO())
    with time_machine.travel(dt.datetime(2028, 10, 3, 10, tzinfo=dt.UTC), tick=False):
        renewal = actions.renewal_apply(actor=sara, lease=renewing)
    client = Client()
    client.force_login(eirik)
    client.get(reverse("tenancy:lease_list"))  # warm: the menu is kept until records change
    before = AccessEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("tenancy:lease_list")).content.decode()
    work = html.split('id="lease-work"')[1].split("</ul>")[0]
    assert reverse("tenancy:lease_create", args=[offered.pk]) in work
    assert f"{offered.dwelling} → Aas" in work
    assert f"Dahl, {reminded.dwelling}" in work
    assert f"Eik, {renewing.dwelling}" not in work  # reminded, but has applied
    assert "30.11.2028" in work  # apply by
    assert reverse("cases:case_detail", args=[renewal.case_id]) in work
    assert f"{renewal.case.number}: Eik" in work
    pending = html.split('id="pending-leases"')[1].split("</table>")[0]
    assert reverse("tenancy:lease_detail", args=[drafted.pk]) in pending and "Bø" in pending
    assert pending.index(reverse("tenancy:lease_detail", args=[earlier.pk])) < pending.index(
        reverse("tenancy:lease_detail", args=[drafted.pk])
    )
    assert f"Dahl, {reminded.dwelling}" not in pending  # an active lease is not being signed
    active = html.split('id="pending-leases"')[1].split("</table>")[1]
    for lease in (reminded, renewing):
        assert reverse("tenancy:lease_detail", args=[lease.pk]) in active
        assert str(lease.dwelling) in active
    assert "9 800 kr" in active or "9\xa0800 kr" in active
    logged = AccessEvent.objects.filter(what="lease_list", actor=eirik, pk__gt=before)
    applicants = sorted(
        h.members.get(relation="applicant").person_id
        for h in (
            offered.entry.household,
            drafted.household,
            earlier.household,
            reminded.household,
            renewing.household,
        )
    )
    assert sorted(logged.values_list("person_id", flat=True)) == applicants
    # Each list once, whatever it holds: no query per row.
    lease_queries = [
        q for q in queries if q["sql"].split(" FROM ", 1)[-1].startswith('"tenancy_lease"')
    ]
    # The count is kept until the records change (read on the warming request).
    assert len(lease_queries) == 3  # page, reminded, being signed
