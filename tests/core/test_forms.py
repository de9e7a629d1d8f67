"""The shared form templates: labels, help, errors and grouped choices for assistive tech."""

from __future__ import annotations

from django import forms

from husly.core.forms import StyledFormMixin


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label="Why?",
        choices=[("moved", "Moved"), ("other", "Other")],
        widget=forms.RadioSelect,
        help_text="Pick one.",
    )
    note = forms.CharField(label="Note", required=False)


def test_a_group_of_radio_buttons_is_a_fieldset_named_by_its_legend() -> None:
    html = ReasonForm().as_div()
    fieldset = html.split("<fieldset", 1)[1].split("</fieldset>", 1)[0]
    assert "<legend" in fieldset and "Why?" in fieldset.split("</legend>", 1)[0]
    assert fieldset.count('type="radio"') == 2
    assert 'aria-describedby="id_reason_helptext"' in fieldset
    assert '<label class="ds-label" for="id_reason"' not in html  # no label for a group
    assert '<label class="ds-label" for="id_note"' in html  # a single input keeps its label


def test_an_error_on_a_radio_group_is_tied_to_the_group() -> None:
    form = ReasonForm(data={})
    assert not form.is_valid()
    fieldset = form.as_div().split("<fieldset", 1)[1].split("</fieldset>", 1)[0]
    assert 'aria-describedby="id_reason_helptext id_reason_error"' in fieldset
    assert 'id="id_reason_error"' in fieldset
