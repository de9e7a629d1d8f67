"""The exceptions 4 a–d section of a start-loan application page, as an inclusion tag so the
page's view stays as it is."""

from __future__ import annotations

from typing import Any

from django import template

from husly.loans.team_views import exception_choices

register = template.Library()


@register.inclusion_tag("loans/_exceptions.html", takes_context=True)
def loan_exceptions(context: dict[str, Any], application: Any) -> dict[str, Any]:
    return {
        "application": application,
        "uses": list(application.exception_uses.filter(withdrawn_at__isnull=True)),
        "choices": exception_choices(application),
        "grants": list(application.grant_applications.select_related("case")),
        "csrf_token": context.get("csrf_token"),
    }
