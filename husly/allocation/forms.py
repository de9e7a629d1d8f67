from __future__ import annotations

import datetime as dt
from typing import Any

import yaml
from django import forms
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from husly.allocation.models import (
    AllocationMeeting,
    RefusalRule,
    Urgency,
    WaitingListEntry,
)
from husly.core.forms import StyledFormMixin
from husly.housing.models import DwellingCategory

LEVELS = [(0, _("0 – none")), (1, _("1 – some")), (2, _("2 – heavy")), (3, _("3 – very heavy"))]


class EntryAssessForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    medical = forms.TypedChoiceField(label=_("Medical circumstances"), choices=LEVELS, coerce=int)
    social = forms.TypedChoiceField(label=_("Social circumstances"), choices=LEVELS, coerce=int)
    children = forms.TypedChoiceField(label=_("Children's situation"), choices=LEVELS, coerce=int)
    urgency = forms.TypedChoiceField(
        label=_("Housing situation"), choices=Urgency.choices, coerce=int
    )
    categories = forms.MultipleChoiceField(
        label=_("Dwelling categories the decision covers"),
        choices=DwellingCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = WaitingListEntry
        fields = [
            "persons",
            "medical",
            "social",
            "children",
            "urgency",
            "categories",
            "preferred_district",
            "needs_wheelchair",
            "max_floor",
            "heavy_needs",
        ]


class AdjustForm(StyledFormMixin, forms.Form):
    points = forms.IntegerField(
        label=_("Manual adjustment (points)"), min_value=-100, max_value=100
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class MeetingForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = AllocationMeeting
        fields = ["title", "held_on", "members"]
        widgets = {"held_on": forms.DateInput()}


class MinutesForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = AllocationMeeting
        fields = ["members", "minutes"]
        widgets = {"minutes": forms.Textarea(attrs={"rows": 5})}


def entry_choice_label(entry: Any, today: dt.date) -> str:
    """A household as the meeting's chooser shows it, so two households of the same name are
    told apart: name, size, case number and how long it has waited."""
    waited = max((today - entry.placed_on).days, 0)
    return gettext("%(name)s – %(persons)s, case %(case)s, waited %(waited)s") % {
        "name": entry.household.name,
        "persons": ngettext("%(n)s person", "%(n)s persons", entry.persons) % {"n": entry.persons},
        "case": entry.decision.case.number,
        "waited": ngettext("%(n)s day", "%(n)s days", waited) % {"n": waited},
    }


class ItemDecisionForm(StyledFormMixin, forms.Form):
    entry = forms.ModelChoiceField(
        label=_("Household to offer the dwelling to"),
        help_text=_("The proposed household is chosen. Needed to make an offer."),
        queryset=WaitingListEntry.objects.none(),
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_(
            "Needed when you choose another household than the proposed one, or offer the "
            "dwelling to nobody now."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    # Neither field is always required nor ever optional: the page says when each is needed.
    entry.conditionally_required = True  # type: ignore[attr-defined]
    reason.conditionally_required = True  # type: ignore[attr-defined]

    def __init__(
        self,
        *args: Any,
        entries: Any = None,
        choices: Any = None,
        units: list[int] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            # A shared flat: the room to offer, from the free rooms only.
            room = forms.TypedChoiceField(
                label=_("Room to offer"),
                help_text=_("The flat is shared: only the rooms that are free are listed."),
                choices=[("", gettext("Choose a room"))]
                + [(u, gettext("Room %(unit)s") % {"unit": u}) for u in units],
                coerce=int,
                empty_value=None,
                required=False,
            )
            room.conditionally_required = True  # type: ignore[attr-defined]
            self.fields["unit"] = room
        if entries is not None:
            field = self.fields["entry"]
            assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
            field.queryset = entries.select_related("household", "decision__case")
            today = timezone.localdate()
            field.label_from_instance = lambda e: entry_choice_label(e, today)  # type: ignore[method-assign,assignment]
        if choices is not None:
            # One query for every form on the meeting page, not one per vacancy.
            entry = self.fields["entry"]
            assert isinstance(entry, forms.ModelChoiceField)  # noqa: S101 - declared above
            entry.choices = [("", gettext("Choose a household")), *choices]


class RefuseForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why is the offer refused?"), widget=forms.Textarea(attrs={"rows": 3})
    )


class PolicyForm(StyledFormMixin, forms.Form):
    version = forms.CharField(label=_("Version"), max_length=40)
    refusal_rule = forms.ChoiceField(
        label=_("When a household refuses an offer"), choices=RefusalRule.choices
    )
    refusals_allowed = forms.IntegerField(
        label=_("Refusals allowed (when a number is allowed)"), min_value=0, max_value=5
    )
    answer_days = forms.IntegerField(label=_("Days to answer an offer"), min_value=1, max_value=60)
    priority = forms.CharField(
        label=_("Priority weights (YAML)"), widget=forms.Textarea(attrs={"rows": 12})
    )
    matching = forms.CharField(
        label=_("Matching rules (YAML)"), widget=forms.Textarea(attrs={"rows": 12})
    )

    def _yaml(self, name: str) -> dict[str, Any]:
        try:
            data = yaml.safe_load(self.cleaned_data[name])
        except yaml.YAMLError as exc:
            raise forms.ValidationError(_("Not valid YAML: %(error)s") % {"error": exc}) from exc
        if not isinstance(data, dict):
            raise forms.ValidationError(_("Write a YAML mapping."))
        data.pop("version", None)
        return data

    def clean_priority(self) -> dict[str, Any]:
        return self._yaml("priority")

    def clean_matching(self) -> dict[str, Any]:
        return self._yaml("matching")
