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
