"""Persons the retention job must keep while their household has an open stay or a recorded
housing situation in force (husly.retention.hooks)."""

from __future__ import annotations

from django.db.models import Q

from husly.people.models import HouseholdMember
from husly.temporary.models import HousingSituation, Stay


def staying_persons(candidate_ids: set[int]) -> set[int]:
    households = Stay.objects.filter(ended_on__isnull=True).values("household_id")
    situations = HousingSituation.objects.filter(valid_to__isnull=True).values("household_id")
    return set(
        HouseholdMember.objects.filter(
            Q(household_id__in=households) | Q(household_id__in=situations),
            person_id__in=candidate_ids,
        ).values_list("person_id", flat=True)
    )
