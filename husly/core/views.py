"""The page shell: login, the start page per role, health check."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET

from husly.core.pages import user_of
from husly.core.selectors import start_page_figures


@method_decorator(login_not_required, name="dispatch")
class HuslyLoginView(LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from husly.core.oidc import STAFF, provider_config

        context = super().get_context_data(**kwargs)
        staff_oidc = provider_config(STAFF)
        context["staff_oidc_label"] = staff_oidc["label"] if staff_oidc else ""
        return context


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if hasattr(request.user, "resident") and not request.user.memberships.exists():
        return redirect("portal:home")
    user = user_of(request)
    return render(request, "core/home.html", {"figures": start_page_figures(user)})


@login_not_required
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_not_required
@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")
