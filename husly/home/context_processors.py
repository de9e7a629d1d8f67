"""Navigation for the page shell: a menu item only where its page lets the user in.

It lives above the apps (not in ``husly.core``) because each item asks the same access
function as the page it leads to (the waiting list, for instance, is for allocation staff and
for caseworkers of a unit that handles applications for municipal dwellings).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from husly.allocation.selectors import STATS_READ, allocation_municipality_ids
from husly.arrears.selectors import ARREARS_ROLES
from husly.audit.freshness import until_changed
from husly.cases.selectors import CASE_READ
from husly.insight.fairness_selectors import FAIRNESS_READ
from husly.insight.units import my_units
from husly.landlords.selectors import works_with_landlords
from husly.needs.selectors import NEEDS_READ
from husly.organisation.access import (
    HOUSING_READ,
    ORGANISATION_READ,
    PEOPLE_READ,
    memberships_of,
    roles_by_municipality,
)
from husly.organisation.models import Role, User
from husly.owning.selectors import owning_menu
from husly.rent.selectors import RENT_READ
from husly.settlement.selectors import settlement_menu

LEASES_MENU = {Role.PROPERTY, Role.FOLLOW_UP}
"""Roles that work with leases without the waiting list (allocation staff reach the leases
from the allocation pages)."""


MenuItems = list[tuple[str, Any]]


def _housing_items(user: User, held: set[str]) -> MenuItems:
    """The municipal dwellings: allocation or leases, rent, follow-up of tenants, throughput."""
    items: MenuItems = []
    if allocation_municipality_ids(user):
        items.append((reverse("allocation:waiting_list"), _("Allocation")))
    elif held & LEASES_MENU:
        items.append((reverse("tenancy:lease_list"), _("Leases")))
    if held & ARREARS_ROLES:
        items.append((reverse("arrears:case_list"), _("Arrears")))
    if held & RENT_READ:
        items.append((reverse("rent:arrears"), _("Rent")))
    if held & {Role.FOLLOW_UP, Role.PROPERTY}:
        start = "followup:overview" if Role.FOLLOW_UP in held else "followup:inspection_list"
        items.append((reverse(start), _("Follow-up")))
    if held & STATS_READ:
        items.append((reverse("tenancy:throughput"), _("Throughput")))
    if held & {Role.LEADER, Role.ADMINISTRATOR}:
        items.append((reverse("policy:simulation"), _("Simulation")))
    return items


def _help_items(user: User, held: set[str]) -> MenuItems:
    """Help outside the municipal stock: temporary accommodation, settlement of refugees,
    private landlords."""
    items: MenuItems = []
    if held & {Role.CASEWORKER, Role.APPROVER}:
        items.append((reverse("temporary:stay_list"), _("Temporary accommodation")))
    elif held & {Role.LEADER}:
        items.append((reverse("temporary:flags"), _("Temporary accommodation")))
    items += [item for item in (settlement_menu(user), owning_menu(user)) if item]
    if works_with_landlords(user):
        items.append((reverse("landlords:landlord_list"), _("Landlords")))
    if held & NEEDS_READ:
        items.append((reverse("needs:overview"), _("Needs overview")))
    return items


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {"nav_items": []}
    held: set[str] = set()
    for roles in roles_by_municipality(user).values():
        held |= roles
    if not held and hasattr(user, "resident"):
        url = reverse("portal:home")
        return {
            "nav_items": [
                {"url": url, "label": _("My page"), "current": request.path.startswith(url)}
            ],
            # A resident's user name is a technical pseudonym: never shown.
            "user_label": _("Logged in"),
        }
    # The menu asks the same access functions as its pages (a dozen queries), which read the
    # user's memberships and the records alone: kept until the records change (memberships,
    # routing: husly.audit.freshness) for every user with the same memberships, per language.
    scope = f"{user.is_superuser}:{memberships_of(user)}"
    items = until_changed(f"menu:{scope}:{get_language()}", lambda: _menu(user, held))
    path = request.path
    matches = [url for url, _label in items if url != "/" and path.startswith(url)]
    current = max(matches, key=len) if matches else ("/" if path == "/" else None)
    nav = [{"url": url, "label": label, "current": url == current} for url, label in items]
    return {"nav_items": nav, "held_roles": held}


def _menu(user: User, held: set[str]) -> list[tuple[str, str]]:
    """The menu's items (address, label in the active language) for ``user``."""
    items = [(reverse("home"), _("Start"))]
    if Role.LEADER in held:
        items.append((reverse("insight:dashboard"), _("Dashboard")))
    if my_units(user):
        items.append((reverse("insight:own_unit_dashboard"), _("The unit's figures")))
    if held & CASE_READ:
        items += [
            (reverse("cases:work_list"), _("Work list")),
            (reverse("cases:case_list"), _("Cases")),
            (reverse("calculators:allowance"), _("Calculators")),
        ]
    items += _housing_items(user, held) + _help_items(user, held)
    if held & FAIRNESS_READ:
        items.append((reverse("insight:fairness"), _("Fairness")))
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
    return [(url, str(label)) for url, label in items]
