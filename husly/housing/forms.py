from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from husly.core.forms import FilterForm, StyledFormMixin
from husly.housing.models import Building, Dwelling, DwellingCategory, DwellingStatus


class BuildingForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Building
        fields = [
            "municipality",
            "name",
            "address",
            "postal_code",
            "postal_town",
            "district",
            "has_lift",
            "year_built",
        ]

    def __init__(self, *args: Any, municipalities: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["municipality"]
        else:
            self.fields["municipality"].queryset = municipalities
            if municipalities is not None and municipalities.count() == 1:
                self.fields["municipality"].widget = forms.HiddenInput()
                self.fields["municipality"].initial = municipalities.first()


class BuildingFilterForm(FilterForm):
    district = forms.ChoiceField(label=_("District"), required=False)

    def __init__(self, *args: Any, districts: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].label = _("Name or address")
        self.fields["district"].choices = [("", _("All districts"))] + [(d, d) for d in districts]


class DwellingForm(StyledFormMixin, forms.ModelForm):
    def clean_lettable_units(self) -> int:
        value = self.cleaned_data.get("lettable_units")
        return 1 if value is None else int(value)

    class Meta:
        model = Dwelling
        fields = [
            "building",
            "number",
            "rooms",
            "area_m2",
            "floor",
            "wheelchair_accessible",
            "category",
            "ownership",
            "monthly_rent",
            "lettable_units",
        ]

    def __init__(self, *args: Any, buildings: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Most dwellings are let whole: left empty, the dwelling is one unit.
        self.fields["lettable_units"].required = False
        if self.instance.pk:
            del self.fields["building"]
        else:
            self.fields["building"].queryset = buildings


class DwellingFilterForm(FilterForm):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *DwellingStatus.choices]
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All")), *DwellingCategory.choices]
    )
    min_rooms = forms.IntegerField(
        label=_("At least this many bedrooms"), required=False, min_value=0, max_value=20
    )
    wheelchair = forms.BooleanField(label=_("Wheelchair accessible"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].label = _("Address, building or number")


class StatusChangeForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=DwellingStatus.choices)
    valid_from = forms.DateField(label=_("From date"), initial=timezone.localdate)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def clean_valid_from(self) -> dt.date:
        value: dt.date = self.cleaned_data["valid_from"]
        if value > timezone.localdate() + dt.timedelta(days=366):
            raise forms.ValidationError(_("The date cannot be more than a year ahead."))
        return value
