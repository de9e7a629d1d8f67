"""The start page per role."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from husly.cases.selectors import work_list_households
from husly.core.pages import user_of
from husly.home.selectors import start_page_figures
from husly.organisation.access import memberships_of
from husly.organisation.models import User
from husly.people.selectors import log_household_reads


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - the login middleware guarantees it
    if not memberships_of(user) and hasattr(user, "resident"):
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
