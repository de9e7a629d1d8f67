from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from husly.arrears.models import LandlordKind
from husly.core.forms import StyledFormMixin
from husly.rent.models import DispatchChannel


class StepForm(StyledFormMixin, forms.Form):
    taken_on = forms.DateField(label=_("Date of the step"), widget=forms.DateInput())
    scheduled_for = forms.DateField(
        label=_("Eviction date set by the enforcement officer"),
        widget=forms.DateInput(),
        required=False,
    )
    attendees = forms.CharField(
        label=_("Who attends (one per line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class AgreementForm(StyledFormMixin, forms.Form):
    agreed_on = forms.DateField(label=_("Agreed on"), widget=forms.DateInput())
    instalments = forms.CharField(
        label=_("Instalments"),
        help_text=_("One per line: date and amount, for example 01.02.2027 2000"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_instalments(self) -> list[tuple[dt.date, int]]:
        rows: list[tuple[dt.date, int]] = []
        for number, line in enumerate(self.cleaned_data["instalments"].splitlines(), start=1):
            if not line.strip():
                continue
            try:
                day, amount = line.split()
                rows.append((_parse_day(day), int(amount.replace(" ", ""))))
            except ValueError:
                raise ValidationError(
                    _("Line %(n)s: write a date (dd.mm.yyyy) and an amount in whole kroner.")
                    % {"n": number}
                ) from None
        return rows


class NavCoverageForm(StyledFormMixin, forms.Form):
    amount = forms.IntegerField(label=_("Amount NAV covers (NOK)"), min_value=1)
    decided_on = forms.DateField(label=_("Decided on"), widget=forms.DateInput())
    basis = forms.ChoiceField(label=_("Consent or legal basis for sharing"))

    def __init__(self, *args: Any, bases: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["basis"].choices = bases


class AssignForm(StyledFormMixin, forms.Form):
    responsible = forms.ChoiceField(label=_("Responsible for the dialogue with the tenant"))

    def __init__(self, *args: Any, people: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].choices = people


class MeetingItemForm(AssignForm):
    agreed = forms.CharField(
        label=_("What was agreed"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class MeetingForm(StyledFormMixin, forms.Form):
    held_on = forms.DateField(label=_("Date of the meeting"), widget=forms.DateInput())
    participants = forms.CharField(label=_("Participants"), required=False)


class ExternalPetitionForm(StyledFormMixin, forms.Form):
    household = forms.IntegerField(label=_("Household number"), min_value=1)
    landlord_name = forms.CharField(label=_("Landlord"), max_length=200)
    landlord_kind = forms.ChoiceField(label=_("Kind of landlord"), choices=LandlordKind.choices)
    address = forms.CharField(label=_("Address of the dwelling"), max_length=200)
    received_on = forms.DateField(
        label=_("Copy of the petition received"), widget=forms.DateInput()
    )


def _parse_day(text: str) -> dt.date:
    """dd.mm.yyyy as a date (no time of day, so no time zone)."""
    day, month, year = (int(part) for part in text.split("."))
    return dt.date(year, month, day)


class ConfirmForm(StyledFormMixin, forms.Form):
    """How the confirmed step's letter goes to the tenant (Husly sends nothing itself)."""

    channel = forms.ChoiceField(
        label=_("How the letter goes to the tenant"), choices=DispatchChannel.choices
    )
