"""Forms of the assessment: the facts the guideline reads (each with its source), and the
caseworker's judgements and exceptions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from husly.cases.facts import APPLICATION_FACTS
from husly.cases.forms import YesNoUnknownSelect
from husly.cases.letters import _flat_criteria
from husly.cases.models import Application, Assessment, FactSource
from husly.core.forms import StyledFormMixin
from husly.core.templatetags.husly import localised, localised_marked
from husly.rules.guidelines import MunicipalDebtKind

SOURCE_CHOICES = [("", _("Choose the source")), *FactSource.choices]
DEBT_KIND_LABELS = {
    MunicipalDebtKind.RENT: _("Rent"),
    MunicipalDebtKind.HOUSING_LOAN: _("Housing loan"),
    MunicipalDebtKind.SOCIAL_LOAN: _("Social loan"),
    MunicipalDebtKind.OTHER: _("Other obligations"),
}

FACT_GROUPS: tuple[tuple[Any, tuple[str, ...]], ...] = (
    (
        _("Residence in the municipality"),
        ("lived_in_municipality_since",),
    ),
    (
        _("Housing situation"),
        (
            "housing_kind",
            "is_without_suitable_housing",
            "lease_end_date",
            "has_right_to_renew_lease",
            "institution_discharge_date",
            "has_home_after_discharge",
            "current_dwelling_is_suitable",
            "current_dwelling_is_approved",
            "has_alternative_housing_options",
            "has_offer_of_brokered_private_dwelling",
        ),
    ),
    (
        _("Economy"),
        ("gross_annual_income", "wealth", "debt", "maintenance_obligations"),
    ),
    (
        _("Debt to the municipality"),
        (
            "municipal_arrears",
            "municipal_debt_kinds",
            "has_repayment_agreement",
            "repayment_agreement_is_realistic",
        ),
    ),
    (
        _("Health and follow-up"),
        (
            "has_reduced_functional_ability",
            "has_health_problems",
            "has_social_problems",
            "needs_follow_up",
            "has_rent_payment_plan",
            "all_measures_tried",
        ),
    ),
)
"""The facts form's sections; together they hold every field in ``APPLICATION_FACTS``."""


def _empty(value: Any) -> bool:
    return value is None or value in ("", [])


