from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from husly.api.models import EventKind, Scope
from husly.organisation.models import Municipality, Unit


class ApiClientForm(forms.Form):
    municipality = forms.ModelChoiceField(
        queryset=Municipality.objects.none(), label=_("Municipality")
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("The system that will use the API, e.g. the archive or the digital mailbox."),
    )
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(),
        label=_("Unit"),
        required=False,
        empty_label=_("The unit you administer through"),
        help_text=_(
            "The unit that answers for the client: its reads of personal data are logged "
            "under this unit."
        ),
        error_messages={"invalid_choice": _("Choose a unit of the municipality.")},
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )
    rate_limit = forms.IntegerField(
        label=_("Requests per minute"), min_value=1, max_value=10_000, initial=120
    )

    def __init__(self, *args: Any, municipalities: QuerySet[Municipality], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = municipalities
        if municipalities.count() == 1:
            field.initial = municipalities.first()
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)  # noqa: S101
        # Only units of the municipalities the administrator administers (ADR 0034).
        unit.queryset = Unit.objects.filter(municipality__in=municipalities).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unit, municipality = data.get("unit"), data.get("municipality")
        if (
            unit is not None
            and municipality is not None
            and unit.municipality_id != municipality.pk
        ):
            self.add_error("unit", _("Choose a unit of the municipality."))
        return data


class SubscriptionForm(forms.Form):
    url = forms.URLField(
        label=_("Address (URL)"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Husly sends a signed POST request to this address for each event."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=EventKind.choices, widget=forms.CheckboxSelectMultiple
    )
