"""Navigation for the page shell, by the roles the user holds."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from husly.organisation.access import (
    HOUSING_READ,
    ORGANISATION_READ,
    PEOPLE_READ,
    roles_by_municipality,
)
from husly.organisation.models import Role, User

ALLOCATION_READ = {Role.CASEWORKER, Role.APPROVER, Role.ALLOCATION_MEMBER}
TENANCY_READ = {Role.PROPERTY, Role.FOLLOW_UP}
STATS_READ = {Role.LEADER, Role.ALLOCATION_MEMBER, Role.ADMINISTRATOR}
CASE_READ = {Role.CASEWORKER, Role.APPROVER, Role.ALLOCATION_MEMBER, Role.FOLLOW_UP}


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {"nav_items": []}
    held: set[str] = set()
    for roles in roles_by_municipality(user).values():
        held |= roles
    if hasattr(user, "resident") and not held:
        url = reverse("portal:home")
        return {
            "nav_items": [
                {"url": url, "label": _("My page"), "current": request.path.startswith(url)}
            ],
            # A resident's user name is a technical pseudonym: never shown.
            "user_label": _("Logged in"),
        }
    items = [(reverse("home"), _("Start"))]
    if held & CASE_READ:
        items += [
            (reverse("cases:work_list"), _("Work list")),
            (reverse("cases:case_list"), _("Cases")),
            (reverse("calculators:allowance"), _("Calculators")),
        ]
    if held & ALLOCATION_READ:
        items.append((reverse("allocation:waiting_list"), _("Allocation")))
    elif held & TENANCY_READ:
        items.append((reverse("tenancy:lease_list"), _("Leases")))
    if held & STATS_READ:
        items.append((reverse("tenancy:throughput"), _("Throughput")))
    if held & PEOPLE_READ:
        items += [
            (reverse("people:person_list"), _("Persons")),
            (reverse("people:household_list"), _("Households")),
        ]
    if held & HOUSING_READ:
        items += [
            (reverse("housing:dwelling_list"), _("Dwellings")),
            (reverse("housing:building_list"), _("Buildings")),
        ]
    if held & ORGANISATION_READ or user.is_superuser:
        items.append((reverse("organisation:unit_list"), _("Organisation")))
    path = request.path
    matches = [url for url, _label in items if url != "/" and path.startswith(url)]
    current = max(matches, key=len) if matches else ("/" if path == "/" else None)
    nav = [{"url": url, "label": label, "current": url == current} for url, label in items]
    return {"nav_items": nav, "held_roles": held}
