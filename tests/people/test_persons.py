from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from husly.audit.models import AccessEvent, ChangeEvent
from husly.people.models import Person
from tests.factories import PersonFactory, synthetic_number

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _valid_post(raelingen, **extra):  # type: ignore[no-untyped-def]
    data = {
        "municipality": raelingen.pk,
        "national_id": synthetic_number(dt.date(1988, 4, 2)),
        "given_name": "Ola",
        "family_name": "Nordmann",
        "language_form": "nb",
        "residence_permit": "citizen",
    }
    data.update(extra)
    return data


def test_it_registers_a_person_and_records_the_change(sara, raelingen) -> None:
    response = _client(sara).post(reverse("people:person_create"), _valid_post(raelingen))
    person = Person.objects.get()
    assert response.status_code == 302
    assert person.date_of_birth == dt.date(1988, 4, 2)  # read from the identity number
    event = ChangeEvent.objects.get(action="person_create")
    assert event.actor == sara
    assert event.person_id == person.pk


def test_it_rejects_an_invalid_identity_number_in_norwegian_and_writes_nothing(
    sara, raelingen
) -> None:
    response = _client(sara).post(
        reverse("people:person_create"), _valid_post(raelingen, national_id="12345678901")
    )
    assert response.status_code == 200
    assert "Kontrollsifrene stemmer ikke" in response.content.decode()
    assert not Person.objects.exists()
    assert not ChangeEvent.objects.exists()


def test_it_rejects_a_date_of_birth_that_contradicts_the_number(sara, raelingen) -> None:
    response = _client(sara).post(
        reverse("people:person_create"),
        _valid_post(raelingen, date_of_birth="1990-01-01"),
    )
    assert response.status_code == 200
    assert "date_of_birth" in response.context["form"].errors
    assert not Person.objects.exists()


def test_it_rejects_registration_before_birth(sara, raelingen) -> None:
    response = _client(sara).post(
        reverse("people:person_create"), _valid_post(raelingen, registered_since="1980-01-01")
    )
    assert "registered_since" in response.context["form"].errors


def test_it_requires_a_birth_date_without_an_identity_number(sara, raelingen) -> None:
    response = _client(sara).post(
        reverse("people:person_create"), _valid_post(raelingen, national_id="")
    )
    assert "date_of_birth" in response.context["form"].errors


def test_it_logs_who_viewed_a_person(sara, raelingen) -> None:
    person = PersonFactory(municipality=raelingen)
    _client(sara).get(reverse("people:person_detail", args=[person.pk]))
    event = AccessEvent.objects.get(person_id=person.pk)
    assert (event.actor, event.what) == (sara, "person_detail")


def test_it_shows_the_access_log_of_a_person(sara, geir, raelingen) -> None:
    person = PersonFactory(municipality=raelingen)
    _client(geir).get(reverse("people:person_detail", args=[person.pk]))
    response = _client(sara).get(reverse("people:person_access_log", args=[person.pk]))
    assert str(geir) in response.content.decode()


def test_it_records_only_changed_fields_on_edit(sara, raelingen) -> None:
    person = PersonFactory(municipality=raelingen, phone="")
    data = {
        field: getattr(person, field)
        for field in [
            "national_id",
            "given_name",
            "family_name",
            "language_form",
            "residence_permit",
        ]
    }
    data.update(phone="91234567", date_of_birth=person.date_of_birth.isoformat())
    response = _client(sara).post(reverse("people:person_edit", args=[person.pk]), data)
    assert response.status_code == 302
    event = ChangeEvent.objects.get(action="person_update")
    assert event.changes == {"phone": ["", "91234567"]}


def test_it_hides_persons_of_another_municipality(olga, raelingen) -> None:
    person = PersonFactory(municipality=raelingen)
    client = _client(olga)
    assert client.get(reverse("people:person_detail", args=[person.pk])).status_code == 404
    assert person.given_name not in client.get(reverse("people:person_list")).content.decode()


def test_it_gives_leaders_no_access_to_persons(lise, raelingen) -> None:
    person = PersonFactory(municipality=raelingen)
    assert _client(lise).get(reverse("people:person_detail", args=[person.pk])).status_code == 404


