"""Logging residents in: the seam between ID-porten (OIDC, husly.security.oidc) or the development
login and the portal. Both end in ``resident_user``."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest

from husly.audit.events import record_change
from husly.organisation.models import User
from husly.people.identity import parse_identity_number
from husly.portal.models import ResidentAccount


@transaction.atomic
def resident_user(
    *, request: HttpRequest | None, national_id: str, claims: dict[str, Any] | None = None
) -> User:
    """The resident's user for ``national_id``, created on first login. Never a staff user."""
    number = parse_identity_number(
        national_id, allow_synthetic=settings.HUSLY_ALLOW_SYNTHETIC_IDS
    ).number
    account = ResidentAccount.objects.select_related("user").filter(national_id=number).first()
    if account is not None:
        return account.user
    username = "innbygger-" + hashlib.sha256(number.encode()).hexdigest()[:16]
    user = User(username=username)
    user.set_unusable_password()
    user.save()
    account = ResidentAccount.objects.create(user=user, national_id=number)
    record_change(
        actor=user,
        action="resident_account_create",
        instance=account,
        municipality=None,
        changes={"user_id": [None, user.pk]},
    )
    return user


def is_resident(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and hasattr(user, "resident")


def resident_of(request: HttpRequest) -> User:
    """The resident signed in to the self-service pages; anyone else is 403."""
    user = request.user
    if not isinstance(user, User) or not is_resident(user):
        raise PermissionDenied
    return user
