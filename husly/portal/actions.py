"""What a resident does in the self-service pages: apply (one door in), withdraw and appeal.

The resident is the actor of every change, so the audit log shows that the household itself
registered the application.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from husly.cases import actions as case_actions
from husly.cases.models import Case, Channel, CloseReason, DecisionStatus, WithdrawnHow
from husly.organisation.access import require_permission
from husly.organisation.models import Municipality, User
from husly.people import actions as people_actions
from husly.people.models import Household, Person, Relation
from husly.portal import selectors


def _person(actor: User, municipality: Municipality, data: Mapping[str, Any]) -> Person:
    national_id = data.get("national_id") or ""
    if national_id:
        existing = Person.objects.filter(municipality=municipality, national_id=national_id).first()
        if existing is not None:
            return existing
    return people_actions.person_create(actor=actor, data={"municipality": municipality, **data})


@transaction.atomic
def portal_application_create(
    *,
    actor: User,
    municipality: Municipality,
    applicant: Mapping[str, Any],
    members: Iterable[Mapping[str, Any]],
    help_kinds: Iterable[str],
    data: Mapping[str, Any],
    submit: bool,
) -> Case:
    """The resident applies for their household. The resident's own person is found by the
    identity number they logged in with, or registered; so are the members they list."""
    require_permission(actor, municipality.pk, any_resident=True)
    me = _person(actor, municipality, {**applicant, "national_id": actor.resident.national_id})
    household = Household.objects.filter(
        municipality=municipality, members__person=me, members__relation=Relation.APPLICANT
    ).first()
    if household is None:
        household = people_actions.household_create(
            actor=actor, applicant=me, data={"municipality": municipality, "name": me.family_name}
        )
    for member in members:
        person = _person(actor, municipality, {k: v for k, v in member.items() if k != "relation"})
        if person.pk == me.pk:
            raise ValidationError(_("You are already the main applicant."))
        if not household.members.filter(person=person).exists():
            people_actions.household_member_add(
                actor=actor, household=household, person=person, relation=member["relation"]
            )
    return case_actions.case_create(
        actor=actor,
        household=household,
        channel=Channel.SELF_SERVICE,
        help_kinds=help_kinds,
        data=data,
        submit=submit,
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
