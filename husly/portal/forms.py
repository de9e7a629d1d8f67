from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from husly.core.forms import StyledFormMixin
from husly.organisation.models import Municipality
from husly.people.identity import InvalidIdentityNumber, parse_identity_number
from husly.people.models import Person, Relation
from husly.people.names import validate_name


class DevLoginForm(StyledFormMixin, forms.Form):
    national_id = forms.CharField(label=_("Fødselsnummer or D-nummer"), max_length=11)

    def clean_national_id(self) -> str:
        try:
            return parse_identity_number(
                self.cleaned_data["national_id"], allow_synthetic=settings.HUSLY_ALLOW_SYNTHETIC_IDS
            ).number
        except InvalidIdentityNumber as exc:
            raise forms.ValidationError(str(exc)) from None


class AboutYouForm(StyledFormMixin, forms.ModelForm):
    municipality = forms.ModelChoiceField(
        label=_("Which municipality do you apply to?"), queryset=Municipality.objects.all()
    )

    class Meta:
        model = Person
        fields = [
            "given_name",
            "family_name",
            "phone",
            "email",
            "address",
            "postal_code",
            "postal_town",
            "language_form",
        ]

    field_order = ["municipality"]

    # The purpose of each field about the user (WCAG 1.3.5), so browsers can fill them in.
    AUTOCOMPLETE = {
        "given_name": "given-name",
        "family_name": "family-name",
        "phone": "tel",
        "email": "email",
        "address": "street-address",
        "postal_code": "postal-code",
        "postal_town": "address-level2",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, purpose in self.AUTOCOMPLETE.items():
            self.fields[name].widget.attrs["autocomplete"] = purpose


class MemberForm(StyledFormMixin, forms.Form):
    """A member as the resident states them: recorded unchecked, for a caseworker to check
    against the registers (``household_member_state``)."""

    given_name = forms.CharField(label=_("Given name"), max_length=100, validators=[validate_name])
    family_name = forms.CharField(
        label=_("Family name"), max_length=100, validators=[validate_name]
    )
    national_id = forms.CharField(
        label=_("Fødselsnummer or D-nummer"), max_length=11, required=False
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        help_text=_("If the person has no identity number."),
    )
    relation = forms.ChoiceField(
        label=_("Relation to you"),
        choices=[("", _("Choose")), *(c for c in Relation.choices if c[0] != Relation.APPLICANT)],
    )

    def clean_national_id(self) -> str:
        number: str = self.cleaned_data["national_id"]
        if not number:
            return ""
        try:
            return parse_identity_number(
                number, allow_synthetic=settings.HUSLY_ALLOW_SYNTHETIC_IDS
            ).number
        except InvalidIdentityNumber as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        if not data.get("national_id") and not data.get("date_of_birth"):
            raise forms.ValidationError(
                _("Give the identity number or the date of birth of each member.")
            )
        return data


MemberFormSet = forms.formset_factory(MemberForm, extra=1, max_num=12, validate_max=True)


class PortalAppealForm(StyledFormMixin, forms.Form):
    grounds = forms.CharField(
        label=_("What do you want changed, and why?"), widget=forms.Textarea(attrs={"rows": 6})
    )
