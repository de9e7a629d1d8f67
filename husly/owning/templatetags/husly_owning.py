from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("owning/portal_notices.html", takes_context=True)
def owning_notices(context: Any) -> dict[str, Any]:
    """The household's screening result, sale offers and rent-to-own agreements on Min side."""
    from husly.owning.selectors import my_owning

    return {"owning": my_owning(context["request"].user)}


@register.inclusion_tag("owning/renewal_screening.html", takes_context=True)
def renewal_screening(context: Any, renewal: Any, lease: Any) -> dict[str, Any]:
    """On the lease page: the ownership screening the renewal ran (or the household's latest),
    its result, and the link to run it for this renewal."""
    from husly.owning.models import OwnershipAssessment
    from husly.owning.selectors import SCREEN_ROLES, can

    latest = (
        OwnershipAssessment.objects.filter(renewal=renewal).first()
        or OwnershipAssessment.objects.filter(household_id=lease.household_id).first()
    )
    user = context["request"].user
    return {
        "renewal": renewal,
        "lease": lease,
        "assessment": latest,
        "may_screen": can(user, SCREEN_ROLES, lease.municipality_id),
    }
