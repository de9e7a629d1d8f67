"""Form rendering with Designsystemet markup, shared by every form in Husly."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting


class HuslyFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


class StyledFormMixin:
    """Adds Designsystemet classes to widgets and marks invalid fields for assistive tech."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            widget.attrs.setdefault("class", "ds-input")
            if isinstance(field, forms.DecimalField):
                # Norwegian users write 55,5: accept the locale's decimal separator.
                field.localize = True
                widget.is_localized = True
                widget.input_type = "text"
                widget.attrs["inputmode"] = "decimal"
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"
                widget.format = "%Y-%m-%d"


class FilterForm(StyledFormMixin, forms.Form):
    """A GET form for list pages; invalid filters are ignored rather than failing the page."""

    q = forms.CharField(required=False, max_length=100)

    def value(self, name: str) -> Any:
        if not self.is_valid():
            return self.fields[name].initial or ""
        return self.cleaned_data.get(name) or ""


class SubmissionForm(forms.Form):
    """A one-time token in a form that creates something, so that sending the same form twice
    (a double click, a reload) creates it once: the action stores the token with what it
    created and finds it again (``husly.core.actions.once_per_submission``). Render
    ``{{ submission.token }}`` inside the form."""

    token = forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)

    def __init__(self, data: Any = None) -> None:
        super().__init__(data, prefix="innsending")

    def value(self) -> uuid.UUID | None:
        """The token sent, or None (an old form without one creates every time)."""
        if not self.is_bound or not self.is_valid():
            return None
        token: uuid.UUID | None = self.cleaned_data["token"]
        return token
