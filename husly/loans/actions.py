"""Start-loan actions: each one state change, atomic, checking the actor's role and writing its
audit event in the same transaction (docs/decisions/0002-actions-selectors-audit.md)."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from husly.audit.events import record_change
from husly.cases import actions as cases
from husly.cases.facts import case_facts
from husly.cases.models import Assessment, Case, CaseStatus, Decision, DecisionStatus, HelpKind
from husly.core.actions import create_audited, once_per_submission, update_audited
from husly.loans import selectors
from husly.loans.models import (
    AdviceAgainst,
    ApprovalStatus,
    ArrearsFollowUp,
    Candidate,
    DocumentRequest,
    FollowUpMeasure,
    Funding,
    Loan,
    LoanApplication,
    LoanApproval,
    LoanAssessment,
    LoanPayment,
    LoanStatus,
    Outcome,
    Recommendation,
    TeamMeeting,
)
from husly.organisation.access import require_permission
from husly.organisation.models import Municipality, Role, User
from husly.people.models import Household, Relation
from husly.rules import guidelines as g
from husly.rules.deadlines import add_months
from husly.rules.params import default_tree
from husly.rules.start_loan import (
    LoanHouseholdMember,
    StartLoanApplication,
    StartLoanParameters,
    explain_start_loan,
)
from husly.rules.start_loan_ladder import (
    STEP_NAMES,
    LadderParameters,
    ladder_for_one,
    long_term_allowed,
    steps_as_dicts,
)

LOAN_FACTS = (
    "has_long_term_financing_problems",
    "bank_cannot_finance",
    "has_used_opportunity_to_save",
    "dwelling_is_suitable",
    "dwelling_price_is_reasonable",
    "health_needs_stable_home_soon",
    "refinancing_lets_household_stay",
    "housing_prevents_work_or_business",
    "frees_municipal_dwelling",
    "permanently_low_income",
    "low_predictable_income",
    "dwelling_suits_long_term",
    "renting_unsuitable_or_dearer",
    "shorter_term_not_responsible",
    "at_risk_of_losing_home",
    "lower_living_costs_monthly",
    "is_refugee",
    "income_documented",
)
"""Facts the caseworker records on the application for the assessment."""

VALIDITY_MONTHS = 3  # Rælingen, Vedtak (raelingen L5693–5712): normally valid for 3 months


def _person_id(application: LoanApplication) -> int | None:
    member = application.case.household.members.filter(relation=Relation.APPLICANT).first()
    return member.person_id if member else None


def _record(
    actor: User | None,
    action: str,
    application: LoanApplication,
    instance: Any,
    changes: dict[str, Any],
) -> None:
    record_change(
        actor=actor,
        action=action,
        instance=instance,
        municipality=application.case.municipality,
        changes=changes,
        person_id=_person_id(application),
    )


def _open(application: LoanApplication) -> None:
    if application.case.status in {CaseStatus.CLOSED, CaseStatus.DRAFT}:
        raise ValidationError(_("The start-loan case is not open for processing."))


# --- the application -----------------------------------------------------------------------------


def loan_application_create(
    *,
    actor: User,
    household: Household,
    channel: str,
    data: Mapping[str, Any],
    case_data: Mapping[str, Any] | None = None,
    submission_token: uuid.UUID | None = None,
    consent_how: str = "",
) -> LoanApplication:
    """Register and submit a start-loan application (from the desk): a case routed to the
    start-loan unit, with the loan's own facts, and the household's consent to fetch what can be
    fetched when ``consent_how`` says how it was given. All or nothing; with a
    ``submission_token`` a second send of the same form returns the first one's application."""
    return once_per_submission(
        earlier=lambda: _application_for_submission(actor, submission_token),
        create=lambda: _loan_application_create(
            actor=actor,
            household=household,
            channel=channel,
            data=data,
            case_data=case_data,
            submission_token=submission_token,
            consent_how=consent_how,
        ),
    )


def _application_for_submission(
    actor: User, submission_token: uuid.UUID | None
) -> LoanApplication | None:
    case = cases.case_for_submission(actor, submission_token)
    return LoanApplication.objects.filter(case=case).first() if case else None


@transaction.atomic
def _loan_application_create(
    *,
    actor: User,
    household: Household,
    channel: str,
    data: Mapping[str, Any],
    case_data: Mapping[str, Any] | None,
    submission_token: uuid.UUID | None,
    consent_how: str,
) -> LoanApplication:
    case = cases.case_create(
        actor=actor,
        household=household,
        channel=channel,
        help_kinds=[HelpKind.START_LOAN],
        data=dict(case_data or {}),
        submit=True,
        submission_token=submission_token,
    )
    return _application_add(actor, case, data, consent_how)


