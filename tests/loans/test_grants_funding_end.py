"""Issue #15, the start-loan team's other work: grants (establishment, adaptation) as their own
cases decided on the municipality's rules within the year's budget, with their own letters; the
ladder's last step leading to a grant case; the leaders' figures as stored facts written by the
actions; loss and forced sale; exceptions 4 a–d recorded by the caseworker and used by the
assessment; other units' candidates; the yearly funding with what has been lent."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from husly.audit.models import ChangeEvent
from husly.cases import actions as cases
from husly.cases.models import RoutingRule
from husly.loans import actions as loans
from husly.loans import selectors
from husly.loans.models import Candidate, GrantApplication, LoanApplication, LoanFact
from tests.allocation.helpers import make_household
from tests.cases.helpers import nav_staff
from tests.loans.helpers import FACTS, issued_approval, prepared

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC)
CASE_DATA = {"lived_in_municipality_since": dt.date(2019, 1, 1), "housing_kind": "rented_private"}


def _text(field) -> str:  # type: ignore[no-untyped-def]
    pdf = PdfReader(io.BytesIO(field.open("rb").read()))
    return " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)


def _kr(amount: int) -> str:
    return f"{amount:,}".replace(",", " ")


def _grants_to_nav(raelingen, nav) -> None:  # type: ignore[no-untyped-def]
    """In Rælingen the start-loan team (NAV) handles the grants too."""
    RoutingRule.objects.filter(municipality=raelingen, help_kind="grant").update(unit=nav)


@time_machine.travel(NOW, tick=False)
def test_the_ladders_last_step_leads_to_an_establishment_grant_decided_within_its_budget(
    routing, household, raelingen
) -> None:  # type: ignore[no-untyped-def]
    _grants_to_nav(raelingen, routing)
    nina, nils = nav_staff(routing)
    application = prepared(nina, household, net_income_monthly=34_000)
    # The band where only the grant makes it carry (it moves with the members' ages, which the
    # factory draws from its sequence: the test's place in the run).
    for income in range(30_000, 60_000, 250):
        LoanApplication.objects.filter(pk=application.pk).update(net_income_monthly=income)
        application.refresh_from_db()
        la = loans.loan_assess(actor=nina, application=application)
        if la.first_working_step == "establishment_grant":
            break
    assert la.first_working_step == "establishment_grant"
    step = {s["name"]: s for s in la.ladder}["establishment_grant"]
    r = loans.recommendation_make(
        actor=nina,
        application=application,
        outcome="approve",
        step="establishment_grant",
        text="Bare med tilskudd går det opp.",
    )
    loans.recommendation_decide(
        actor=nina,
        recommendation=r,
        outcome="approve",
        step="establishment_grant",
        minutes="Teamet går for lån med etableringstilskudd.",
        reasoning="Lånet kan betjenes med tilskuddet.",
    )
    grant = GrantApplication.objects.get(loan_application=application)
    assert grant.grant_kind == "establishment" and grant.amount_sought == step["grant"] > 0
    assert list(grant.case.routings.values_list("help_kind", flat=True)) == ["grant"]
    amount = grant.amount_sought

    with pytest.raises(ValidationError):  # not assessed against the grant rules yet
        loans.grant_decide(actor=nina, grant=grant, outcome="approve", amount=amount, reasoning="R")
    loans.grant_facts_record(
        actor=nina,
        grant=grant,
        data={"cannot_finance_otherwise": True, "dwelling_is_suitable": True},
    )
    assessment = loans.grant_assess(actor=nina, grant=grant)
    assert (assessment.guideline_set_id, assessment.outcome) == (
        "raelingen-etableringstilskudd",
        "meets",
    )

    with pytest.raises(ValidationError):  # no budget recorded for 2026
        loans.grant_decide(actor=nina, grant=grant, outcome="approve", amount=amount, reasoning="R")
    loans.grant_budget_set(
        actor=nina, municipality=raelingen, year=2026, grant_kind="establishment", amount=amount - 1
    )
    with pytest.raises(ValidationError) as over:
        loans.grant_decide(actor=nina, grant=grant, outcome="approve", amount=amount, reasoning="R")
    assert "amount" in over.value.message_dict
    with pytest.raises(ValidationError) as cap:  # Rælingen's cap per household: 300 000
        loans.grant_decide(
            actor=nina, grant=grant, outcome="approve", amount=300_001, reasoning="R"
        )
    assert "amount" in cap.value.message_dict
    loans.grant_budget_set(
        actor=nina, municipality=raelingen, year=2026, grant_kind="establishment", amount=500_000
    )
    grant = loans.grant_decide(
        actor=nina,
        grant=grant,
        outcome="approve",
        amount=amount,
        reasoning="Streng behovsprøving: startlånet alene strekker ikke til.",
    )
    assert grant.decision.status == "awaiting_approval" and grant.decision.help_kind == "grant"
    assert selectors.grant_budget_left(raelingen, 2026, "establishment") == 500_000 - amount

    with pytest.raises(PermissionDenied):  # four eyes
        cases.decision_approve(actor=nina, decision=grant.decision)
    cases.decision_approve(actor=nils, decision=grant.decision)
    decision = cases.decision_issue(actor=nina, decision=grant.decision)
    grant.refresh_from_db()
    assert grant.status == "approved"
    letter = _text(decision.letter)
    assert "Vedtak om etableringstilskudd" in letter
    assert f"Du får etableringstilskudd på {_kr(amount)} kroner." in letter
    assert "kommunens regler for etableringstilskudd" in letter and "[confirm" in letter
    assert "pant i boligen" in letter and "Du kan klage" in letter
    assert "startlån" not in letter.split("Vedtak om etableringstilskudd")[1][:40]

    loans.grant_pay(actor=nina, grant=grant, on=dt.date(2026, 4, 20))
    row = next(
        r for r in selectors.grant_budget_rows(raelingen, 2026) if r.grant_kind == "establishment"
    )
    assert (row.budget, row.committed, row.paid, row.left) == (
        500_000,
        amount,
        amount,
        500_000 - amount,
    )
    kinds = set(LoanFact.objects.filter(grant_kind="establishment").values_list("kind", flat=True))
    assert kinds == {"application", "grant_approval", "grant_paid"}


@time_machine.travel(NOW, tick=False)
def test_an_adaptation_grant_is_refused_on_its_own_rules_with_reasons_and_appeal(
    routing, household, raelingen
) -> None:  # type: ignore[no-untyped-def]
    _grants_to_nav(raelingen, routing)
    nina, nils = nav_staff(routing)
    grant = loans.grant_application_create(
        actor=nina,
        household=household,
        grant_kind="adaptation",
        data={"purpose": "Rampe og bredere dører", "cost": 180_000, "amount_sought": 120_000},
        case_data=CASE_DATA,
    )
    loans.grant_facts_record(
        actor=nina,
        grant=grant,
        data={
            "has_reduced_function_or_is_older": True,
            "adaptation_is_appropriate": True,
            "cannot_finance_otherwise": False,
        },
    )
    assessment = loans.grant_assess(actor=nina, grant=grant)
    assert (assessment.guideline_set_id, assessment.outcome) == (
        "raelingen-tilpasningstilskudd",
        "does_not_meet",
    )
    loans.grant_budget_set(
        actor=nina, municipality=raelingen, year=2026, grant_kind="adaptation", amount=1_000_000
    )
    with pytest.raises(ValidationError):  # the rules are not met
        loans.grant_decide(
            actor=nina, grant=grant, outcome="approve", amount=120_000, reasoning="R."
        )
    grant = loans.grant_decide(
        actor=nina,
        grant=grant,
        outcome="refuse",
        reasoning="Husstanden kan betale tilpasningen selv.",
    )
    cases.decision_approve(actor=nils, decision=grant.decision)
    decision = cases.decision_issue(actor=nina, decision=grant.decision)
    letter = _text(decision.letter)
    assert "Vedtak om tilpasningstilskudd" in letter
    assert "Du får ikke tilpasningstilskudd" in letter
    assert "Husstanden kan betale tilpasningen selv." in letter and "Du kan klage" in letter
    assert "kommunens regler for tilpasningstilskudd" in letter
    grant.refresh_from_db()
    assert grant.status == "refused"
    with pytest.raises(ValidationError):  # only an awarded grant is paid
        loans.grant_pay(actor=nina, grant=grant, on=dt.date(2026, 4, 1))
    assert selectors.grant_budget_left(raelingen, 2026, "adaptation") == 1_000_000
    assert LoanFact.objects.filter(kind="grant_refusal", grant_kind="adaptation").count() == 1


def test_grants_are_decided_by_the_unit_that_handles_grants(routing, household, sara) -> None:  # type: ignore[no-untyped-def]
    """The test world routes grants to the housing office: NAV's caseworker is refused there."""
    nina, _nils = nav_staff(routing)
    grant = loans.grant_application_create(
        actor=sara,
        household=household,
        grant_kind="adaptation",
        data={"purpose": "Rampe", "cost": 50_000, "amount_sought": 40_000},
        case_data=CASE_DATA,
    )
    with pytest.raises(PermissionDenied):
        loans.grant_assess(actor=nina, grant=grant)
    assert loans.grant_assess(actor=sara, grant=grant).outcome == "needs_judgement"


