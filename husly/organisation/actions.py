"""State changes of the organisation register. Each is atomic and audited."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from husly.audit.events import record_change
from husly.core.actions import create_audited, update_audited
from husly.organisation.access import (
    ORGANISATION_WRITE,
    municipality_ids,
    require_operator,
    require_permission,
)
from husly.organisation.models import Membership, Municipality, Unit, User


@transaction.atomic
def municipality_create(*, actor: User, data: Mapping[str, Any]) -> Municipality:
    require_operator(actor)
    municipality = Municipality(**data)
    return create_audited(
        actor=actor, action="municipality_create", instance=municipality, municipality=None
    )


@transaction.atomic
def municipality_update(
    *, actor: User, municipality: Municipality, data: Mapping[str, Any]
) -> Municipality:
    require_permission(
        actor, municipality.pk, ORGANISATION_WRITE, granted=bool(actor and actor.is_superuser)
    )
    return update_audited(
        actor=actor,
        action="municipality_update",
        instance=municipality,
        data=data,
        municipality=municipality,
    )


@transaction.atomic
def unit_create(*, actor: User, data: Mapping[str, Any]) -> Unit:
    unit = Unit(**data)
    require_permission(actor, unit.municipality_id, ORGANISATION_WRITE)
    return create_audited(
        actor=actor, action="unit_create", instance=unit, municipality=unit.municipality
    )


@transaction.atomic
def unit_update(*, actor: User, unit: Unit, data: Mapping[str, Any]) -> Unit:
    require_permission(actor, unit.municipality_id, ORGANISATION_WRITE)
    return update_audited(
        actor=actor, action="unit_update", instance=unit, data=data, municipality=unit.municipality
    )


@transaction.atomic
def staff_create(
    *, actor: User | None, data: Mapping[str, Any], unit: Unit, role: str, password: str | None
) -> User:
    """Create a staff user with a first membership. Without a password the user cannot log in
    until one is set (or until single sign-on is configured)."""
    require_permission(actor, unit.municipality_id, ORGANISATION_WRITE)
    staff = User(**data)
    if password:
        staff.set_password(password)
    else:
        staff.set_unusable_password()
    create_audited(
        actor=actor, action="staff_create", instance=staff, municipality=unit.municipality
    )
    membership_add(actor=actor, staff=staff, unit=unit, role=role)
    return staff


IDENTITY_FIELDS = frozenset({"username", "first_name", "last_name", "email"})
"""A staff member's identity: the name others see, the login name and the e-mail address."""


def identity_editable_by(actor: User, staff: User) -> bool:
    """May ``actor`` change ``staff``'s identity? Only when every municipality the staff member
    holds a role in is one the actor administers: an administrator of one municipality must not
    rename or re-email an account another municipality relies on."""
    theirs = set(staff.memberships.values_list("unit__municipality_id", flat=True))
    return bool(theirs) and theirs <= set(municipality_ids(actor, ORGANISATION_WRITE))


def identity_refusal(staff: User) -> str:
    return _(
        "%(name)s also has roles in a municipality you do not administer. Only an "
        "administrator of every municipality where the person works can change the name, "
        "username or e-mail address."
    ) % {"name": staff}


@transaction.atomic
def staff_update(*, actor: User, staff: User, data: Mapping[str, Any]) -> User:
    """Change a staff member's identity fields; refused unless the actor administers every
    municipality the staff member works in (``identity_editable_by``)."""
    if IDENTITY_FIELDS & set(data) and not identity_editable_by(actor, staff):
        raise ValidationError(identity_refusal(staff))
    return update_audited(
        actor=actor, action="staff_update", instance=staff, data=data, municipality=None
    )


@transaction.atomic
def membership_add(*, actor: User | None, staff: User, unit: Unit, role: str) -> Membership:
    require_permission(actor, unit.municipality_id, ORGANISATION_WRITE)
    membership = Membership(user=staff, unit=unit, role=role)
    return create_audited(
        actor=actor, action="membership_add", instance=membership, municipality=unit.municipality
    )


@transaction.atomic
def membership_remove(*, actor: User, membership: Membership) -> None:
    require_permission(actor, membership.unit.municipality_id, ORGANISATION_WRITE)
    record_change(
        actor=actor,
        action="membership_remove",
        instance=membership,
        municipality=membership.unit.municipality,
        changes={"user_id": [membership.user_id, None], "role": [membership.role, None]},
    )
    membership.delete()