def _application_add(
    actor: User, case: Case, data: Mapping[str, Any], consent_how: str
) -> LoanApplication:
    application = create_audited(
        actor=actor,
        action="loan_application_create",
        instance=LoanApplication(case=case, **data),
        municipality=case.municipality,
        person_id=_person_id_of_case(case),
    )
    if consent_how:
        _consent_to_fetch(actor, case, consent_how)
    return application


def _consent_to_fetch(actor: User, case: Case, given_how: str) -> None:
    """The household's consent that the start-loan unit fetches and uses what can be fetched
    about income, tax and debt for the assessment and economic advice (husly.consent)."""
    from husly.consent.actions import consent_give
    from husly.consent.models import DataCategory, Purpose

    applicant = case.household.members.filter(relation=Relation.APPLICANT).first()
    unit = selectors.start_loan_unit(case.municipality)
    if applicant is None or unit is None:
        raise ValidationError(_("The consent could not be recorded: the case has no applicant."))
    consent_give(
        actor=actor,
        case=case,
        given_by=applicant.person,
        units=[unit],
        purposes=[Purpose.ASSESSMENT, Purpose.ECONOMIC_ADVICE],
        data_categories=[DataCategory.APPLICATION, DataCategory.DOCUMENTS],
        given_how=given_how,
    )


def loan_application_apply_self(
    *,
    actor: User,
    municipality: Municipality,
    applicant: Mapping[str, Any],
    data: Mapping[str, Any],
    case_data: Mapping[str, Any],
    consent: bool,
    submission_token: uuid.UUID | None = None,
) -> LoanApplication:
    """The household applies for a start loan itself in Min side: its own household (found by
    the identity number it logged in with, or registered), one case routed to the start-loan
    unit, the loan's facts and, if given, the digital consent to fetch. All or nothing, once per
    form shown."""
    require_permission(actor, municipality.pk, any_resident=True)
    return once_per_submission(
        earlier=lambda: _application_for_submission(actor, submission_token),
        create=lambda: _apply_self(
            actor, municipality, applicant, data, case_data, consent, submission_token
        ),
    )


@transaction.atomic
def _apply_self(  # noqa: PLR0917 - a private helper called with all its parts
    actor: User,
    municipality: Municipality,
    applicant: Mapping[str, Any],
    data: Mapping[str, Any],
    case_data: Mapping[str, Any],
    consent: bool,
    submission_token: uuid.UUID | None,
) -> LoanApplication:
    from husly.consent.models import GivenHow
    from husly.portal.actions import portal_application_create

    case = portal_application_create(
        actor=actor,
        municipality=municipality,
        applicant=applicant,
        members=[],
        help_kinds=[HelpKind.START_LOAN],
        data=case_data,
        submit=True,
        submission_token=submission_token,
    )
    return _application_add(actor, case, data, GivenHow.DIGITAL if consent else "")


def _person_id_of_case(case: Case) -> int | None:
    member = case.household.members.filter(relation=Relation.APPLICANT).first()
    return member.person_id if member else None


@transaction.atomic
def loan_facts_record(
    *, actor: User, application: LoanApplication, data: Mapping[str, Any]
) -> LoanApplication:
    """Record the facts the criteria and the § 8-5 conditions read."""
    selectors.require_loan_role(actor, application.case.municipality)
    _open(application)
    unknown = sorted(set(data) - set(LOAN_FACTS))
    if unknown:
        raise ValidationError(_("Unknown fact: %(names)s.") % {"names": ", ".join(unknown)})
    return update_audited(
        actor=actor,
        action="loan_facts_record",
        instance=application,
        data=data,
        municipality=application.case.municipality,
    )


@transaction.atomic
def loan_document_request(
    *, actor: User, application: LoanApplication, title: str, due_on: dt.date
) -> DocumentRequest:
    """Ask the applicant for a document, with a deadline."""
    selectors.require_loan_role(actor, application.case.municipality)
    _open(application)
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": _("The deadline cannot be in the past.")})
    return create_audited(
        actor=actor,
        action="loan_document_request",
        instance=DocumentRequest(
            application=application, title=title, due_on=due_on, requested_by=actor
        ),
        municipality=application.case.municipality,
        person_id=_person_id(application),
    )


@transaction.atomic
def loan_document_receive(
    *, actor: User, request: DocumentRequest, received_on: dt.date
) -> DocumentRequest:
    selectors.require_loan_role(actor, request.application.case.municipality)
    return update_audited(
        actor=actor,
        action="loan_document_receive",
        instance=request,
        data={"received_on": received_on},
        municipality=request.application.case.municipality,
    )


@transaction.atomic
def loan_credit_check_record(
    *, actor: User, application: LoanApplication, result: str, note: str = ""
) -> LoanApplication:
    """The credit check is a recorded step (finansavtaleloven § 5-2; Husbanken, Kredittsjekk)."""
    selectors.require_loan_role(actor, application.case.municipality)
    _open(application)
    if not result.strip():
        raise ValidationError({"result": _("Write what the credit check showed.")})
    return update_audited(
        actor=actor,
        action="loan_credit_check_record",
        instance=application,
        data={
            "credit_checked_on": timezone.localdate(),
            "credit_check_result": result.strip(),
            "credit_check_note": note.strip(),
            "credit_checked_by": actor,
        },
        municipality=application.case.municipality,
    )