@time_machine.travel(NOW, tick=False)
def test_exceptions_4_a_to_d_are_recorded_with_a_reason_and_used_by_the_assessment(
    routing, household
) -> None:  # type: ignore[no-untyped-def]
    nina, _nils = nav_staff(routing)
    application = prepared(nina, household, net_income_monthly=40_000)
    loans.loan_facts_record(
        actor=nina,
        application=application,
        data={"has_used_opportunity_to_save": False},
    )
    assert loans.loan_assess(actor=nina, application=application).assessment.outcome == (
        "does_not_meet"
    )
    with pytest.raises(ValidationError):  # 5 cannot be set aside by exception a
        loans.loan_exception_record(
            actor=nina,
            application=application,
            criterion_id="5",
            exception_id="4.a.barn",
            reason="Barn",
        )
    with pytest.raises(ValidationError):  # a reason is required
        loans.loan_exception_record(
            actor=nina,
            application=application,
            criterion_id="4",
            exception_id="4.a.barn",
            reason=" ",
        )
    use = loans.loan_exception_record(
        actor=nina,
        application=application,
        criterion_id="4",
        exception_id="4.a.barn",
        reason="To barn; lav inntekt har ikke gitt rom for sparing.",
    )
    la = loans.loan_assess(actor=nina, application=application)
    assert la.assessment.outcome == "meets_with_exception"
    waivers = la.assessment.record["waivers"]
    assert [(w["criterion_id"], w["exception_id"]) for w in waivers] == [("4", "4.a.barn")]
    assert ChangeEvent.objects.filter(action="loan_exception_record").exists()
    loans.loan_exception_withdraw(actor=nina, use=use)
    assert loans.loan_assess(actor=nina, application=application).assessment.outcome == (
        "does_not_meet"
    )


