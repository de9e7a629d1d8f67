"""Input forms for the bostøtte and startlån calculators (husly.rules does the calculation)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from husly.core.forms import StyledFormMixin


class AllowanceForm(StyledFormMixin, forms.Form):
    municipality_number = forms.CharField(
        label=_("Municipality number"), max_length=4, min_length=4
    )
    on = forms.DateField(label=_("Calculate for the month of"), initial=timezone.localdate)
    # Monthly amounts are made annual for the engine: refused here when negative, so the message
    # names the amount as the user typed it (per month), not twelve times it.
    housing_costs_monthly = forms.IntegerField(
        label=_("Housing costs per month (NOK)"),
        min_value=0,
        help_text=_("Rent, or common costs and loan costs."),
    )
    income_monthly = forms.IntegerField(
        label=_("Household income per month (NOK)"),
        min_value=0,
        help_text=_("Gross income this month for all adults; children's income is not counted."),
    )
    net_wealth = forms.IntegerField(label=_("Net wealth (NOK)"), initial=0)
    is_renting = forms.BooleanField(label=_("Rents the home"), required=False, initial=True)
    heating_included_in_costs = forms.BooleanField(
        label=_("Heating is included in the costs"), required=False, initial=True
    )
    has_special_adaptation = forms.BooleanField(
        label=_("The home is specially adapted for a member with reduced function"), required=False
    )
    ages = forms.CharField(
        label=_("Ages of the members"),
        max_length=200,
        help_text=_("The applicant first, separated by commas, e.g. 34, 32, 6."),
    )

    def clean_ages(self) -> list[int]:
        return _ages(self.cleaned_data["ages"])


class LoanForm(StyledFormMixin, forms.Form):
    municipality_number = forms.CharField(
        label=_("Municipality number"), max_length=4, min_length=4
    )
    on = forms.DateField(label=_("Date"), initial=timezone.localdate)
    net_income_monthly = forms.IntegerField(label=_("Net income per month (NOK)"))
    loan_amount = forms.IntegerField(label=_("Start loan (NOK)"))
    term_years = forms.IntegerField(label=_("Term (years)"), initial=30)
    repayment_profile = forms.ChoiceField(
        label=_("Repayment"), choices=[("annuity", _("Annuity")), ("serial", _("Serial"))]
    )
    housing_operating_costs_monthly = forms.IntegerField(
        label=_("Operating costs of the home per month (NOK)"), initial=0
    )
    other_fixed_costs_monthly = forms.IntegerField(
        label=_("Other fixed costs per month (NOK)"),
        initial=0,
        help_text=_("Other debt, child maintenance paid and the like."),
    )
    long_term_conditions_met = forms.BooleanField(
        label=_("The conditions for a term over 30 years are met"), required=False
    )
    members = forms.CharField(
        label=_("Members (age and sex)"),
        max_length=200,
        help_text=_("The applicant first, e.g. 34 k, 36 m, 6 k (k = female, m = male)."),
    )

    def clean_members(self) -> list[tuple[int, str]]:
        members: list[tuple[int, str]] = []
        for part in self.cleaned_data["members"].split(","):
            bits = part.split()
            if len(bits) != 2 or not bits[0].isdigit() or bits[1].lower() not in {"k", "m"}:  # noqa: PLR2004
                raise forms.ValidationError(
                    _("Write each member as age and k or m, separated by commas: 34 k, 6 m.")
                )
            members.append((int(bits[0]), "female" if bits[1].lower() == "k" else "male"))
        return members


def _ages(raw: str) -> list[int]:
    ages: list[int] = []
    for part in raw.split(","):
        value = part.strip()
        if not value.isdigit():
            raise forms.ValidationError(
                _("“%(value)s” is not an age. Write whole numbers separated by commas.")
                % {"value": value}
            )
        ages.append(int(value))
    if not ages:
        raise forms.ValidationError(_("The household must have at least one member."))
    return ages


def field_for(form: forms.Form, rules_field: str) -> str | None:
    """The form field a rules-engine error names, or None (shown at the top)."""
    name = rules_field.split("[", 1)[0].split(".", 1)[0]
    aliases: dict[str, str] = {
        "members": "ages" if "ages" in form.fields else "members",
        "housing_costs_annual": "housing_costs_monthly",
        "income_annual": "income_monthly",
        "date": "on",
        "municipality": "municipality_number",
    }
    name = aliases.get(name, name)
    return name if name in form.fields else None


def initial_from(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}
