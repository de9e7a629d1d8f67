"""Every staff page that names a person writes an access event for that person (issue 10.3).

The walk goes through every URL pattern of the project (``RULES`` in the URL access test says
which object each path parameter means, and fails for a pattern without a rule), opens each
page as every staff role of Rælingen, and looks in the response for each person's name or
identity number and each household's name. A page that shows a person must have written an
access event for them in that request (for a household named only by its name: for its main
applicant), with the unit the reader acted for; a page that shows nobody may write nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Max
from django.test import Client
from django.urls import reverse

from husly.audit.models import AccessEvent
from husly.organisation.models import Unit
from husly.people.models import Household, Person, Relation
from husly.portal.views import WHAT_LABELS
from tests.conftest import _user
from tests.security.test_url_access import (  # noqa: F401 - world is a fixture
    CASE,
    MUNICIPALITY,
    PATTERNS,
    PERSON,
    RULES,
    STAFF,
    _url,
    world,
)

pytestmark = pytest.mark.django_db

TEXT_TYPES = ("text/html", "application/json")


@pytest.fixture
def staff(sara, geir, arne, eirik, lise, housing_office, raelingen):  # type: ignore[no-untyped-def]
    """One user per staff role in Rælingen (the allocation member in the housing office, the
    follow-up worker in the follow-up unit)."""
    follow_up = Unit.objects.create(municipality=raelingen, name="Booppfølging", kind="follow_up")
    return {
        "caseworker": sara,
        "approver": geir,
        "administrator": arne,
        "property": eirik,
        "leader": lise,
        "allocation_member": _user("tone", housing_office, "allocation_member"),
        "follow_up": _user("bente", follow_up, "follow_up"),
    }


@pytest.fixture
def walk_world(request, staff):  # type: ignore[no-untyped-def]
    """The URL access test's world, with a household name that occurs nowhere else, and the
    lease followed up by the follow-up unit (so the follow-up worker has pages to open)."""
    objects = request.getfixturevalue("world")
    household = objects["household"]
    household.name = "Husstanden Tveitevåg"
    household.save()
    lease = objects["lease"]
    lease.follow_up_unit = staff["follow_up"].memberships.get().unit
    lease.save()
    return objects


def _urls(objects: dict[str, Any]) -> list[tuple[str, str]]:
    """Every GET page for staff: the rules' pages, and pending patterns without parameters."""
    urls = [
        (name, _url(name, rule, objects))
        for name, rule in sorted(RULES.items())
        if rule.level in {STAFF, MUNICIPALITY, PERSON, CASE} and rule.method == "get"
    ]
    urls += [
        (name, "/" + route)
        for name, route in PATTERNS
        if name not in RULES and "<" not in route and not name.startswith("portal:")
    ]
    return urls


def _named(body: str) -> set[int]:
    """Ids of the persons the page names (name or identity number), and of the main applicants
    of the households it names."""
    shown = {
        person.pk
        for person in Person.objects.all()
        if person.full_name in body or (person.national_id and person.national_id in body)
    }
    for household in Household.objects.prefetch_related("members"):
        if household.name in body:
            shown |= {
                m.person_id for m in household.members.all() if m.relation == Relation.APPLICANT
            }
    return shown


def test_every_page_that_shows_a_person_logs_the_read(walk_world, staff) -> None:
    problems = []
    whats = set()
    pages_with_persons = 0
    for role, user in staff.items():
        client = Client()
        client.force_login(user)
        for name, url in _urls(walk_world):
            before = AccessEvent.objects.aggregate(last=Max("pk"))["last"] or 0
            response = client.get(url)
            kind = response.get("Content-Type", "")
            if response.status_code != 200 or not kind.startswith(TEXT_TYPES):
                continue
            body = b"".join(response).decode() if response.streaming else response.content.decode()
            events = list(AccessEvent.objects.filter(pk__gt=before))
            whats |= {e.what for e in events}
            logged = {e.person_id for e in events if e.actor_id == user.pk}
            shown = _named(body)
            pages_with_persons += bool(shown)
            if shown - logged:
                problems.append((role, name, "not logged", sorted(shown - logged)))
            if any(e.unit_id is None or not e.role for e in events):
                problems.append((role, name, "an event without the reader's unit and role"))
    assert not problems, "\n".join(map(str, problems))
    assert pages_with_persons > 40  # the walk really saw persons (the test can fail)
    # Min side says in words what each read was.
    assert whats - set(WHAT_LABELS) == set()


def test_the_walk_catches_an_unlogged_page(walk_world, sara) -> None:
    """The detector itself: the household list names the applicant, so it must be logged."""
    client = Client()
    client.force_login(sara)
    body = client.get(reverse("people:household_list")).content.decode()
    assert walk_world["person"].pk in _named(body)


def test_a_list_logs_in_one_insert_whatever_its_length(sara, routing, raelingen) -> None:
    """The case list costs the same number of queries for one case as for five."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from husly.cases import actions as case_actions
    from tests.cases.helpers import ELIGIBLE
    from tests.factories import HouseholdFactory

    def add_case() -> None:
        case_actions.case_create(
            actor=sara,
            household=HouseholdFactory(municipality=raelingen),
            channel="meeting",
            help_kinds=["rental_dwelling"],
            data=ELIGIBLE,
            submit=True,
        )

    client = Client()
    client.force_login(sara)

    def queries() -> tuple[int, int]:
        before = AccessEvent.objects.count()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("cases:case_list")).status_code == 200
        inserts = [q for q in captured if q["sql"].startswith('INSERT INTO "audit_accessevent"')]
        assert len(inserts) == 1
        return len(captured), AccessEvent.objects.count() - before

    add_case()
    one, logged_one = queries()
    for _ in range(4):
        add_case()
    five, logged_five = queries()
    assert (logged_one, logged_five) == (1, 5)
    assert five == one
