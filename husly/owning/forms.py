from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from husly.core.forms import StyledFormMixin
from husly.owning.models import MunicipalSale, OwnershipAssessment, PreEmption, RentToOwnAgreement


class AssessmentForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = OwnershipAssessment
        fields = [
            "income_sources",
            "income_stable",
            "net_income_monthly",
            "other_fixed_costs_monthly",
            "consumer_debt",
            "debt_in_collection",
            "savings",
            "price_needed",
            "housing_running_costs_monthly",
            "grant_expected",
            "education_first",
            "education_note",
            "wishes_to_own",
            "wishes_note",
            "right_to_municipal_dwelling",
        ]


class SaleOfferForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = MunicipalSale
        fields = [
            "valuation",
            "valued_by",
            "valued_on",
            "offered_on",
            "answer_by",
            "pre_emption",
            "start_loan",
            "grant",
            "private_bank_loan",
        ]
        widgets = {
            "valued_on": forms.DateInput(),
            "offered_on": forms.DateInput(),
            "answer_by": forms.DateInput(),
        }


class SaleRecordForm(StyledFormMixin, forms.Form):
    sold_on = forms.DateField(label=_("take-over date"), widget=forms.DateInput())
    pre_emption = forms.ChoiceField(
        label=_("the cooperative's pre-emption"), choices=PreEmption.choices
    )
    start_loan = forms.IntegerField(label=_("start loan (NOK)"), min_value=0, initial=0)
    grant = forms.IntegerField(label=_("grant (NOK)"), min_value=0, initial=0)
    private_bank_loan = forms.IntegerField(
        label=_("loan from a private bank (NOK)"), min_value=0, initial=0
    )


class AnswerForm(StyledFormMixin, forms.Form):
    answered_on = forms.DateField(label=_("answered on"), widget=forms.DateInput())


class AgreementForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = RentToOwnAgreement
        fields = [
            "purchased_on",
            "purchase_price",
            "basic_loan_percent",
            "grant_percent",
            "interest_rate_percent",
            "management_yearly",
            "operation_yearly",
            "maintenance_yearly",
            "market_rent_monthly",
            "option_year",
        ]
        widgets = {"purchased_on": forms.DateInput()}

    def validate_constraints(self, exclude: Any = None) -> None:
        """The shares' sum is checked by the action with its own message."""


class DecideForm(StyledFormMixin, forms.Form):
    decided_on = forms.DateField(label=_("decided on"), widget=forms.DateInput())
    start_loan = forms.IntegerField(label=_("start loan (NOK)"), min_value=0, initial=0)
    grant = forms.IntegerField(label=_("grant (NOK)"), min_value=0, initial=0)


class PurchaseForm(StyledFormMixin, forms.Form):
    bought_on = forms.DateField(label=_("bought on"), widget=forms.DateInput())
    start_loan = forms.IntegerField(label=_("start loan (NOK)"), min_value=1)
    grant = forms.IntegerField(label=_("grant (NOK)"), min_value=0, initial=0)
