"""The administrators' audit log search (/logg/)."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from husly.audit.models import AccessEvent
from husly.people import actions
from tests.factories import PersonFactory


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _read(user, person, what="person_detail", days_ago=0):  # type: ignore[no-untyped-def]
    return AccessEvent.objects.create(
        actor=user,
        municipality_id=person.municipality_id,
        person_id=person.pk,
        what=what,
        path="/",
        at=timezone.now() - dt.timedelta(days=days_ago),
    )


def test_it_is_for_administrators_only(sara, geir, lise, olga, arne) -> None:
    for user in (sara, geir, lise, olga):
        assert _client(user).get(reverse("audit:search")).status_code == 404
    assert _client(arne).get(reverse("audit:search")).status_code == 200


def test_it_finds_all_reads_by_one_user(arne, sara, geir, raelingen) -> None:
    person = PersonFactory(municipality=raelingen)
    _read(sara, person)
    _read(geir, person)
    response = _client(arne).get(reverse("audit:search"), {"actor": sara.pk})
    actors = {event.actor for event, _person in response.context["rows"]}
    assert actors == {sara}


def test_it_finds_all_reads_of_one_person_and_logs_the_search(arne, sara, raelingen) -> None:
    anna, other = PersonFactory(municipality=raelingen), PersonFactory(municipality=raelingen)
    _read(sara, anna)
    _read(sara, other)
    response = _client(arne).get(reverse("audit:search"), {"person": f"P-{anna.pk}"})
    assert {e.person_id for e, _p in response.context["rows"]} == {anna.pk}
    assert anna.full_name in response.content.decode()
    logged = AccessEvent.objects.filter(actor=arne, what="audit_search")
    assert [e.person_id for e in logged] == [anna.pk]
    by_number = _client(arne).get(reverse("audit:search"), {"person": anna.national_id})
    assert {e.person_id for e, _p in by_number.context["rows"]} == {anna.pk}


def test_it_finds_changes_by_action_and_date_range(arne, sara, raelingen) -> None:
    person = PersonFactory(municipality=raelingen)
    actions.person_update(actor=sara, person=person, data={"phone": "99887766"})
    today = timezone.localdate().isoformat()
    response = _client(arne).get(
        reverse("audit:search"),
        {"kind": "changes", "action": "person_update", "date_from": today, "date_to": today},
    )
    rows = response.context["rows"]
    assert [e.action for e, _p in rows] == ["person_update"]
    old = (timezone.localdate() - dt.timedelta(days=10)).isoformat()
    response = _client(arne).get(
        reverse("audit:search"),
        {"kind": "changes", "action": "person_update", "date_from": old, "date_to": old},
    )
    assert list(response.context["rows"]) == []


def test_it_filters_reads_by_date(arne, sara, raelingen) -> None:
    person = PersonFactory(municipality=raelingen)
    _read(sara, person, days_ago=40)
    _read(sara, person, days_ago=1)
    since = (timezone.localdate() - dt.timedelta(days=7)).isoformat()
    response = _client(arne).get(reverse("audit:search"), {"date_from": since, "actor": sara.pk})
    assert len(response.context["rows"]) == 1


def test_it_never_shows_another_municipalitys_log(arne, olga, lorenskog) -> None:
    theirs = PersonFactory(municipality=lorenskog)
    _read(olga, theirs)
    response = _client(arne).get(reverse("audit:search"))
    assert all(e.person_id != theirs.pk for e, _p in response.context["rows"])
    bad = _client(arne).get(reverse("audit:search"), {"person": f"P-{theirs.pk}"})
    assert "person" in bad.context["form"].errors


def test_it_pages_through_many_events(arne, sara, raelingen) -> None:
    person = PersonFactory(municipality=raelingen)
    AccessEvent.objects.bulk_create(
        AccessEvent(actor=sara, municipality=raelingen, person_id=person.pk, what="x", path="/")
        for _ in range(120)
    )
    response = _client(arne).get(reverse("audit:search"), {"actor": sara.pk, "side": 3})
    assert response.context["page"].number == 3
    assert len(response.context["rows"]) == 20