@transaction.atomic
def loan_explanation_record(
    *, actor: User, application: LoanApplication, how: str
) -> LoanApplication:
    """The oral explanation duty (finansavtaleloven § 5-1) is done before the decision."""
    selectors.require_loan_role(actor, application.case.municipality)
    _open(application)
    if not how.strip():
        raise ValidationError({"how": _("Say how the loan was explained (meeting or phone).")})
    return update_audited(
        actor=actor,
        action="loan_explanation_record",
        instance=application,
        data={
            "explained_on": timezone.localdate(),
            "explained_how": how.strip(),
            "explained_by": actor,
        },
        municipality=application.case.municipality,
    )


# --- the assessment ------------------------------------------------------------------------------


def _members(application: LoanApplication) -> list[LoanHouseholdMember]:
    today = timezone.localdate()
    members = []
    for m in application.case.household.members.select_related("person"):
        born = m.person.date_of_birth
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        digit = m.person.national_id[8:9]
        # The SIFO budget differs by sex; the identity number's ninth digit tells it (odd: male).
        sex = "male" if digit.isdigit() and int(digit) % 2 else "female"
        members.append(LoanHouseholdMember(age=max(age, 0), sex=sex))  # type: ignore[arg-type]
    return members


def _ladder_parameters(number: str, on: dt.date) -> tuple[LadderParameters, StartLoanParameters]:
    p = StartLoanParameters.for_municipality(number, on)
    tree = default_tree()
    markup = (
        p.borrower_rate - tree.at("national.start_loan.rates.husbanken_floating_rate", on).value
    )
    fixed = tree.at("national.start_loan.rates.husbanken_fixed_rate", on).value + markup
    grant_path = f"municipal.{number}.start_loan.establishment_grant_max"
    grant = tree.at(grant_path, on).value if grant_path in tree else 0.0
    return (
        LadderParameters(
            stress_rate=p.stress_rate,
            fixed_rate=float(fixed),
            reference_term_years=p.max_term_years,
            long_term_years=p.max_term_years_special,
            grant_max=float(grant),
        ),
        p,
    )