def test_the_leaders_figures_are_facts_written_by_the_actions(routing, raelingen) -> None:  # type: ignore[no-untyped-def]
    nina, nils = nav_staff(routing)
    with time_machine.travel(NOW, tick=False):
        buyer = issued_approval(nina, nils, make_household(raelingen, "Kjøper", children=1))
        loans.loan_facts_record(
            actor=nina, application=buyer.application, data={"is_refugee": True}
        )
        idle = issued_approval(nina, nils, make_household(raelingen, "Venter"))
        refused = prepared(nina, make_household(raelingen, "Avslag"), net_income_monthly=44_000)
        loans.loan_facts_record(
            actor=nina, application=refused, data={**FACTS, "bank_cannot_finance": False}
        )
        loans.loan_assess(actor=nina, application=refused)
        r = loans.recommendation_make(
            actor=nina, application=refused, outcome="refuse", step="", text="Banken kan låne ut."
        )
        r = loans.recommendation_decide(
            actor=nina,
            recommendation=r,
            outcome="refuse",
            step="",
            minutes="Avslag.",
            reasoning="Du kan få lån i vanlig bank.",
        )
        cases.decision_approve(actor=nils, decision=r.decision)
        cases.decision_issue(actor=nina, decision=r.decision)
        against = prepared(nina, make_household(raelingen, "Frarådet"), net_income_monthly=33_000)
        loans.loan_assess(actor=nina, application=against)
        r = loans.recommendation_make(
            actor=nina, application=against, outcome="advise_against", step="", text="Minus."
        )
        loans.recommendation_decide(
            actor=nina,
            recommendation=r,
            outcome="advise_against",
            step="",
            minutes="Frarådning.",
            reasoning="Marginen er negativ på alle trinn.",
        )
        loans.loan_purchase_record(
            actor=nina,
            approval=buyer,
            address="K 1",
            price=2_400_000,
            accepted_on=dt.date(2026, 3, 20),
        )
        loans.loan_documents_record(
            actor=nina,
            approval=buyer,
            signed_on=dt.date(2026, 3, 25),
            registered_on=dt.date(2026, 3, 26),
            priority=1,
        )
        loan = loans.loan_disburse(actor=nina, approval=buyer, on=dt.date(2026, 4, 1))
        loans.loan_payment_record(
            actor=nina,
            loan=loan,
            due_on=dt.date(2026, 5, 1),
            amount_due=loan.monthly_payment,
            amount_paid=0,
            paid_on=None,
        )
        with pytest.raises(ValidationError):  # follow-up before any forced sale
            loans.loan_forced_sale_record(
                actor=nina,
                loan=loan,
                sold_on=dt.date(2026, 9, 1),
                price=2_000_000,
                loss=90_000,
                note="Solgt.",
            )
        loans.arrears_follow_up_update(
            actor=nina, follow_up=loan.follow_ups.get(), measure="conversation", note="Samtale."
        )
        with pytest.raises(ValidationError):  # the loss cannot exceed the balance
            loans.loan_forced_sale_record(
                actor=nina,
                loan=loan,
                sold_on=dt.date(2026, 9, 1),
                price=2_000_000,
                loss=loan.balance + 1,
                note="Solgt.",
            )
        loans.loan_forced_sale_record(
            actor=nina,
            loan=loan,
            sold_on=dt.date(2026, 9, 1),
            price=2_000_000,
            loss=90_000,
            note="Mislighold over lang tid tross utsettelser.",
        )
        loan.refresh_from_db()
        assert (loan.status, loan.balance, loan.loss) == ("forced_sale", 0, 90_000)
        with pytest.raises(ValidationError):  # an ended loan ends once
            loans.loan_loss_record(
                actor=nina, loan=loan, amount=1, on=dt.date(2026, 9, 2), note="x"
            )
    with time_machine.travel(dt.datetime(2026, 7, 1, 10, 0, tzinfo=dt.UTC), tick=False):
        loans.loan_approval_follow_up(actor=nina, approval=idle, note="Fant ingen bolig; ringt.")

    figures = selectors.loan_figures(raelingen, 2026, dt.date(2026, 12, 31))
    assert (figures.applications, figures.approvals, figures.refusals) == (4, 2, 1)
    assert (figures.advice_against, figures.loans_paid_out) == (1, 1)
    assert figures.amount_paid_out == loan.principal
    assert (figures.households_with_children, figures.refugees) == (1, 1)
    assert figures.median_days_to_decision == 0
    assert (figures.approvals_without_purchase, figures.loans_in_arrears) == (1, 1)
    assert (figures.losses, figures.forced_sales) == (90_000, 1)
    # Stored facts, no names: the figures survive the records they were counted from changing.
    assert LoanFact.objects.filter(kind="approval").count() == 2
    assert set(LoanFact._meta.get_fields()).isdisjoint({"note", "name"})
    assert selectors.loan_figures(raelingen, 2025, dt.date(2025, 12, 31)).applications == 0


