from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from husly.cases.models import (
    AppealBodyOutcome,
    Application,
    Case,
    CaseRouting,
    CaseStatus,
    Channel,
    CloseReason,
    Decision,
    DecisionKind,
    HelpKind,
    JournalNote,
    WithdrawnHow,
)
from husly.core.forms import FilterForm, StyledFormMixin
from husly.organisation.models import Unit
from husly.people.models import ADULT_RELATIONS, Person

CASEWORKER_ONLY = {
    "id",
    "case",
    "fact_sources",
    "current_dwelling_is_approved",
    "municipal_debt_kinds",
    "repayment_agreement_is_realistic",
    "has_rent_payment_plan",
    "all_measures_tried",
}
"""Application fields the caseworker records during the assessment (with their sources), not
asked of the household in the application form."""

YES_NO_UNKNOWN = [("", _("Not known")), ("true", _("Yes")), ("false", _("No"))]


class YesNoUnknownSelect(forms.NullBooleanSelect):
    """Yes / No / Not known for a yes-no fact that may be unknown. Unlike a plain Select it
    shows a stored True or False as chosen, so saving a form never turns a known fact into
    an unknown one."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"class": "ds-input", **(attrs or {})})
        self.choices = list(YES_NO_UNKNOWN)

    def format_value(self, value: Any) -> list[str]:  # type: ignore[override]
        formatted = super().format_value(value)
        return ["" if formatted == "unknown" else formatted]


class ApplicationForm(StyledFormMixin, forms.ModelForm):
    help_kinds = forms.MultipleChoiceField(
        label=_("What do you need help with?"),
        choices=HelpKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Choose everything that applies. The application goes to every unit that must act."
        ),
    )

    class Meta:
        model = Application
        fields = [f.name for f in Application._meta.fields if f.name not in CASEWORKER_ONLY]
        widgets = {
            "housing_description": forms.Textarea(attrs={"rows": 3}),
            "health_needs": forms.Textarea(attrs={"rows": 3}),
            "children_situation": forms.Textarea(attrs={"rows": 3}),
            "follow_up_needs": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.NullBooleanField):
                field.widget = YesNoUnknownSelect()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        today = timezone.localdate()
        since = data.get("lived_in_municipality_since")
        if since and since > today:
            self.add_error("lived_in_municipality_since", _("The date cannot be in the future."))
        if (
            data.get("housing_kind") == "institution"
            and not data.get("institution_discharge_date")
            and data.get("has_home_after_discharge") is False
        ):
            self.add_error(
                "institution_discharge_date",
                _("Give the discharge date when you live in an institution."),
            )
        return data

    def application_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k not in {"help_kinds", "channel"}}


class CaseCreateForm(ApplicationForm):
    channel = forms.ChoiceField(
        label=_("Received by"), choices=[c for c in Channel.choices if c[0] != Channel.SELF_SERVICE]
    )

    field_order = ["channel", "help_kinds"]


class CaseFilterForm(FilterForm):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("open", _("All but closed")), *CaseStatus.choices],
    )
    help_kind = forms.ChoiceField(
        label=_("Kind of help"), required=False, choices=[("", _("All")), *HelpKind.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].label = _("Case number or household")


class JournalNoteForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = JournalNote
        fields = ["kind", "held_on", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}


class DocumentForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"), help_text=_("PDF, PNG or JPEG, at most 10 MB."))


class DecisionForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Decision
        fields = [
            "help_kind",
            "kind",
            "facts",
            "reasoning",
            "conditions",
            "expected_wait_months",
            "follow_up_unit",
        ]
        widgets = {
            "facts": forms.Textarea(attrs={"rows": 6}),
            "reasoning": forms.Textarea(attrs={"rows": 8}),
            "conditions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(
        self, *args: Any, units: Any = None, help_kinds: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["follow_up_unit"].queryset = units
        if help_kinds is not None:
            self.fields["help_kind"].choices = [c for c in HelpKind.choices if c[0] in help_kinds]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == DecisionKind.APPROVAL and data.get("help_kind") in {
            HelpKind.RENTAL_DWELLING,
            HelpKind.DWELLING_WITH_SERVICES,
        }:
            if not data.get("follow_up_unit"):
                self.add_error(
                    "follow_up_unit",
                    _(
                        "An approval must name the unit linked to the household (guideline "
                        "appendix 1)."
                    ),
                )
            if not data.get("expected_wait_months"):
                self.add_error(
                    "expected_wait_months", _("An approval must state the expected waiting time.")
                )
        return data


class ReturnForm(StyledFormMixin, forms.Form):
    comment = forms.CharField(
        label=_("What must be changed"), widget=forms.Textarea(attrs={"rows": 3})
    )


class AppealForm(StyledFormMixin, forms.Form):
    received_on = forms.DateField(label=_("Received"), initial=timezone.localdate)
    posted_on = forms.DateField(label=_("Posted (postmark)"), required=False)
    grounds = forms.CharField(
        label=_("What the household asks to be changed, and why"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    consider_late = forms.BooleanField(
        label=_("Consider the appeal even though it is late (forvaltningsloven § 31)"),
        required=False,
    )
    late_reason = forms.CharField(
        label=_("Why a late appeal is considered"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReconsiderForm(StyledFormMixin, forms.Form):
    change = forms.TypedChoiceField(
        label=_("Outcome of the reconsideration"),
        coerce=lambda v: v == "true",
        choices=[
            ("false", _("Uphold the decision and send the appeal to the appeal body")),
            ("true", _("Change the decision (a new decision will be drafted)")),
        ],
        widget=forms.RadioSelect,
    )
    reasoning = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 5}))


class AppealOutcomeForm(StyledFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("The appeal body's outcome"), choices=AppealBodyOutcome.choices
    )
    decided_on = forms.DateField(label=_("Decided on"), initial=timezone.localdate)


class CaseCloseForm(StyledFormMixin, forms.Form):
    """Why the case is closed. ``cases`` are the cases the user may see: a duplicate is named
    by the number of one of them."""

    reason = forms.ChoiceField(
        label=_("Why is the case closed?"), choices=CloseReason.choices, widget=forms.RadioSelect
    )
    withdrawn_by = forms.ModelChoiceField(
        label=_("Who withdrew the application"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("Choose"),
        help_text=_("When the application was withdrawn: the adult in the household who did."),
    )
    withdrawn_how = forms.ChoiceField(
        label=_("How the application was withdrawn"),
        choices=[("", _("Choose")), *(c for c in WithdrawnHow.choices if c[0] != "self_service")],
        required=False,
    )
    duplicate_of = forms.CharField(
        label=_("Case number of the case it duplicates"),
        max_length=20,
        required=False,
        help_text=_("When the case is a duplicate, for example 2026-000123."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Goes into the journal note. Required for “Other reason”."),
    )

    def __init__(self, *args: Any, case: Case, cases: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cases = cases
        self.fields["withdrawn_by"].queryset = Person.objects.filter(
            memberships__household_id=case.household_id,
            memberships__relation__in=ADULT_RELATIONS,
        )

    def clean_duplicate_of(self) -> Case | None:
        number = self.cleaned_data["duplicate_of"].strip()
        if not number:
            return None
        other = self.cases.filter(number=number).first()
        if other is None:
            raise forms.ValidationError(_("You have no case with that number."))
        return other


class CaseReferForm(StyledFormMixin, forms.Form):
    """Send a part of the case that the user's unit holds on to another unit."""

    routing = forms.ModelChoiceField(label=_("Which part"), queryset=CaseRouting.objects.none())
    unit = forms.ModelChoiceField(label=_("To which unit"), queryset=Unit.objects.none())
    reason = forms.CharField(
        label=_("Why is it the other unit's to handle?"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, parts: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        routing_field = cast(forms.ModelChoiceField, self.fields["routing"])
        routing_field.queryset = parts
        routing_field.label_from_instance = lambda r: f"{r.get_help_kind_display()} ({r.unit})"
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units


class CaseReopenForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("What new information makes it necessary to reopen the case?"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
