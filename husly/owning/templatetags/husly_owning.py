from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("owning/portal_notices.html", takes_context=True)
def owning_notices(context: Any) -> dict[str, Any]:
    """The household's screening result, sale offers and rent-to-own agreements on Min side."""
    from husly.owning.selectors import my_owning

    return {"owning": my_owning(context["request"].user)}
