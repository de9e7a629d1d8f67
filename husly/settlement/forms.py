from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from husly.core.forms import StyledFormMixin
from husly.settlement.models import (
    ApprovalStatus,
    BuildingSurroundings,
    DwellingSource,
    ImdiStatus,
    SelfSettlement,
    SettlementCase,
    SettlementDecision,
    SettlementRequest,
)


class DecisionForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = SettlementDecision
        fields = [
            "year",
            "persons",
            "extra_persons",
            "extra_description",
            "council_reference",
            "decided_on",
        ]
        widgets = {"decided_on": forms.DateInput()}

    def validate_unique(self) -> None:
        """A second decision for the same year corrects the first (the action updates it)."""

    def validate_constraints(self, exclude: Any = None) -> None:
        """As above: the one-per-year constraint is kept by the action."""


class RequestForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = SettlementRequest
        fields = [
            "imdi_reference",
            "received_on",
            "family_name",
            "household_size",
            "ages",
            "needs",
            "preferences",
            "resettlement",
            "reception_centre",
        ]
        widgets = {
            "received_on": forms.DateInput(),
            "needs": forms.Textarea(attrs={"rows": 3}),
            "preferences": forms.Textarea(attrs={"rows": 3}),
        }


class AcceptForm(StyledFormMixin, forms.Form):
    given_name = forms.CharField(label=_("Main person's given name"), max_length=100)
    family_name = forms.CharField(label=_("Main person's family name"), max_length=100)
    national_id = forms.CharField(
        label=_("Identity number or D-number"),
        max_length=11,
        required=False,
        help_text=_("11 digits, if IMDi gives it."),
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=forms.DateInput(),
        help_text=_("Needed when there is no identity number."),
    )
    expected_arrival = forms.DateField(label=_("Expected arrival"), widget=forms.DateInput())


class DeclineForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why the request is declined"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ChooseForm(StyledFormMixin, forms.Form):
    dwelling = forms.IntegerField(widget=forms.HiddenInput())
    reason = forms.CharField(
        label=_("Why this dwelling"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you weighed: spread, standard, rent, distance, the household's wishes."),
    )


class ChoosePrivateForm(StyledFormMixin, forms.Form):
    offered = forms.IntegerField(widget=forms.HiddenInput())
    reason = forms.CharField(
        label=_("Why this dwelling"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you weighed: spread, standard, rent, distance, the household's wishes."),
    )


class PrivateForm(StyledFormMixin, forms.Form):
    source = forms.ChoiceField(
        label=_("Kind of private dwelling"),
        choices=[
            (DwellingSource.HEAD_LEASE.value, DwellingSource.HEAD_LEASE.label),
            (DwellingSource.BROKERED.value, DwellingSource.BROKERED.label),
        ],
    )
    reference = forms.CharField(label=_("Reference in the landlords register"), max_length=100)
    reason = forms.CharField(label=_("Why this dwelling"), widget=forms.Textarea(attrs={"rows": 3}))


class SelfSettlementForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    decision = forms.ChoiceField(
        label=_("The municipality's decision"),
        choices=ApprovalStatus.choices,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = SelfSettlement
        fields = [
            "address",
            "landlord",
            "monthly_rent",
            "lease_months",
            "standard_ok",
            "contract_ok",
            "landlord_concern",
            "note",
        ]
        widgets = {
            "landlord_concern": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def _post_clean(self) -> None:
        """The model is completed and checked by the action (cost frame, decision date)."""


class ImdiForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("IMDi's answer"),
        choices=[c for c in ImdiStatus.choices if c[0] != ImdiStatus.NOT_SENT],
    )
    answered_on = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput())


class ArrivalForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = SettlementCase
        fields = [
            "arrived_on",
            "introduction_contact",
            "rent_deducted_from_benefit",
            "monthly_deduction",
            "bo_plan_note",
        ]
        widgets = {
            "arrived_on": forms.DateInput(),
            "bo_plan_note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["arrived_on"].required = True

    def _post_clean(self) -> None:
        """Checked by the action."""


class SurroundingsForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = BuildingSurroundings
        fields = ["school_m", "kindergarten_m", "centre_m", "homes_in_building"]

    def validate_unique(self) -> None:
        """One row per building, kept by the action."""