@time_machine.travel(NOW, tick=False)
def test_a_loss_written_off_ends_the_loan_and_is_counted(routing, household) -> None:  # type: ignore[no-untyped-def]
    from tests.loans.helpers import loan_world

    world = loan_world(routing, household)
    nina, loan = world["loan_caseworker"], world["loan"]
    with pytest.raises(ValidationError):
        loans.loan_loss_record(actor=nina, loan=loan, amount=0, on=dt.date(2026, 5, 1), note="x")
    loans.loan_loss_record(
        actor=nina, loan=loan, amount=150_000, on=dt.date(2026, 5, 1), note="Gjeldsordning."
    )
    loan.refresh_from_db()
    assert (loan.status, loan.loss, loan.ended_on) == ("written_off", 150_000, dt.date(2026, 5, 1))
    assert (
        selectors.loan_figures(household.municipality, 2026, dt.date(2026, 12, 31)).losses
        == 150_000
    )
    assert ChangeEvent.objects.filter(action="loan_loss_record").exists()


@time_machine.travel(NOW, tick=False)
def test_a_candidate_proposed_by_another_unit_is_invited_and_closed_by_the_application(
    routing, household, sara
) -> None:  # type: ignore[no-untyped-def]
    nina, _nils = nav_staff(routing)
    candidate = loans.candidate_propose(
        actor=sara, household=household, note="Leietaker ved fornyelse: stabil inntekt."
    )
    assert candidate.status == "proposed"
    assert sara.memberships.filter(unit=candidate.proposed_by_unit).exists()
    assert list(selectors.candidates_for_user(nina)) == [candidate]
    assert list(selectors.candidates_for_user(sara)) == []  # the team's list
    with pytest.raises(PermissionDenied):
        loans.candidate_invite(actor=sara, candidate=candidate, note="x")
    loans.candidate_invite(actor=nina, candidate=candidate, note="Ringt og invitert til møte.")
    candidate.refresh_from_db()
    assert (candidate.status, candidate.invited_on) == ("invited", dt.date(2026, 3, 5))
    application = prepared(nina, household)
    candidate.refresh_from_db()
    assert (candidate.status, candidate.application) == ("applied", application)
    with pytest.raises(ValidationError):
        loans.candidate_set_aside(actor=nina, candidate=candidate, note="x")
    other = loans.candidate_propose(actor=sara, household=household, note="Igjen.")
    loans.candidate_set_aside(actor=nina, candidate=other, note="Har nettopp søkt.")
    assert Candidate.objects.get(pk=other.pk).status == "not_now"


