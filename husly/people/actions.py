"""State changes of persons and households. Each is atomic and audited."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from husly.audit.events import record_change
from husly.core.actions import create_audited, update_audited
from husly.organisation.access import PEOPLE_READ, PEOPLE_WRITE, require_permission
from husly.organisation.models import User
from husly.people.models import (
    Household,
    HouseholdMember,
    Person,
    Relation,
    StatedMember,
    StatedMemberStatus,
)
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
    require_permission(actor, person.municipality_id, PEOPLE_READ)
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
    require_permission(actor, household.municipality_id, PEOPLE_READ)
    persons = [m.person for m in household.members.select_related("person")]
    log_reads(
        user=actor,
        persons=persons,
        what=EMERGENCY,
        path=path,
        emergency=True,
        reason=_emergency_reason(reason),
    )


def _applicant_id(household: Household) -> int | None:
    member = household.members.filter(relation=Relation.APPLICANT).first()
    return member.person_id if member else None


@transaction.atomic
def household_member_state(
    *, actor: User, household: Household, data: Mapping[str, Any]
) -> StatedMember:
    """Record a member as the resident stated them in Min side, unchecked: no person record is
    looked up or linked (a caseworker does that, ``stated_member_confirm``)."""
    require_permission(actor, household.municipality_id, household_id=household.pk)
    stated = StatedMember(household=household, stated_by=actor, **data)
    return create_audited(
        actor=actor,
        action="household_member_state",
        instance=stated,
        municipality=household.municipality,
        person_id=_applicant_id(household),
    )


def stated_member_match(stated: StatedMember) -> Person | None:
    """The registered person the statement points to: the same identity number in the
    household's municipality (none without a number: the caseworker registers a new person)."""
    if not stated.national_id:
        return None
    return Person.objects.filter(
        municipality_id=stated.household.municipality_id, national_id=stated.national_id
    ).first()


def _locked_pending(actor: User, stated: StatedMember) -> StatedMember:
    require_permission(actor, stated.household.municipality_id, PEOPLE_WRITE, stacklevel=2)
    locked = StatedMember.objects.select_for_update().select_related("household").get(pk=stated.pk)
    if locked.status != StatedMemberStatus.PENDING:
        raise ValidationError(_("This member has already been checked."))
    return locked


@transaction.atomic
def stated_member_confirm(*, actor: User, stated: StatedMember) -> HouseholdMember:
    """A caseworker has checked a stated member against the registers: the registered person
    with the stated identity number becomes a member of the household, or, when none is
    registered, a new person is registered from the statement and becomes one."""
    locked = _locked_pending(actor, stated)
    household = locked.household
    person = stated_member_match(locked)
    if person is None:
        person = person_create(
            actor=actor,
            data={
                "municipality": household.municipality,
                "given_name": locked.given_name,
                "family_name": locked.family_name,
                "national_id": locked.national_id,
                "date_of_birth": locked.date_of_birth,
            },
        )
    member = household.members.filter(person=person).first() or household_member_add(
        actor=actor, household=household, person=person, relation=locked.relation
    )
    locked.status = StatedMemberStatus.CONFIRMED
    locked.person = person
    locked.checked_by = actor
    locked.checked_at = timezone.now()
    locked.save(update_fields=["status", "person", "checked_by", "checked_at"])
    record_change(
        actor=actor,
        action="stated_member_confirm",
        instance=locked,
        municipality=household.municipality,
        changes={
            "status": [StatedMemberStatus.PENDING, StatedMemberStatus.CONFIRMED],
            "person_id": [None, person.pk],
        },
        person_id=person.pk,
    )
    return member


@transaction.atomic
def stated_member_reject(*, actor: User, stated: StatedMember) -> StatedMember:
    """A caseworker has checked a stated member and does not add them (not the person the
    registers know by that number, or not living in the household)."""
    locked = _locked_pending(actor, stated)
    locked.status = StatedMemberStatus.REJECTED
    locked.checked_by = actor
    locked.checked_at = timezone.now()
    locked.save(update_fields=["status", "checked_by", "checked_at"])
    record_change(
        actor=actor,
        action="stated_member_reject",
        instance=locked,
        municipality=locked.household.municipality,
        changes={"status": [StatedMemberStatus.PENDING, StatedMemberStatus.REJECTED]},
        person_id=_applicant_id(locked.household),
    )
    return locked
