"""The role checks the outside review found missing (issue 10 item 4), through the pages, and
the refused page itself (issue 11 item 15): Norwegian, in the site's shell, with a way back.

The action table (test_action_permissions.py) tries every role on every action; these tests
follow the three reported faults end to end and check that menus and buttons offer only what
the role can do.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from husly.allocation import actions as allocation
from husly.cases import actions as cases
from husly.cases.models import Decision, DecisionStatus
from husly.organisation.models import Unit, User
from husly.tenancy import actions as tenancy
from husly.tenancy.models import Lease, LeaseStatus
from tests.allocation.helpers import (
    approve,
    entry_of,
    lease_in_force,
    make_dwelling,
    make_household,
)
from tests.cases.helpers import ELIGIBLE
from tests.conftest import _user

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _awaiting(sara: User, household) -> Decision:  # type: ignore[no-untyped-def]
    case = cases.case_create(
        actor=sara,
        household=household,
        channel="meeting",
        help_kinds=["deposit_guarantee"],
        data=ELIGIBLE,
        submit=True,
    )
    decision = cases.decision_draft(
        actor=sara,
        case=case,
        data={
            "help_kind": "deposit_guarantee",
            "kind": "refusal",
            "facts": "Fakta.",
            "reasoning": "Grunner.",
        },
    )
    return cases.decision_submit(actor=sara, decision=decision)


def _assert_refused_page(response) -> None:  # type: ignore[no-untyped-def]
    """A 403 in the site's shell: Norwegian, a main landmark, the menu, a way back."""
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="nb"' in html
    assert '<main id="main"' in html
    assert 'aria-label="Hovedmeny"' in html
    assert "Du har ikke tilgang til dette" in html
    assert "Gå til startsiden" in html
    assert "Forbidden" not in html


def test_an_allocation_meeting_member_cannot_return_a_decision_to_draft(
    sara, routing, household
) -> None:
    housing_office = Unit.objects.get(name="Tjenestekontoret")
    tone = _user("tone", housing_office, "allocation_member")
    decision = _awaiting(sara, household)
    page = _client(tone).get(reverse("cases:decision_detail", args=[decision.pk]))
    assert page.status_code == 200
    assert reverse("cases:decision_step", args=[decision.pk, "return"]) not in page.content.decode()
    response = _client(tone).post(
        reverse("cases:decision_step", args=[decision.pk, "return"]),
        {"comment": "Send tilbake."},
        HTTP_REFERER="http://testserver" + reverse("cases:decision_detail", args=[decision.pk]),
    )
    _assert_refused_page(response)
    assert "Tilbake" in response.content.decode()  # the way back to the decision
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.AWAITING_APPROVAL


def test_an_approver_of_another_unit_cannot_approve_or_return(sara, routing, household) -> None:
    """``routing`` is NAV: an approver there holds no part of a housing office case."""
    decision = _awaiting(sara, household)
    nav_approver = _user("per", routing, "approver")
    client = _client(nav_approver)
    for step in ("approve", "return"):
        response = client.post(
            reverse("cases:decision_step", args=[decision.pk, step]), {"comment": "x"}
        )
        assert response.status_code == 404  # NAV does not see the case at all
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.AWAITING_APPROVAL


def test_only_allocation_and_property_staff_end_or_renew_a_lease(
    sara, geir, eirik, raelingen, routing
) -> None:
    household = make_household(raelingen, "Berg")
    approve(sara, geir, household)
    home = make_dwelling(raelingen, eirik)
    offer = allocation.offer_make(actor=sara, entry=entry_of(household), dwelling=home)
    allocation.offer_accept(actor=sara, offer=offer)
    lease = lease_in_force(
        sara,
        tenancy.lease_create(
            actor=sara, offer=offer, data=tenancy.default_terms(home, timezone.localdate())
        ),
    )
    assert lease.status == LeaseStatus.ACTIVE
    nav_caseworker = _user("nora", routing, "caseworker")
    client = _client(nav_caseworker)
    detail = client.get(reverse("tenancy:lease_detail", args=[lease.pk])).content.decode()
    assert reverse("tenancy:lease_step", args=[lease.pk, "avslutt"]) not in detail
    assert reverse("tenancy:lease_step", args=[lease.pk, "fornyelse"]) not in detail
    for step, data in (
        ("avslutt", {"ended_on": timezone.localdate().isoformat(), "reason": "moved_out"}),
        ("fornyelse", {}),
    ):
        response = client.post(reverse("tenancy:lease_step", args=[lease.pk, step]), data)
        _assert_refused_page(response)
        assert "eiendomsforvalter" in response.content.decode()  # says who may
    lease.refresh_from_db()
    assert lease.status == LeaseStatus.ACTIVE and not lease.renewals.exists()
    # The property manager still can, and sees the buttons.
    detail = _client(eirik).get(reverse("tenancy:lease_detail", args=[lease.pk])).content.decode()
    assert reverse("tenancy:lease_step", args=[lease.pk, "avslutt"]) in detail
    response = _client(eirik).post(
        reverse("tenancy:lease_step", args=[lease.pk, "avslutt"]),
        {
            "ended_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
            "reason": "moved_out",
        },
    )
    assert response.status_code == 302
    assert Lease.objects.get(pk=lease.pk).status == LeaseStatus.ENDED


