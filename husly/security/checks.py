"""Deployment checks (``manage.py check --deploy``) for Husly's own security settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register


@register(Tags.security, deploy=True)
def two_factor_required(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Staff log in with a second factor in production (ADR 0007); turning it off is an error."""
    if settings.HUSLY_ENV == "production" and not settings.HUSLY_REQUIRE_2FA:
        return [
            Error(
                "HUSLY_REQUIRE_2FA is false in production: staff log in with a password only.",
                hint="Remove HUSLY_REQUIRE_2FA or set it to true (staff OIDC may count as the "
                "second factor with HUSLY_OIDC_STAFF_MFA_BY_PROVIDER=true).",
                id="husly.E001",
            )
        ]
    return []
