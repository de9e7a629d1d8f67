from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)


@register.filter
def absolute(value: int) -> int:
    return abs(value)


@register.filter
def verbose(instance: Any, field: str) -> str:
    """The verbose name of a model field, capitalised, for labels in fact lists."""
    return str(instance._meta.get_field(field).verbose_name).capitalize()
