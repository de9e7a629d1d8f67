from __future__ import annotations

import datetime as dt
import html

import pytest
from django.test import Client
from django.urls import reverse

from husly.audit.models import AccessEvent
from husly.cases import actions

pytestmark = pytest.mark.django_db

ALLOWANCE = {
    "municipality_number": "3224",
    "on": "2026-11-01",
    "housing_costs_monthly": "11000",
    "income_monthly": "20000",
    "net_wealth": "0",
    "is_renting": "on",
    "heating_included_in_costs": "on",
    "ages": "34, 6",
}


def _direct():  # type: ignore[no-untyped-def]
    """The engine called directly with the form's inputs: the page must pass them unchanged
    (the amounts themselves are tested against worked cases in tests/rules)."""
    from husly.rules.housing_allowance import (
        HousingAllowanceApplication,
        Member,
        explain_housing_allowance,
    )

    return explain_housing_allowance(
        HousingAllowanceApplication(
            municipality_number="3224",
            members=[Member(age=34), Member(age=6, is_child_of_applicant=True)],
            housing_costs_annual=132_000,
            income_annual=240_000,
            net_wealth=0,
        ),
        dt.date(2026, 11, 1),
    )


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _resident(language: str | None = None) -> Client:
    """A resident logged in to Min side (development login), reading ``language`` if given."""
    from tests.factories import synthetic_number

    client = Client()
    client.post(reverse("portal:login"), {"national_id": synthetic_number(dt.date(1990, 1, 1))})
    if language:
        client.post(reverse("set_language"), {"language": language})
    return client


def test_it_calculates_housing_allowance_with_every_step_explained(sara) -> None:
    response = _client(sara).post(reverse("calculators:allowance"), ALLOWANCE)
    result = response.context["result"]
    assert result.monthly_payout == _direct().monthly_payout > 0
    page = response.content.decode()
    assert "Egenandel" in page and "forskrift om bustøtte" in page.lower()


def test_an_unknown_municipality_gets_a_norwegian_message_on_its_field(sara) -> None:
    response = _client(sara).post(
        reverse("calculators:allowance"), {**ALLOWANCE, "municipality_number": "9999"}
    )
    errors = response.context["form"].errors
    assert "municipality_number" in errors
    assert response.context["result"] is None


def test_ages_must_be_numbers(sara) -> None:
    response = _client(sara).post(reverse("calculators:allowance"), {**ALLOWANCE, "ages": "34, x"})
    assert "ages" in response.context["form"].errors


def test_a_negative_income_is_refused_naming_the_field(sara) -> None:
    response = _client(sara).post(
        reverse("calculators:allowance"), {**ALLOWANCE, "income_monthly": "-5"}
    )
    errors = response.context["form"].errors["income_monthly"]
    assert errors == ["Verdien må være større enn eller lik 0."]  # the amount as typed, monthly


def test_it_assesses_a_start_loan_and_flags_the_duty_to_advise_against(sara) -> None:
    data = {
        "municipality_number": "3224",
        "on": "2026-11-01",
        "net_income_monthly": "32000",
        "loan_amount": "2000000",
        "term_years": "30",
        "repayment_profile": "annuity",
        "housing_operating_costs_monthly": "0",
        "other_fixed_costs_monthly": "0",
        "members": "34 k",
    }
    client = _client(sara)
    ok = client.post(reverse("calculators:loan"), data).context["result"]
    assert ok.can_service_loan and not ok.advise_against
    too_much = client.post(reverse("calculators:loan"), {**data, "loan_amount": "4500000"})
    assert too_much.context["result"].advise_against


def test_it_prefills_from_a_case_and_logs_the_read(sara, household, routing) -> None:
    from tests.cases.helpers import ELIGIBLE

    case = actions.case_create(
        actor=sara,
        household=household,
        channel="meeting",
        help_kinds=["rental_dwelling"],
        data=ELIGIBLE,
        submit=True,
    )
    response = _client(sara).get(reverse("calculators:allowance"), {"sak": case.pk})
    form = response.context["form"]
    assert form.initial["municipality_number"] == "3224"
    assert form.initial["income_monthly"] == round(250_000 / 12)
    assert len(form.initial["ages"].split(",")) == 2
    assert AccessEvent.objects.filter(what="calculator_prefill").count() == 2


def test_another_municipality_cannot_prefill_from_a_case(olga, sara, household, routing) -> None:
    from tests.cases.helpers import ELIGIBLE

    case = actions.case_create(
        actor=sara,
        household=household,
        channel="meeting",
        help_kinds=["rental_dwelling"],
        data=ELIGIBLE,
        submit=True,
    )
    assert _client(olga).get(reverse("calculators:allowance"), {"sak": case.pk}).status_code == 404


def test_a_resident_uses_the_calculator_in_min_side() -> None:
    client = _resident()
    response = client.post(reverse("portal:allowance"), ALLOWANCE)
    assert response.context["result"].monthly_payout == _direct().monthly_payout


def _result_section(page: str) -> str:
    """The result and its explanation (not the menus, whose links are Norwegian paths)."""
    return page.split('id="resultat"', 1)[1].split("</section>", 1)[0]


