"""State changes of the needs survey (boligsosial lov § 5). Each is atomic, checks the actor's
role itself and writes its audit event in the same transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from husly.audit.events import record_change
from husly.core.actions import create_audited
from husly.needs.models import NeedsRegistration, NeedsRound, RoundStatus
from husly.needs.selectors import NEEDS_LEAD, NEEDS_REGISTER, identity_hash, registering_units
from husly.organisation.access import require_permission
from husly.organisation.models import Municipality, Unit, User
from husly.people.identity import InvalidIdentityNumber, parse_identity_number
from husly.people.models import Person

DESCRIPTION_FIELDS = (
    "household_type",
    "persons",
    "children",
    "age_group",
    "situation",
    "dwelling_need",
)


class AlreadyRegisteredError(ValidationError):
    """The person is already registered in the round by another unit: counted once; the
    second unit is told which unit registered the person."""


def needs_round_open(
    *, actor: User, municipality: Municipality, year: int, title: str, deadline: dt.date
) -> NeedsRound:
    require_permission(actor, municipality.pk, NEEDS_LEAD)
    with transaction.atomic():
        if NeedsRound.objects.filter(municipality=municipality, year=year).exists():
            raise ValidationError({"year": _("A needs survey round for this year already exists.")})
        return create_audited(
            actor=actor,
            action="needs_round_open",
            instance=NeedsRound(
                municipality=municipality,
                year=year,
                title=title,
                deadline=deadline,
                opened_by=actor,
            ),
            municipality=municipality,
        )


def needs_round_close(*, actor: User, needs_round: NeedsRound) -> NeedsRound:
    require_permission(actor, needs_round.municipality_id, NEEDS_LEAD)
    with transaction.atomic():
        locked = NeedsRound.objects.select_for_update().get(pk=needs_round.pk)
        if locked.status == RoundStatus.CLOSED:
            raise ValidationError(_("The round is already closed."))
        locked.status = RoundStatus.CLOSED
        locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "closed_at"])
        record_change(
            actor=actor,
            action="needs_round_close",
            instance=locked,
            municipality=locked.municipality,
            changes={"status": [RoundStatus.OPEN, RoundStatus.CLOSED]},
        )
        return locked


def needs_registration_create(
    *,
    actor: User,
    needs_round: NeedsRound,
    unit: Unit,
    national_id: str = "",
    data: dict[str, Any],
) -> NeedsRegistration:
    """Register a household the unit knows needs a home. With a national identity number, a
    person in the register is linked; otherwise only a keyed hash of the number is kept. The
    same person registered by another unit is refused with the name of that unit: the person
    is counted once."""
    require_permission(
        actor, needs_round.municipality_id, unit_roles=NEEDS_REGISTER, unit_ids=[unit.pk]
    )
    if unit.pk not in registering_units(actor, needs_round.municipality_id):
        raise ValidationError({"unit": _("Register for a unit you work in.")})
    if national_id.strip():
        try:
            national_id = parse_identity_number(
                national_id, allow_synthetic=settings.HUSLY_ALLOW_SYNTHETIC_IDS
            ).number
        except InvalidIdentityNumber as error:
            raise ValidationError({"national_id": str(error)}) from None
    else:
        national_id = ""
    with transaction.atomic():
        locked = NeedsRound.objects.select_for_update().get(pk=needs_round.pk)
        if locked.status != RoundStatus.OPEN:
            raise ValidationError(_("The round is closed: no more registrations."))
        digest = identity_hash(locked.pk, national_id) if national_id else ""
        if digest:
            earlier = locked.registrations.filter(identity_hash=digest).select_related("unit")
            first = earlier.first()
            if first is not None:
                raise AlreadyRegisteredError(
                    _(
                        "This person is already registered in this round by %(unit)s, and is "
                        "counted once. Talk to %(unit)s if you know more."
                    )
                    % {"unit": first.unit.name}
                )
        person = (
            Person.objects.filter(municipality_id=locked.municipality_id, national_id=national_id)
            .only("pk")
            .first()
            if national_id
            else None
        )
        children, persons = data.get("children"), data.get("persons")
        if children is not None and persons is not None and children >= persons:
            raise ValidationError(
                {"children": _("The children must be fewer than the persons in the household.")}
            )
        registration = NeedsRegistration(
            round=locked,
            unit=unit,
            person=person,
            identity_hash=digest,
            registered_by=actor,
            **{field: data[field] for field in DESCRIPTION_FIELDS if field in data},
        )
        return create_audited(
            actor=actor,
            action="needs_registration_create",
            instance=registration,
            municipality=locked.municipality,
            person_id=person.pk if person else None,
        )


def needs_registration_withdraw(*, actor: User, registration: NeedsRegistration) -> None:
    """Take back a registration made by mistake, while the round is open."""
    require_permission(
        actor,
        registration.round.municipality_id,
        unit_roles=NEEDS_REGISTER,
        unit_ids=[registration.unit_id],
    )
    with transaction.atomic():
        locked = NeedsRound.objects.select_for_update().get(pk=registration.round_id)
        if locked.status != RoundStatus.OPEN:
            raise ValidationError(_("The round is closed: registrations can no longer change."))
        record_change(
            actor=actor,
            action="needs_registration_withdraw",
            instance=registration,
            municipality=locked.municipality,
            changes={"withdrawn": [False, True]},
            person_id=registration.person_id,
        )
        registration.delete()
