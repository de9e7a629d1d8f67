"""The decision form follows the kind of help and the assessment (issue #11 items 1–3): it never
defaults to refusal, says what is missing and offers no outcome until the assessment is
complete, asks only for the content the kind of help needs, and wants the caseworker's own
reasons."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from husly.cases import actions
from husly.cases.models import Case, Decision
from tests.cases.helpers import ELIGIBLE, judge_all

pytestmark = pytest.mark.django_db

REASONS = (
    "Husstanden har ingen bolig og bor hos venner. Vi har lagt vekt på at de har barn, og at "
    "de ikke klarer å skaffe bolig selv."
)


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _case(sara, household, kinds: list[str], **data) -> Case:  # type: ignore[no-untyped-def]
    return actions.case_create(
        actor=sara,
        household=household,
        channel="meeting",
        help_kinds=kinds,
        data={**ELIGIBLE, **data},
        submit=True,
    )


def _url(case: Case, kind: str = "") -> str:
    url = reverse("cases:decision_create", args=[case.pk])
    return f"{url}?hjelp={kind}" if kind else url


def test_an_incomplete_assessment_offers_no_outcome_and_says_what_is_missing(
    sara, household, routing
) -> None:
    case = _case(sara, household, ["rental_dwelling"])
    client = _client(sara)
    page = client.get(_url(case)).content.decode()
    assert "Saken er ikke vurdert etter retningslinjene til kommunen." in page
    assert 'name="kind"' not in page
    actions.assessment_run(actor=sara, case=case)  # judgements not made yet
    page = client.get(_url(case)).content.decode()
    assert "Du kan ikke lage vedtaket ennå" in page
    assert "Har behov for hjelp til å skaffe seg bolig" in page  # a criterion still to judge
    assert 'name="kind"' not in page and 'value="refusal"' not in page
    response = client.post(
        _url(case), {"kind": "refusal", "facts": "Ingen bolig.", "reasoning": REASONS}
    )
    assert response.status_code == 200
    assert not Decision.objects.exists()


def test_a_complete_assessment_decides_the_outcome_never_a_default_refusal(
    sara, household, routing, housing_office
) -> None:
    case = _case(sara, household, ["rental_dwelling"])
    actions.assessment_run(actor=sara, case=case)
    actions.assessment_run(actor=sara, case=case, judgements=judge_all(case, sara))
    page = _client(sara).get(_url(case)).content.decode()
    assert 'value="approval"' in page and 'value="refusal"' not in page
    assert "Tilsagn (satt på venteliste)" in page
    # The reasons are not prefilled with the assessment's one-line summary.
    summary = case.assessments.first().record["summary"]["nb"]
    assert summary not in page


def test_the_reasons_must_be_the_caseworkers_own(sara, household, routing, housing_office) -> None:
    case = _case(sara, household, ["rental_dwelling"])
    actions.assessment_run(actor=sara, case=case)
    actions.assessment_run(actor=sara, case=case, judgements=judge_all(case, sara))
    summary = case.assessments.first().record["summary"]["nb"]
    data = {
        "kind": "approval",
        "facts": "Husstanden bor hos venner.",
        "reasoning": summary,
        "expected_wait_months": 4,
        "follow_up_unit": housing_office.pk,
    }
    client = _client(sara)
    page = client.post(_url(case), data).content.decode()
    assert "Skriv begrunnelsen med dine egne ord" in page
    assert not Decision.objects.exists()
    response = client.post(_url(case), {**data, "reasoning": REASONS})
    assert response.status_code == 302
    assert Decision.objects.get().reasoning == REASONS


def test_a_guarantee_form_asks_for_its_own_content(sara, household, routing) -> None:
    case = _case(sara, household, ["rental_dwelling", "deposit_guarantee"])
    client = _client(sara)
    chooser = client.get(_url(case)).content.decode()
    assert "?hjelp=deposit_guarantee" in chooser and "?hjelp=rental_dwelling" in chooser
    page = client.get(_url(case, "deposit_guarantee")).content.decode()
    assert "Garantibeløp (kr)" in page and "Utleier" in page
    assert 'name="expected_wait_months"' not in page
    assert "Depositumsgaranti innvilget" in page
    assert "satt på venteliste" not in page
    # Not blocked by the rental part's missing assessment, and no outcome preselected.
    assert '<option value="" selected>' in page
    response = client.post(
        _url(case, "deposit_guarantee"),
        {"kind": "approval", "facts": "Husstanden har funnet en bolig.", "reasoning": REASONS},
    )
    page = response.content.decode()
    assert "Skriv beløpet i hele kroner." in page
    assert "Skriv hvilken utleier garantien gis til." in page
    assert not Decision.objects.exists()
    response = client.post(
        _url(case, "deposit_guarantee"),
        {
            "kind": "approval",
            "facts": "Husstanden har funnet en bolig.",
            "reasoning": REASONS,
            "amount": "24000",
            "landlord": "Utleie AS",
            "place": "Storgata 5",
            "period_from": "2026-04-01",
            "period_to": "2029-03-31",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.help_kind == "deposit_guarantee" and decision.amount == 24_000
    assert decision.period_to == dt.date(2029, 3, 31)
    detail = client.get(reverse("cases:decision_detail", args=[decision.pk])).content.decode()
    assert "Depositumsgaranti innvilget" in detail and "Statsforvalteren" in detail


def test_a_temporary_stay_asks_for_a_place_and_dates(sara, household, routing) -> None:
    case = _case(sara, household, ["temporary_accommodation"])
    page = _client(sara).get(_url(case)).content.decode()
    assert "Hvor husstanden skal bo" in page and "Første natt" in page
    assert 'name="amount"' not in page and 'name="landlord"' not in page