@pytest.mark.parametrize(
    ("language", "shown", "not_shown"),
    [
        (
            "nn",
            [
                "<td>Eigendel</td>",
                "<td>Godkjente buutgifter</td>",
                "minste eigendel + første ledd + andre ledd",
                "<li>Minste eigendel:",
                "personar",
            ],
            ["Egenandel", "boutgifter", "avrundet", "personer", "NOK/year"],
        ),
        (
            "en",
            [
                "<td>Own share</td>",
                "<td>Approved housing costs</td>",
                "minimum own share + first term + second term",
                "<li>Minimum own share:",
                "NOK/year",
            ],
            ["Egenandel", "Eigendel", "boutgifter", "kr/år"],
        ),
        (
            "nb",
            [
                "<td>Egenandel</td>",
                "minste egenandel + første ledd + andre ledd",
                "<li>Minste egenandel:",
                "kr/år",
            ],
            ["Eigendel", "Own share", "NOK/year"],
        ),
    ],
)
def test_the_explanation_reads_in_the_users_language(
    sara, language: str, shown: list[str], not_shown: list[str]
) -> None:
    client = _client(sara)
    client.post(reverse("set_language"), {"language": language})
    response = client.post(reverse("calculators:allowance"), ALLOWANCE)
    assert language == response.wsgi_request.LANGUAGE_CODE
    page = _result_section(response.content.decode())
    for text in shown:
        assert text in page
    for text in not_shown:
        assert text not in page
    assert "Forskrift om bustøtte (FOR-2012-11-29-1283) § 4" in page  # sources are cited as is


def test_a_resident_reads_the_start_loan_explanation_in_nynorsk() -> None:
    client = _resident("nn")
    data = {
        "municipality_number": "3224",
        "on": "2026-11-01",
        "net_income_monthly": "32000",
        "loan_amount": "4500000",
        "term_years": "30",
        "repayment_profile": "annuity",
        "housing_operating_costs_monthly": "0",
        "other_fixed_costs_monthly": "0",
        "members": "34 k",
    }
    page = _result_section(client.post(reverse("portal:loan"), data).content.decode())
    assert "<td>Frårådingsplikt utløyst</td>" in page
    assert "<td>Kan betene lånet</td>" in page
    assert "Frarådningsplikt utløst" not in page
    # Parameters used: choices and table keys by their names, age bands as ages, in nynorsk.
    assert "Norm for livsopphald: referansebudsjettet til SIFO" in page
    assert "einslege: " in page and "ektepar og sambuarar: " in page
    assert "6–19 år: 327 kr/md." in page and "67 år og eldre: " in page
    assert "blir trekte frå lånet ved utbetaling" in page
    assert "<td>annuitetslån</td>" in page  # the step's code by its name
    for code in ("sifo", "deducted_from_loan", "husbanken_stress_test", "AgeBand", "annuity"):
        assert code not in page


def _error_on(page: str, field: str) -> str:
    """The error message the page shows under the form field ``field``."""
    start = f'id="id_{field}_error">'
    assert start in page, f"no error shown on {field}"
    return html.unescape(page.split(start, 1)[1].split("</div>", 1)[0])


@pytest.mark.parametrize(
    ("language", "field", "changes", "message", "not_shown"),
    [
        (
            "nn",
            "municipality_number",
            {"municipality_number": "9999"},
            "Kommunenummer 9999 finst ikkje i kommuneregisteret per 01.11.2026.",
            "finnes ikke",
        ),
        (
            "en",
            "municipality_number",
            {"municipality_number": "9999"},
            "Municipality number 9999 is not in the municipality register as of 1 November 2026.",
            "finnes ikke",
        ),
        (
            "nn",
            "on",
            {"on": "2024-03-15"},
            "så utrekninga kan ikkje gjerast for datoen 01.03.2024.",
            "beregningen kan ikke",
        ),
        (
            "en",
            "on",
            {"on": "2024-03-15"},
            "so the calculation cannot be made for the date 1 March 2024.",
            "beregningen kan ikke",
        ),
        (
            "nn",
            "net_wealth",
            {"net_wealth": "-5000"},
            "«nettoformue» kan ikkje vere negativ (oppgitt: -5000).",
            "kan ikke være negativ",
        ),
        (
            "en",
            "net_wealth",
            {"net_wealth": "-5000"},
            "“net wealth” cannot be negative (entered: -5000).",
            "kan ikke være negativ",
        ),
    ],
)
def test_an_input_error_reads_in_the_users_language_on_its_field(
    sara, language: str, field: str, changes: dict[str, str], message: str, not_shown: str
) -> None:
    client = _client(sara)
    client.post(reverse("set_language"), {"language": language})
    response = client.post(reverse("calculators:allowance"), {**ALLOWANCE, **changes})
    assert language == response.wsgi_request.LANGUAGE_CODE
    assert response.context["result"] is None
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in errors[field][0]
    page = response.content.decode()
    assert message in _error_on(page, field)
    assert not_shown not in page


def test_a_resident_reads_a_start_loan_error_in_english() -> None:
    client = _resident("en")
    data = {
        "municipality_number": "0301",
        "on": "2026-11-01",
        "net_income_monthly": "32000",
        "loan_amount": "2000000",
        "term_years": "30",
        "repayment_profile": "annuity",
        "housing_operating_costs_monthly": "0",
        "other_fixed_costs_monthly": "0",
        "members": "34 k",
    }
    page = client.post(reverse("portal:loan"), data).content.decode()
    assert _error_on(page, "municipality_number") == (
        "Oslo (0301) has not entered its start loan rules in Husly (fees, living-cost norm), so "
        "start loans cannot be calculated for this municipality yet."
    )
    assert "har ikke lagt inn" not in page
