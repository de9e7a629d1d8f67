"""State changes of buildings and dwellings. Each is atomic and audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from husly.core.actions import create_audited, update_audited
from husly.housing.models import Building, Dwelling, DwellingStatus, DwellingStatusChange
from husly.organisation.access import HOUSING_WRITE, require_permission
from husly.organisation.models import User


@transaction.atomic
def building_create(*, actor: User | None, data: Mapping[str, Any]) -> Building:
    building = Building(**data)
    require_permission(actor, building.municipality_id, HOUSING_WRITE)
    return create_audited(
        actor=actor, action="building_create", instance=building, municipality=building.municipality
    )


@transaction.atomic
def building_update(*, actor: User, building: Building, data: Mapping[str, Any]) -> Building:
    require_permission(actor, building.municipality_id, HOUSING_WRITE)
    return update_audited(
        actor=actor,
        action="building_update",
        instance=building,
        data=data,
        municipality=building.municipality,
    )


@transaction.atomic
def dwelling_create(
    *,
    actor: User | None,
    data: Mapping[str, Any],
    status: str = DwellingStatus.VACANT,
    status_from: dt.date | None = None,
) -> Dwelling:
    """Register a dwelling with its first status in the history."""
    dwelling = Dwelling(**data)
    require_permission(actor, dwelling.building.municipality_id, HOUSING_WRITE)
    dwelling.status = status
    create_audited(
        actor=actor,
        action="dwelling_create",
        instance=dwelling,
        municipality=dwelling.building.municipality,
    )
    with translation.override(dwelling.building.municipality.language_form):
        reason = _("Registered")  # record text: the municipality's written standard
    DwellingStatusChange.objects.create(
        dwelling=dwelling,
        status=status,
        valid_from=status_from or timezone.localdate(),
        reason=reason,
        actor=actor,
    )
    return dwelling


@transaction.atomic
def dwelling_update(*, actor: User, dwelling: Dwelling, data: Mapping[str, Any]) -> Dwelling:
    require_permission(actor, dwelling.building.municipality_id, HOUSING_WRITE)
    if "status" in data:
        msg = "Change the status with dwelling_status_change, which keeps the history."
        raise ValueError(msg)
    return update_audited(
        actor=actor,
        action="dwelling_update",
        instance=dwelling,
        data=data,
        municipality=dwelling.building.municipality,
    )


@transaction.atomic
def dwelling_status_change(
    *, actor: User | None, dwelling: Dwelling, status: str, valid_from: dt.date, reason: str
) -> Dwelling:
    """Move the dwelling to a new status from a date, keeping the history right.

    A change may not be dated before the current status began, so the history stays ordered.
    """
    require_permission(actor, dwelling.building.municipality_id, HOUSING_WRITE)
    if status not in DwellingStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    latest = dwelling.status_changes.order_by("-valid_from", "-recorded_at", "-pk").first()
    if latest is not None and valid_from < latest.valid_from:
        raise ValidationError(
            {
                "valid_from": _("The date cannot be before the current status began (%(date)s).")
                % {"date": latest.valid_from.strftime("%d.%m.%Y")}
            }
        )
    if status == dwelling.status:
        raise ValidationError({"status": _("The dwelling already has this status.")})
    update_audited(
        actor=actor,
        action="dwelling_status_change",
        instance=dwelling,
        data={"status": status},
        municipality=dwelling.building.municipality,
    )
    DwellingStatusChange.objects.create(
        dwelling=dwelling, status=status, valid_from=valid_from, reason=reason, actor=actor
    )
    return dwelling
