"""Stamp the login time in the session (the absolute session lifetime counts from it)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from husly.security.middleware import stamp_login


@receiver(user_logged_in, dispatch_uid="husly_stamp_login")
def _stamp_login(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        stamp_login(request)
