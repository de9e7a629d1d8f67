from django import template

from husly.arrears.models import AgendaReason

register = template.Library()


@register.filter
def agenda_reason(value: str) -> str:
    return str(AgendaReason(value).label) if value in AgendaReason.values else value
