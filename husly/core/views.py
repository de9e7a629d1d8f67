"""The page shell: health check, the accessibility statement and the error pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET


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


def _way_back(request: HttpRequest) -> dict[str, str]:
    """Where the error page leads: back to the page the user came from (only within Husly),
    and to the user's start page (Min side for a resident)."""
    user = getattr(request, "user", None)
    resident = hasattr(user, "resident") and not user.memberships.exists()  # type: ignore[union-attr]
    referer = request.META.get("HTTP_REFERER", "")
    safe = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return {
        "back_url": referer if safe and referer != request.build_absolute_uri() else "",
        "start_url": reverse("portal:home") if resident else reverse("home"),
    }


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A refused page or action: in Norwegian, in the site's shell, with a way back. The
    action's own message (who may do it) is shown when there is one."""
    context = {"message": str(exception or ""), **_way_back(request)}
    return render(request, "403.html", context, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Not found, or not the user's to see (the two look the same on purpose)."""
    return render(request, "404.html", _way_back(request), status=404)
