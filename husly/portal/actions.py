"""What a resident does in the self-service pages: apply (one door in), withdraw and appeal.

The resident is the actor of every change, so the audit log shows that the household itself
registered the application.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from husly.cases import actions as case_actions
from husly.cases.models import Case, Channel, CloseReason, DecisionStatus, WithdrawnHow
from husly.core.actions import once_per_submission
from husly.organisation.access import require_permission
from husly.organisation.models import Municipality, User
from husly.people import actions as people_actions
from husly.people.models import Household, Person, Relation
from husly.portal import selectors


def _me(actor: User, municipality: Municipality, data: Mapping[str, Any]) -> Person:
    """The resident's own person: the one registered with the number they logged in with (the
    login has proved it is theirs), or a new one."""
    national_id = actor.resident.national_id
    existing = Person.objects.filter(municipality=municipality, national_id=national_id).first()
    if existing is not None:
        return existing
    return people_actions.person_create(
        actor=actor, data={"municipality": municipality, **data, "national_id": national_id}
    )


def portal_application_create(
    *,
    actor: User,
    municipality: Municipality,
    applicant: Mapping[str, Any],
    members: Iterable[Mapping[str, Any]],
    help_kinds: Iterable[str],
    data: Mapping[str, Any],
    submit: bool,
    submission_token: uuid.UUID | None = None,
) -> Case:
    """The resident applies for their household. The resident's own person is found by the
    identity number they logged in with, or registered. The members they list are recorded as
    stated and unchecked (``household_member_state``): an existing person record is never
    attached from self-service; a caseworker checks each member against the registers.

    With a ``submission_token`` (one per form shown) a second send of the same form (a double
    click, a reload) creates nothing and returns the case the first one created."""
    require_permission(actor, municipality.pk, any_resident=True)
    return once_per_submission(
        earlier=lambda: case_actions.case_for_submission(actor, submission_token),
        create=lambda: _application_create(
            actor=actor,
            municipality=municipality,
            applicant=applicant,
            members=members,
            help_kinds=help_kinds,
            data=data,
            submit=submit,
            submission_token=submission_token,
        ),
    )


@transaction.atomic
def _application_create(
    *,
    actor: User,
    municipality: Municipality,
    applicant: Mapping[str, Any],
    members: Iterable[Mapping[str, Any]],
    help_kinds: Iterable[str],
    data: Mapping[str, Any],
    submit: bool,
    submission_token: uuid.UUID | None,
) -> Case:
    me = _me(actor, municipality, applicant)
    household = Household.objects.filter(
        municipality=municipality, members__person=me, members__relation=Relation.APPLICANT
    ).first()
    if household is None:
        household = people_actions.household_create(
            actor=actor, applicant=me, data={"municipality": municipality, "name": me.family_name}
        )
    for member in members:
        national_id = member.get("national_id") or ""
        if national_id and national_id == me.national_id:
            raise ValidationError(_("You are already the main applicant."))
        if national_id and (
            household.members.filter(person__national_id=national_id).exists()
            or household.unchecked_members().filter(national_id=national_id).exists()
        ):
            continue  # already a member, or already stated and waiting to be checked
        people_actions.household_member_state(
            actor=actor,
            household=household,
            data={
                "given_name": member["given_name"],
                "family_name": member["family_name"],
                "national_id": national_id,
                "date_of_birth": member.get("date_of_birth"),
                "relation": member["relation"],
            },
        )
    return case_actions.case_create(
        actor=actor,
        household=household,
        channel=Channel.SELF_SERVICE,
        help_kinds=help_kinds,
        data=data,
        submit=submit,
        submission_token=submission_token,
    )


@transaction.atomic
def portal_application_withdraw(*, actor: User, case: Case) -> Case:
    """The household withdraws its sent application before anything is decided: the case is
    closed as withdrawn, with the resident as the actor and as the one who withdrew it. While
    a caseworker has a decision under way the resident is asked to contact the municipality,
    which discards the draft and closes the case (a decision half made is never dropped
    silently)."""
    require_permission(actor, case.municipality_id, household_id=case.household_id)
    if not selectors.can_withdraw(case):
        raise ValidationError(
            _(
                "An application can be withdrawn here only until a decision is made. "
                "Contact the municipality."
            )
        )
    if case.decisions.exclude(status=DecisionStatus.DISCARDED).exists():
        raise ValidationError(
            _(
                "The municipality is already preparing a decision in your case, so the "
                "application cannot be withdrawn here. Contact the municipality to withdraw it."
            )
        )
    return case_actions.case_close(
        actor=actor,
        case=case,
        reason=CloseReason.WITHDRAWN,
        withdrawn_by=selectors.me_in(actor, case),
        withdrawn_how=WithdrawnHow.SELF_SERVICE,
    )
