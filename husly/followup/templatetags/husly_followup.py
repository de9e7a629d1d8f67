from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("followup/portal_notices.html", takes_context=True)
def followup_notices(context: Any) -> dict[str, Any]:
    """The household's bo-plan, warnings, inspection notices and notice to move, on Min side."""
    from husly.followup import selectors

    user = context["request"].user
    return {
        "plans": list(selectors.my_plans(user)),
        "warnings": list(selectors.my_warnings(user)),
        "inspections": list(selectors.my_inspections(user)),
        "move_outs": list(selectors.my_move_outs(user)),
    }


@register.inclusion_tag("followup/refusals_waiting.html", takes_context=True)
def refusals_waiting(context: Any) -> dict[str, Any]:
    """On the work list: how many refused households wait for a referral and follow-up (or
    whose follow-up date has passed), with the way to the list. Nothing for other users."""
    from django.utils import timezone

    from husly.followup import selectors

    user = context["request"].user
    return {"count": selectors.refusals_waiting_count(user, timezone.localdate())}
