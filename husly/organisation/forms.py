from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from husly.core.forms import FilterForm, StyledFormMixin
from husly.organisation.models import Membership, Municipality, Role, Unit, UnitKind, User


class MunicipalityForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Municipality
        fields = [
            "number",
            "name",
            "housing_allowance_area",
            "language_form",
            "inhabitants",
            "decision_requires_approval",
            "appeal_body",
            "address",
        ]


class UnitForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["municipality", "name", "kind", "email", "phone"]

    def __init__(self, *args: Any, municipalities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        if self.instance.pk:
            del self.fields["municipality"]


class UnitFilterForm(FilterForm):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *UnitKind.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].label = _("Search for name")


class StaffForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True


class StaffCreateForm(StaffForm):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    password = forms.CharField(
        label=_("First password"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty when the person logs in with single sign-on."),
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean_password(self) -> str:
        from django.contrib.auth.password_validation import validate_password

        password: str = self.cleaned_data.get("password", "")
        if password:
            validate_password(password)
        return password


class MembershipForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["unit", "role"]

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class StaffFilterForm(FilterForm):
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].label = _("Search for name or username")
