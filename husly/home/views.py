"""The start page per role."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from husly.cases.selectors import work_list_households
from husly.core.pages import user_of
from husly.home.selectors import start_page_figures
from husly.people.selectors import log_household_reads


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if hasattr(request.user, "resident") and not request.user.memberships.exists():
        return redirect("portal:home")
    user = user_of(request)
    figures = start_page_figures(user)
    if figures.tasks is not None:
        log_household_reads(
            user=user,
            household_ids=work_list_households(figures.tasks),
            what="start_page",
            path=request.get_full_path(),
        )
    return render(request, "core/home.html", {"figures": figures})
