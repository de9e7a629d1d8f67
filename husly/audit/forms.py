from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from husly.audit import selectors
from husly.core.forms import StyledFormMixin
from husly.organisation.models import User


class AuditSearchForm(StyledFormMixin, forms.Form):
    READS = "reads"
    CHANGES = "changes"

    kind = forms.ChoiceField(
        label=_("Show"),
        choices=[(READS, _("Reads of persons' data")), (CHANGES, _("Changes"))],
        initial=READS,
        required=False,
    )
    actor = forms.ModelChoiceField(
        label=_("Staff member"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Everyone"),
    )
    person = forms.CharField(
        label=_("Person (P-number or identity number)"), max_length=20, required=False
    )
    action = forms.CharField(label=_("Action or view"), max_length=80, required=False)
    emergency = forms.BooleanField(
        label=_("Only emergency access (break the glass)"), required=False
    )
    date_from = forms.DateField(label=_("From date"), required=False)
    date_to = forms.DateField(label=_("To date"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        actor_field = self.fields["actor"]
        assert isinstance(actor_field, forms.ModelChoiceField)  # noqa: S101 - declared above
        actor_field.queryset = selectors.audit_staff_choices(user)
        actor_field.label_from_instance = lambda u: u.get_full_name() or u.get_username()

    def clean_person(self) -> Any:
        reference = self.cleaned_data["person"]
        if not reference:
            return None
        person = selectors.audit_person_lookup(self.user, reference)
        if person is None:
            raise forms.ValidationError(_("No person with that number in your municipalities."))
        return person

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data
