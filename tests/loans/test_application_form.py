"""The start-loan application as a real form (the desk and Min side), the credit check as a
recorded step, documents with deadlines, the guard on the generic decision form, the payment file
upload and the household's own start-loan page."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from husly.audit.models import AccessEvent
from husly.cases.models import Case, Decision
from husly.consent.models import Consent
from husly.loans import actions as loans
from husly.loans.models import LoanApplication, LoanPayment
from tests.cases.helpers import nav_staff
from tests.loans.helpers import loan_world, prepared
from tests.portal.test_portal import MY_NUMBER, _resident

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC)


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _registered(nina, raelingen):  # type: ignore[no-untyped-def]
    """A household the NAV caseworker registered (so NAV sees it; ADR 0015)."""
    from husly.people import actions as people
    from tests.factories import PersonFactory

    person = PersonFactory(municipality=raelingen)
    return people.household_create(
        actor=nina, data={"municipality": raelingen, "name": "Berg"}, applicant=person
    )


def _desk_form(**changes: str) -> dict[str, str]:
    data = {
        "channel": "meeting",
        "housing_kind": "rented_private",
        "lived_in_municipality_since": "2019-01-01",
        "net_income_monthly": "42 000",
        "income_documented": "on",
        "other_fixed_costs_monthly": "1200",
        "debt_total": "40000",
        "savings": "25000",
        "dwelling_kind": "cooperative",
        "dwelling_address": "Løvenskiolds gate 4 B, 2008 Fjerdingby",
        "dwelling_municipality_number": "3224",
        "price": "1900000",
        "common_debt": "600000",
        "housing_costs_monthly": "6500",
        "bank_co_financing": "0",
        "loan_amount": "2500000",
        "consent_to_fetch": "on",
        "innsending-token": str(uuid.uuid4()),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _portal_form(raelingen, **changes: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    desk = _desk_form()
    desk.pop("channel")
    token = desk.pop("innsending-token")
    data = {f"lan-{k}": v for k, v in desk.items()}
    data.update(
        {
            "om-municipality": str(raelingen.pk),
            "om-given_name": "Ida",
            "om-family_name": "Berg",
            "om-language_form": "nb",
            "om-address": "Torvvegen 2",
            "om-postal_code": "2008",
            "om-postal_town": "Fjerdingby",
            "innsending-token": token,
            "submit": "1",
        }
    )
    data.update(changes)
    return data


def test_the_desk_registers_a_cooperative_flat_once_with_consent(routing, household) -> None:  # type: ignore[no-untyped-def]
    nina, _nils = nav_staff(routing)
    household = _registered(nina, household.municipality)
    web = _client(nina)
    url = reverse("loans:application_create", kwargs={"household_pk": household.pk})
    assert web.get(url).status_code == 200
    data = _desk_form()
    first = web.post(url, data)
    assert first.status_code == 302, first.context["form"].errors
    second = web.post(url, data)  # a double click: the same form sent again
    application = LoanApplication.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == reverse("loans:application", kwargs={"pk": application.pk})
    assert Case.objects.count() == 1
    assert application.case.channel == "meeting"
    assert application.case.status == "submitted"
    assert application.net_income_monthly == 42_000 and application.total_price == 2_500_000
    assert application.case.application.housing_kind == "rented_private"
    consent = Consent.objects.get(case=application.case)
    assert consent.given_how == "oral" and list(consent.units.all()) == [routing]
    assert AccessEvent.objects.filter(actor=nina, what="loan_application_create").exists()


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"dwelling_kind": "freehold"}, "common_debt", "borettslag"),
        ({"loan_amount": "2600000"}, "loan_amount", "mer enn prisen med fellesgjeld"),
        ({"dwelling_municipality_number": "32"}, "dwelling_municipality_number", "fire siffer"),
        ({"net_income_monthly": "førti"}, "net_income_monthly", "helt antall kroner"),
        ({"price": ""}, "price", "påkrevet"),
    ],
)
def test_bad_input_gives_a_norwegian_error_and_writes_nothing(  # type: ignore[no-untyped-def]
    routing, household, changes, field, words
) -> None:
    nina, _nils = nav_staff(routing)
    household = _registered(nina, household.municipality)
    web = _client(nina)
    url = reverse("loans:application_create", kwargs={"household_pk": household.pk})
    response = web.post(url, _desk_form(**changes), HTTP_ACCEPT_LANGUAGE="nb")
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert words.lower() in errors.lower(), errors
    assert not Case.objects.exists() and not LoanApplication.objects.exists()


def test_a_failing_consent_rolls_back_the_whole_application(routing, household) -> None:  # type: ignore[no-untyped-def]
    """All or nothing: a refusal after the case was written leaves no case behind."""
    nina, _nils = nav_staff(routing)
    household = _registered(nina, household.municipality)
    household.members.filter(relation="applicant").update(relation="other_adult")
    web = _client(nina)
    url = reverse("loans:application_create", kwargs={"household_pk": household.pk})
    response = web.post(url, _desk_form())
    assert response.status_code == 200
    assert not Case.objects.exists() and not LoanApplication.objects.exists()


def test_a_caseworker_outside_the_start_loan_unit_gets_404(routing, household, sara) -> None:  # type: ignore[no-untyped-def]
    web = _client(sara)
    url = reverse("loans:application_create", kwargs={"household_pk": household.pk})
    assert web.get(url).status_code == 404
    assert web.post(url, _desk_form()).status_code == 404
    assert not Case.objects.exists()


def test_the_household_applies_in_min_side_and_sees_its_application(raelingen, routing) -> None:  # type: ignore[no-untyped-def]
    client = _resident()
    assert client.get(reverse("portal:loan_apply")).status_code == 200
    data = _portal_form(raelingen)
    response = client.post(reverse("portal:loan_apply"), data)
    client.post(reverse("portal:loan_apply"), data)  # sent twice: one case
    application = LoanApplication.objects.get()
    assert response["Location"] == reverse("portal:loan_case", kwargs={"pk": application.pk})
    case = application.case
    assert case.channel == "self_service" and case.status == "submitted"
    assert list(case.routings.values_list("help_kind", "unit")) == [("start_loan", routing.pk)]
    assert Consent.objects.get(case=case).given_how == "digital"
    page = client.get(reverse("portal:loan_case", kwargs={"pk": application.pk}))
    assert page.status_code == 200
    assert "2 500 000" in page.content.decode().replace("\xa0", " ")
    me = case.household.members.get(relation="applicant").person
    assert me.national_id == MY_NUMBER
    assert AccessEvent.objects.filter(person_id=me.pk, what="portal_loan").exists()


def test_min_side_refuses_bad_input_and_writes_nothing(raelingen, routing) -> None:  # type: ignore[no-untyped-def]
    client = _resident()
    response = client.post(
        reverse("portal:loan_apply"),
        _portal_form(raelingen, **{"lan-bank_co_financing": "900000"}),
        HTTP_ACCEPT_LANGUAGE="nb",
    )
    assert response.status_code == 200
    assert "mer enn prisen" in response.content.decode()
    assert not Case.objects.exists()


def test_another_resident_and_staff_cannot_see_the_households_loan(  # type: ignore[no-untyped-def]
    raelingen, routing, sara
) -> None:
    from husly.portal.auth import resident_user
    from tests.factories import synthetic_number

    _resident().post(reverse("portal:loan_apply"), _portal_form(raelingen))
    application = LoanApplication.objects.get()
    other = Client()
    other.force_login(
        resident_user(request=None, national_id=synthetic_number(dt.date(1970, 1, 1)))
    )
    url = reverse("portal:loan_case", kwargs={"pk": application.pk})
    assert other.get(url).status_code == 404
    assert _client(sara).get(url).status_code == 403


@time_machine.travel(NOW, tick=False)
def test_credit_check_and_documents_are_tracked(routing, household) -> None:  # type: ignore[no-untyped-def]
    nina, _nils = nav_staff(routing)
    application = prepared(nina, household)
    web = _client(nina)
    step = lambda name: reverse(  # noqa: E731
        "loans:application_step", kwargs={"pk": application.pk, "step": name}
    )
    web.post(step("kredittsjekk"), {"result": "Ingen anmerkninger.", "note": "Sjekket i dag."})
    application.refresh_from_db()
    assert application.credit_checked_by == nina
    assert application.credit_checked_on == dt.date(2026, 3, 5)
    assert application.credit_check_note == "Sjekket i dag."
    web.post(step("dokument"), {"title": "Lønnslipper", "due_on": "2026-03-10"})
    web.post(step("dokument"), {"title": "Skattemelding", "due_on": "2026-03-12"})
    first, _second = application.document_requests.all()
    with time_machine.travel(dt.datetime(2026, 3, 11, 9, 0, tzinfo=dt.UTC), tick=False):
        web = _client(nina)  # a new day, a new login
        overview = web.get(reverse("loans:overview")).content.decode()
        assert "Lønnslipper" in overview.split('id="overdue-documents"')[1]
        assert "Skattemelding" not in overview.split('id="overdue-documents"')[1].split("</ul>")[0]
        page = web.get(reverse("loans:application", kwargs={"pk": application.pk})).content
        row = page.decode().split(f'id="document-{first.pk}"')[1].split("</li>")[0]
        assert "fristen er ute" in row
        web.post(reverse("loans:document_receive", kwargs={"pk": first.pk}))
        first.refresh_from_db()
        assert first.received_on == dt.date(2026, 3, 11)
        overview = web.get(reverse("loans:overview")).content.decode()
        assert 'id="overdue-documents"' not in overview


def test_the_generic_decision_form_refuses_a_start_loan(routing, household) -> None:  # type: ignore[no-untyped-def]
    nina, _nils = nav_staff(routing)
    application = prepared(nina, household)
    web = _client(nina)
    url = reverse("cases:decision_create", kwargs={"pk": application.case.pk})
    shown = web.get(url + "?hjelp=start_loan", HTTP_ACCEPT_LANGUAGE="nb")
    assert shown.status_code == 302
    assert shown["Location"] == reverse("loans:application", kwargs={"pk": application.pk})
    response = web.post(
        url + "?hjelp=start_loan",
        {"kind": "approval", "amount": "2500000", "reasoning": "x" * 80, "facts": "y"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="nb",
    )
    assert "startlånssidene" in response.content.decode()
    assert not Decision.objects.exists()


def test_the_payment_file_is_previewed_then_booked_all_or_nothing(routing, household) -> None:  # type: ignore[no-untyped-def]
    world = loan_world(routing, household)
    web = _client(world["loan_caseworker"])
    loan = world["loan"]
    url = reverse("loans:payment_file")
    assert web.get(url).status_code == 200
    good = (
        "lånenummer;forfall;beløp;betalt;betalt_dato\n"
        f"{loan.number};20.01.2027;9000;0;\n"
        f"{loan.number};20.02.2027;9000;9000;19.02.2027\n"
    ).encode()
    bad = good + b"UKJENT-1;20.02.2027;9000;9000;19.02.2027\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    preview = web.post(url, {"file": SimpleUploadedFile("betalinger.csv", bad, "text/csv")})
    assert preview.status_code == 200
    assert [r["loan_number"] for r in preview.context["unmatched"]] == ["UKJENT-1"]
    assert 'id="unmatched"' in preview.content.decode()
    assert not LoanPayment.objects.exists()  # a preview books nothing
    preview = web.post(url, {"file": SimpleUploadedFile("betalinger.csv", good, "text/csv")})
    assert preview.context["unmatched"] == []
    booked = web.post(
        url, {"filename": preview.context["filename"], "content": preview.context["content"]}
    )
    assert booked.status_code == 302
    assert LoanPayment.objects.filter(loan=loan).count() == 2
    assert loan.follow_ups.count() == 1  # the missed January instalment opens a follow-up
    # Booking a file with an unknown loan number (sent by hand) writes nothing.
    import base64

    before = LoanPayment.objects.count()
    refused = web.post(url, {"filename": "b.csv", "content": base64.b64encode(bad).decode()})
    assert refused.status_code == 200 and "UKJENT-1" in refused.content.decode()
    assert LoanPayment.objects.count() == before


def test_min_side_shows_the_loan_with_rate_term_and_payments(routing, household) -> None:  # type: ignore[no-untyped-def]
    from husly.portal.auth import resident_user

    world = loan_world(routing, household)
    loan = world["loan"]
    loans.loan_payment_record(
        actor=world["loan_caseworker"],
        loan=loan,
        due_on=dt.date(2027, 1, 20),
        amount_due=9000,
        amount_paid=9000,
        paid_on=dt.date(2027, 1, 19),
    )
    applicant = household.members.get(relation="applicant").person
    client = Client()
    client.force_login(resident_user(request=None, national_id=applicant.national_id))
    application = loan.approval.application
    page = client.get(
        reverse("portal:loan_case", kwargs={"pk": application.pk}), HTTP_ACCEPT_LANGUAGE="nb"
    )
    text = page.content.decode().replace("\xa0", " ")
    terms = text.split('id="my-loan-terms"')[1].split("</dl>")[0]
    loan.refresh_from_db()
    assert f"{loan.balance:,}".replace(",", " ") in terms
    assert f"{loan.term_years} år" in terms
    assert "%" in terms
    assert "20.01.2027" in text
    assert reverse("portal:decision_letter", kwargs={"pk": loan.approval.decision_id}) in text
    assert AccessEvent.objects.filter(person_id=applicant.pk, what="portal_loan").exists()


def test_a_start_loan_from_the_general_form_is_completed_by_the_start_loan_unit(
    routing, household
) -> None:  # type: ignore[no-untyped-def]
    """A case with a start loan ticked on the general application form is not stuck: the
    generic decision form sends it to the start-loan details, the overview lists it, and once
    the details are in, the start-loan flow takes it."""
    from tests.loans.helpers import bare_start_loan_case

    nina, _nils = nav_staff(routing)
    case = bare_start_loan_case(nina, household)
    web = _client(nina)
    shown = web.get(reverse("cases:decision_create", kwargs={"pk": case.pk}) + "?hjelp=start_loan")
    complete = reverse("loans:application_complete", kwargs={"case_pk": case.pk})
    assert shown["Location"] == complete
    overview = web.get(reverse("loans:overview")).content.decode()
    assert f'href="{complete}"' in overview
    refused = web.post(
        complete,
        {"net_income_monthly": "abc", "housing_kind": "rented_private"},
        HTTP_ACCEPT_LANGUAGE="nb",
    )
    assert refused.status_code == 200 and not LoanApplication.objects.filter(case=case).exists()
    data = {
        "housing_kind": "rented_private",
        "net_income_monthly": "38 000",
        "dwelling_kind": "cooperative",
        "dwelling_address": "Borettslagsveien 3",
        "dwelling_municipality_number": "3224",
        "price": "1 900 000",
        "common_debt": "400 000",
        "loan_amount": "2 000 000",
        "consent_to_fetch": "on",
    }
    done = web.post(complete, data)
    application = LoanApplication.objects.get(case=case)
    assert done["Location"] == reverse("loans:application", kwargs={"pk": application.pk})
    assert application.common_debt == 400_000 and application.loan_amount == 2_000_000
    assert Consent.objects.filter(case=case).exists()
    assert web.get(complete).status_code == 404  # once per case
    overview = web.get(reverse("loans:overview")).content.decode()
    assert 'id="incomplete-cases"' not in overview
