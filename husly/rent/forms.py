"""Forms of the rent pages. Validation of substance is in the actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from husly.core.forms import StyledFormMixin
from husly.organisation.models import Unit
from husly.rent.models import DispatchChannel, PaymentSource, VacancyCause


class PaymentUploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Payment file"),
        help_text=_("An OCR giro file from the bank, or a bank statement as CSV or Excel."),
    )


class PaymentForm(StyledFormMixin, forms.Form):
    amount = forms.DecimalField(
        label=_("Amount (NOK)"), min_value=1, decimal_places=2, max_digits=12
    )
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    source = forms.ChoiceField(
        label=_("How it was paid"),
        choices=[
            (PaymentSource.MANUAL, PaymentSource.MANUAL.label),
            (PaymentSource.INTRODUCTION_BENEFIT, PaymentSource.INTRODUCTION_BENEFIT.label),
            (PaymentSource.NAV, PaymentSource.NAV.label),
        ],
    )
    reference = forms.CharField(label=_("Reference or voucher"), max_length=60, required=False)


class PlaceForm(StyledFormMixin, forms.Form):
    kid = forms.CharField(
        label=_("KID of the lease"),
        max_length=25,
        help_text=_("The KID on the lease the payment belongs to."),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class VacancyForm(StyledFormMixin, forms.Form):
    dwelling = forms.IntegerField(
        label=_("Dwelling number in Husly"), min_value=1, widget=forms.NumberInput
    )
    month = forms.DateField(
        label=_("Month (any day in it)"), widget=forms.DateInput(attrs={"type": "date"})
    )
    cause = forms.ChoiceField(
        label=_("Why the dwelling stands empty"), choices=VacancyCause.choices
    )
    unit = forms.ModelChoiceField(
        label=_("Service unit that pays"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Not needed when the cause is renovation: the property unit carries it."),
    )
    days = forms.IntegerField(
        label=_("Days empty in the month"),
        min_value=1,
        max_value=31,
        required=False,
        help_text=_("Leave empty for the whole month."),
    )

    def __init__(self, *args: Any, municipality_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = Unit.objects.filter(municipality_id__in=municipality_ids).order_by("name")


class DispatchForm(StyledFormMixin, forms.Form):
    """How and when a person sent a stored letter (Husly sends nothing itself)."""

    channel = forms.ChoiceField(label=_("How it was sent"), choices=DispatchChannel.choices)
    sent_on = forms.DateField(label=_("Sent on"), widget=forms.DateInput(attrs={"type": "date"}))
