from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from husly.consent.models import GivenHow
from husly.core.forms import StyledFormMixin
from husly.landlords.models import (
    Agreement,
    AgreementKind,
    Channel,
    Enquiry,
    FaultStatus,
    Landlord,
    LandlordKind,
    OfferedDwelling,
    OfferState,
    validate_org_number,
)
from husly.people.identity import InvalidIdentityNumber, parse_identity_number


class LandlordForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    national_id = forms.CharField(
        label=_("Fødselsnummer or D-nummer"),
        max_length=11,
        required=False,
        help_text=_("For a private person: 11 digits."),
    )
    given_name = forms.CharField(label=_("Given name"), max_length=100, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)

    class Meta:
        model = Landlord
        fields = [
            "kind",
            "name",
            "org_number",
            "contact_person",
            "phone",
            "email",
            "address",
            "notify_on_tenant_change",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False
        self.fields["name"].help_text = _("For a company or a developer.")

    def clean(self) -> dict[str, Any]:
        from django.conf import settings

        data = super().clean()
        if data.get("kind") == LandlordKind.PERSON:
            number = (data.get("national_id") or "").strip()
            if not number:
                self.add_error("national_id", _("Give the landlord's fødselsnummer or D-nummer."))
            else:
                try:
                    parse_identity_number(
                        number, allow_synthetic=settings.HUSLY_ALLOW_SYNTHETIC_IDS
                    )
                except InvalidIdentityNumber as error:
                    self.add_error("national_id", str(error))
            for field in ("given_name", "family_name"):
                if not data.get(field):
                    self.add_error(field, _("Give the landlord's name."))
        elif data.get("kind"):
            if not data.get("org_number"):
                self.add_error("org_number", _("Give the organisation number."))
            if not data.get("name"):
                self.add_error("name", _("Give the company's name."))
        return data

    def landlord_data(self) -> dict[str, Any]:
        fields = [f for f in self.Meta.fields if f in self.cleaned_data]
        return {f: self.cleaned_data[f] for f in fields}

    def person_data(self) -> dict[str, Any] | None:
        if self.cleaned_data.get("kind") != LandlordKind.PERSON:
            return None
        return {
            "national_id": self.cleaned_data["national_id"].strip(),
            "given_name": self.cleaned_data["given_name"],
            "family_name": self.cleaned_data["family_name"],
            "phone": self.cleaned_data.get("phone", ""),
            "email": self.cleaned_data.get("email", ""),
            "address": self.cleaned_data.get("address", ""),
        }


class LandlordEditForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Landlord
        fields = [
            "contact_person",
            "phone",
            "email",
            "address",
            "notify_on_tenant_change",
            "notes",
            "dishonest",
            "active",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class ContactForm(StyledFormMixin, forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    summary = forms.CharField(
        label=_("What was said or agreed"), widget=forms.Textarea(attrs={"rows": 3})
    )


class EnquiryForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Enquiry
        fields = ["from_name", "from_contact", "channel", "landlord", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, landlords: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["landlord"].queryset = landlords  # type: ignore[attr-defined]


class AnswerForm(StyledFormMixin, forms.Form):
    answer = forms.CharField(
        label=_("What the landlord was told"), widget=forms.Textarea(attrs={"rows": 3})
    )


class OfferedDwellingForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = OfferedDwelling
        fields = [
            "address",
            "postal_code",
            "postal_town",
            "district",
            "rooms",
            "area_m2",
            "monthly_rent",
            "condition",
        ]
        widgets = {"condition": forms.Textarea(attrs={"rows": 3})}


class AssessForm(StyledFormMixin, forms.Form):
    state = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (s.value, s.label)
            for s in (OfferState.APPROVED, OfferState.UNSUITABLE, OfferState.WITHDRAWN)
        ],
    )
    condition = forms.CharField(
        label=_("Standard and condition"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


KIND_FIELDS: dict[str, list[str]] = {
    AgreementKind.BROKERAGE: ["offered_dwelling", "start_date", "entry", "terms"],
    AgreementKind.HEAD_LEASE: [
        "offered_dwelling",
        "start_date",
        "end_date",
        "rent_to_owner",
        "terms",
    ],
    AgreementKind.NOMINATION: [
        "project",
        "flats_total",
        "flats_nominated",
        "start_date",
        "end_date",
        "terms",
    ],
    AgreementKind.DEPOSIT_GUARANTEE: [
        "offered_dwelling",
        "guarantee_case",
        "guarantee_amount",
        "nav_unit",
        "nav_contact",
        "start_date",
    ],
}
"""The fields each kind of agreement asks for."""


class AgreementForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Agreement
        fields = sorted({f for fields in KIND_FIELDS.values() for f in fields})
        widgets = {
            "start_date": forms.DateInput(),
            "end_date": forms.DateInput(),
            "terms": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, kind: str, choices: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in KIND_FIELDS[kind]:
                del self.fields[name]
        for name, queryset in choices.items():
            if name in self.fields:
                self.fields[name].queryset = queryset  # type: ignore[attr-defined]
        order = KIND_FIELDS[kind]
        self.order_fields(order)
        if "entry" in self.fields:
            self.fields["entry"].label = _("Household on the waiting list")
            self.fields["entry"].help_text = _(
                "Leave empty for a household that is not on the waiting list."
            )
        if "guarantee_case" in self.fields:
            self.fields["guarantee_case"].required = True


class ReferralForm(StyledFormMixin, forms.Form):
    entry = forms.ModelChoiceField(
        label=_("Household on the waiting list"),
        queryset=None,  # type: ignore[arg-type]
    )
    flat = forms.CharField(
        label=_("Flat in the project"),
        max_length=100,
        help_text=_("The flat's number or address in the project, for example H0203."),
    )
    referred_on = forms.DateField(label=_("Referred on"), widget=forms.DateInput())

    def __init__(self, *args: Any, entries: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = entries  # type: ignore[attr-defined]


class EndForm(StyledFormMixin, forms.Form):
    ended_on = forms.DateField(label=_("Ended on"), widget=forms.DateInput())
    reason = forms.CharField(label=_("Why it ends"), max_length=300)


class SignedForm(StyledFormMixin, forms.Form):
    signed_on = forms.DateField(
        label=_("The landlord and the tenant signed their lease on"), widget=forms.DateInput()
    )


class ConsentForm(StyledFormMixin, forms.Form):
    given_by = forms.ModelChoiceField(label=_("Given by"), queryset=None)  # type: ignore[arg-type]
    given_how = forms.ChoiceField(label=_("Given how"), choices=GivenHow.choices)
    given_on = forms.DateField(label=_("Given on"), widget=forms.DateInput())

    def __init__(self, *args: Any, persons: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["given_by"].queryset = persons  # type: ignore[attr-defined]


class KeyForm(StyledFormMixin, forms.Form):
    label = forms.CharField(
        label=_("Key"), max_length=100, help_text=_("For example: main door, 2 keys.")
    )
    kept_at = forms.CharField(label=_("Kept at"), max_length=200)


class KeyEntryForm(StyledFormMixin, forms.Form):
    key = forms.ModelChoiceField(label=_("Key"), queryset=None)  # type: ignore[arg-type]
    entered_at = forms.DateTimeField(
        label=_("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    reason = forms.CharField(
        label=_("Why the dwelling was entered"), widget=forms.Textarea(attrs={"rows": 2})
    )
    owner_told = forms.BooleanField(label=_("The owner was told"), required=False)

    def __init__(self, *args: Any, keys: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["key"].queryset = keys  # type: ignore[attr-defined]


class FaultForm(StyledFormMixin, forms.Form):
    reported_on = forms.DateField(label=_("Reported"), widget=forms.DateInput())
    description = forms.CharField(label=_("The fault"), widget=forms.Textarea(attrs={"rows": 2}))


class FaultUpdateForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("What happened"),
        choices=[(s.value, s.label) for s in (FaultStatus.OWNER_TOLD, FaultStatus.FIXED)],
    )
    on = forms.DateField(label=_("Date"), widget=forms.DateInput())


__all__ = ["validate_org_number"]
