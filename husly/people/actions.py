"""State changes of persons and households. Each is atomic and audited."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from husly.audit.events import record_change
from husly.core.actions import create_audited, update_audited
from husly.organisation.access import PEOPLE_WRITE, require_permission
from husly.organisation.models import User
from husly.people.models import Household, HouseholdMember, Person, Relation
from husly.people.selectors import EMERGENCY, log_reads


@transaction.atomic
def person_create(*, actor: User | None, data: Mapping[str, Any]) -> Person:
    person = Person(**data)
    require_permission(actor, person.municipality_id, PEOPLE_WRITE)
    return create_audited(
        actor=actor, action="person_create", instance=person, municipality=person.municipality
    )


@transaction.atomic
def person_update(*, actor: User, person: Person, data: Mapping[str, Any]) -> Person:
    require_permission(actor, person.municipality_id, PEOPLE_WRITE)
    return update_audited(
        actor=actor,
        action="person_update",
        instance=person,
        data=data,
        municipality=person.municipality,
    )


@transaction.atomic
def household_create(
    *, actor: User | None, data: Mapping[str, Any], applicant: Person
) -> Household:
    """Create a household with its main applicant as the first member."""
    household = Household(**data)
    require_permission(actor, household.municipality_id, PEOPLE_WRITE)
    create_audited(
        actor=actor,
        action="household_create",
        instance=household,
        municipality=household.municipality,
        person_id=applicant.pk,
    )
    household_member_add(
        actor=actor, household=household, person=applicant, relation=Relation.APPLICANT
    )
    return household


@transaction.atomic
def household_update(*, actor: User, household: Household, data: Mapping[str, Any]) -> Household:
    require_permission(actor, household.municipality_id, PEOPLE_WRITE)
    return update_audited(
        actor=actor,
        action="household_update",
        instance=household,
        data=data,
        municipality=household.municipality,
    )


@transaction.atomic
def household_member_add(
    *,
    actor: User | None,
    household: Household,
    person: Person,
    relation: str,
    joint_custody: bool = False,
) -> HouseholdMember:
    require_permission(actor, household.municipality_id, PEOPLE_WRITE)
    if person.municipality_id != household.municipality_id:
        raise ValidationError({"person": _("The person belongs to another municipality.")})
    if household.members.filter(person=person).exists():
        raise ValidationError({"person": _("The person is already a member of this household.")})
    if relation == Relation.APPLICANT and household.members.filter(relation=relation).exists():
        raise ValidationError({"relation": _("The household already has a main applicant.")})
    member = HouseholdMember(
        household=household, person=person, relation=relation, joint_custody=joint_custody
    )
    return create_audited(
        actor=actor,
        action="household_member_add",
        instance=member,
        municipality=household.municipality,
    )


@transaction.atomic
def household_member_remove(*, actor: User, member: HouseholdMember) -> None:
    require_permission(actor, member.household.municipality_id, PEOPLE_WRITE)
    if member.relation == Relation.APPLICANT:
        raise ValidationError(
            _("The main applicant cannot be removed. Register another household instead.")
        )
    record_change(
        actor=actor,
        action="household_member_remove",
        instance=member,
        municipality=member.household.municipality,
        changes={"person_id": [member.person_id, None], "relation": [member.relation, None]},
        person_id=member.person_id,
    )
    member.delete()


EMERGENCY_REASON_MIN = 10
"""The shortest reason accepted for breaking the glass (a word or two is not a reason)."""


def _emergency_reason(reason: str) -> str:
    reason = " ".join(reason.split())
    if len(reason) < EMERGENCY_REASON_MIN:
        raise ValidationError(
            _("Write why you must open the data in an emergency (at least %(n)s characters).")
            % {"n": EMERGENCY_REASON_MIN},
            code="reason",
        )
    return reason[:300]


@transaction.atomic
def person_emergency_open(*, actor: User, person: Person, reason: str, path: str) -> None:
    """Break the glass: open a person the reader has no part in, for a while, giving the
    reason. Written as an emergency access event, which opens the door (see
    ``selectors.EMERGENCY_ACCESS``), stands out in the audit log and shows in Min side."""
    log_reads(
        user=actor,
        persons=[person],
        what=EMERGENCY,
        path=path,
        emergency=True,
        reason=_emergency_reason(reason),
    )


@transaction.atomic
def household_emergency_open(*, actor: User, household: Household, reason: str, path: str) -> None:
    """Break the glass for a household: one emergency access event per member."""
    persons = [m.person for m in household.members.select_related("person")]
    log_reads(
        user=actor,
        persons=persons,
        what=EMERGENCY,
        path=path,
        emergency=True,
        reason=_emergency_reason(reason),
    )
