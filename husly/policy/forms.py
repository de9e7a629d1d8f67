"""The levers a leader can change on the simulation page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from husly.simulation import Levers

RUNS = [(20, "20"), (50, "50"), (100, "100")]
MONTHS = [(12, _("1 year")), (36, _("3 years")), (60, _("5 years")), (120, _("10 years"))]
WEIGHTS = ("medical_weight", "social_weight", "children_weight", "waiting_points_per_month")


class LeversForm(forms.Form):
    label = forms.CharField(label=_("Name of the scenario"), max_length=150)
    lease_length_months = forms.IntegerField(
        label=_("Lease length for new and renewed leases (months, 0 = no end date)"),
        min_value=0,
        max_value=240,
    )
    renewal_income_test = forms.BooleanField(
        label=_("The renewal test (income and need) can refuse a renewal"), required=False
    )
    refusals_allowed = forms.IntegerField(
        label=_("Refusals allowed before the approval lapses (0 = lapses at the first)"),
        min_value=0,
        max_value=20,
    )
    residence_requirement = forms.BooleanField(
        label=_("Residence requirement for applicants"), required=False
    )
    refugee_share = forms.IntegerField(
        label=_("Share of vacancies set aside for settling refugees (%)"),
        min_value=0,
        max_value=100,
    )
    bought_per_year = forms.IntegerField(
        label=_("Dwellings bought per year"), min_value=0, max_value=5000
    )
    head_leased_per_year = forms.IntegerField(
        label=_("Dwellings rented from private owners per year"), min_value=0, max_value=5000
    )
    sold_per_year = forms.IntegerField(
        label=_("Dwellings sold per year"), min_value=0, max_value=5000
    )
    start_loans_per_year = forms.IntegerField(
        label=_("Households on the list who buy with a start loan per year"),
        min_value=0,
        max_value=5000,
    )
    medical_weight = forms.DecimalField(
        label=_("Priority points per level of medical need"), min_value=0, max_value=100
    )
    social_weight = forms.DecimalField(
        label=_("Priority points per level of social need"), min_value=0, max_value=100
    )
    children_weight = forms.DecimalField(
        label=_("Priority points per level of children's situation"), min_value=0, max_value=100
    )
    waiting_points_per_month = forms.DecimalField(
        label=_("Priority points per month on the list"), min_value=0, max_value=100
    )
    runs = forms.TypedChoiceField(label=_("Runs"), choices=RUNS, coerce=int, initial=50)
    horizon_months = forms.TypedChoiceField(
        label=_("Years ahead"), choices=MONTHS, coerce=int, initial=60
    )

    @staticmethod
    def initial_from(levers: Levers) -> dict[str, Any]:
        priority = dict(levers.priority)
        return {
            "label": "",
            "lease_length_months": levers.lease_length_months,
            "renewal_income_test": levers.renewal_income_test,
            "refusals_allowed": levers.refusals_allowed,
            "residence_requirement": levers.residence_requirement,
            "refugee_share": round(100 * levers.refugee_share),
            "bought_per_year": round(levers.bought_per_year),
            "head_leased_per_year": round(levers.head_leased_per_year),
            "sold_per_year": round(levers.sold_per_year),
            "start_loans_per_year": round(levers.start_loans_per_year),
            **{name: priority[name] for name in WEIGHTS},
            "runs": 50,
            "horizon_months": 60,
        }

    def changes(self, today: Levers) -> dict[str, Any]:
        """The levers as ``simulation_run`` takes them (today's priority with new weights)."""
        d = self.cleaned_data
        priority = dict(today.priority)
        priority.update({name: float(d[name]) for name in WEIGHTS})
        return {
            "lease_length_months": d["lease_length_months"],
            "renewal_income_test": d["renewal_income_test"],
            "refusals_allowed": d["refusals_allowed"],
            "residence_requirement": d["residence_requirement"],
            "refugee_share": d["refugee_share"] / 100.0,
            "bought_per_year": float(d["bought_per_year"]),
            "head_leased_per_year": float(d["head_leased_per_year"]),
            "sold_per_year": float(d["sold_per_year"]),
            "start_loans_per_year": float(d["start_loans_per_year"]),
            "priority": priority,
        }
