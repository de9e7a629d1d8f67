from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from husly.cases.models import Case
from husly.consent.actions import ADULT_RELATIONS
from husly.consent.models import DataCategory, GivenHow, Purpose
from husly.core.forms import StyledFormMixin
from husly.organisation.models import Unit
from husly.people.models import Person


class _ScopeForm(StyledFormMixin, forms.Form):
    units = forms.ModelMultipleChoiceField(
        label=_("Which units may see the case"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    purposes = forms.MultipleChoiceField(
        label=_("For which purposes"), choices=Purpose.choices, widget=forms.CheckboxSelectMultiple
    )
    data_categories = forms.MultipleChoiceField(
        label=_("Which data"),
        choices=DataCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The unit sees the case's household and kinds of help, and only these data."),
    )
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, help_text=_("Leave empty if it has no end date.")
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        routed = case.routings.values_list("unit_id", flat=True)
        self.fields["units"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            municipality=case.municipality
        ).exclude(pk__in=routed)

    def scope(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "units": list(data["units"]),
            "purposes": data["purposes"],
            "data_categories": data["data_categories"],
            "valid_until": data.get("valid_until"),
        }


class ConsentForm(_ScopeForm):
    given_by = forms.ModelChoiceField(label=_("Given by"), queryset=Person.objects.none())
    given_how = forms.ChoiceField(
        label=_("Given how"),
        choices=[c for c in GivenHow.choices if c[0] != GivenHow.DIGITAL],
    )
    given_on = forms.DateField(label=_("Given on"))

    field_order = ["given_by", "given_how", "given_on", "units", "purposes", "data_categories"]

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"given_on": timezone.localdate()})
        super().__init__(*args, case=case, **kwargs)
        self.fields["given_by"].queryset = Person.objects.filter(  # type: ignore[attr-defined]
            memberships__household=case.household, memberships__relation__in=ADULT_RELATIONS
        ).distinct()


class LegalBasisForm(_ScopeForm):
    reference = forms.CharField(
        label=_("Legal basis (law and section)"),
        max_length=300,
        help_text=_(
            "For example «sosialtjenesteloven § 27». The municipality decides which "
            "bases may be used."
        ),
    )
    explanation = forms.CharField(
        label=_("Why it applies in this case"), widget=forms.Textarea(attrs={"rows": 3})
    )
    valid_from = forms.DateField(label=_("Valid from"))

    field_order = ["reference", "explanation", "valid_from", "units", "purposes"]

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"valid_from": timezone.localdate()})
        super().__init__(*args, case=case, **kwargs)


class PortalConsentForm(_ScopeForm):
    """The household gives consent itself in My page."""
