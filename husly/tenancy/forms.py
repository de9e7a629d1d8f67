from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from husly.core.forms import StyledFormMixin
from husly.tenancy.models import EndReason, Lease, RenewalAlternative


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
            "handover_on",
            "inspection_on",
        ]
        widgets = {
            "start_date": forms.DateInput(),
            "end_date": forms.DateInput(),
            "handover_on": forms.DateInput(),
            "inspection_on": forms.DateInput(),
            "term_basis": forms.Textarea(attrs={"rows": 3}),
        }


class EndForm(StyledFormMixin, forms.Form):
    ended_on = forms.DateField(label=_("Last day of the lease"), widget=forms.DateInput())
    reason = forms.ChoiceField(
        label=_("Why it ends"),
        choices=[c for c in EndReason.choices if c[0] not in {"renewed", "swap"}],
    )


class AlternativesForm(StyledFormMixin, forms.Form):
    alternative = forms.ChoiceField(
        label=_("What fits the household now"), choices=RenewalAlternative.choices
    )
    note = forms.CharField(
        label=_("Assessment of the alternatives"), widget=forms.Textarea(attrs={"rows": 3})
    )
