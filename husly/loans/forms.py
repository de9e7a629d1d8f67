"""The start-loan application as a form, from Min side and from the desk: income and its
documentation, debts, savings, the dwelling sought or found (price, common debt for a
cooperative, location), co-financing from a bank, where the household lives now, and consent to
fetch what can be fetched. Checks that span fields give one clear Norwegian error each."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from husly.cases.models import Application, Channel
from husly.core.forms import StyledFormMixin
from husly.loans.models import DwellingKind, LoanApplication
from husly.loans.payment_file import COLUMNS

AMOUNT_LIMIT = 50_000_000
"""Higher than any dwelling a start loan buys: a larger figure is a typing error."""

ECONOMY_FIELDS = (
    "net_income_monthly",
    "income_documented",
    "other_fixed_costs_monthly",
    "debt_total",
    "savings",
)
DWELLING_FIELDS = (
    "dwelling_kind",
    "dwelling_address",
    "dwelling_municipality_number",
    "price",
    "common_debt",
    "housing_costs_monthly",
)
FINANCING_FIELDS = ("bank_co_financing", "loan_amount")


class KronerField(forms.IntegerField):
    """Whole kroner as people write them: «42 000» with spaces is 42000."""

    widget = forms.TextInput

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = value.replace(" ", "").replace("\N{NO-BREAK SPACE}", "")
        return super().to_python(value)  # type: ignore[no-any-return]


AMOUNT_FIELDS = (
    "net_income_monthly",
    "other_fixed_costs_monthly",
    "debt_total",
    "savings",
    "price",
    "common_debt",
    "housing_costs_monthly",
    "bank_co_financing",
    "loan_amount",
)


class LoanApplicationForm(StyledFormMixin, forms.ModelForm):
    """The loan's own facts, with where the household lives now (the common application)."""

    housing_kind = forms.ChoiceField(
        label=_("Where do you live now?"),
        choices=Application._meta.get_field("housing_kind").choices,  # type: ignore[arg-type]
    )
    lived_in_municipality_since = forms.DateField(
        label=_("Lived in the municipality since"), required=False, widget=forms.DateInput()
    )
    consent_to_fetch = forms.BooleanField(
        label=_(
            "I agree that the start-loan team may fetch what can be fetched about income, tax "
            "and debt, so that I need not send it myself"
        ),
        required=False,
        help_text=_(
            "Without consent you send the documents yourself. You can withdraw the consent "
            "in My page under Sharing."
        ),
    )

    class Meta:
        model = LoanApplication
        fields = [*ECONOMY_FIELDS, *DWELLING_FIELDS, *FINANCING_FIELDS]
        field_classes = dict.fromkeys(AMOUNT_FIELDS, KronerField)
        labels = {
            "income_documented": _("I can document the income (payslips, tax return)"),
            "dwelling_address": _("Address of the dwelling, or the area you look in"),
            "dwelling_municipality_number": _("Municipality number of the dwelling"),
            "common_debt": _("Share of common debt (cooperative flats) (NOK)"),
        }
        help_texts = {
            "net_income_monthly": _("For the whole household, after tax."),
            "common_debt": _("Only for a cooperative flat (borettslag); otherwise 0."),
            "dwelling_municipality_number": _("Four digits, e.g. 3224 for Rælingen."),
            "loan_amount": _("The start loan and the bank loan together cannot exceed the price."),
        }

    def __init__(self, *args: Any, desk: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in (*ECONOMY_FIELDS, *DWELLING_FIELDS, *FINANCING_FIELDS):
            field = self.fields[name]
            if isinstance(field, forms.IntegerField):
                field.validators.append(MaxValueValidator(AMOUNT_LIMIT))
                field.widget.attrs.update({"inputmode": "numeric"})
                field.error_messages["invalid"] = _("Write a whole number of kroner.")
                field.error_messages["min_value"] = _("The amount cannot be negative.")
                field.error_messages["max_value"] = _(
                    "The amount is too large to be right. Write it in whole kroner."
                )
        self.fields["dwelling_municipality_number"].validators.append(
            RegexValidator(r"^\d{4}$", _("The municipality number has four digits."))
        )
        for name in ("other_fixed_costs_monthly", "debt_total", "savings", "common_debt"):
            self.fields[name].required = False
            self.fields[name].initial = 0
        self.fields["housing_costs_monthly"].required = False
        self.fields["bank_co_financing"].required = False
        if desk:
            self.fields["channel"] = forms.ChoiceField(
                label=_("How did the application come in?"),
                choices=[(c.value, c.label) for c in Channel if c != Channel.SELF_SERVICE],
            )
            self.fields["consent_to_fetch"].label = _(
                "The household consents to the start-loan team fetching what can be fetched "
                "about income, tax and debt"
            )
            self.fields["consent_to_fetch"].help_text = _(
                "Ask the household and tick only if it agrees; the consent is recorded as oral."
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in (
            "other_fixed_costs_monthly",
            "debt_total",
            "savings",
            "common_debt",
            "housing_costs_monthly",
            "bank_co_financing",
        ):
            if data.get(name) is None and name not in self.errors:
                data[name] = 0
        kind = data.get("dwelling_kind")
        if kind and kind != DwellingKind.COOPERATIVE and data.get("common_debt"):
            self.add_error(
                "common_debt",
                _("Common debt belongs to a cooperative flat. Write 0 or choose cooperative."),
            )
        price, loan = data.get("price"), data.get("loan_amount")
        if price is not None and loan is not None:
            if loan <= 0:
                self.add_error("loan_amount", _("Write how much you apply to borrow."))
            total = price + (data.get("common_debt") or 0)
            if loan + (data.get("bank_co_financing") or 0) > total:
                self.add_error(
                    "loan_amount",
                    _(
                        "The start loan and the bank loan together (%(sum)s kr) are more than "
                        "the price with common debt (%(total)s kr)."
                    )
                    % {
                        "sum": _kroner(loan + (data.get("bank_co_financing") or 0)),
                        "total": _kroner(total),
                    },
                )
        since = data.get("lived_in_municipality_since")
        if since and since > timezone.localdate():
            self.add_error("lived_in_municipality_since", _("The date cannot be in the future."))
        return data

    def groups(self) -> list[tuple[str, list[Any]]]:
        """The fields in the order the household thinks of them, one fieldset each."""
        first = ["channel"] if "channel" in self.fields else []
        return [
            (
                str(_("Where you live now")),
                [self[n] for n in (*first, "housing_kind", "lived_in_municipality_since")],
            ),
            (str(_("Income, debt and savings")), [self[n] for n in ECONOMY_FIELDS]),
            (str(_("The dwelling you seek or have found")), [self[n] for n in DWELLING_FIELDS]),
            (str(_("Financing")), [self[n] for n in FINANCING_FIELDS]),
            (str(_("Consent to fetch")), [self["consent_to_fetch"]]),
        ]

    def loan_data(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in (*ECONOMY_FIELDS, *DWELLING_FIELDS, *FINANCING_FIELDS)
        }

    def case_data(self) -> dict[str, Any]:
        return {
            "housing_kind": self.cleaned_data["housing_kind"],
            "lived_in_municipality_since": self.cleaned_data.get("lived_in_municipality_since"),
            "debt": self.cleaned_data["debt_total"],
        }


def _kroner(value: int) -> str:
    return f"{value:,}".replace(",", "\N{NO-BREAK SPACE}")


class PaymentFileForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("The loan administrator's payment file"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("CSV or XLSX with the columns %(columns)s.") % {
            "columns": ", ".join(COLUMNS)
        }
