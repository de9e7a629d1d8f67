"""The select widget's template writes its options in place (issue 17): the same markup as
Django's own template, whatever the choices, groups, selection, attributes and escaping."""

from __future__ import annotations

from pathlib import Path

import django
import pytest
from django import forms
from django.template import Context, Engine

from husly.core.forms import StyledFormMixin

DJANGO_FORMS = Path(django.__file__).parent / "forms" / "templates"


class _Form(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        choices=[("", "Alle"), ("a&b", 'A "og" <B>'), ("c", "Cé")], required=False
    )
    grouped = forms.ChoiceField(
        choices=[("Gruppe <1>", [("1", "En"), ("2", "To")]), ("3", "Tre")],
        widget=forms.Select(attrs={"disabled": True, "data-x": "y"}),
    )
    many = forms.MultipleChoiceField(choices=[(1, "En"), (2, "To"), (3, "Tre")])
    yes_no = forms.NullBooleanField()


def _django_select(widget: forms.Widget, name: str, value: object) -> str:
    """The widget as Django's own templates render it (stripped, as Django's form renderers
    do)."""
    engine = Engine(dirs=[str(DJANGO_FORMS)])
    context = widget.get_context(name, value, {"id": f"id_{name}"})
    return engine.get_template(widget.template_name).render(Context(context)).strip()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"kind": "a&b", "grouped": "2", "many": ["1", "3"], "yes_no": "true"},
        {"kind": "", "grouped": "3", "many": [], "yes_no": "false"},
    ],
)
def test_the_select_widget_gives_djangos_markup(data: dict[str, object]) -> None:
    form = _Form(data or None)
    for name in ("kind", "grouped", "many", "yes_no"):
        bound = form[name]
        widget = bound.field.widget
        value = bound.value()
        ours = widget.render(name, value, {"id": f"id_{name}"}, renderer=form.renderer)
        assert ours == _django_select(widget, name, value)
        assert "<option" in ours
