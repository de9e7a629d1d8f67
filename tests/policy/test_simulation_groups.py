"""The simulation follows refugees and young people as their own groups, read from the same
records and by the same definitions as fairness monitoring; substance use is not recorded and
nobody is put in it (the run page says so)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from husly.people.models import Person
from husly.policy import actions, inputs
from husly.simulation import GROUPS
from tests.allocation.helpers import approve, make_dwelling, make_household

pytestmark = pytest.mark.django_db


def test_refugees_and_young_people_are_their_own_groups(
    raelingen, routing, sara, geir, eirik, housing_office, lise
) -> None:  # type: ignore[no-untyped-def]
    family = make_household(raelingen, "Haugen", children=1)
    refugee = make_household(raelingen, "Ahmadi")
    young = make_household(raelingen, "Lund")
    other = make_household(raelingen, "Lie")
    for household in (family, refugee, young, other):
        approve(sara, geir, household)
    # what the records say about them (after the approvals, which assess other things)
    Person.objects.filter(pk=_applicant(refugee)).update(
        residence_permit="protection", date_of_birth=dt.date(1980, 5, 1)
    )
    Person.objects.filter(pk=_applicant(young)).update(date_of_birth=dt.date(2004, 5, 1))
    Person.objects.filter(pk=_applicant(other)).update(date_of_birth=dt.date(1970, 5, 1))
    make_dwelling(raelingen, eirik, rooms=2)
    # the day the records were made: the applications count in the year up to it
    today = timezone.localdate()

    waiting = inputs.waiting_list(raelingen, today)
    group_of = {
        hid: GROUPS[g]
        for hid, g in zip(_household_ids(waiting.id.tolist()), waiting.group.tolist(), strict=True)
    }
    assert group_of[family.pk] == "families_with_children"  # first in the order
    assert group_of[refugee.pk] == "refugees"
    assert group_of[young.pk] == "young"
    assert group_of[other.pk] == "other"
    assert "substance_use" not in group_of.values()

    counts, templates = inputs.history(raelingen, today)
    assert counts.applications[GROUPS.index("refugees")] == 1
    assert counts.applications[GROUPS.index("young")] == 1
    assert templates is not None and set(templates.group.tolist()) == {
        GROUPS.index(g) for g in ("families_with_children", "refugees", "young", "other")
    }

    run = actions.simulation_run(
        actor=lise,
        municipality=raelingen,
        label="Grupper",
        changes={},
        runs=5,
        horizon_months=12,
        seed=1,
        today=today,
    )
    client = Client()
    client.force_login(lise)
    page = client.get(reverse("policy:run_detail", args=[run.pk])).content.decode()
    assert "Rusmiddelbruk (ikke registrert i Husly)" in page
    assert "Flyktninger" in page and "Unge" in page


def _household_ids(entry_ids: list[int]) -> list[int]:
    from husly.allocation.models import WaitingListEntry

    of = dict(WaitingListEntry.objects.filter(pk__in=entry_ids).values_list("pk", "household_id"))
    return [of[e] for e in entry_ids]


def _applicant(household) -> int:  # type: ignore[no-untyped-def]
    from husly.people.models import HouseholdMember

    return HouseholdMember.objects.get(household=household, relation="applicant").person_id