@transaction.atomic
def loan_assess(
    *,
    actor: User,
    application: LoanApplication,
    waivers: Mapping[str, tuple[str, str]] = {},
    on: dt.date | None = None,
) -> LoanAssessment:
    """Run the affordability calculation and the escalation ladder on the case's facts, then the
    municipality's start-loan criteria in the guideline engine with the margin of the smallest
    step that carries; store all three together. ``waivers``: ``{criterion_id: (exception_id,
    reason)}`` (exceptions 4 a–d)."""
    case = application.case
    selectors.require_loan_role(actor, case.municipality)
    _open(application)
    day = on or timezone.localdate()
    number = case.municipality.number
    members = _members(application)
    affordability = explain_start_loan(
        StartLoanApplication(
            municipality_number=number,
            members=members,
            net_income_monthly=application.net_income_monthly,
            loan_amount=application.loan_amount,
            other_fixed_costs_monthly=application.other_fixed_costs_monthly,
            housing_operating_costs_monthly=application.housing_costs_monthly,
        ),
        day,
    )
    floor = float(affordability.trace.values()["nav_guideline_amount"])  # type: ignore[arg-type]
    a = application
    children = a.case.household.members.filter(relation=Relation.CHILD).exists()
    allowed = bool(
        long_term_allowed(
            permanently_low_income=_b(a.permanently_low_income),
            dwelling_suits_long_term=_b(a.dwelling_suits_long_term),
            renting_unsuitable_or_dearer=_b(a.renting_unsuitable_or_dearer),
            shorter_term_not_responsible=_b(a.shorter_term_not_responsible),
            children_in_household=_b(children),
            at_risk_of_losing_home=_b(a.at_risk_of_losing_home),
            low_predictable_income=_b(a.low_predictable_income),
        )[0]
    )
    ladder_params, _p = _ladder_parameters(number, day)
    steps, first = ladder_for_one(
        net_income_monthly=a.net_income_monthly,
        other_fixed_costs_monthly=a.other_fixed_costs_monthly,
        housing_operating_costs_monthly=a.housing_costs_monthly,
        living_costs_monthly=affordability.living_costs_monthly,
        lower_living_costs_monthly=(
            a.lower_living_costs_monthly
            if a.lower_living_costs_monthly is not None
            else affordability.living_costs_monthly
        ),
        guideline_floor_monthly=floor,
        loan_amount=a.loan_amount,
        long_term_allowed=allowed,
        parameters=ladder_params,
    )
    margin = steps[first].margin if first >= 0 else max(s.margin for s in steps if s.available)
    base = case_facts(case, assessed_on=day)
    facts = g.CaseFacts(
        application_date=base.application_date,
        assessment_date=day,
        applicant=base.applicant,
        household_members=base.household_members,
        housing=base.housing,
        start_loan=g.StartLoanFacts(
            has_long_term_financing_problems=a.has_long_term_financing_problems,
            bank_cannot_finance=a.bank_cannot_finance,
            affordability_margin_kroner=margin,
            has_used_opportunity_to_save=a.has_used_opportunity_to_save,
            dwelling_municipality_number=a.dwelling_municipality_number,
            dwelling_is_suitable=a.dwelling_is_suitable,
            dwelling_price_is_reasonable=a.dwelling_price_is_reasonable,
            health_needs_stable_home_soon=a.health_needs_stable_home_soon,
            refinancing_lets_household_stay=a.refinancing_lets_household_stay,
            housing_prevents_work_or_business=a.housing_prevents_work_or_business,
            frees_municipal_dwelling=a.frees_municipal_dwelling,
        ),
    )
    sets = [s for s in g.sets_for(number, day) if s.application_kind == "start_loan"]
    if not sets:
        raise ValidationError(
            _("%(municipality)s has no start-loan criteria in Husly for this date.")
            % {"municipality": case.municipality.name}
        )
    guideline = sets[0]
    exceptions = {e.id: e for e in guideline.exceptions}
    for criterion_id, (exception_id, reason) in waivers.items():
        exception = exceptions.get(exception_id)
        if exception is None or criterion_id not in exception.applies_to:
            raise ValidationError(
                _("The guideline does not allow that exception for criterion %(id)s.")
                % {"id": criterion_id}
            )
        if not reason.strip():
            raise ValidationError(
                _("Give a reason for using the exception “%(exception)s”.")
                % {"exception": exception.title.nb}
            )
    result = g.evaluate(
        guideline,
        facts,
        invoked_exceptions=[
            g.InvokedException(
                exception_id=eid,
                criterion_ids=(cid,),
                reason=reason.strip(),
                invoked_by=actor.username,
                invoked_on=day,
            )
            for cid, (eid, reason) in waivers.items()
        ],
    )
    assessment = Assessment.objects.create(
        case=case,
        guideline_set_id=guideline.id,
        guideline_version=guideline.version,
        outcome=result.outcome.value,
        record=result.to_dict(),
        assessed_on=day,
        created_by=actor,
    )
    loan_assessment = LoanAssessment.objects.create(
        application=application,
        assessment=assessment,
        affordability=affordability.to_dict(),
        ladder=steps_as_dicts(steps),
        first_working_step=STEP_NAMES[first] if first >= 0 else "",
        long_term_allowed=allowed,
    )
    if case.status == CaseStatus.SUBMITTED:
        case.status = CaseStatus.IN_PROGRESS
        case.save(update_fields=["status"])
    _record(
        actor,
        "loan_assess",
        application,
        loan_assessment,
        {
            "outcome": [None, result.outcome.value],
            "first_working_step": [None, loan_assessment.first_working_step],
            "margin": [None, margin],
        },
    )
    return loan_assessment


def _b(value: bool) -> Any:
    import numpy as np

    return np.array([bool(value)])


# --- the decision team ---------------------------------------------------------------------------


@transaction.atomic
def team_meeting_create(
    *, actor: User, municipality: Municipality, held_on: dt.date
) -> TeamMeeting:
    """Set up the decision team's monthly meeting; it is prepared from the open
    recommendations."""
    selectors.require_loan_role(actor, municipality)
    meeting = create_audited(
        actor=actor,
        action="team_meeting_create",
        instance=TeamMeeting(municipality=municipality, held_on=held_on, created_by=actor),
        municipality=municipality,
    )
    Recommendation.objects.filter(
        application__case__municipality=municipality, meeting__isnull=True, team_outcome=""
    ).update(meeting=meeting)
    return meeting


@transaction.atomic
def recommendation_make(
    *,
    actor: User,
    application: LoanApplication,
    outcome: str,
    step: str,
    text: str,
) -> Recommendation:
    """The caseworker's recommendation (innstilling) on the latest assessment."""
    selectors.require_loan_role(actor, application.case.municipality)
    _open(application)
    latest = application.assessments.first()
    if latest is None:
        raise ValidationError(_("Assess the application before you recommend an outcome."))
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    if outcome == Outcome.APPROVE and step not in STEP_NAMES:
        raise ValidationError({"step": _("Choose the loan solution you recommend.")})
    if not text.strip():
        raise ValidationError({"text": _("Write the recommendation.")})
    meeting = (
        TeamMeeting.objects.filter(
            municipality=application.case.municipality, closed_at__isnull=True
        )
        .order_by("held_on")
        .first()
    )
    return create_audited(
        actor=actor,
        action="recommendation_make",
        instance=Recommendation(
            application=application,
            loan_assessment=latest,
            meeting=meeting,
            proposed_outcome=outcome,
            proposed_step=step if outcome == Outcome.APPROVE else "",
            text=text.strip(),
            created_by=actor,
        ),
        municipality=application.case.municipality,
        person_id=_person_id(application),
    )


