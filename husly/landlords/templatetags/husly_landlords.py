from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("landlords/portal_notices.html", takes_context=True)
def portal_private_market(context: Any) -> dict[str, Any]:
    """Min side: private dwellings brokered or guaranteed for the household, and the resident's
    own agreements as a landlord."""
    from husly.landlords.selectors import my_agreements, my_referrals

    user = context["request"].user
    number = user.resident.national_id
    agreements = list(my_agreements(user)[:20])
    return {
        "referrals": list(my_referrals(user)[:20]),
        "as_tenant": [
            a
            for a in agreements
            if a.landlord.person is None or a.landlord.person.national_id != number
        ],
        "as_landlord": [
            a
            for a in agreements
            if a.landlord.person is not None and a.landlord.person.national_id == number
        ],
    }
