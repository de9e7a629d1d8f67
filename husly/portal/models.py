"""Residents' accounts for the self-service pages (Min side)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ResidentAccount(models.Model):
    """A login for a resident, identified by fødselsnummer or D-nummer (from ID-porten, or from
    the development login). It carries no staff rights; it reaches only the resident's own
    cases through ``husly.portal.selectors``."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="resident"
    )
    national_id = models.CharField(max_length=11, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.national_id[:6]}*****"
