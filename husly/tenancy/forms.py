from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from husly.core.forms import StyledFormMixin
from husly.tenancy.models import (
    EndReason,
    Lease,
    Party,
    RenewalAlternative,
    SignedHow,
    TenancyTerms,
)


class LeaseForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Lease
        fields = [
            "start_date",
            "term_kind",
            "end_date",
            "term_basis",
            "monthly_rent",
            "deposit_kind",
            "deposit_amount",
            "payment_due_day",
            "payment_account",
            "handover_on",
            "inspection_on",
        ]
        widgets = {
            "start_date": forms.DateInput(),
            "end_date": forms.DateInput(),
            "handover_on": forms.DateInput(),
            "inspection_on": forms.DateInput(),
            "term_basis": forms.Textarea(attrs={"rows": 3}),
            "payment_account": forms.TextInput(attrs={"inputmode": "numeric"}),
        }

    def clean(self) -> dict[str, Any]:
        from husly.tenancy.actions import MAX_DEPOSIT_MONTHS, deposit_cap_message

        data = super().clean()
        rent, amount = data.get("monthly_rent"), data.get("deposit_amount")
        if rent is not None and amount is not None and amount > MAX_DEPOSIT_MONTHS * rent:
            self.add_error("deposit_amount", deposit_cap_message(rent))
        return data

    def validate_constraints(self, exclude: Any = None) -> None:
        """The lease's constraints are checked by the action, which also knows the dwelling
        (not on the form): nothing of them is checked twice, nor shown by name."""


class SignForm(StyledFormMixin, forms.Form):
    party = forms.ChoiceField(label=_("Who signed"), choices=Party.choices)
    signed_on = forms.DateField(label=_("Date of the signature"), widget=forms.DateInput())
    how = forms.ChoiceField(label=_("How it was signed"), choices=SignedHow.choices)


class TenancyTermsForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = TenancyTerms
        fields = ["payment_account", "payment_due_day", "house_rules"]
        widgets = {
            "payment_account": forms.TextInput(attrs={"inputmode": "numeric"}),
            "house_rules": forms.Textarea(attrs={"rows": 12}),
        }


class EndForm(StyledFormMixin, forms.Form):
    ended_on = forms.DateField(label=_("Last day of the lease"), widget=forms.DateInput())
    reason = forms.ChoiceField(
        label=_("Why it ends"),
        choices=[c for c in EndReason.choices if c[0] not in {"renewed", "swap", "purchased"}],
    )


class AlternativesForm(StyledFormMixin, forms.Form):
    alternative = forms.ChoiceField(
        label=_("What fits the household now"),
        # Owning (start loan, rent-to-own) is the ownership screening's result (husly.owning).
        choices=[
            c
            for c in RenewalAlternative.choices
            if c[0] not in (RenewalAlternative.START_LOAN, RenewalAlternative.RENT_TO_OWN)
        ],
    )
    note = forms.CharField(
        label=_("Assessment of the alternatives"), widget=forms.Textarea(attrs={"rows": 3})
    )