class AssessmentFactsForm(StyledFormMixin, forms.ModelForm):
    """Every fact of the application that a guideline criterion reads, each with where it is
    known from. A fact stated in the application counts as stated by the applicant until a
    caseworker records another source."""

    municipal_debt_kinds = forms.MultipleChoiceField(
        label=_("What the debt to the municipality is for"),
        choices=list(DEBT_KIND_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Application
        fields = list(APPLICATION_FACTS.values())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        recorded = self.instance.fact_sources or {}
        for name in APPLICATION_FACTS.values():
            field = self.fields[name]
            field.required = False
            if isinstance(field, forms.NullBooleanField):
                field.widget = YesNoUnknownSelect()
            stated = not _empty(getattr(self.instance, name))
            self.fields[f"source:{name}"] = forms.ChoiceField(
                label=_("Source: %(fact)s") % {"fact": field.label},
                choices=SOURCE_CHOICES,
                required=False,
                initial=recorded.get(name, FactSource.APPLICANT if stated else ""),
                widget=forms.Select(attrs={"class": "ds-input"}),
            )
        self.fields["lived_in_municipality_since"].help_text = _(
            "When the applicant started living in the municipality, which may be before the "
            "registration in the population register."
        )
        self.fields["municipal_debt_kinds"].initial = self.instance.municipal_debt_kinds or []

    def groups(self) -> list[tuple[Any, list[tuple[forms.BoundField, forms.BoundField]]]]:
        """(heading, [(fact field, its source field), ...]) per section, for the template."""
        return [
            (heading, [(self[name], self[f"source:{name}"]) for name in names])
            for heading, names in FACT_GROUPS
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        since = data.get("lived_in_municipality_since")
        if since and since > timezone.localdate():
            self.add_error("lived_in_municipality_since", _("The date cannot be in the future."))
        for name in APPLICATION_FACTS.values():
            if not _empty(data.get(name)) and not data.get(f"source:{name}"):
                self.add_error(f"source:{name}", _("Say where this fact comes from."))
        return data

    def facts(self) -> dict[str, Any]:
        data = self.cleaned_data
        facts = {name: data.get(name) for name in APPLICATION_FACTS.values()}
        facts["municipal_debt_kinds"] = list(data.get("municipal_debt_kinds") or [])
        for name, value in facts.items():
            if value is None and isinstance(self.fields[name], forms.CharField):
                facts[name] = ""
        return facts

    def sources(self) -> dict[str, str]:
        return {
            name: self.cleaned_data.get(f"source:{name}", "") for name in APPLICATION_FACTS.values()
        }


OUTCOME_CHOICES = [("", _("Not assessed yet")), ("met", _("Met")), ("not_met", _("Not met"))]


class JudgementForm(forms.Form):
    """The caseworker's part of an assessment, built from the latest one: an outcome and a reason
    for every criterion the guideline leaves to judgement, and for every criterion that is not
    met, the exceptions that may set it aside, each picked with its own reason."""

    def __init__(self, assessment: Assessment, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        record = assessment.record
        saved_on = assessment.assessed_on.strftime("%d.%m.%Y")
        self.judged: list[str] = []
        for crit in _flat_criteria(record["criteria"]):
            if not (crit.get("judgeable") or crit["kind"] == "judgement" or crit.get("assessment")):
                continue
            key = crit["criterion_id"]
            previous = crit.get("assessment") or {}
            self.judged.append(key)
            saved = ""
            if previous:
                outcome = _("Met") if previous["outcome"] == "met" else _("Not met")
                saved = _("Saved %(date)s: %(outcome)s.") % {"date": saved_on, "outcome": outcome}
            self.fields[f"judge:{key}"] = forms.ChoiceField(
                label=format_html("{} {}", crit["point"], localised_marked(crit["title"])),
                required=False,
                choices=OUTCOME_CHOICES,
                initial=previous.get("outcome", ""),
                help_text=saved,
                widget=forms.Select(attrs={"class": "ds-input"}),
            )
            self.fields[f"reason:{key}"] = forms.CharField(
                label=_("Reason for “%(criterion)s”") % {"criterion": crit["point"]},
                required=False,
                initial=previous.get("reason", ""),
                widget=forms.Textarea(attrs={"rows": 2, "class": "ds-input"}),
            )
        grounds: dict[str, list[tuple[str, str]]] = {}
        for exc in record["exceptions"]:
            for criterion_id in exc["available_for"]:
                grounds.setdefault(criterion_id, []).append(
                    (exc["exception_id"], localised(exc["title"]))
                )
        waived = {w["criterion_id"]: w for w in record.get("waivers", [])}
        self.waivable: list[str] = []
        for crit in record["criteria"]:
            key = crit["criterion_id"]
            if key not in grounds:
                continue
            self.waivable.append(key)
            previous = waived.get(key) or {}
            self.fields[f"waive:{key}"] = forms.ChoiceField(
                label=_("Exception from %(point)s %(criterion)s")
                % {"point": crit["point"], "criterion": localised(crit["title"])},
                required=False,
                choices=[("", _("No exception")), *grounds[key]],
                initial=previous.get("exception_id", ""),
                help_text=_("Saved %(date)s: the criterion is set aside.") % {"date": saved_on}
                if previous
                else "",
                widget=forms.Select(attrs={"class": "ds-input"}),
            )
            self.fields[f"waivereason:{key}"] = forms.CharField(
                label=_("Reason for the exception from %(point)s") % {"point": crit["point"]},
                required=False,
                initial=previous.get("reason", ""),
                widget=forms.Textarea(attrs={"rows": 2, "class": "ds-input"}),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for key in self.judged:
            if data.get(f"judge:{key}") and not data.get(f"reason:{key}", "").strip():
                self.add_error(
                    f"reason:{key}",
                    _("Give a reason for your assessment (forvaltningsloven § 25)."),
                )
        for key in self.waivable:
            if data.get(f"waive:{key}") and not data.get(f"waivereason:{key}", "").strip():
                self.add_error(
                    f"waivereason:{key}", _("Give a reason for setting this criterion aside.")
                )
        return data

    def judgements(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {
            key: (data[f"judge:{key}"], data[f"reason:{key}"])
            for key in self.judged
            if data.get(f"judge:{key}")
        }

    def waivers(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {
            key: (data[f"waive:{key}"], data[f"waivereason:{key}"])
            for key in self.waivable
            if data.get(f"waive:{key}")
        }

    def pairs(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """(choice, reason) per criterion, judgements first, for the template."""
        return [(self[f"judge:{k}"], self[f"reason:{k}"]) for k in self.judged] + [
            (self[f"waive:{k}"], self[f"waivereason:{k}"]) for k in self.waivable
        ]
