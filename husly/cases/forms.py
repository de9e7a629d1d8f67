from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from husly.cases.models import (
    APPROVAL_CONTENT,
    CONTENT_FIELDS,
    WAITING_LIST_HELP,
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
    outcome_label,
)
from husly.cases.selectors import WorkFilter
from husly.core.forms import FilterForm, StyledFormMixin
from husly.organisation.models import Unit, User
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


AMOUNT_LIMITS = {
    "gross_annual_income": 20_000_000,
    "wealth": 100_000_000,
    "debt": 100_000_000,
    "maintenance_obligations": 1_000_000,
    "municipal_arrears": 5_000_000,
}
"""Plausible upper bounds in whole kroner: far above what a household applying for housing help
has, low enough to catch a typing slip (an extra zero, øre typed as kroner)."""


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
        for name, limit in AMOUNT_LIMITS.items():
            if name in self.fields:
                _limit_amount(self.fields[name], limit)

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


def _limit_amount(field: forms.Field, limit: int) -> None:
    """Refuse an absurd amount with a message that names the limit in Norwegian style."""
    field.validators.append(MaxValueValidator(limit))
    field.widget.attrs["max"] = limit
    field.error_messages["max_value"] = _(
        "The amount is too large to be right. Write it in whole kroner (at most %(limit)s kr)."
    ) % {"limit": f"{limit:,}".replace(",", "\N{NO-BREAK SPACE}")}


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


class WorkFilterForm(StyledFormMixin, forms.Form):
    """The work list's filters and order (GET). Invalid values are ignored, not an error."""

    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)
    help_kind = forms.ChoiceField(
        label=_("Kind of help"), required=False, choices=[("", _("All")), *HelpKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All")),
            (CaseStatus.SUBMITTED, CaseStatus.SUBMITTED.label),
            (CaseStatus.IN_PROGRESS, CaseStatus.IN_PROGRESS.label),
            (CaseStatus.DECIDED, CaseStatus.DECIDED.label),
        ],
    )
    deadline = forms.ChoiceField(
        label=_("Deadline"),
        required=False,
        choices=[
            ("", _("All")),
            ("overdue", _("Overdue")),
            ("week", _("Due within five working days")),
        ],
    )
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[
            ("received", _("Received, oldest first")),
            ("deadline", _("Deadline, soonest first")),
            ("number", _("Case number")),
        ],
    )

    def __init__(self, *args: Any, units: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("All my units")), *units]  # type: ignore[attr-defined]

    def field_rows(self) -> list[dict[str, Any]]:
        """What each filter shows, for cases/work_list.html to write as forms/field.html and
        django/forms/widgets/select.html do (those rendered five fields through the form
        renderer per page, issue 17): its id, name, label, errors and options (value, label,
        chosen), the options as Django's select widget chooses them (flat choices only)."""
        rows = []
        for field in self:
            widget = field.field.widget
            value = widget.format_value(field.value())  # type: ignore[attr-defined]
            rows.append(
                {
                    "id": field.auto_id,
                    "name": field.html_name,
                    "label": field.label,
                    "errors": field.errors,
                    "options": [
                        (str(option["value"]), option["label"], option["selected"])
                        for _group, options, _index in widget.optgroups(field.html_name, value)  # type: ignore[attr-defined]
                        for option in options
                    ],
                }
            )
        return rows

    def filters(self) -> WorkFilter:
        if not self.is_valid():
            return WorkFilter()
        data = self.cleaned_data
        return WorkFilter(
            unit_id=data.get("unit"),
            help_kind=data.get("help_kind") or "",
            status=data.get("status") or "",
            deadline=data.get("deadline") or "",
            sort=data.get("sort") or "received",
        )


