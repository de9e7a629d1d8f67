from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.inclusion_tag("allocation/portal_notices.html", takes_context=True)
def portal_notices(context: Any) -> dict[str, Any]:
    """Offers and lease notices on the resident's Min side."""
    from husly.allocation.selectors import my_offers
    from husly.tenancy.selectors import my_leases

    user = context["request"].user
    return {
        "offers": my_offers(user).order_by("-made_on")[:10],
        "leases": my_leases(user),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("allocation/_work_list.html", takes_context=True)
def allocation_work(context: Any) -> dict[str, Any]:
    """The allocation and tenancy items on the staff work list: refusals to follow up, offers
    waiting for an answer or a lease, renewal reminders and renewal applications."""
    from django.utils import timezone

    from husly.allocation.models import OfferStatus
    from husly.allocation.selectors import offers_for_user, on_hold
    from husly.people.selectors import log_household_reads
    from husly.tenancy.models import LeaseStatus
    from husly.tenancy.selectors import accepted_offers_for_user, leases_for_user

    request = context["request"]
    user = request.user
    reminded = leases_for_user(user).filter(
        status=LeaseStatus.ACTIVE, reminder__isnull=False, renewals__isnull=True
    )
    items = {
        "on_hold": list(on_hold(user)[:50]),
        "open_offers": list(offers_for_user(user).filter(status=OfferStatus.OPEN)[:50]),
        "to_lease": list(accepted_offers_for_user(user)[:50]),
        "reminded": list(reminded.select_related("reminder")[:50]),
    }
    log_household_reads(
        user=user,
        household_ids=[e.household_id for e in items["on_hold"]]
        + [o.entry.household_id for o in items["open_offers"] + items["to_lease"]]
        + [lease.household_id for lease in items["reminded"]],
        what="work_list",
        path=request.get_full_path(),
    )
    return {"today": timezone.localdate(), **items}
