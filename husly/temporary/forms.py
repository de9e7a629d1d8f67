from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from husly.core.forms import StyledFormMixin
from husly.temporary.models import (
    Discharge,
    EndReason,
    HousingSituation,
    Inspection,
    LastingPath,
    Place,
    Provider,
    QualityAgreement,
)

DATE = forms.DateInput(attrs={"type": "date"})


class PlaceForm(StyledFormMixin, forms.Form):
    """The out-of-hours placement: six fields, the rest has defaults (two minutes on a phone)."""

    national_id = forms.CharField(
        label=_("National identity number of the main applicant"),
        max_length=11,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    place = forms.ModelChoiceField(label=_("Place"), queryset=Place.objects.none())
    nights = forms.IntegerField(label=_("Number of nights"), min_value=1, max_value=92, initial=7)
    facts = forms.CharField(
        label=_("Why the household has nowhere to stay"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    lasting_path = forms.ChoiceField(
        label=_("Path to a lasting home"),
        choices=LastingPath.choices,
        initial=LastingPath.MUNICIPAL_DWELLING,
    )
    responsible_unit = forms.ModelChoiceField(
        label=_("Who finds the lasting solution"), queryset=Place.objects.none()
    )
    discharge = forms.ChoiceField(
        label=_("Straight from prison or an institution?"),
        choices=Discharge.choices,
        required=False,
    )
    family_reason = forms.CharField(
        label=_("Reason for placing a family here (only if the provider's agreement has lapsed)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, places: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places
        self.fields["place"].label_from_instance = lambda p: (
            f"{p} – {p.price} kr {p.get_price_per_display()}"
            + ("" if p.children_allowed else f" ({_('no children')})")
        )
        self.fields["responsible_unit"].queryset = units

    def clean_national_id(self) -> str:
        value = "".join(ch for ch in self.cleaned_data["national_id"] if ch.isdigit())
        if len(value) != 11:  # noqa: PLR2004 - an identity number has 11 digits
            raise forms.ValidationError(_("An identity number has 11 digits."))
        return value


class ExtendForm(StyledFormMixin, forms.Form):
    planned_end = forms.DateField(label=_("New last day"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class MoveForm(StyledFormMixin, forms.Form):
    place = forms.ModelChoiceField(label=_("New place"), queryset=Place.objects.none())
    on = forms.DateField(label=_("First night at the new place"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    family_reason = forms.CharField(
        label=_("Reason for placing a family here (only if the provider's agreement has lapsed)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, places: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places


class EndForm(StyledFormMixin, forms.Form):
    on = forms.DateField(label=_("The morning the household left"), widget=DATE)
    reason = forms.ChoiceField(label=_("Why the stay ended"), choices=EndReason.choices)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ProviderForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Provider
        fields = ["name", "kind", "organisation_number", "address", "phone"]

    def validate_unique(self) -> None:
        """The action checks the name within the municipality (not on the form)."""


class PlaceCreateForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Place
        fields = ["name", "capacity", "price", "price_per", "children_allowed"]

    def validate_unique(self) -> None:
        """The action checks the name within the provider."""


class AgreementForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = QualityAgreement
        fields = [
            "valid_from",
            "valid_to",
            "standard",
            "safety",
            "staffing",
            "follow_up",
            "inspection",
        ]
        widgets = {
            "valid_from": DATE,
            "valid_to": DATE,
            **{
                f: forms.Textarea(attrs={"rows": 2})
                for f in ("standard", "safety", "staffing", "follow_up", "inspection")
            },
        }

    def validate_constraints(self, exclude: Any = None) -> None:
        """Checked by the action, with the constraint's own message."""


class InspectionForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Inspection
        fields = ["inspected_on", "passed", "findings"]
        widgets = {"inspected_on": DATE, "findings": forms.Textarea(attrs={"rows": 2})}


class SituationForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = HousingSituation
        fields = ["situation", "valid_from", "leaves_on", "note"]
        widgets = {
            "valid_from": DATE,
            "leaves_on": DATE,
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def validate_constraints(self, exclude: Any = None) -> None:
        """Checked by the action, with the constraint's own message."""
