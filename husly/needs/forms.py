from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from husly.core.forms import StyledFormMixin
from husly.needs.models import NeedsRegistration

DATE = forms.DateInput(attrs={"type": "date"})


class RoundForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=150)
    deadline = forms.DateField(label=_("Units register by"), widget=DATE)


class RegistrationForm(StyledFormMixin, forms.ModelForm):
    unit = forms.TypedChoiceField(label=_("Registered by the unit"), coerce=int)
    national_id = forms.CharField(
        label=_("National identity number (optional)"),
        required=False,
        max_length=14,
        help_text=_(
            "Given only to find the same person registered by another unit. If the person is "
            "not in the register, the number is not stored."
        ),
    )

    class Meta:
        model = NeedsRegistration
        fields = [
            "household_type",
            "persons",
            "children",
            "age_group",
            "situation",
            "dwelling_need",
        ]

    def __init__(self, *args: object, units: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["unit"].choices = units
        order = ["unit", "national_id", *self.Meta.fields]
        self.fields = {name: self.fields[name] for name in order}  # type: ignore[misc]
