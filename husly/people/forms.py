from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from husly.core.forms import FilterForm, StyledFormMixin
from husly.people.models import Household, HouseholdMember, Person, Relation, ResidencePermit


class PersonForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "municipality",
            "national_id",
            "date_of_birth",
            "given_name",
            "family_name",
            "phone",
            "email",
            "address",
            "postal_code",
            "postal_town",
            "language_form",
            "needs_interpreter",
            "residence_permit",
            "residence_permit_valid_until",
            "registered_municipality_number",
            "registered_since",
        ]

    def __init__(self, *args: Any, municipalities: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["municipality"]
        else:
            self.fields["municipality"].queryset = municipalities
            if municipalities is not None and municipalities.count() == 1:
                self.fields["municipality"].widget = forms.HiddenInput()
                self.fields["municipality"].initial = municipalities.first()


class PersonFilterForm(FilterForm):
    residence_permit = forms.ChoiceField(
        label=_("Residence status"),
        required=False,
        choices=[("", _("All")), *ResidencePermit.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].label = _("Name or identity number")


class HouseholdForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Household
        fields = ["name"]


class MemberAddForm(StyledFormMixin, forms.Form):
    person_ref = forms.CharField(
        label=_("Identity number or person number"),
        max_length=20,
        help_text=_(
            "Fødselsnummer or D-nummer (11 digits), or the person number shown on the "
            "person's page (for example P-123)."
        ),
    )
    relation = forms.ChoiceField(
        label=_("Relation to the main applicant"),
        choices=[c for c in Relation.choices if c[0] != Relation.APPLICANT],
    )
    joint_custody = forms.BooleanField(
        label=HouseholdMember._meta.get_field("joint_custody").verbose_name, required=False
    )

    def __init__(self, *args: Any, household: Household, persons: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.household = household
        self.persons = persons

    def clean_person_ref(self) -> Person:
        ref = "".join(self.cleaned_data["person_ref"].split()).upper()
        queryset = self.persons.filter(municipality_id=self.household.municipality_id)
        person = None
        if ref.startswith("P-") and ref[2:].isdigit():
            person = queryset.filter(pk=int(ref[2:])).first()
        elif ref.isdigit():
            person = queryset.filter(national_id=ref).first()
        if person is None:
            raise forms.ValidationError(
                _(
                    "No person with this number is registered in the municipality. Register the "
                    "person first."
                )
            )
        return person


class EmergencyAccessForm(StyledFormMixin, forms.Form):
    """Break the glass: the reason for opening a person or household the reader has no part in."""

    reason = forms.CharField(
        label=_("Why must you open it now?"),
        help_text=_(
            "Only in an emergency. The reason, your name and your unit are logged, stand out in "
            "the audit log and are shown to the person in My page."
        ),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