def _step(loan_assessment: LoanAssessment, name: str) -> dict[str, Any]:
    for step in loan_assessment.ladder:
        if step["name"] == name:
            return dict(step)
    raise ValidationError({"step": _("Choose the loan solution you recommend.")})


@transaction.atomic
def recommendation_decide(
    *,
    actor: User,
    recommendation: Recommendation,
    outcome: str,
    step: str,
    minutes: str,
    reasoning: str,
) -> Recommendation:
    """The team decides one recommendation with minutes. An approval or refusal becomes a
    decision drafted and sent to the unit head for approval (four eyes); advice against becomes
    the written advice, which is not a refusal. The oral explanation and the credit check must
    be recorded first."""
    application = recommendation.application
    municipality = application.case.municipality
    selectors.require_loan_role(actor, municipality)
    _open(application)
    if recommendation.team_outcome:
        raise ValidationError(_("The team has already decided this recommendation."))
    if not minutes.strip():
        raise ValidationError({"minutes": _("Write the minutes of the team's discussion.")})
    if application.credit_checked_on is None:
        raise ValidationError(_("Record the credit check before the team decides."))
    if application.explained_on is None:
        raise ValidationError(
            _("Record the oral explanation (finansavtaleloven § 5-1) before the decision.")
        )
    la = recommendation.loan_assessment
    assessment = la.assessment
    meets = assessment.outcome in {g.OverallOutcome.MEETS, g.OverallOutcome.MEETS_WITH_EXCEPTION}
    data: dict[str, Any] = {
        "team_outcome": outcome,
        "team_step": step if outcome == Outcome.APPROVE else "",
        "minutes": minutes.strip(),
        "decided_at": timezone.now(),
    }
    if outcome == Outcome.ADVISE_AGAINST:
        _advise_against(actor, recommendation, reasoning)
    else:
        if outcome == Outcome.APPROVE and not meets:
            raise ValidationError(
                _("The assessment says the criteria are not met, so the team cannot approve.")
            )
        if outcome == Outcome.REFUSE and meets:
            raise ValidationError(
                _("The assessment says the criteria are met. Refuse only on a new assessment.")
            )
        data["decision"] = _draft_decision(actor, recommendation, outcome, step, reasoning)
    return update_audited(
        actor=actor,
        action="recommendation_decide",
        instance=recommendation,
        data=data,
        municipality=municipality,
    )


def _rate(la: LoanAssessment, step: str) -> tuple[Decimal, bool]:
    affordability = la.affordability
    number = affordability["municipality_number"]
    on = dt.date.fromisoformat(affordability["on"])
    params, p = _ladder_parameters(number, on)
    fixed = step != "reference"
    return Decimal(str(round(params.fixed_rate if fixed else p.borrower_rate, 5))), fixed


def _draft_decision(
    actor: User, recommendation: Recommendation, outcome: str, step: str, reasoning: str
) -> Decision:
    application = recommendation.application
    la = recommendation.loan_assessment
    if not reasoning.strip():
        raise ValidationError({"reasoning": _("Write the reasons for the decision.")})
    facts = _(
        "Income after tax %(income)s kroner a month. Dwelling: %(address)s, price with common "
        "debt %(price)s kroner. Start loan applied for: %(loan)s kroner. Credit check %(checked)s."
    ) % {
        "income": application.net_income_monthly,
        "address": application.dwelling_address,
        "price": application.total_price,
        "loan": application.loan_amount,
        "checked": application.credit_checked_on.strftime("%d.%m.%Y")
        if application.credit_checked_on
        else "-",
    }
    data: dict[str, Any] = {
        "help_kind": HelpKind.START_LOAN,
        "kind": "approval" if outcome == Outcome.APPROVE else "refusal",
        "facts": facts,
        "reasoning": reasoning.strip(),
    }
    chosen: dict[str, Any] = {}
    if outcome == Outcome.APPROVE:
        chosen = _step(la, step)
        if not chosen["available"]:
            raise ValidationError({"step": _("That step is not open for this household.")})
        data["amount"] = chosen["loan"]
        from husly.loans.letters import CONDITIONS

        applicant = application.case.household.members.filter(relation=Relation.APPLICANT).first()
        lang = applicant.person.language_form if applicant else "nb"
        data["conditions"] = CONDITIONS.get(lang, CONDITIONS["nb"])
    decision = cases.decision_draft(actor=actor, case=application.case, data=data)
    decision.assessment = la.assessment
    decision.save(update_fields=["assessment"])
    if outcome == Outcome.APPROVE:
        rate, fixed = _rate(la, step)
        long_term = step in {"longer_term", "lower_living_costs", "establishment_grant"}
        term = 50 if long_term and la.long_term_allowed else 30
        create_audited(
            actor=actor,
            action="loan_approval_create",
            instance=LoanApproval(
                decision=decision,
                application=application,
                amount=chosen["loan"],
                grant_amount=chosen["grant"],
                annual_rate=rate,
                fixed_rate=fixed,
                term_years=term,
                max_price=application.total_price,
            ),
            municipality=application.case.municipality,
            person_id=_person_id(application),
        )
    return cases.decision_submit(actor=actor, decision=decision)


