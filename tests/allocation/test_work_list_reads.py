"""The work list names the cases and the allocation and tenancy items (offers waiting for an
answer, say) of the user's units, and logs every household it names in one access-event
insert for the page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from husly.allocation import actions
from husly.audit.models import AccessEvent
from tests.allocation.helpers import approve, entry_of, make_household

pytestmark = pytest.mark.django_db


def test_the_work_list_logs_its_cases_and_its_offers_in_one_insert(
    sara, geir, raelingen, routing, vacancy
) -> None:
    household = make_household(raelingen, "Berg")
    approve(sara, geir, household)
    offer = actions.offer_make(actor=sara, entry=entry_of(household), dwelling=vacancy)
    client = Client()
    client.force_login(sara)
    before = AccessEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("cases:work_list"))
    assert page.status_code == 200
    assert reverse("allocation:offer_detail", args=[offer.pk]) in page.content.decode()
    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "audit_accessevent"')]
    assert len(inserts) == 1
    logged = AccessEvent.objects.filter(pk__gt=before)
    applicant = household.members.get(relation="applicant").person
    assert applicant.pk in {event.person_id for event in logged}
    assert {event.what for event in logged} == {"work_list"}


def test_the_kept_items_are_only_shown_to_readers_with_the_same_municipalities(
    sara, geir, olga, raelingen, routing, vacancy
) -> None:
    """The allocation and tenancy items are kept until the records change per set of the
    reader's municipalities: a caseworker in another municipality, reading after Rælingen's
    items were kept, is not shown them."""
    household = make_household(raelingen, "Berg")
    approve(sara, geir, household)
    offer = actions.offer_make(actor=sara, entry=entry_of(household), dwelling=vacancy)
    link = reverse("allocation:offer_detail", args=[offer.pk])
    for user, shown in ((sara, True), (geir, True), (olga, False)):
        client = Client()
        client.force_login(user)
        page = client.get(reverse("cases:work_list"))
        assert page.status_code == 200
        assert (link in page.content.decode()) is shown, user.username
