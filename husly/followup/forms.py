from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from husly.core.forms import StyledFormMixin
from husly.followup.models import (
    ContactKind,
    FollowUpSettings,
    HousingPlan,
    IncidentKind,
    NextStep,
    VacancyCause,
)
from husly.organisation.models import Unit, User

YES_NO = [("", _("Choose")), ("yes", _("Yes")), ("no", _("No"))]


def _yes_no(label: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda v: v == "yes",
        empty_value=None,
        error_messages={"required": _("Answer yes or no: this must always be documented.")},
    )


def _units(municipality_id: int) -> Any:
    return Unit.objects.filter(municipality_id=municipality_id).order_by("name")


class SettingsForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = FollowUpSettings
        fields = [
            "warnings_before_takeover",
            "contact_interval_days",
            "inspection_interval_months",
            "property_unit",
        ]

    def __init__(self, *args: Any, municipality_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["property_unit"].queryset = _units(municipality_id)  # type: ignore[attr-defined]

    def validate_unique(self) -> None:
        """The action creates or updates the one row per municipality."""


class PlanForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = HousingPlan
        fields = [
            "goals",
            "services",
            "responsible_unit",
            "contact_person",
            "contact_interval_days",
            "next_review_on",
            "next_step",
        ]
        widgets = {
            "goals": forms.Textarea(attrs={"rows": 3}),
            "services": forms.Textarea(attrs={"rows": 3}),
            "next_review_on": forms.DateInput(),
        }

    def __init__(self, *args: Any, municipality_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible_unit"].queryset = _units(municipality_id)  # type: ignore[attr-defined]
        self.fields["contact_person"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(memberships__unit__municipality_id=municipality_id)
            .distinct()
            .order_by("first_name", "last_name")
        )
        self.fields["next_step"].choices = [("", _("Not decided")), *NextStep.choices]  # type: ignore[attr-defined]


class AnswerForm(StyledFormMixin, forms.Form):
    answer = forms.ChoiceField(
        label=_("The tenant's answer"),
        choices=[("accepted", _("Accepted the bo-plan")), ("declined", _("Declined the bo-plan"))],
    )
    answered_on = forms.DateField(label=_("Date of the answer"), widget=forms.DateInput())


class ContactForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of contact"), choices=ContactKind.choices)
    contact_on = forms.DateField(label=_("Date"), widget=forms.DateInput())
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))
    next_review_on = forms.DateField(
        label=_("Next review (if it changes)"), widget=forms.DateInput(), required=False
    )

    def __init__(self, *args: Any, municipality_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(municipality_id)  # type: ignore[attr-defined]


class IncidentForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=IncidentKind.choices)
    occurred_on = forms.DateField(label=_("When"), widget=forms.DateInput())
    reported_by = forms.CharField(label=_("Reported by"), max_length=200, required=False)
    description = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3})
    )


class WarningForm(StyledFormMixin, forms.Form):
    incident = forms.ModelChoiceField(
        label=_("What the warning is about"), queryset=None, required=False
    )
    conversation_on = forms.DateField(label=_("Conversation held"), widget=forms.DateInput())
    present = forms.CharField(
        label=_("Present at the conversation"),
        help_text=_("The tenant, the service unit's contact person and who led it."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    problems = forms.CharField(label=_("The problems"), widget=forms.Textarea(attrs={"rows": 4}))
    plan = forms.CharField(label=_("Further plan"), widget=forms.Textarea(attrs={"rows": 4}))
    service_unit = forms.ModelChoiceField(
        label=_("Service unit"), queryset=Unit.objects.none(), required=False
    )

    def __init__(self, *args: Any, lease: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["incident"].queryset = lease.incidents.all()  # type: ignore[attr-defined]
        self.fields["incident"].label_from_instance = lambda i: (  # type: ignore[attr-defined]
            f"{i.occurred_on:%d.%m.%Y}: {i.get_kind_display()}"
        )
        self.fields["service_unit"].queryset = _units(lease.municipality_id)  # type: ignore[attr-defined]
        self.fields["service_unit"].initial = lease.follow_up_unit_id


class ScheduleForm(StyledFormMixin, forms.Form):
    planned_on = forms.DateField(label=_("Planned for"), widget=forms.DateInput())


class InspectionForm(StyledFormMixin, forms.Form):
    inspected_on = forms.DateField(label=_("Inspected"), widget=forms.DateInput())
    inspectors = forms.CharField(label=_("Inspected by"), max_length=300, required=False)
    state = forms.CharField(
        label=_("The dwelling's state"), widget=forms.Textarea(attrs={"rows": 4})
    )
    fire_hazard = _yes_no(_("The flat is a fire hazard"))
    cannot_inspect = _yes_no(_("The flat cannot be inspected to the necessary extent"))
    not_due_care = _yes_no(_("The flat is not treated with due care"))
    access_refused = _yes_no(_("The tenant refuses the service unit access"))
    maintenance_needs = forms.CharField(
        label=_("Maintenance needs"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    service_needs = forms.CharField(
        label=_("Service needs spotted"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class NoticeForm(StyledFormMixin, forms.Form):
    notice_received_on = forms.DateField(label=_("Notice received"), widget=forms.DateInput())
    notice_months = forms.IntegerField(
        label=_("Notice period (months)"),
        min_value=0,
        max_value=12,
        initial=3,
        help_text=_("Three months from the end of the month, unless the lease says otherwise."),
    )
    agreed_last_day = forms.DateField(
        label=_("Agreed last day (if earlier)"), widget=forms.DateInput(), required=False
    )


class ReadyForm(StyledFormMixin, forms.Form):
    ready_on = forms.DateField(label=_("Dwelling ready again"), widget=forms.DateInput())
    cause = forms.ChoiceField(
        label=_("Why it stood empty until then"),
        choices=[(c.value, c.label) for c in (VacancyCause.REPAIRS, VacancyCause.RENOVATION)],
    )
    repairs = forms.CharField(
        label=_("Repairs done"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class PeriodForm(StyledFormMixin, forms.Form):
    fra = forms.DateField(label=_("From"), widget=forms.DateInput())
    til = forms.DateField(label=_("Until (not included)"), widget=forms.DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("fra") and data.get("til") and data["til"] <= data["fra"]:
            self.add_error("til", _("The period ends after it starts."))
        return data


class RefusalFollowUpForm(StyledFormMixin, forms.Form):
    referred_to = forms.CharField(
        label=_("Referred to"),
        help_text=_(
            "For example NAV, the private rental market with a deposit guarantee, a shelter."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    follow_up_on = forms.DateField(label=_("Follow up on"), widget=forms.DateInput())


class FollowedUpForm(StyledFormMixin, forms.Form):
    followed_up_on = forms.DateField(label=_("Followed up"), widget=forms.DateInput())
    outcome = forms.CharField(label=_("What came of it"), widget=forms.Textarea(attrs={"rows": 3}))
