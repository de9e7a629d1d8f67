"""A start loan from application to the portfolio (issue #15): the cooperative flat, the credit
check, the assessment with the ladder, the team escalating to a longer term, approval with four
eyes, the letter (amount, rate, term, validity, appeal), purchase checked against the approval,
disbursement with fees, the first missed instalment opening a follow-up; and a negative margin
ending in a written advice against that says it is not a refusal."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from husly.audit.models import ChangeEvent
from husly.cases import actions as cases
from husly.loans import actions as loans
from husly.loans import selectors
from husly.loans.models import ArrearsFollowUp, LoanApproval
from tests.cases.helpers import nav_staff
from tests.loans.helpers import prepared

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC)


def _text(field) -> str:  # type: ignore[no-untyped-def]
    pdf = PdfReader(io.BytesIO(field.open("rb").read()))
    return " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)


@time_machine.travel(NOW, tick=False)
def test_a_cooperative_flat_from_application_to_the_first_missed_instalment(
    routing, household, sara
) -> None:  # type: ignore[no-untyped-def]
    nina, nils = nav_staff(routing)
    application = prepared(nina, household, net_income_monthly=40_000)
    assert application.total_price == 2_500_000  # price + share of common debt

    la = loans.loan_assess(actor=nina, application=application)
    steps = {s["name"]: s for s in la.ladder}
    assert la.assessment.outcome == "meets"
    assert steps["reference"]["margin"] < 0 and steps["fixed_rate"]["margin"] < 0
    assert la.first_working_step == "longer_term" and steps["longer_term"]["margin"] >= 0
    assert la.affordability["rule"] == "start_loan"  # the calculation is stored with it

    recommendation = loans.recommendation_make(
        actor=nina,
        application=application,
        outcome="approve",
        step="longer_term",
        text="Referanselånet og fast rente går ikke opp; 50 år med fast rente gjør det.",
    )
    meeting = loans.team_meeting_create(
        actor=nina, municipality=application.case.municipality, held_on=dt.date(2026, 3, 10)
    )
    recommendation.refresh_from_db()
    assert recommendation.meeting == meeting

    with pytest.raises(PermissionDenied):  # the housing office is not the start-loan unit
        loans.recommendation_decide(
            actor=sara,
            recommendation=recommendation,
            outcome="approve",
            step="longer_term",
            minutes="x",
            reasoning="x",
        )
    recommendation = loans.recommendation_decide(
        actor=nina,
        recommendation=recommendation,
        outcome="approve",
        step="longer_term",
        minutes="Teamet (EFH, EHT, THO, NAV) gikk for 50 år; vilkårene i § 8-5 er dokumentert.",
        reasoning="Husstanden har varig lav inntekt, og boligen passer på lang sikt.",
    )
    decision = recommendation.decision
    assert decision.status == "awaiting_approval"
    terms = LoanApproval.objects.get(decision=decision)
    assert (terms.term_years, terms.fixed_rate, terms.amount) == (50, True, 2_500_000)

    with pytest.raises(PermissionDenied):  # four eyes: the unit head approves, not the drafter
        cases.decision_approve(actor=nina, decision=decision)
    cases.decision_approve(actor=nils, decision=decision)
    decision = cases.decision_issue(actor=nina, decision=decision)
    terms.refresh_from_db()
    assert terms.valid_until == dt.date(2026, 6, 5)

    letter = _text(decision.letter)
    assert "Du får tilsagn om startlån på 2 500 000 kroner." in letter
    assert "Nedbetalingstiden er 50 år" in letter and "(fast)" in letter
    assert (
        "Tilsagnet gjelder til 5. juni 2026" in letter
        or "Tilsagnet gjelder til 05.06.2026" in letter
    )
    assert "innen tre uker" in letter and "Du kan klage" in letter
    assert "forskrift om lån fra Husbanken" in letter and "[confirm" in letter
    assert "pant i boligen" in letter
    assert "ventelisten" not in letter

    with pytest.raises(ValidationError, match="høyere enn tilsagnet"):
        loans.loan_purchase_record(
            actor=nina,
            approval=terms,
            address="Annen vei 1",
            price=2_600_000,
            accepted_on=dt.date(2026, 4, 1),
        )
    loans.loan_purchase_record(
        actor=nina,
        approval=terms,
        address="Løvenskiolds gate 4 B",
        price=2_480_000,
        accepted_on=dt.date(2026, 4, 1),
    )
    loans.loan_documents_record(
        actor=nina,
        approval=terms,
        signed_on=dt.date(2026, 4, 10),
        registered_on=dt.date(2026, 4, 12),
        priority=1,
    )
    loan = loans.loan_disburse(actor=nina, approval=terms, on=dt.date(2026, 4, 15))
    # Rælingen: 1 % establishment fee, at most 1 500 kroner; registration fee; both deducted.
    assert loan.establishment_fee == 1_500
    assert loan.paid_out == 2_500_000 - 1_500 - loan.registration_fee
    assert loan.balance == 2_500_000 and loan.term_years == 50

    loans.loan_payment_record(
        actor=nina,
        loan=loan,
        due_on=dt.date(2026, 5, 20),
        amount_due=loan.monthly_payment,
        amount_paid=loan.monthly_payment,
        paid_on=dt.date(2026, 5, 20),
    )
    assert not ArrearsFollowUp.objects.exists()
    loans.loan_payment_record(
        actor=nina,
        loan=loan,
        due_on=dt.date(2026, 6, 20),
        amount_due=loan.monthly_payment,
        amount_paid=0,
        paid_on=None,
    )
    follow_up = ArrearsFollowUp.objects.get(loan=loan)
    with pytest.raises(ValidationError, match="før inkasso"):
        loans.arrears_follow_up_update(
            actor=nina, follow_up=follow_up, measure="collection", note="Inkasso."
        )
    loans.arrears_follow_up_update(
        actor=nina, follow_up=follow_up, measure="deferral", note="Utsettelse i to måneder."
    )
    figures = selectors.loan_figures(application.case.municipality, 2026, dt.date(2026, 7, 1))
    assert (figures.applications, figures.approvals, figures.loans_paid_out) == (1, 1, 1)
    assert figures.amount_paid_out == 2_500_000 and figures.households_with_children == 1
    assert figures.loans_in_arrears == 1 and figures.median_days_to_decision == 0
    assert ChangeEvent.objects.filter(action="loan_disburse").exists()


@time_machine.travel(NOW, tick=False)
def test_a_negative_margin_ends_in_written_advice_against_which_is_not_a_refusal(
    routing, household
) -> None:  # type: ignore[no-untyped-def]
    nina, _nils = nav_staff(routing)
    application = prepared(nina, household, net_income_monthly=33_000)
    la = loans.loan_assess(actor=nina, application=application)
    assert la.first_working_step == ""
    assert all(s["margin"] < 0 for s in la.ladder)
    recommendation = loans.recommendation_make(
        actor=nina,
        application=application,
        outcome="advise_against",
        step="",
        text="Ingen løsning gir positiv margin.",
    )
    recommendation = loans.recommendation_decide(
        actor=nina,
        recommendation=recommendation,
        outcome="advise_against",
        step="",
        minutes="Teamet fraråder lånet.",
        reasoning="Selv med 50 år og etableringstilskudd mangler husstanden penger hver måned.",
    )
    assert recommendation.decision is None
    advice = recommendation.advice
    text = _text(advice.letter)
    assert "Vi fraråder deg å ta opp startlån" in text
    assert "Dette er ikke et avslag." in text
    assert "mangler du" in text and "kroner i måneden" in text


@time_machine.travel(NOW, tick=False)
def test_the_team_cannot_decide_before_the_oral_explanation_and_credit_check(
    routing, household
) -> None:  # type: ignore[no-untyped-def]
    from tests.loans.helpers import FACTS, apply

    nina, _nils = nav_staff(routing)
    application = apply(nina, household, net_income_monthly=44_000)
    loans.loan_facts_record(actor=nina, application=application, data=FACTS)
    loans.loan_assess(actor=nina, application=application)
    recommendation = loans.recommendation_make(
        actor=nina, application=application, outcome="approve", step="fixed_rate", text="Ok."
    )
    with pytest.raises(ValidationError, match="kredittsjekken"):
        loans.recommendation_decide(
            actor=nina,
            recommendation=recommendation,
            outcome="approve",
            step="fixed_rate",
            minutes="M.",
            reasoning="R.",
        )
    loans.loan_credit_check_record(actor=nina, application=application, result="Ok.")
    with pytest.raises(ValidationError, match="muntlige forklaringen"):
        loans.recommendation_decide(
            actor=nina,
            recommendation=recommendation,
            outcome="approve",
            step="fixed_rate",
            minutes="M.",
            reasoning="R.",
        )


@time_machine.travel(NOW, tick=False)
def test_an_interest_only_period_is_limited_to_eight_years(routing, household) -> None:  # type: ignore[no-untyped-def]
    nina, nils = nav_staff(routing)
    application = prepared(nina, household, net_income_monthly=44_000)
    loans.loan_assess(actor=nina, application=application)
    r = loans.recommendation_make(
        actor=nina, application=application, outcome="approve", step="fixed_rate", text="Ok."
    )
    r = loans.recommendation_decide(
        actor=nina,
        recommendation=r,
        outcome="approve",
        step="fixed_rate",
        minutes="M.",
        reasoning="Fast rente gir positiv margin.",
    )
    cases.decision_approve(actor=nils, decision=r.decision)
    cases.decision_issue(actor=nina, decision=r.decision)
    terms = LoanApproval.objects.get(decision=r.decision)
    assert terms.term_years == 30
    loans.loan_purchase_record(
        actor=nina, approval=terms, address="X 1", price=2_400_000, accepted_on=dt.date(2026, 3, 20)
    )
    loans.loan_documents_record(
        actor=nina,
        approval=terms,
        signed_on=dt.date(2026, 3, 25),
        registered_on=dt.date(2026, 3, 26),
        priority=1,
    )
    loan = loans.loan_disburse(actor=nina, approval=terms, on=dt.date(2026, 4, 1))
    loans.loan_payment_record(
        actor=nina,
        loan=loan,
        due_on=dt.date(2026, 5, 1),
        amount_due=loan.monthly_payment,
        amount_paid=100,
        paid_on=dt.date(2026, 5, 1),
    )
    follow_up = loan.follow_ups.get()
    with pytest.raises(ValidationError, match="høyst 8 år"):
        loans.arrears_follow_up_update(
            actor=nina,
            follow_up=follow_up,
            measure="interest_only",
            note="Avdragsfrihet.",
            interest_only_until=dt.date(2034, 5, 1),
        )
    loans.arrears_follow_up_update(
        actor=nina,
        follow_up=follow_up,
        measure="interest_only",
        note="Avdragsfrihet i ett år.",
        interest_only_until=dt.date(2027, 5, 1),
    )
