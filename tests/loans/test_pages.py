"""The start-loan pages as the start-loan team uses them, and who else gets 404."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from husly.audit.models import AccessEvent
from husly.loans.models import ArrearsFollowUp, LoanApproval
from tests.cases.helpers import nav_staff
from tests.loans.helpers import prepared

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC)


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@time_machine.travel(NOW, tick=False)
def test_the_team_works_a_case_through_the_pages(routing, household, sara, lise) -> None:  # type: ignore[no-untyped-def]
    from husly.cases import actions as cases

    nina, nils = nav_staff(routing)
    application = prepared(nina, household, net_income_monthly=40_000)
    web = _client(nina)
    url = reverse("loans:application", kwargs={"pk": application.pk})
    web.post(reverse("loans:application_step", kwargs={"pk": application.pk, "step": "vurder"}))
    page = web.get(url).content.decode()
    assert "smallest help that works" in page or "minste hjelpen" in page
    assert AccessEvent.objects.filter(actor=nina, what="loan_application").exists()
    web.post(
        reverse("loans:application_step", kwargs={"pk": application.pk, "step": "innstilling"}),
        {"outcome": "approve", "step": "longer_term", "text": "50 år går opp."},
    )
    web.post(reverse("loans:meeting_create"), {"held_on": "2026-03-10"})
    recommendation = application.recommendations.get()
    assert recommendation.meeting is not None
    meeting_page = web.get(reverse("loans:meeting", kwargs={"pk": recommendation.meeting_id}))
    assert meeting_page.status_code == 200
    web.post(
        reverse("loans:recommendation_decide", kwargs={"pk": recommendation.pk}),
        {"outcome": "approve", "step": "longer_term", "minutes": "Enige.", "reasoning": "Går opp."},
    )
    recommendation.refresh_from_db()
    cases.decision_approve(actor=nils, decision=recommendation.decision)
    cases.decision_issue(actor=nina, decision=recommendation.decision)
    approval = LoanApproval.objects.get()
    step = lambda name: reverse("loans:approval_step", kwargs={"pk": approval.pk, "step": name})  # noqa: E731
    web.post(step("kjop"), {"address": "X 1", "price": "2 600 000", "accepted_on": "2026-04-01"})
    approval.refresh_from_db()
    assert approval.status == "valid"  # the price is over what the approval allows
    web.post(step("kjop"), {"address": "X 1", "price": "2 450 000", "accepted_on": "2026-04-01"})
    web.post(
        step("dokumenter"),
        {"signed_on": "2026-04-05", "registered_on": "2026-04-06", "priority": "1"},
    )
    web.post(step("utbetal"), {"on": "2026-04-10"})
    approval.refresh_from_db()
    loan = approval.loan
    web.post(
        reverse("loans:loan_step", kwargs={"pk": loan.pk, "step": "betaling"}),
        {"due_on": "2026-05-20", "amount_due": str(loan.monthly_payment), "amount_paid": "0"},
    )
    assert ArrearsFollowUp.objects.filter(loan=loan).exists()
    page = web.get(reverse("loans:loan", kwargs={"pk": loan.pk})).content.decode()
    assert "follow-up-" in page

    # The housing office and the leader are not the start-loan unit: 404, and nothing shown.
    for other in (sara, lise):
        assert _client(other).get(url).status_code == 404
        assert _client(other).get(reverse("loans:loan", kwargs={"pk": loan.pk})).status_code == 404
        body = _client(other).get(reverse("loans:overview")).content.decode()
        assert application.case.number not in body


@time_machine.travel(NOW, tick=False)
def test_min_side_shows_the_application_the_approval_and_the_loan(routing, household) -> None:  # type: ignore[no-untyped-def]
    from husly.loans import actions as loans
    from husly.portal.auth import resident_user
    from tests.loans.helpers import issued_approval

    nina, nils = nav_staff(routing)
    approval = issued_approval(nina, nils, household)
    loans.loan_purchase_record(
        actor=nina,
        approval=approval,
        address="X 1",
        price=2_400_000,
        accepted_on=dt.date(2026, 3, 10),
    )
    loans.loan_documents_record(
        actor=nina,
        approval=approval,
        signed_on=dt.date(2026, 3, 11),
        registered_on=dt.date(2026, 3, 12),
        priority=1,
    )
    loans.loan_disburse(actor=nina, approval=approval, on=dt.date(2026, 3, 15))
    applicant = household.members.get(relation="applicant").person
    client = _client(resident_user(request=None, national_id=applicant.national_id))
    page = client.get(
        reverse("portal:case", kwargs={"pk": approval.decision.case_id})
    ).content.decode()
    assert 'id="my-approval"' in page and 'id="my-loan-balance"' in page
    assert "Løvenskiolds gate 4 B" in page


@time_machine.travel(NOW, tick=False)
def test_the_criteria_facts_are_recorded_on_the_page(routing, household) -> None:  # type: ignore[no-untyped-def]
    from tests.loans.helpers import apply

    nina, _nils = nav_staff(routing)
    application = apply(nina, household)
    web = _client(nina)
    response = web.get(reverse("loans:application", kwargs={"pk": application.pk}))
    page = response.content.decode()
    assert response.status_code == 200, page[page.find("<h1") : page.find("<h1") + 200]
    assert 'name="has_used_opportunity_to_save"' in page
    web.post(
        reverse("loans:application_step", kwargs={"pk": application.pk, "step": "fakta"}),
        {
            "has_used_opportunity_to_save": "no",
            "bank_cannot_finance": "yes",
            "shorter_term_not_responsible": "yes",
        },
    )
    application.refresh_from_db()
    assert application.has_used_opportunity_to_save is False
    assert application.bank_cannot_finance is True
    assert application.has_long_term_financing_problems is None  # left unknown
    assert application.shorter_term_not_responsible is True
    assert application.permanently_low_income is False