def _advise_against(actor: User, recommendation: Recommendation, reasons: str) -> AdviceAgainst:
    from husly.loans.letters import render_advice_letter

    application = recommendation.application
    if not reasons.strip():
        raise ValidationError({"reasoning": _("Write why we advise against the loan.")})
    la = recommendation.loan_assessment
    margins = [s["margin"] for s in la.ladder if s["available"]]
    applicant = application.case.household.members.filter(relation=Relation.APPLICANT).first()
    advice = AdviceAgainst(
        application=application,
        recommendation=recommendation,
        margin=max(margins) if margins else 0,
        reasons=reasons.strip(),
        language=applicant.person.language_form if applicant else "nb",
        issued_on=timezone.localdate(),
        issued_by=actor,
    )
    pdf = render_advice_letter(advice)
    advice.letter.save(f"fraradning-{application.case.number}.pdf", ContentFile(pdf), save=False)
    advice.letter_sha256 = hashlib.sha256(pdf).hexdigest()
    return create_audited(
        actor=actor,
        action="loan_advise_against",
        instance=advice,
        municipality=application.case.municipality,
        person_id=_person_id(application),
    )


# --- from approval to keys -----------------------------------------------------------------------


def on_decision_issued(decision: Decision, actor: User) -> None:
    """An issued start-loan approval is valid for three months from the decision date."""
    terms = LoanApproval.objects.filter(decision=decision).first()
    if terms is None or decision.issued_on is None:
        return
    terms.valid_until = add_months(decision.issued_on, VALIDITY_MONTHS)
    terms.save(update_fields=["valid_until"])
    _record(
        actor,
        "loan_approval_valid",
        terms.application,
        terms,
        {"valid_until": [None, terms.valid_until.isoformat()]},
    )


def _issued(approval: LoanApproval) -> None:
    if approval.decision.status != DecisionStatus.ISSUED:
        raise ValidationError(_("The approval has not been issued yet."))


@transaction.atomic
def loan_approval_extend(
    *, actor: User, approval: LoanApproval, until: dt.date, reason: str
) -> LoanApproval:
    """Extend the validity, with the reason."""
    selectors.require_loan_role(actor, approval.application.case.municipality)
    _issued(approval)
    if approval.status != ApprovalStatus.VALID:
        raise ValidationError(_("Only a valid approval without a purchase can be extended."))
    if approval.valid_until and until <= approval.valid_until:
        raise ValidationError({"until": _("The new date must be after the current validity.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the validity is extended.")})
    return update_audited(
        actor=actor,
        action="loan_approval_extend",
        instance=approval,
        data={"valid_until": until, "extension_reason": reason.strip()},
        municipality=approval.application.case.municipality,
    )


@transaction.atomic
def loan_purchase_record(
    *, actor: User, approval: LoanApproval, address: str, price: int, accepted_on: dt.date
) -> LoanApproval:
    """The accepted offer: its price (with common debt) is checked against the approval."""
    selectors.require_loan_role(actor, approval.application.case.municipality)
    _issued(approval)
    if approval.status != ApprovalStatus.VALID:
        raise ValidationError(_("The approval is not open for a purchase."))
    if approval.valid_until and accepted_on > approval.valid_until:
        raise ValidationError(
            {"accepted_on": _("The approval had expired when the offer was accepted.")}
        )
    if price > approval.max_price:
        raise ValidationError(
            {
                "price": _(
                    "The price with common debt (%(price)s kroner) is higher than the approval "
                    "allows (%(max)s kroner)."
                )
                % {"price": price, "max": approval.max_price}
            }
        )
    return update_audited(
        actor=actor,
        action="loan_purchase_record",
        instance=approval,
        data={
            "purchase_address": address,
            "purchase_price": price,
            "offer_accepted_on": accepted_on,
            "status": ApprovalStatus.PURCHASED,
        },
        municipality=approval.application.case.municipality,
    )


@transaction.atomic
def loan_documents_record(
    *,
    actor: User,
    approval: LoanApproval,
    signed_on: dt.date,
    registered_on: dt.date,
    priority: int,
) -> LoanApproval:
    """The signed loan documents and the mortgage with the municipality's priority."""
    selectors.require_loan_role(actor, approval.application.case.municipality)
    if approval.status != ApprovalStatus.PURCHASED:
        raise ValidationError(_("Record the purchase first."))
    if priority < 1:
        raise ValidationError({"priority": _("The priority is 1 or higher.")})
    return update_audited(
        actor=actor,
        action="loan_documents_record",
        instance=approval,
        data={
            "loan_documents_signed_on": signed_on,
            "mortgage_registered_on": registered_on,
            "mortgage_priority": priority,
        },
        municipality=approval.application.case.municipality,
    )