def test_it_searches_by_name_and_by_identity_number(sara, raelingen) -> None:
    wanted = PersonFactory(municipality=raelingen, given_name="Aslaug")
    other = PersonFactory(municipality=raelingen, given_name="Torbjørn")
    client = _client(sara)
    by_name = client.get(reverse("people:person_list"), {"q": "aslaug"}).context["page"]
    assert list(by_name) == [wanted]
    by_number = client.get(reverse("people:person_list"), {"q": other.national_id[:6]})
    assert list(by_number.context["page"]) == [other]


def test_the_person_list_uses_the_same_number_of_queries_for_few_and_many_rows(
    sara, raelingen
) -> None:
    client = _client(sara)
    PersonFactory.create_batch(3, municipality=raelingen)
    client.get(
        reverse("people:person_list")
    )  # warm: the menu is kept until the records change (ADR 0036)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("people:person_list"))
    PersonFactory.create_batch(60, municipality=raelingen)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("people:person_list"))
    assert len(many) == len(few)


def test_a_search_reads_its_page_and_counts_its_hits_in_one_query(sara, raelingen) -> None:
    found = [
        PersonFactory(municipality=raelingen, family_name=f"Bergsen{i % 3}", given_name=f"Ola{i}")
        for i in range(28)
    ]
    PersonFactory.create_batch(4, municipality=raelingen, family_name="Dahl")
    ordered = sorted(found, key=lambda p: (p.family_name, p.given_name, p.pk))
    client = _client(sara)
    url = reverse("people:person_list")
    client.get(url, {"q": "bergsen"})  # warm: the menu is kept until the records change
    with CaptureQueriesContext(connection) as queries:
        first = client.get(url, {"q": "bergsen"})
    person_queries = [
        q["sql"] for q in queries if q["sql"].split(" FROM ", 1)[-1].startswith('"people_person"')
    ]
    assert len(person_queries) == 1 and "COUNT(*) OVER ()" in person_queries[0]
    page = first.context["page"]
    assert list(page) == ordered[:25]
    assert page.paginator.count == 28 and page.paginator.num_pages == 2
    assert "28 treff" in first.content.decode()
    second = client.get(url, {"q": "bergsen", "side": "2"}).context["page"]
    assert (second.number, list(second)) == (2, ordered[25:])
    # Past the last page, or not a number: the nearest page, as every list gives it.
    assert list(client.get(url, {"q": "bergsen", "side": "9"}).context["page"]) == ordered[25:]
    assert client.get(url, {"q": "bergsen", "side": "x"}).context["page"].number == 1
    assert client.get(url, {"q": "bergsen", "side": "0"}).context["page"].number == 2
    assert client.get(url, {"q": "bergsen", "side": "9" * 30}).context["page"].number == 2
    # Only the persons shown are logged as read (the first page was read twice).
    logged = AccessEvent.objects.filter(actor=sara, what="person_list", path__endswith="bergsen")
    assert sorted(logged.values_list("person_id", flat=True)) == sorted(
        2 * [p.pk for p in ordered[:25]]
    )


def test_a_search_without_hits_says_so(sara, raelingen) -> None:
    PersonFactory(municipality=raelingen, family_name="Dahl")
    response = _client(sara).get(reverse("people:person_list"), {"q": "Zzyzx"})
    assert response.context["page"].paginator.count == 0
    assert list(response.context["page"]) == []
    assert not AccessEvent.objects.filter(what="person_list").exists()


def test_the_name_search_combines_terms_and_finds_given_names_too(sara, raelingen) -> None:
    kari = PersonFactory(municipality=raelingen, given_name="Kari", family_name="Nordmann")
    PersonFactory(municipality=raelingen, given_name="Ola", family_name="Nordmann")
    client = _client(sara)
    assert list(client.get(reverse("people:person_list"), {"q": "KAR"}).context["page"]) == [kari]
    both = client.get(reverse("people:person_list"), {"q": "kari nord"}).context["page"]
    assert list(both) == [kari]
