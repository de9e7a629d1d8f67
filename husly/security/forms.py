from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from husly.core.forms import StyledFormMixin


class TokenForm(StyledFormMixin, forms.Form):
    token = forms.CharField(
        label=_("Code from the authenticator app"),
        help_text=_("Six digits."),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit():
            raise forms.ValidationError(_("The code is six digits."))
        return token
