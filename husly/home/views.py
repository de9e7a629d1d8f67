"""The start page per role."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from husly.core.pages import user_of
from husly.home.selectors import start_page_figures


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if hasattr(request.user, "resident") and not request.user.memberships.exists():
        return redirect("portal:home")
    user = user_of(request)
    return render(request, "core/home.html", {"figures": start_page_figures(user)})