class CaseAssignForm(StyledFormMixin, forms.Form):
    """Give the case (the parts held by the colleague's units) to a colleague."""

    caseworker = forms.ModelChoiceField(
        label=_("Caseworker"), queryset=User.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, colleagues: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["caseworker"]
        field.queryset = User.objects.filter(pk__in=[c.pk for c in colleagues])  # type: ignore[attr-defined]
        field.label_from_instance = lambda user: user.get_full_name() or user.username  # type: ignore[attr-defined]


class JournalNoteForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = JournalNote
        fields = ["kind", "held_on", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}


class DocumentForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"), help_text=_("PDF, PNG or JPEG, at most 10 MB."))


CONTENT_LABELS: dict[str, dict[str, Any]] = {
    HelpKind.DEPOSIT_GUARANTEE: {
        "amount": _("Guarantee amount (NOK)"),
        "landlord": _("Landlord"),
        "place": _("Address of the rented dwelling"),
        "period_from": _("The guarantee applies from"),
        "period_to": _("The guarantee applies until"),
    },
    HelpKind.TEMPORARY_ACCOMMODATION: {
        "place": _("Where the household will stay"),
        "period_from": _("First night"),
        "period_to": _("Last night"),
    },
    HelpKind.START_LOAN: {"amount": _("Loan amount (NOK)")},
    HelpKind.GRANT: {"amount": _("Grant amount (NOK)")},
    HelpKind.HOUSING_FOLLOW_UP: {"follow_up_unit": _("The unit that gives the follow-up")},
}


MIN_REASONS_CHARS = 60
"""A couple of sentences at least: the main considerations (forvaltningsloven § 25), not a
one-line template."""


class DecisionForm(StyledFormMixin, forms.ModelForm):
    """A decision on one kind of help: the outcomes that kind has and the readiness allows,
    and only the content that kind needs (a guarantee's amount, landlord and period; a
    temporary stay's place and dates)."""

    class Meta:
        model = Decision
        fields = ["kind", *CONTENT_FIELDS, "facts", "reasoning", "conditions"]
        widgets = {
            "facts": forms.Textarea(attrs={"rows": 6}),
            "reasoning": forms.Textarea(attrs={"rows": 8}),
            "conditions": forms.Textarea(attrs={"rows": 3}),
            "period_from": forms.DateInput(),
            "period_to": forms.DateInput(),
        }
        help_texts = {
            "facts": _("What the decision builds on: the household's situation, as you found it."),
            "reasoning": _(
                "Your reasons, in your own words: what you weighed and why you landed on this "
                "outcome (forvaltningsloven §§ 24–25). It goes into the letter as written."
            ),
        }

    def __init__(
        self,
        *args: Any,
        help_kind: str,
        outcomes: list[str],
        units: Any = None,
        template_reasons: tuple[str, ...] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.help_kind = help_kind
        self.template_reasons = {r.strip() for r in template_reasons if r}
        content = set(APPROVAL_CONTENT.get(help_kind, ()))
        for name in CONTENT_FIELDS:
            if name not in content:
                del self.fields[name]
        for name, label in CONTENT_LABELS.get(help_kind, {}).items():
            if name in self.fields:
                self.fields[name].label = label
        if "amount" in self.fields:
            cast(forms.IntegerField, self.fields["amount"]).min_value = 1
            self.fields["amount"].validators.append(MinValueValidator(1))
        if units is not None and "follow_up_unit" in self.fields:
            cast(forms.ModelChoiceField, self.fields["follow_up_unit"]).queryset = units
        kinds = list(outcomes)
        if self.instance.pk and self.instance.kind and self.instance.kind not in kinds:
            kinds.append(self.instance.kind)
        labelled = [(k, outcome_label(help_kind, k)) for k in kinds]
        field = cast(forms.ChoiceField, self.fields["kind"])
        field.choices = labelled if len(labelled) == 1 else [("", _("Choose")), *labelled]
        if len(labelled) == 1:
            field.initial = labelled[0][0]
        field.help_text = (
            _("The outcome follows the assessment against the guideline.")
            if len(labelled) == 1
            else ""
        )

    def clean_reasoning(self) -> str:
        reasoning = str(self.cleaned_data["reasoning"]).strip()
        if reasoning in self.template_reasons or len(reasoning) < MIN_REASONS_CHARS:
            raise forms.ValidationError(
                _(
                    "Write the reasons in your own words: what you weighed and why "
                    "(at least a couple of sentences)."
                )
            )
        return reasoning

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == DecisionKind.APPROVAL and self.help_kind in WAITING_LIST_HELP:
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


class PreliminaryReplyForm(StyledFormMixin, forms.Form):
    """A foreløpig svar (forvaltningsloven § 11a): why the case takes longer, and when."""

    reason = forms.CharField(
        label=_("Why does the case take longer?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Write to the household in plain words, for example: We are waiting for papers "
            "from your landlord."
        ),
    )
    expected_by = forms.DateField(
        label=_("When can the household expect an answer?"), widget=forms.DateInput()
    )


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
