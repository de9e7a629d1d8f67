from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("settlement/portal_notices.html", takes_context=True)
def settlement_notices(context: Any) -> dict[str, Any]:
    """The household's settlement on its Min side: the dwelling chosen, the expected arrival,
    the introduction programme contact and the rent deduction from the introduction benefit."""
    from husly.settlement.selectors import my_self_settlements, my_settlement_cases

    user = context["request"].user
    return {
        "cases": list(my_settlement_cases(user)),
        "approvals": list(my_self_settlements(user)),
    }