@transaction.atomic
def loan_disburse(*, actor: User, approval: LoanApproval, on: dt.date) -> Loan:
    """Pay the loan out with the fees the municipality's parameters say (Rælingen: the
    establishment and registration fees are deducted at disbursement) and register it in the
    portfolio."""
    case = approval.application.case
    selectors.require_loan_role(actor, case.municipality)
    if approval.status != ApprovalStatus.PURCHASED or approval.mortgage_registered_on is None:
        raise ValidationError(
            _("The purchase, the loan documents and the mortgage must be recorded first.")
        )
    p = StartLoanParameters.for_municipality(case.municipality.number, on)
    establishment = round(
        min(
            max(approval.amount * p.establishment_fee_rate, p.establishment_fee_min),
            p.establishment_fee_max,
        )
    )
    registration = round(p.registration_fee)
    deducted = establishment + registration if p.fees_deducted_from_loan else 0
    rate = float(approval.annual_rate)
    i = rate / 12
    n = approval.term_years * 12
    payment = round(approval.amount * i / (1 - (1 + i) ** -n)) + round(p.term_fee)
    loan = create_audited(
        actor=actor,
        action="loan_disburse",
        instance=Loan(
            approval=approval,
            municipality=case.municipality,
            household=case.household,
            number=f"SL-{case.number}",
            principal=approval.amount,
            balance=approval.amount,
            annual_rate=approval.annual_rate,
            term_years=approval.term_years,
            monthly_payment=payment,
            establishment_fee=establishment,
            registration_fee=registration,
            paid_out=approval.amount - deducted,
            disbursed_on=on,
        ),
        municipality=case.municipality,
        person_id=_person_id(approval.application),
    )
    approval.status = ApprovalStatus.DISBURSED
    approval.save(update_fields=["status"])
    return loan


@transaction.atomic
def loan_approval_follow_up(*, actor: User, approval: LoanApproval, note: str) -> LoanApproval:
    """Follow up an approval that has not led to a purchase (raelingen L4110–4116)."""
    selectors.require_loan_role(actor, approval.application.case.municipality)
    if not note.strip():
        raise ValidationError({"note": _("Write what was agreed.")})
    data: dict[str, Any] = {"followed_up_on": timezone.localdate(), "follow_up_note": note}
    if approval.valid_until and approval.valid_until < timezone.localdate():
        data["status"] = ApprovalStatus.EXPIRED
    return update_audited(
        actor=actor,
        action="loan_approval_follow_up",
        instance=approval,
        data=data,
        municipality=approval.application.case.municipality,
    )


# --- the portfolio -------------------------------------------------------------------------------


def _payment_apply(
    loan: Loan, due_on: dt.date, due: int, paid: int, paid_on: dt.date | None
) -> tuple[LoanPayment, ArrearsFollowUp | None]:
    payment, _created = LoanPayment.objects.update_or_create(
        loan=loan,
        due_on=due_on,
        defaults={"amount_due": due, "amount_paid": paid, "paid_on": paid_on},
    )
    follow_up = None
    if payment.missed and not loan.follow_ups.filter(closed_on__isnull=True).exists():
        follow_up = ArrearsFollowUp.objects.create(
            loan=loan, payment=payment, opened_on=timezone.localdate()
        )
    principal_paid = max(paid - round(loan.balance * float(loan.annual_rate) / 12), 0)
    if paid:
        loan.balance = max(loan.balance - principal_paid, 0)
        loan.save(update_fields=["balance"])
    return payment, follow_up


@transaction.atomic
def loan_payment_record(
    *,
    actor: User,
    loan: Loan,
    due_on: dt.date,
    amount_due: int,
    amount_paid: int,
    paid_on: dt.date | None,
) -> LoanPayment:
    """Record one instalment; a missed one opens a follow-up before any collection."""
    selectors.require_loan_role(actor, loan.municipality)
    payment, follow_up = _payment_apply(loan, due_on, amount_due, amount_paid, paid_on)
    record_change(
        actor=actor,
        action="loan_payment_record",
        instance=payment,
        municipality=loan.municipality,
        changes={"amount_paid": [None, amount_paid], "follow_up": [None, bool(follow_up)]},
    )
    return payment


