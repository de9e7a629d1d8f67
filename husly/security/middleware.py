"""Session timeouts and the two-factor requirement for staff.

- ``SessionTimeoutMiddleware`` logs a user out after ``HUSLY_SESSION_IDLE_SECONDS`` without a
  request, and ``SESSION_COOKIE_AGE`` seconds after logging in whatever the activity (Django's
  own expiry restarts each time the session is saved, so it cannot enforce that alone).
- ``TwoFactorMiddleware`` sends a staff member who has not yet proved a second factor in this
  session to the TOTP pages, when ``HUSLY_REQUIRE_2FA`` is on.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

LOGIN_AT = "husly_login_at"
SEEN_AT = "husly_seen_at"
MFA_BY_PROVIDER = "husly_mfa_by_provider"
# The last-seen time is written at most this often, so most requests do not save the session.
SEEN_RESOLUTION_SECONDS = 30
# Reachable before the second factor: logging out and changing the language.
EXEMPT_VIEW_NAMES = frozenset({"logout", "set_language"})


def stamp_login(request: HttpRequest) -> None:
    now = int(time.time())
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        now = int(time.time())
        session = request.session
        login_at = session.get(LOGIN_AT)
        seen_at = session.get(SEEN_AT)
        if login_at is None or seen_at is None:
            stamp_login(request)
            return
        idle = now - seen_at > settings.HUSLY_SESSION_IDLE_SECONDS
        expired = now - login_at > settings.SESSION_COOKIE_AGE
        if idle or expired:
            logout(request)  # the login-required check then sends the user to the login page
            if idle:
                minutes = settings.HUSLY_SESSION_IDLE_SECONDS // 60
                messages.info(
                    request,
                    _("You were logged out after %(minutes)d minutes without activity.")
                    % {"minutes": minutes},
                )
            else:
                messages.info(request, _("Your session has ended. Please log in again."))
            return
        if now - seen_at >= SEEN_RESOLUTION_SECONDS:
            session[SEEN_AT] = now


def two_factor_exempt(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view a staff member may reach before the second factor (the TOTP pages)."""
    view.husly_two_factor_exempt = True  # type: ignore[attr-defined]
    return view


def needs_second_factor(request: HttpRequest) -> bool:
    """True when this session must still prove a second factor."""
    from husly.organisation.access import is_staff_member

    user = getattr(request, "user", None)
    if not settings.HUSLY_REQUIRE_2FA or user is None or not user.is_authenticated:
        return False
    if request.session.get(MFA_BY_PROVIDER):
        return False
    if user.is_verified():
        return False
    return bool(user.is_superuser or is_staff_member(user))


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        if getattr(view_func, "husly_two_factor_exempt", False):
            return None
        if not getattr(view_func, "login_required", True):
            return None  # public pages (login, health, accessibility statement)
        match = request.resolver_match
        if match is not None and match.view_name in EXEMPT_VIEW_NAMES:
            return None
        if not needs_second_factor(request):
            return None
        from django_otp import devices_for_user

        target = (
            "security:otp_verify"
            if any(True for _ in devices_for_user(request.user, confirmed=True))
            else "security:otp_setup"
        )
        response = redirect(target)
        if request.headers.get("HX-Request"):
            response["HX-Redirect"] = response["Location"]
        return response