@time_machine.travel(NOW, tick=False)
def test_the_yearly_funding_shows_what_has_been_lent(routing, household, raelingen) -> None:  # type: ignore[no-untyped-def]
    from tests.loans.helpers import loan_world

    world = loan_world(routing, household)
    nina, loan = world["loan_caseworker"], world["loan"]
    loans.funding_record(
        actor=nina,
        municipality=raelingen,
        year=2026,
        data={
            "nav_recommended": 30_000_000,
            "council_decided": 25_000_000,
            "applied_from_husbanken": 25_000_000,
            "granted_by_husbanken": 20_000_000,
        },
    )
    view = selectors.funding_for_year(raelingen, 2026)
    assert (view.lent, view.loans) == (loan.principal, 1)
    assert view.left == 20_000_000 - loan.principal
    assert view.funding is not None and view.funding.council_decided == 25_000_000
    assert selectors.funding_for_year(raelingen, 2025).lent == 0


def _client(user):  # type: ignore[no-untyped-def]
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


@time_machine.travel(NOW, tick=False)
def test_the_team_uses_the_new_pages(routing, household, raelingen, sara, lise) -> None:  # type: ignore[no-untyped-def]
    from django.urls import reverse

    from husly.audit.models import AccessEvent
    from tests.loans.helpers import loan_world

    _grants_to_nav(raelingen, routing)
    world = loan_world(routing, household)
    nina, loan, application = world["loan_caseworker"], world["loan"], world["loan_application"]
    web = _client(nina)

    # Funding: the year's amounts and a grant budget, with what has been lent.
    url = reverse("loans:funding") + "?ar=2026"
    web.post(
        url,
        {
            "nav_recommended": "30 000 000",
            "council_decided": "25 000 000",
            "applied_from_husbanken": "25 000 000",
            "granted_by_husbanken": "20 000 000",
            "budget_adaptation": "400 000",
        },
    )
    page = web.get(url).content.decode()
    assert selectors.funding_for_year(raelingen, 2026).funding.granted_by_husbanken == 20_000_000
    assert f"{loan.principal:,}".replace(",", "\xa0") in page or str(loan.principal) in page
    assert _client(lise).get(url).status_code == 404  # the housing office's leader

    # Exceptions on the application page.
    page = web.get(reverse("loans:application", kwargs={"pk": application.pk})).content.decode()
    assert 'name="exception"' in page and "4.a.barn" in page
    web.post(
        reverse("loans:exception_record", kwargs={"pk": application.pk}),
        {"exception": "1|4.d", "reason": "Frigjør en kommunal bolig."},
    )
    assert application.exception_uses.filter(criterion_id="1", exception_id="4.d").exists()

    # Candidates: proposed from the ownership screening's page by the housing office.
    web_sara = _client(sara)
    web_sara.post(
        reverse("loans:candidate_propose"),
        {"household": household.pk, "note": "God økonomi ved fornyelse.", "next": "/"},
    )
    candidate = Candidate.objects.filter(note="God økonomi ved fornyelse.").get()
    page = web.get(reverse("loans:candidates")).content.decode()
    assert "God økonomi ved fornyelse." in page
    assert AccessEvent.objects.filter(actor=nina, what="loan_candidates").exists()
    web.post(
        reverse("loans:candidate_step", kwargs={"pk": candidate.pk, "step": "inviter"}),
        {"note": "Ringt."},
    )
    candidate.refresh_from_db()
    assert candidate.status == "invited"
    assert web_sara.get(reverse("loans:candidates")).status_code == 404

    # A grant registered at the desk, assessed and decided through its pages.
    web.post(
        reverse("loans:grant_create", kwargs={"household_pk": household.pk}),
        {
            "grant_kind": "adaptation",
            "housing_kind": "rented_private",
            "purpose": "Heis i trappen",
            "cost": "200 000",
            "amount": "100 000",
        },
    )
    grant = GrantApplication.objects.get(purpose="Heis i trappen")
    step = lambda name: reverse("loans:grant_step", kwargs={"pk": grant.pk, "step": name})  # noqa: E731
    web.post(
        step("fakta"),
        {
            "has_reduced_function_or_is_older": "yes",
            "adaptation_is_appropriate": "yes",
            "cannot_finance_otherwise": "yes",
        },
    )
    web.post(step("vurder"))
    web.post(step("vedtak"), {"outcome": "approve", "amount": "100 000", "reasoning": "Behov."})
    grant.refresh_from_db()
    assert grant.decision is not None and grant.decision.amount == 100_000
    page = web.get(reverse("loans:grant", kwargs={"pk": grant.pk})).content.decode()
    assert "Heis i trappen" in page
    assert "300" in web.get(reverse("loans:grants")).content.decode()  # 400 000 − 100 000 left

    # The end of a loan from its page.
    web.post(
        reverse("loans:loan_end", kwargs={"pk": loan.pk, "step": "tap"}),
        {"amount": "10 000", "on": "2026-03-05", "note": "Gjeldsordning."},
    )
    loan.refresh_from_db()
    assert (loan.status, loan.loss) == ("written_off", 10_000)
    assert (
        "Gjeldsordning." in web.get(reverse("loans:loan", kwargs={"pk": loan.pk})).content.decode()
    )


