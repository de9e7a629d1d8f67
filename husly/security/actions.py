"""Changes to a staff member's second factor, each with its audit event."""

from __future__ import annotations

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from husly.audit.events import record_change
from husly.organisation.access import require_operator
from husly.organisation.models import User


@transaction.atomic
def totp_device_start(*, actor: User) -> TOTPDevice:
    """The user's unconfirmed authenticator (created on first use): shown as a QR code until
    the user proves it works with a code from the app."""
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("pk").first()
    if device is not None:
        return device
    device = TOTPDevice.objects.create(user=actor, name="Husly", confirmed=False)
    record_change(
        actor=actor,
        action="totp_device_start",
        instance=device,
        municipality=None,
        changes={"user": [None, actor.pk], "confirmed": [None, False]},
    )
    return device


@transaction.atomic
def totp_device_confirm(*, actor: User, device: TOTPDevice) -> TOTPDevice:
    """The user entered a valid code: the authenticator counts as a second factor from now."""
    locked = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=actor)
    if locked.confirmed:
        return locked
    locked.confirmed = True
    locked.save(update_fields=["confirmed"])
    record_change(
        actor=actor,
        action="totp_device_confirm",
        instance=locked,
        municipality=None,
        changes={"confirmed": [False, True]},
    )
    return locked


@transaction.atomic
def totp_devices_reset(*, actor: User | None, user: User) -> int:
    """Remove all of a user's authenticators (a lost phone); the next login enrols anew."""
    require_operator(actor)
    devices = list(TOTPDevice.objects.select_for_update().filter(user=user))
    for device in devices:
        record_change(
            actor=actor,
            action="totp_device_remove",
            instance=device,
            municipality=None,
            changes={"user": [user.pk, None]},
        )
    TOTPDevice.objects.filter(pk__in=[d.pk for d in devices]).delete()
    return len(devices)
