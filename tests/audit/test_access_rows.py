"""The access events a page writes, column by column (issue 17: the read audit in one statement).

``log_reads`` and ``log_household_reads`` write their events with one ``INSERT … SELECT`` and no
model instances; every column must still be what the model would have been given: the reader,
the person and the person's municipality, what and where (cut to the column's length), the reason
and the emergency mark, and the role and unit that gave access in that municipality (the register
role, else any role held there, else none).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from husly.audit import partitions
from husly.audit.models import AccessEvent
from husly.organisation.access import membership_rows
from husly.organisation.models import Membership, Municipality, Unit, UnitKind, User
from husly.people.models import HouseholdMember
from husly.people.selectors import log_household_reads, log_reads
from tests.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db

COLUMNS = (
    "actor_id",
    "municipality_id",
    "person_id",
    "what",
    "path",
    "reason",
    "role",
    "unit_id",
    "emergency",
)


@pytest.fixture
def places(raelingen: Municipality, lorenskog: Municipality) -> dict[str, object]:
    """A reader who leads the housing office and follows up from NAV in Rælingen (the register
    role is the follow-up one), manages property in Lørenskog (no register role there), and holds
    nothing in Nittedal."""
    nittedal = Municipality.objects.create(number="3233", name="Nittedal")
    office = Unit.objects.create(
        municipality=raelingen, name="Tjenestekontoret", kind=UnitKind.HOUSING_OFFICE
    )
    nav = Unit.objects.create(municipality=raelingen, name="NAV Rælingen", kind=UnitKind.NAV)
    estates = Unit.objects.create(municipality=lorenskog, name="Eiendom", kind=UnitKind.PROPERTY)
    reader = User.objects.create_user(username="mona", password="x-long-enough-password")
    Membership.objects.create(user=reader, unit=office, role="leader")
    Membership.objects.create(user=reader, unit=nav, role="follow_up")
    Membership.objects.create(user=reader, unit=estates, role="property")
    return {
        "reader": reader,
        "raelingen": raelingen,
        "lorenskog": lorenskog,
        "nittedal": nittedal,
        "nav": nav,
        "estates": estates,
    }


def _household(municipality: Municipality, applicant: object, *members: tuple[object, str]) -> int:
    household = HouseholdFactory(municipality=municipality, applicant=applicant)
    for person, relation in members:
        HouseholdMember.objects.create(household=household, person=person, relation=relation)
    return household.pk


def _written(since: int) -> tuple[list[tuple[object, ...]], set[dt.datetime]]:
    events = AccessEvent.objects.filter(pk__gt=since).order_by("pk")
    return list(events.values_list(*COLUMNS)), set(events.values_list("at", flat=True))


def _last() -> int:
    return AccessEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_household_reads_write_every_column_in_one_statement(places) -> None:
    reader, nav, estates = places["reader"], places["nav"], places["estates"]
    here, there, elsewhere = places["raelingen"], places["lorenskog"], places["nittedal"]
    kari = PersonFactory(municipality=here)
    child = PersonFactory(municipality=here)
    per = PersonFactory(municipality=there)
    ola = PersonFactory(municipality=elsewhere)
    first = _household(here, kari, (child, "child"))
    second = _household(there, per)
    third = _household(elsewhere, ola, (kari, "partner"))
    what, path = "w" * 250, "/p" * 200
    rows = {
        kari: (here.pk, "follow_up", nav.pk),
        child: (here.pk, "follow_up", nav.pk),
        per: (there.pk, "property", estates.pk),
        ola: (elsewhere.pk, "", None),
    }

    def expected(*persons) -> list[tuple[object, ...]]:
        return [
            (reader.pk, rows[p][0], p.pk, what[:200], path[:300], "", rows[p][1], rows[p][2], False)
            for p in persons
        ]

    membership_rows(reader)  # read once per request, before the page logs anything
    before, since = timezone.now(), _last()
    with CaptureQueriesContext(connection) as queries:
        log_household_reads(
            user=reader, household_ids=[third, None, first, second, first], what=what, path=path
        )
    assert len(queries) == 1
    assert queries[0]["sql"].startswith('INSERT INTO "audit_accessevent"')
    written, ats = _written(since)
    assert written == expected(kari, per, ola)  # the applicants, in the members' order
    assert len(ats) == 1 and before <= ats.pop() <= timezone.now()

    since = _last()
    log_household_reads(
        user=reader, household_ids=[first, second, third], what=what, path=path, everyone=True
    )
    # Kari is in two of the households: logged once.
    assert _written(since)[0] == expected(kari, child, per, ola)

    since = _last()
    with CaptureQueriesContext(connection) as queries:
        log_household_reads(user=reader, household_ids=[None], what=what, path=path)
    assert len(queries) == 0
    assert _written(since)[0] == []


def test_person_reads_write_every_column_with_the_role_given(places) -> None:
    reader, nav, estates = places["reader"], places["nav"], places["estates"]
    here, there, elsewhere = places["raelingen"], places["lorenskog"], places["nittedal"]
    kari, per, ola = (PersonFactory(municipality=m) for m in (here, there, elsewhere))
    persons = [per, kari, ola, kari]  # a person shown twice is logged twice

    since = _last()
    log_reads(user=reader, persons=persons, what="person_list", path="/personer/?q=x")
    assert _written(since)[0] == [
        (
            reader.pk,
            there.pk,
            per.pk,
            "person_list",
            "/personer/?q=x",
            "",
            "property",
            estates.pk,
            False,
        ),
        (
            reader.pk,
            here.pk,
            kari.pk,
            "person_list",
            "/personer/?q=x",
            "",
            "follow_up",
            nav.pk,
            False,
        ),
        (reader.pk, elsewhere.pk, ola.pk, "person_list", "/personer/?q=x", "", "", None, False),
        (
            reader.pk,
            here.pk,
            kari.pk,
            "person_list",
            "/personer/?q=x",
            "",
            "follow_up",
            nav.pk,
            False,
        ),
    ]

    # A role given with its unit counts everywhere; without a unit the municipality's own.
    since = _last()
    log_reads(
        user=reader,
        persons=[kari, per],
        what="case_detail",
        path="/saker/1/",
        via=("caseworker", estates.pk),
        emergency=True,
        reason="r" * 400,
    )
    assert _written(since)[0] == [
        (
            reader.pk,
            here.pk,
            kari.pk,
            "case_detail",
            "/saker/1/",
            "r" * 300,
            "caseworker",
            estates.pk,
            True,
        ),
        (
            reader.pk,
            there.pk,
            per.pk,
            "case_detail",
            "/saker/1/",
            "r" * 300,
            "caseworker",
            estates.pk,
            True,
        ),
    ]
    since = _last()
    log_reads(user=reader, persons=[kari, per], what="x", path="/", via=("approver", None))
    assert [(row[6], row[7]) for row in _written(since)[0]] == [
        ("follow_up", nav.pk),
        ("property", estates.pk),
    ]

    since = _last()
    with CaptureQueriesContext(connection) as queries:
        log_reads(user=reader, persons=[], what="x", path="/")
    assert len(queries) == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="partitioned on PostgreSQL only")
def test_the_events_land_in_their_months_partition(places) -> None:
    kari = PersonFactory(municipality=places["raelingen"])
    household = _household(places["raelingen"], kari)
    since = _last()
    log_household_reads(user=places["reader"], household_ids=[household], what="x", path="/")
    log_reads(user=places["reader"], persons=[kari], what="y", path="/")
    month = partitions.partition_name(partitions.first_of_month(timezone.localdate()))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM audit_accessevent WHERE id > %s", [since]
        )
        assert [row[0] for row in cursor.fetchall()] == [month, month]
