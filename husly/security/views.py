"""Login, second-factor pages (TOTP enrolment and verification) and the lockout page."""

from __future__ import annotations

from typing import Any

import segno
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login

from husly.core.pages import user_of
from husly.security import actions
from husly.security.forms import TokenForm
from husly.security.middleware import two_factor_exempt


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@two_factor_exempt
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app. A user who already has one proves it first."""
    user = user_of(request)
    has_device = any(True for _device in devices_for_user(user, confirmed=True))
    if has_device and not user.is_verified():
        return redirect("security:otp_verify")
    device = actions.totp_device_start(actor=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device = actions.totp_device_confirm(actor=user, device=device)
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("token", _("The code is wrong or too old. Try the newest code."))
    import base64

    secret = base64.b32encode(device.bin_key).decode("ascii")
    qr = segno.make(device.config_url, error="m")
    context: dict[str, Any] = {
        "form": form,
        "qr_data_uri": qr.svg_data_uri(scale=5, dark="#000", light="#fff"),
        "secret": _grouped(secret),
        "next": _next_url(request),
    }
    return render(request, "security/otp_setup.html", context)


@two_factor_exempt
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not any(True for _device in devices_for_user(user, confirmed=True)):
        return redirect("security:otp_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("token", _("The code is wrong or too old. Try the newest code."))
    return render(request, "security/otp_verify.html", {"form": form, "next": _next_url(request)})


@login_not_required
def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes calls this when a username has too many failed logins."""
    from django.conf import settings

    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    return render(request, "security/locked_out.html", {"minutes": minutes}, status=429)


@method_decorator(login_not_required, name="dispatch")
class HuslyLoginView(LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from husly.security.oidc import STAFF, provider_config

        context = super().get_context_data(**kwargs)
        staff_oidc = provider_config(STAFF)
        context["staff_oidc_label"] = staff_oidc["label"] if staff_oidc else ""
        return context