def test_only_the_roles_in_the_role_table_open_a_persons_access_log(
    sara, geir, eirik, arne, raelingen, housing_office, routing, household
) -> None:
    """Need to know comes first: a reader without a part in the household does not see the
    person at all (404). A reader who sees the person but whose role may not read the access
    log is refused the log (403) and is not offered the link."""
    follow_up_unit = Unit.objects.create(
        municipality=raelingen, name="Oppfølgingstjenesten", kind="follow_up"
    )
    approve(sara, geir, household, follow_up_unit)
    home = make_dwelling(raelingen, eirik)
    offer = allocation.offer_make(actor=sara, entry=entry_of(household), dwelling=home)
    allocation.offer_accept(actor=sara, offer=offer)
    lease_in_force(
        sara,
        tenancy.lease_create(
            actor=sara, offer=offer, data=tenancy.default_terms(home, timezone.localdate())
        ),
    )
    person = household.members.get(relation="applicant").person
    url = reverse("people:person_access_log", args=[person.pk])
    detail = reverse("people:person_detail", args=[person.pk])
    # A unit with no part in the household (no case, consent, decision or lease of it): the
    # person is not there for its staff.
    health = Unit.objects.create(municipality=raelingen, name="Helse og omsorg", kind="health_care")
    stranger = _client(_user("u-stranger", health, "follow_up"))
    assert stranger.get(detail).status_code == 404
    assert stranger.get(url).status_code == 404
    # Sees the person (the whole municipality; the unit following up the lease), not the log.
    for user in (
        _user("u-allocation", housing_office, "allocation_member"),
        _user("u-follow-up", follow_up_unit, "follow_up"),
    ):
        client = _client(user)
        page = client.get(detail)
        assert page.status_code == 200
        assert url not in page.content.decode()
        _assert_refused_page(client.get(url))
    for user in (sara, arne):
        client = _client(user)
        assert url in client.get(detail).content.decode()
        assert client.get(url).status_code == 200


ROLES = [
    "caseworker",
    "approver",
    "allocation_member",
    "property",
    "collections",
    "follow_up",
    "leader",
    "administrator",
]


@pytest.mark.parametrize("role", [*ROLES, "nav caseworker"])
def test_every_menu_item_opens_for_the_role_that_sees_it(
    role, raelingen, housing_office, routing
) -> None:
    """Menus show only what the role can do: every item answers 200, never 403."""
    if role == "nav caseworker":
        user = _user("nora", routing, "caseworker")
    else:
        user = _user("u", housing_office, role)
    client = _client(user)
    home = client.get("/").content.decode()
    menu = re.search(r'<nav aria-label="Hovedmeny".*?</nav>', home, re.DOTALL)
    assert menu is not None
    links = re.findall(r'href="([^"]+)"', menu.group(0))
    assert links
    for link in links:
        assert client.get(link).status_code == 200, link
    waiting_list = reverse("allocation:waiting_list")
    if role in {"caseworker", "approver", "allocation_member"}:
        assert waiting_list in links
    else:  # NAV's caseworkers handle no municipal dwellings
        assert waiting_list not in links


def test_a_page_that_does_not_exist_is_norwegian_in_the_sites_shell(sara) -> None:
    response = _client(sara).get("/finnes-ikke/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<main id="main"' in html and 'aria-label="Hovedmeny"' in html
    assert "Vi fant ikke siden" in html and "Gå til startsiden" in html
    assert "Not Found" not in html


def test_the_way_back_never_leads_off_the_site(sara, housing_office) -> None:
    follow_up = _user("frida", housing_office, "follow_up")
    response = _client(follow_up).get(
        reverse("organisation:unit_create"), HTTP_REFERER="https://evil.example/"
    )
    _assert_refused_page(response)
    assert "evil.example" not in response.content.decode()