def test_a_grant_is_not_decided_on_the_generic_form_and_the_household_sees_it_in_min_side(
    routing, household, sara
) -> None:  # type: ignore[no-untyped-def]
    """A grant goes through its own rules and budget (the grant pages), and Min side shows the
    household what it applied for and where the grant stands."""
    from django.test import Client
    from django.urls import reverse

    from husly.audit.models import AccessEvent
    from husly.cases.models import Decision
    from husly.portal.auth import resident_user

    grant = loans.grant_application_create(
        actor=sara,
        household=household,
        grant_kind="adaptation",
        data={"purpose": "Rampe ved inngangen", "cost": 50_000, "amount_sought": 40_000},
        case_data=CASE_DATA,
    )
    web = Client()
    web.force_login(sara)
    url = reverse("cases:decision_create", kwargs={"pk": grant.case.pk})
    shown = web.get(url + "?hjelp=grant", HTTP_ACCEPT_LANGUAGE="nb")
    assert shown.status_code == 302
    assert shown["Location"] == reverse("loans:grant", kwargs={"pk": grant.pk})
    answer = web.post(
        url + "?hjelp=grant",
        {"kind": "approval", "amount": "40000", "reasoning": "x" * 80, "facts": "y"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="nb",
    )
    assert "tilskuddssidene" in answer.content.decode()
    assert not Decision.objects.filter(case=grant.case).exists()

    applicant = household.members.get(relation="applicant").person
    resident = Client()
    resident.force_login(resident_user(request=None, national_id=applicant.national_id))
    page = resident.get(reverse("portal:case", kwargs={"pk": grant.case.pk}))
    assert page.status_code == 200
    text = page.content.decode().replace("\xa0", " ")
    assert 'id="my-grant"' in text
    assert "Rampe ved inngangen" in text and "40 000" in text
    assert AccessEvent.objects.filter(person_id=applicant.pk).exists()
