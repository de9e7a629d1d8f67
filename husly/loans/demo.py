"""Demo data for start loans: through the real actions, four households at NAV: one loan paid
out with a missed instalment under follow-up, one valid approval without a purchase yet, one
written advice against, and one recommendation waiting for the next team meeting; and this
year's funding."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from husly.cases import actions as cases
from husly.loans import actions as loans
from husly.organisation.models import Municipality, Role, User
from husly.people.models import Household

DEMO_HOUSEHOLDS = 4
EXTRA_PER_PERSON = 9_000
APPLICATION = {
    "net_income_monthly": 44_000,
    "income_documented": True,
    "other_fixed_costs_monthly": 1_200,
    "debt_total": 40_000,
    "savings": 25_000,
    "dwelling_kind": "cooperative",
    "dwelling_address": "Løvenskiolds gate 4 B, 2008 Fjerdingby",
    "price": 1_900_000,
    "common_debt": 600_000,
    "housing_costs_monthly": 6_500,
    "loan_amount": 2_500_000,
}
FACTS = {
    "has_long_term_financing_problems": True,
    "bank_cannot_finance": True,
    "has_used_opportunity_to_save": True,
    "dwelling_is_suitable": True,
    "dwelling_price_is_reasonable": True,
    "permanently_low_income": True,
    "dwelling_suits_long_term": True,
    "renting_unsuitable_or_dearer": True,
    "shorter_term_not_responsible": True,
}


def seed_loans(municipality: Municipality, as_of: dt.date) -> None:
    nav = User.objects.filter(
        memberships__unit__municipality=municipality,
        memberships__unit__kind="nav",
        memberships__role=Role.CASEWORKER,
    ).first()
    head = User.objects.filter(
        memberships__unit__municipality=municipality,
        memberships__unit__kind="nav",
        memberships__role=Role.APPROVER,
    ).first()
    households = list(
        Household.objects.filter(municipality=municipality).order_by("-pk")[:DEMO_HOUSEHOLDS]
    )
    if nav is None or head is None or len(households) < DEMO_HOUSEHOLDS:
        return
    today = timezone.localdate()

    def prepared(household: Household, income: int) -> loans.LoanApplication:
        # Larger households need more to live on (SIFO): the demo scales the income with them.
        income += EXTRA_PER_PERSON * max(household.members.count() - 2, 0)
        application = loans.loan_application_create(
            actor=nav,
            household=household,
            channel="meeting",
            data={
                **APPLICATION,
                "net_income_monthly": income,
                "dwelling_municipality_number": municipality.number,
            },
            case_data={
                "lived_in_municipality_since": as_of - dt.timedelta(days=900),
                "housing_kind": "rented_municipal",
            },
        )
        loans.loan_facts_record(actor=nav, application=application, data=FACTS)
        loans.loan_credit_check_record(
            actor=nav, application=application, result="Ingen betalingsanmerkninger."
        )
        loans.loan_explanation_record(actor=nav, application=application, how="Møte på NAV")
        loans.loan_assess(actor=nav, application=application)
        return application

    def approved(household: Household, income: int, step: str) -> loans.LoanApproval | None:
        application = prepared(household, income)
        latest = application.assessments.first()
        if latest is None or latest.assessment.outcome not in {"meets", "meets_with_exception"}:
            return None
        step = latest.first_working_step or step
        r = loans.recommendation_make(
            actor=nav,
            application=application,
            outcome="approve",
            step=step,
            text="Løsningen gir positiv margin.",
        )
        r = loans.recommendation_decide(
            actor=nav,
            recommendation=r,
            outcome="approve",
            step=step,
            minutes="Teamet (EFH, EHT, THO, NAV) er enig i innstillingen.",
            reasoning="Husstanden kan betjene lånet med denne løsningen.",
        )
        assert r.decision is not None  # noqa: S101 - an approval drafts a decision
        cases.decision_approve(actor=head, decision=r.decision)
        cases.decision_issue(actor=nav, decision=r.decision)
        return loans.LoanApproval.objects.get(decision=r.decision)

    bought = approved(households[0], 40_000, "longer_term")
    if bought is None:
        return
    loans.loan_purchase_record(
        actor=nav,
        approval=bought,
        address="Løvenskiolds gate 4 B",
        price=2_480_000,
        accepted_on=today,
    )
    loans.loan_documents_record(
        actor=nav, approval=bought, signed_on=today, registered_on=today, priority=1
    )
    loan = loans.loan_disburse(actor=nav, approval=bought, on=today)
    loans.loan_payment_record(
        actor=nav,
        loan=loan,
        due_on=today,
        amount_due=loan.monthly_payment,
        amount_paid=0,
        paid_on=None,
    )
    approved(households[1], 44_000, "fixed_rate")
    advised = prepared(households[2], 33_000)
    r = loans.recommendation_make(
        actor=nav,
        application=advised,
        outcome="advise_against",
        step="",
        text="Ingen løsning gir positiv margin.",
    )
    loans.recommendation_decide(
        actor=nav,
        recommendation=r,
        outcome="advise_against",
        step="",
        minutes="Teamet fraråder lånet.",
        reasoning="Selv med lengre nedbetalingstid og tilskudd mangler husstanden penger hver "
        "måned.",
    )
    waiting = prepared(households[3], 42_000)
    loans.recommendation_make(
        actor=nav,
        application=waiting,
        outcome="approve",
        step="fixed_rate",
        text="Fast rente gir positiv margin.",
    )
    loans.team_meeting_create(
        actor=nav, municipality=municipality, held_on=today + dt.timedelta(days=7)
    )
    loans.funding_record(
        actor=nav,
        municipality=municipality,
        year=today.year,
        data={
            "nav_recommended": 30_000_000,
            "council_decided": 25_000_000,
            "applied_from_husbanken": 25_000_000,
            "granted_by_husbanken": 20_000_000,
            "grant_budget": 1_500_000,
        },
    )
