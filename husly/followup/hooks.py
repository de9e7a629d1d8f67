"""Persons the retention job must keep while the follow-up service still works with them."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from husly.followup.models import MoveOut, RefusalFollowUp
from husly.people.models import HouseholdMember

KEEP_AFTER_MOVE_OUT = dt.timedelta(days=365)
"""A move-out is kept one year after the last day (design default: the final settlement of
repairs and vacancy rent is done within it)."""


def followed_up_in_use(candidate_ids: set[int]) -> set[int]:
    """Members of a refused household with a follow-up not yet done, or of a household that
    moved out less than a year ago (plans, warnings and inspections of an active lease are
    kept by the tenancy's own hook)."""
    today = timezone.localdate()
    households = RefusalFollowUp.objects.filter(followed_up_on__isnull=True).values("household_id")
    recent = MoveOut.objects.filter(moving_out_on__gte=today - KEEP_AFTER_MOVE_OUT).values(
        "household_id"
    )
    return set(
        HouseholdMember.objects.filter(person_id__in=candidate_ids)
        .filter(Q(household_id__in=households) | Q(household_id__in=recent))
        .values_list("person_id", flat=True)
    )
