from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("temporary/_portal_stays.html", takes_context=True)
def my_stays(context: Any) -> dict[str, Any]:
    """The household's stays in temporary accommodation on Min side."""
    from husly.temporary.selectors import my_stays as stays

    return {"stays": list(stays(context["request"].user))}