@transaction.atomic
def loan_payments_import(
    *, actor: User, municipality: Municipality, rows: list[dict[str, Any]]
) -> int:
    """Apply the loan administrator's payment file (rows already parsed by
    :mod:`husly.loans.payment_file`): all rows or none."""
    selectors.require_loan_role(actor, municipality)
    errors = []
    loans = {loan.number: loan for loan in Loan.objects.filter(municipality=municipality)}
    for i, row in enumerate(rows, start=2):
        if row["loan_number"] not in loans:
            errors.append(
                _("Line %(line)s: no loan numbered %(number)s.")
                % {"line": i, "number": row["loan_number"]}
            )
    if errors:
        raise ValidationError(errors)
    for row in rows:
        _payment_apply(
            loans[row["loan_number"]],
            row["due_on"],
            row["amount_due"],
            row["amount_paid"],
            row["paid_on"],
        )
    record_change(
        actor=actor,
        action="loan_payments_import",
        instance=municipality,
        municipality=municipality,
        changes={"rows": [None, len(rows)]},
    )
    return len(rows)


@transaction.atomic
def arrears_follow_up_update(
    *,
    actor: User,
    follow_up: ArrearsFollowUp,
    measure: str,
    note: str,
    interest_only_until: dt.date | None = None,
    close: bool = False,
) -> ArrearsFollowUp:
    """Conversation, deferral or an interest-only period (at most 8 years, forskrift § 8-5)
    before any collection."""
    loan = follow_up.loan
    selectors.require_loan_role(actor, loan.municipality)
    if measure not in FollowUpMeasure.values:
        raise ValidationError({"measure": _("Choose a measure.")})
    if (
        measure == FollowUpMeasure.COLLECTION
        and not loan.follow_ups.filter(
            measure__in=[
                FollowUpMeasure.CONVERSATION,
                FollowUpMeasure.DEFERRAL,
                FollowUpMeasure.INTEREST_ONLY,
            ]
        ).exists()
    ):
        raise ValidationError(
            {"measure": _("Talk with the borrower and try a deferral before collection.")}
        )
    if measure == FollowUpMeasure.INTEREST_ONLY:
        most = (
            default_tree()
            .at("national.start_loan.terms.max_interest_only_years", timezone.localdate())
            .value
        )
        if interest_only_until is None or interest_only_until > add_months(
            loan.disbursed_on, int(most) * 12
        ):
            raise ValidationError(
                {
                    "interest_only_until": _(
                        "An interest-only period can last at most %(years)s "
                        "years from disbursement."
                    )
                    % {"years": int(most)}
                }
            )
    if not note.strip():
        raise ValidationError({"note": _("Write what was agreed.")})
    return update_audited(
        actor=actor,
        action="arrears_follow_up_update",
        instance=follow_up,
        data={
            "measure": measure,
            "note": note.strip(),
            "interest_only_until": interest_only_until,
            "closed_on": timezone.localdate() if close else None,
        },
        municipality=loan.municipality,
    )


@transaction.atomic
def loan_end(*, actor: User, loan: Loan, status: str, loss: int = 0) -> Loan:
    """End a loan: repaid, forced sale or a loss written off (counted for the leaders)."""
    selectors.require_loan_role(actor, loan.municipality)
    if status not in {LoanStatus.REPAID, LoanStatus.FORCED_SALE, LoanStatus.WRITTEN_OFF}:
        raise ValidationError({"status": _("Choose how the loan ended.")})
    return update_audited(
        actor=actor,
        action="loan_end",
        instance=loan,
        data={
            "status": status,
            "loss": loss,
            "balance": 0 if status == LoanStatus.REPAID else loan.balance,
        },
        municipality=loan.municipality,
    )


# --- candidates and funding ----------------------------------------------------------------------


@transaction.atomic
def candidate_propose(*, actor: User, household: Household, note: str) -> Candidate:
    """Any unit proposes a household as a possible future start-loan applicant (e.g. a tenant
    the ownership screening found at renewal)."""
    require_permission(
        actor, household.municipality_id, {Role.CASEWORKER, Role.APPROVER, Role.FOLLOW_UP}
    )
    unit = actor.memberships.filter(unit__municipality_id=household.municipality_id).first()
    if unit is None:
        raise PermissionDenied(_("Only staff of the municipality can propose a candidate."))
    if not note.strip():
        raise ValidationError({"note": _("Say why the household may be a candidate.")})
    return create_audited(
        actor=actor,
        action="candidate_propose",
        instance=Candidate(
            municipality_id=household.municipality_id,
            household=household,
            proposed_by_unit=unit.unit,
            note=note.strip(),
            proposed_by=actor,
        ),
        municipality=household.municipality,
    )


@transaction.atomic
def funding_record(
    *, actor: User, municipality: Municipality, year: int, data: Mapping[str, int]
) -> Funding:
    """The yearly funding: NAV's recommendation, the council's decision, the application to
    Husbanken and the grant budget."""
    selectors.require_loan_role(actor, municipality)
    funding, _created = Funding.objects.get_or_create(municipality=municipality, year=year)
    return update_audited(
        actor=actor,
        action="funding_record",
        instance=funding,
        data=dict(data),
        municipality=municipality,
    )
