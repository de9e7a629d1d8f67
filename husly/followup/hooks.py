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


ANON = "[anonymisert]"


def blank_household(household_id: int) -> dict[str, int]:
    """When the retention job anonymises a household, the free text the follow-up service wrote
    about it is blanked, warning letters deleted, and the change events holding copies purged."""
    from husly.audit.models import ChangeEvent
    from husly.followup.models import (
        Contact,
        HousingPlan,
        Incident,
        Inspection,
        RefusalFollowUp,
        WrittenWarning,
    )
    from husly.retention.jobs import audit_purge

    blanks = {
        HousingPlan: {"goals": ANON, "services": ANON},
        Incident: {"description": ANON, "reported_by": ""},
        WrittenWarning: {
            "present": ANON,
            "problems": ANON,
            "plan": ANON,
            "letter_sha256": "",
            "letter": "",
        },
        Inspection: {"state": ANON, "maintenance_needs": "", "service_needs": "", "inspectors": ""},
        MoveOut: {"repairs": ""},
        RefusalFollowUp: {"referred_to": ANON, "outcome": ""},
    }
    count = 0
    deleted = 0
    for model, values in blanks.items():
        rows = model.objects.filter(household_id=household_id)  # type: ignore[attr-defined]
        ids = [str(pk) for pk in rows.values_list("pk", flat=True)]
        if model is WrittenWarning:
            for warning in rows:
                if warning.letter:
                    warning.letter.delete(save=False)
        count += rows.update(**values)
        deleted += audit_purge(
            ChangeEvent.objects.filter(object_type=model._meta.label_lower, object_id__in=ids)
        )
    contacts = Contact.objects.filter(plan__household_id=household_id)
    ids = [str(pk) for pk in contacts.values_list("pk", flat=True)]
    count += contacts.update(note=ANON)
    deleted += audit_purge(
        ChangeEvent.objects.filter(object_type="followup.contact", object_id__in=ids)
    )
    return {"follow_up_records": count, "change_events_deleted": deleted}
