"""A caseworker marks a deadline alert seen: it leaves the start page (with its audit event),
the daily job does not bring it back, a new alert shows again; only the case's own units may
(404 for everyone else)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from husly.audit.models import ChangeEvent
from husly.cases import actions as cases
from husly.cases.alerts import deadline_alerts_raise
from husly.cases.models import Case, DeadlineAlert
from husly.cases.selectors import WorkFilter, _deadlines
from husly.organisation.models import Unit
from tests.allocation.helpers import make_household
from tests.cases.helpers import ELIGIBLE
from tests.conftest import _user

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_a_caseworker_marks_an_alert_seen_and_it_stays_away_until_a_new_one(  # type: ignore[no-untyped-def]
    sara, geir, raelingen, routing
) -> None:
    case = cases.case_create(
        actor=sara,
        household=make_household(raelingen, "Frist"),
        channel="meeting",
        help_kinds=["rental_dwelling"],
        data=ELIGIBLE,
        submit=True,
    )
    units = list(Unit.objects.filter(municipality=raelingen).values_list("pk", flat=True))
    [item] = _deadlines(
        Case.objects.filter(pk=case.pk), units, WorkFilter(), case.received_on, shown=10
    ).shown
    near = item.due - dt.timedelta(days=2)
    assert deadline_alerts_raise(today=near)["raised"] == 1
    alert = DeadlineAlert.objects.get()
    home = _client(geir).get(reverse("home")).content.decode()  # the approver sees it too
    assert "Varsler om frister" in home and "Merk som sett" in home

    response = _client(sara).post(reverse("cases:deadline_alert_dismiss", args=[alert.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("home")
    alert.refresh_from_db()
    assert alert.dismissed_by == sara and alert.dismissed_at is not None
    event = ChangeEvent.objects.get(action="deadline_alert_dismiss")
    assert (event.actor, event.object_id) == (sara, str(alert.pk))
    for user in (sara, geir):
        assert "Varsler om frister" not in _client(user).get(reverse("home")).content.decode()
    # Marked twice: 404 (it is no longer open), nothing more written.
    again = _client(geir).post(reverse("cases:deadline_alert_dismiss", args=[alert.pk]))
    assert again.status_code == 404
    assert ChangeEvent.objects.filter(action="deadline_alert_dismiss").count() == 1

    # The daily job runs again: the same alert is not raised anew.
    assert deadline_alerts_raise(today=near + dt.timedelta(days=1))["raised"] == 0
    assert "Varsler om frister" not in _client(sara).get(reverse("home")).content.decode()
    # A new alert (the same deadline with a new date due) shows again.
    DeadlineAlert.objects.create(
        case=case, what=item.what, due=item.due + dt.timedelta(days=14), raised_on=near
    )
    home = _client(sara).get(reverse("home")).content.decode()
    assert "Varsler om frister" in home and case.number in home


def test_no_one_but_the_cases_caseworkers_can_mark_its_alert_seen(  # type: ignore[no-untyped-def]
    sara, lise, arne, eirik, olga, raelingen, routing
) -> None:
    case = cases.case_create(
        actor=sara,
        household=make_household(raelingen, "Frist"),
        channel="meeting",
        help_kinds=["rental_dwelling"],
        data=ELIGIBLE,
        submit=True,
    )
    alert = DeadlineAlert.objects.create(
        case=case,
        what="preliminary_reply",
        due=dt.date(2026, 12, 20),
        raised_on=dt.date(2026, 12, 14),
    )
    nav = _user("kari", routing, "caseworker")  # another unit: the case is not routed to NAV
    for user in (lise, arne, eirik, olga, nav):
        response = _client(user).post(reverse("cases:deadline_alert_dismiss", args=[alert.pk]))
        assert response.status_code == 404, user.username
    assert (
        _client(sara).get(reverse("cases:deadline_alert_dismiss", args=[alert.pk])).status_code
        == 405
    )
    alert.refresh_from_db()
    assert alert.dismissed_at is None
    assert not ChangeEvent.objects.filter(action="deadline_alert_dismiss").exists()
