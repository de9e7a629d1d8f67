from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import template
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from husly.rules.params import AgeBand, ResolvedValue
from husly.rules.trace import StepInfo, TraceStep, unit_in

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


GROUP_DIGITS_FROM = 10_000  # Språkrådet: group digits in numbers of five digits or more

_CODES = {
    "norwegian_citizen": _("Norwegian citizen"),
    "permanent_residence_permit": _("Permanent residence permit"),
    "temporary_residence_permit": _("Temporary residence permit"),
    "eea_right_of_residence": _("EEA registration"),
    "no_residence_permit": _("No lawful residence"),
    "no_home": _("No home (homeless)"),
    "temporary_accommodation": _("Temporary accommodation"),
    "with_family_or_friends": _("With family or friends"),
    "rented_private": _("Rented privately"),
    "rented_municipal": _("Rented from the municipality"),
    "owned": _("Own home"),
    "institution": _("Institution or prison"),
}


@register.filter
def fact_value(value: Any) -> str:  # noqa: PLR0911 - one return per kind of value
    """A fact from a rules trace as a caseworker reads it: Ja/Nei, dd.mm.åååå, 250 000."""
    if value is None:
        return str(_("not known"))
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, int | float):
        return (
            f"{value:,.0f}".replace(",", "\u00a0")
            if abs(value) >= GROUP_DIGITS_FROM
            else str(value)
        )
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value).strftime("%d.%m.%Y")
        except ValueError:
            return str(_CODES.get(value, value))
    if isinstance(value, list):
        return ", ".join(fact_value(item) for item in value)
    return str(value)


@register.filter
def localised(text: dict[str, str] | None) -> str:
    """A {nb, nn} text from the rules in the user's language (bokmål for English users, since
    guideline texts are the municipality's own Norwegian wording)."""
    return _localised_with_language(text)[0]


def _localised_with_language(text: dict[str, str] | None) -> tuple[str, str]:
    if not text:
        return "", "nb"
    language = translation.get_language() or "nb"
    if text.get(language):
        return text[language], language
    return text.get("nb") or "", "nb"


@register.filter
def localised_marked(text: dict[str, str] | None) -> SafeString:
    """``localised`` in a span that names the text's language, so that a screen reader reads
    Norwegian guideline wording on an English page as Norwegian (WCAG 3.1.2)."""
    value, language = _localised_with_language(text)
    if not value:
        return mark_safe("")
    return format_html('<span lang="{}" data-guideline-text>{}</span>', language, value)


@register.filter
def rules_label(item: StepInfo | ResolvedValue) -> str:
    """The label of a rules trace step (its StepInfo) or of a parameter used, in the user's
    language (bokmål when the rules have no text in it)."""
    return item.label_in(translation.get_language())


@register.filter
def rules_formula(info: StepInfo) -> str:
    """A trace step's formula in words, in the user's language (bokmål when there is none)."""
    return info.formula_in(translation.get_language())


@register.filter
def trace_value(value: Any, unit: str = "") -> str:
    """A value from a rules trace with its unit (in the user's language): rates as per cent,
    amounts with grouping."""
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, float) and ("rente" in unit or unit in {"ratio", "andel", "annual_rate"}):
        return f"{value * 100:.2f}".replace(".", ",") + " %"
    unit = unit_in(unit, translation.get_language())
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}".replace(",", "\u00a0").replace(".", ",") + (
            f" {unit}" if unit else ""
        )
    if isinstance(value, int | float):
        return fact_value(round(value)) + (f" {unit}" if unit else "")
    return f"{value} {unit}".strip()


@register.filter
def step_value(step: TraceStep) -> str:
    """A trace step's value for the explanation: a code by the name its parameter gives it
    (``sifo`` reads «SIFOs referansebudsjett»), anything else as :func:`trace_value`."""
    if isinstance(step.value, str):
        named = step.info.value_label_in(step.value, translation.get_language())
        if named:
            return named
        for parameter in step.parameters:
            if step.value in parameter.value_labels:
                return parameter.value_label_in(step.value, translation.get_language())
    return trace_value(step.value, step.info.unit)


@register.filter
def parameter_value(parameter: ResolvedValue) -> str:
    """A parameter's value for the explanation, in the user's language: codes and map keys by
    their names, age bands as ages; large tables are summarised, not dumped."""
    value, unit, language = parameter.value, parameter.unit, translation.get_language()
    if isinstance(value, Mapping | tuple) and len(value) > 6:  # noqa: PLR2004 - summarise
        return str(_("a table of %(count)s values") % {"count": len(value)})
    if isinstance(value, Mapping):
        return ", ".join(
            f"{parameter.value_label_in(key, language)}: {trace_value(item, unit)}"
            for key, item in value.items()
        )
    if isinstance(value, tuple):
        return ", ".join(
            f"{item.describe(language)}: {trace_value(item.amount, unit)}"
            if isinstance(item, AgeBand)
            else trace_value(item, unit)
            for item in value
        )
    if isinstance(value, str):
        return parameter.value_label_in(value, language)
    return trace_value(value, unit)
