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
    CandidateStatus,
    DocumentRequest,
    FollowUpMeasure,
    Funding,
    GrantApplication,
    GrantBudget,
    GrantKind,
    GrantStatus,
    Loan,
    LoanApplication,
    LoanApproval,
    LoanAssessment,
    LoanExceptionUse,
    LoanFact,
    LoanFactKind,
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


def _fact(
    kind: str,
    case: Case,
    on: dt.date,
    *,
    amount: int = 0,
    days: int | None = None,
    grant_kind: str = "",
) -> LoanFact:
    """Store one coded event for the leaders' figures (no names, no free text), in the calling
    action's transaction."""
    refugee = LoanApplication.objects.filter(case=case, is_refugee=True).exists() or (
        LoanApplication.objects.filter(grant_applications__case=case, is_refugee=True).exists()
    )
    return LoanFact.objects.create(
        municipality_id=case.municipality_id,
        kind=kind,
        on=on,
        amount=amount,
        days_to_decision=days,
        grant_kind=grant_kind,
        with_children=case.household.members.filter(relation=Relation.CHILD).exists(),
        refugee=refugee,
        case=case,
    )


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


@transaction.atomic
def loan_application_complete(
    *, actor: User, case: Case, data: Mapping[str, Any], consent_how: str = ""
) -> LoanApplication:
    """Add the start loan's own facts to a case that came in through the general application
    form with a start loan ticked, so that the start-loan flow can assess and decide it (the
    generic decision form sends start loans here). Only the start-loan unit the case is routed
    to; only once per case; all or nothing."""
    selectors.require_loan_role(actor, case.municipality)
    locked = Case.objects.select_for_update().get(pk=case.pk)
    routed = locked.routings.filter(
        help_kind=HelpKind.START_LOAN, unit_id__in=selectors.loan_unit_ids(actor)
    ).exists()
    if not routed:
        raise PermissionDenied
    if LoanApplication.objects.filter(case=locked).exists():
        raise ValidationError(_("The case already has its start-loan details."))
    if locked.status in {CaseStatus.CLOSED, CaseStatus.DRAFT}:
        raise ValidationError(_("Only an open case can get its start-loan details."))
    return _application_add(actor, locked, data, consent_how)


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
    _fact(LoanFactKind.APPLICATION, case, case.received_on or timezone.localdate())
    _candidates_applied(application, actor)
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
    if "is_refugee" in data:  # the stored application fact counts refugees for the leaders
        LoanFact.objects.filter(case=application.case).update(refugee=bool(data["is_refugee"]))
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
    waivers = {
        **{
            use.criterion_id: (use.exception_id, use.reason)
            for use in application.exception_uses.filter(withdrawn_at__isnull=True)
        },
        **waivers,
    }
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
        if chosen["grant"]:
            _establishment_grant_from_ladder(actor, recommendation, int(chosen["grant"]))
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
    advice = create_audited(
        actor=actor,
        action="loan_advise_against",
        instance=advice,
        municipality=application.case.municipality,
        person_id=_person_id(application),
    )
    _fact(
        LoanFactKind.ADVICE_AGAINST,
        application.case,
        advice.issued_on,
        days=_days(application.case, advice.issued_on),
    )
    return advice


def _days(case: Case, on: dt.date) -> int | None:
    return (on - case.received_on).days if case.received_on else None


# --- from approval to keys -----------------------------------------------------------------------


def on_decision_issued(decision: Decision, actor: User) -> None:
    """An issued start-loan approval is valid for three months from the decision date. Every
    issued start-loan or grant decision is counted for the leaders."""
    _count_decision(decision)
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
    _fact(LoanFactKind.DISBURSED, case, on, amount=approval.amount)
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
        if approval.status == ApprovalStatus.VALID:
            _fact(LoanFactKind.NO_PURCHASE, approval.application.case, approval.valid_until)
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
        _fact(
            LoanFactKind.ARREARS,
            loan.approval.application.case,
            follow_up.opened_on,
            amount=payment.amount_due - payment.amount_paid,
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
    if loan.status != LoanStatus.ACTIVE:
        raise ValidationError(_("The loan has already ended."))
    if status != LoanStatus.REPAID:
        kind = LoanFactKind.LOSS if status == LoanStatus.WRITTEN_OFF else LoanFactKind.FORCED_SALE
        _fact(kind, loan.approval.application.case, timezone.localdate(), amount=loss)
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


# --- exceptions 4 a–d on the application ---------------------------------------------------------


def _start_loan_set(application: LoanApplication, on: dt.date) -> g.GuidelineSet:
    sets = [
        s
        for s in g.sets_for(application.case.municipality.number, on)
        if s.application_kind == "start_loan"
    ]
    if not sets:
        raise ValidationError(
            _("%(municipality)s has no start-loan criteria in Husly for this date.")
            % {"municipality": application.case.municipality.name}
        )
    return sets[0]


@transaction.atomic
def loan_exception_record(
    *,
    actor: User,
    application: LoanApplication,
    criterion_id: str,
    exception_id: str,
    reason: str,
) -> LoanExceptionUse:
    """The caseworker records that one of the criteria's exceptions (Rælingen 4 a–d) applies to
    a criterion, with the reason. Every later assessment of the application uses it."""
    selectors.require_loan_role(actor, application.case.municipality)
    _open(application)
    guideline = _start_loan_set(application, timezone.localdate())
    exception = next((e for e in guideline.exceptions if e.id == exception_id), None)
    if exception is None or criterion_id not in exception.applies_to:
        raise ValidationError(
            _("The guideline does not allow that exception for criterion %(id)s.")
            % {"id": criterion_id or "-"}
        )
    if not reason.strip():
        raise ValidationError(
            _("Give a reason for using the exception “%(exception)s”.")
            % {"exception": exception.title.nb}
        )
    now = timezone.now()
    for old in application.exception_uses.filter(
        criterion_id=criterion_id, withdrawn_at__isnull=True
    ):
        update_audited(
            actor=actor,
            action="loan_exception_withdraw",
            instance=old,
            data={"withdrawn_at": now},
            municipality=application.case.municipality,
        )
    return create_audited(
        actor=actor,
        action="loan_exception_record",
        instance=LoanExceptionUse(
            application=application,
            criterion_id=criterion_id,
            exception_id=exception_id,
            reason=reason.strip(),
            recorded_by=actor,
        ),
        municipality=application.case.municipality,
        person_id=_person_id(application),
    )


@transaction.atomic
def loan_exception_withdraw(*, actor: User, use: LoanExceptionUse) -> LoanExceptionUse:
    """Stop using an exception; the next assessment judges the criterion without it."""
    application = use.application
    selectors.require_loan_role(actor, application.case.municipality)
    _open(application)
    if use.withdrawn_at is not None:
        raise ValidationError(_("The exception is no longer in use."))
    return update_audited(
        actor=actor,
        action="loan_exception_withdraw",
        instance=use,
        data={"withdrawn_at": timezone.now()},
        municipality=application.case.municipality,
    )


# --- the end of a loan: loss and forced sale -----------------------------------------------------


def _active(loan: Loan) -> None:
    if loan.status != LoanStatus.ACTIVE:
        raise ValidationError(_("The loan has already ended."))


@transaction.atomic
def loan_loss_record(*, actor: User, loan: Loan, amount: int, on: dt.date, note: str) -> Loan:
    """Write off a loss on a loan the borrower cannot pay (raelingen L4228–4247: losses are very
    low); counted for the leaders."""
    selectors.require_loan_role(actor, loan.municipality)
    _active(loan)
    if amount < 1 or amount > loan.balance:
        raise ValidationError(
            {
                "amount": _(
                    "The loss must be more than 0 and at most the balance, %(balance)s kroner."
                )
                % {"balance": loan.balance}
            }
        )
    if not note.strip():
        raise ValidationError({"note": _("Say why the loss is written off.")})
    _fact(LoanFactKind.LOSS, loan.approval.application.case, on, amount=amount)
    return update_audited(
        actor=actor,
        action="loan_loss_record",
        instance=loan,
        data={
            "status": LoanStatus.WRITTEN_OFF,
            "loss": amount,
            "balance": 0,
            "ended_on": on,
            "end_note": note.strip(),
        },
        municipality=loan.municipality,
    )


@transaction.atomic
def loan_forced_sale_record(
    *, actor: User, loan: Loan, sold_on: dt.date, price: int, loss: int, note: str
) -> Loan:
    """Record that the dwelling was sold by force (tvangssalg) and what the municipality lost;
    counted for the leaders. Follow-up must come first: an open arrears follow-up with no
    measure tried refuses it."""
    selectors.require_loan_role(actor, loan.municipality)
    _active(loan)
    if loan.follow_ups.filter(closed_on__isnull=True, measure="").exists():
        raise ValidationError(
            _("Try a conversation or a deferral in the open follow-up before a forced sale.")
        )
    if price < 1:
        raise ValidationError({"price": _("Give the sale price.")})
    if loss < 0 or loss > loan.balance:
        raise ValidationError(
            {
                "loss": _("The loss must be between 0 and the balance, %(balance)s kroner.")
                % {"balance": loan.balance}
            }
        )
    if not note.strip():
        raise ValidationError({"note": _("Say what led to the forced sale.")})
    case = loan.approval.application.case
    _fact(LoanFactKind.FORCED_SALE, case, sold_on, amount=price)
    if loss:
        _fact(LoanFactKind.LOSS, case, sold_on, amount=loss)
    return update_audited(
        actor=actor,
        action="loan_forced_sale_record",
        instance=loan,
        data={
            "status": LoanStatus.FORCED_SALE,
            "forced_sale_price": price,
            "loss": loss,
            "balance": 0,
            "ended_on": sold_on,
            "end_note": note.strip(),
        },
        municipality=loan.municipality,
    )


# --- other units' candidates ---------------------------------------------------------------------


def _candidate_open(candidate: Candidate) -> None:
    if candidate.status in {CandidateStatus.APPLIED, CandidateStatus.NOT_NOW}:
        raise ValidationError(_("The candidate is no longer on the list."))


@transaction.atomic
def candidate_invite(*, actor: User, candidate: Candidate, note: str) -> Candidate:
    """The start-loan team invites a proposed household to apply (NAV calls the tenant in,
    raelingen L4131–4151). The application from Min side or the desk closes the candidacy."""
    selectors.require_loan_role(actor, candidate.municipality_id)
    _candidate_open(candidate)
    if not note.strip():
        raise ValidationError({"note": _("Say how the household was invited.")})
    return update_audited(
        actor=actor,
        action="candidate_invite",
        instance=candidate,
        data={
            "status": CandidateStatus.INVITED,
            "invited_on": timezone.localdate(),
            "team_note": note.strip(),
        },
        municipality=candidate.municipality,
    )


@transaction.atomic
def candidate_set_aside(*, actor: User, candidate: Candidate, note: str) -> Candidate:
    """Take a household off the list for now, with the reason."""
    selectors.require_loan_role(actor, candidate.municipality_id)
    _candidate_open(candidate)
    if not note.strip():
        raise ValidationError({"note": _("Say why the household is not a candidate now.")})
    return update_audited(
        actor=actor,
        action="candidate_set_aside",
        instance=candidate,
        data={"status": CandidateStatus.NOT_NOW, "team_note": note.strip()},
        municipality=candidate.municipality,
    )


def _candidates_applied(application: LoanApplication, actor: User) -> None:
    """An application closes the household's open candidacies (and links them to it)."""
    for candidate in Candidate.objects.filter(
        household=application.case.household,
        status__in=[CandidateStatus.PROPOSED, CandidateStatus.INVITED],
    ):
        update_audited(
            actor=actor,
            action="candidate_applied",
            instance=candidate,
            data={"status": CandidateStatus.APPLIED, "application": application},
            municipality=application.case.municipality,
        )


# --- grants: establishment and adaptation as their own kind of help ------------------------------

GRANT_FACTS = (
    "cannot_finance_otherwise",
    "longer_term_fully_used",
    "dwelling_is_suitable",
    "has_reduced_function_or_is_older",
    "adaptation_is_appropriate",
)
GRANT_APPLICATION_KIND = {
    GrantKind.ESTABLISHMENT: "establishment_grant",
    GrantKind.ADAPTATION: "adaptation_grant",
}
GRANT_CAP = {
    GrantKind.ESTABLISHMENT: "establishment_grant_max",
    GrantKind.ADAPTATION: "adaptation_grant_max",
}
GRANT_FACT_KIND = {"approval": LoanFactKind.GRANT_APPROVAL, "refusal": LoanFactKind.GRANT_REFUSAL}


def grant_cap(number: str, grant_kind: str, on: dt.date) -> int | None:
    """The municipality's largest grant per household (municipal parameter), or None."""
    path = f"municipal.{number}.start_loan.{GRANT_CAP[GrantKind(grant_kind)]}"
    tree = default_tree()
    return int(tree.at(path, on).value) if path in tree else None


@transaction.atomic
def grant_application_create(
    *,
    actor: User,
    household: Household,
    grant_kind: str,
    data: Mapping[str, Any],
    channel: str = "meeting",
    loan_application: LoanApplication | None = None,
    case_data: Mapping[str, Any] | None = None,
) -> GrantApplication:
    """Register and submit a grant application: a case with the kind of help «grant», routed as
    the municipality says, with the grant's own facts."""
    if grant_kind not in GrantKind.values:
        raise ValidationError({"grant_kind": _("Choose the kind of grant.")})
    case = cases.case_create(
        actor=actor,
        household=household,
        channel=channel,
        help_kinds=[HelpKind.GRANT],
        data=dict(case_data or {}),
        submit=True,
    )
    grant = create_audited(
        actor=actor,
        action="grant_application_create",
        instance=GrantApplication(
            case=case, grant_kind=grant_kind, loan_application=loan_application, **data
        ),
        municipality=case.municipality,
        person_id=_person_id_of_case(case),
    )
    _fact(
        LoanFactKind.APPLICATION,
        case,
        case.received_on or timezone.localdate(),
        grant_kind=grant_kind,
    )
    return grant


def _grant_open(grant: GrantApplication) -> None:
    if grant.case.status in {CaseStatus.CLOSED, CaseStatus.DRAFT}:
        raise ValidationError(_("The grant case is not open for processing."))


@transaction.atomic
def grant_facts_record(
    *, actor: User, grant: GrantApplication, data: Mapping[str, Any]
) -> GrantApplication:
    """The facts the municipality's grant rules look at (yes, no or unknown)."""
    selectors.require_grant_role(actor, grant.case)
    _grant_open(grant)
    unknown = set(data) - set(GRANT_FACTS)
    if unknown:
        raise ValidationError(_("Unknown facts: %(names)s") % {"names": ", ".join(sorted(unknown))})
    return update_audited(
        actor=actor,
        action="grant_facts_record",
        instance=grant,
        data=dict(data),
        municipality=grant.case.municipality,
    )


@transaction.atomic
def grant_assess(*, actor: User, grant: GrantApplication, on: dt.date | None = None) -> Assessment:
    """Assess the grant against the municipality's own grant rules in the guideline engine
    (their own set per kind of grant) and store the record on the case."""
    case = grant.case
    selectors.require_grant_role(actor, case)
    _grant_open(grant)
    day = on or timezone.localdate()
    kind = GRANT_APPLICATION_KIND[GrantKind(grant.grant_kind)]
    sets = [
        s
        for s in g.sets_for(case.municipality.number, day)
        if s.application_kind == kind and not s.is_example
    ]
    if not sets:
        raise ValidationError(
            _("%(municipality)s has no rules for this grant in Husly for this date.")
            % {"municipality": case.municipality.name}
        )
    base = case_facts(case, assessed_on=day)
    facts = g.CaseFacts(
        application_date=base.application_date,
        assessment_date=day,
        applicant=base.applicant,
        household_members=base.household_members,
        housing=base.housing,
        grant=g.GrantFacts(**{name: getattr(grant, name) for name in GRANT_FACTS}),
    )
    result = g.evaluate(sets[0], facts)
    assessment = Assessment.objects.create(
        case=case,
        guideline_set_id=sets[0].id,
        guideline_version=sets[0].version,
        outcome=result.outcome.value,
        record=result.to_dict(),
        assessed_on=day,
        created_by=actor,
    )
    if case.status == CaseStatus.SUBMITTED:
        case.status = CaseStatus.IN_PROGRESS
        case.save(update_fields=["status"])
    record_change(
        actor=actor,
        action="grant_assess",
        instance=grant,
        municipality=case.municipality,
        changes={"outcome": [None, result.outcome.value], "set": [None, sets[0].id]},
        person_id=_person_id_of_case(case),
    )
    return assessment


@transaction.atomic
def grant_budget_set(
    *, actor: User, municipality: Municipality, year: int, grant_kind: str, amount: int
) -> GrantBudget:
    """The year's budget for one kind of grant."""
    selectors.require_loan_role(actor, municipality)
    if grant_kind not in GrantKind.values:
        raise ValidationError({"grant_kind": _("Choose the kind of grant.")})
    if amount < 0:
        raise ValidationError({"amount": _("The budget cannot be negative.")})
    budget = GrantBudget.objects.filter(
        municipality=municipality, year=year, grant_kind=grant_kind
    ).first()
    if budget is None:
        return create_audited(
            actor=actor,
            action="grant_budget_set",
            instance=GrantBudget(
                municipality=municipality, year=year, grant_kind=grant_kind, amount=amount
            ),
            municipality=municipality,
        )
    return update_audited(
        actor=actor,
        action="grant_budget_set",
        instance=budget,
        data={"amount": amount},
        municipality=municipality,
    )


GRANT_CONDITIONS = {
    "nb": "Tilskuddet sikres med pant i boligen. Flytter du eller selger du boligen innen fem "
    "år, kan kommunen kreve tilskuddet tilbake [confirm: kommunens vilkår]. Tilskuddet betales "
    "ut når kjøpet eller tilpasningen er dokumentert.",
    "nn": "Tilskotet blir sikra med pant i bustaden. Flyttar du eller sel du bustaden innan fem "
    "år, kan kommunen krevje tilskotet tilbake [confirm: vilkåra til kommunen]. Tilskotet blir "
    "betalt ut når kjøpet eller tilpassinga er dokumentert.",
    "en": "The grant is secured by a mortgage in the home. If you move or sell the home within "
    "five years, the municipality may claim the grant back [confirm: the municipality's terms]. "
    "The grant is paid when the purchase or the adaptation is documented.",
}


@transaction.atomic
def grant_decide(
    *,
    actor: User,
    grant: GrantApplication,
    outcome: str,
    reasoning: str,
    amount: int = 0,
    conditions: str = "",
) -> GrantApplication:
    """Draft the grant decision (approval with amount and conditions, or refusal with reasons)
    on the latest assessment and send it to the unit head (four eyes). An approval must fit
    the cap per household and what is left of the year's budget for that grant."""
    case = grant.case
    selectors.require_grant_role(actor, case)
    _grant_open(grant)
    if grant.decision_id and grant.decision.status != DecisionStatus.DISCARDED:  # type: ignore[union-attr]
        raise ValidationError(_("The grant already has a decision."))
    if outcome not in {"approve", "refuse"}:
        raise ValidationError({"outcome": _("Choose approve or refuse.")})
    if not reasoning.strip():
        raise ValidationError({"reasoning": _("Write the reasons for the decision.")})
    kind = GRANT_APPLICATION_KIND[GrantKind(grant.grant_kind)]
    set_ids = {s.id for s in g.default_registry().sets if s.application_kind == kind}
    assessment = case.assessments.filter(guideline_set_id__in=set_ids).first()
    if assessment is None:
        raise ValidationError(_("Assess the grant against the municipality's rules first."))
    meets = assessment.outcome in {g.OverallOutcome.MEETS, g.OverallOutcome.MEETS_WITH_EXCEPTION}
    today = timezone.localdate()
    applicant = case.household.members.filter(relation=Relation.APPLICANT).first()
    lang = applicant.person.language_form if applicant else "nb"
    data: dict[str, Any] = {
        "help_kind": HelpKind.GRANT,
        "kind": "approval" if outcome == "approve" else "refusal",
        "facts": _(
            "%(kind)s applied for: %(sought)s kroner towards %(purpose)s, cost %(cost)s kroner."
        )
        % {
            "kind": GrantKind(grant.grant_kind).label,
            "sought": grant.amount_sought,
            "purpose": grant.purpose,
            "cost": grant.cost,
        },
        "reasoning": reasoning.strip(),
    }
    if outcome == "approve":
        if not meets:
            raise ValidationError(
                _("The assessment says the grant rules are not met, so it cannot be approved.")
            )
        if amount < 1:
            raise ValidationError({"amount": _("Give the grant amount.")})
        cap = grant_cap(case.municipality.number, grant.grant_kind, today)
        if cap is not None and amount > cap:
            raise ValidationError(
                {
                    "amount": _("The grant is above the municipality's cap of %(cap)s kroner.")
                    % {"cap": cap}
                }
            )
        left = selectors.grant_budget_left(case.municipality, today.year, grant.grant_kind)
        if left is None:
            raise ValidationError(
                _("There is no budget for this grant in %(year)s. Record the year's budget first.")
                % {"year": today.year}
            )
        if amount > left:
            raise ValidationError(
                {
                    "amount": _("Over budget: only %(left)s kroner is left of this year's budget.")
                    % {"left": max(left, 0)}
                }
            )
        data["amount"] = amount
        data["conditions"] = conditions.strip() or GRANT_CONDITIONS.get(
            lang, GRANT_CONDITIONS["nb"]
        )
    decision = cases.decision_draft(actor=actor, case=case, data=data)
    decision.assessment = assessment
    decision.save(update_fields=["assessment"])
    decision = cases.decision_submit(actor=actor, decision=decision)
    return update_audited(
        actor=actor,
        action="grant_decide",
        instance=grant,
        data={
            "status": GrantStatus.DECIDED,
            "decision": decision,
            "amount": amount if outcome == "approve" else None,
            "decided_on": today,
        },
        municipality=case.municipality,
    )


@transaction.atomic
def grant_pay(*, actor: User, grant: GrantApplication, on: dt.date) -> GrantApplication:
    """Pay out an awarded grant (counted as paid against the year's budget)."""
    selectors.require_grant_role(actor, grant.case)
    if grant.status != GrantStatus.APPROVED:
        raise ValidationError(_("Only an awarded grant can be paid out."))
    _fact(
        LoanFactKind.GRANT_PAID,
        grant.case,
        on,
        amount=grant.amount or 0,
        grant_kind=grant.grant_kind,
    )
    return update_audited(
        actor=actor,
        action="grant_pay",
        instance=grant,
        data={"status": GrantStatus.PAID, "paid_on": on},
        municipality=grant.case.municipality,
    )


def _establishment_grant_from_ladder(
    actor: User, recommendation: Recommendation, amount: int
) -> GrantApplication:
    """The ladder's last step: the team approves the loan with an establishment grant; the grant
    is its own case with its own decision, registered here for the grant unit to decide."""
    application = recommendation.application
    return grant_application_create(
        actor=actor,
        household=application.case.household,
        grant_kind=GrantKind.ESTABLISHMENT,
        channel=application.case.channel,
        loan_application=application,
        data={
            "purpose": _("Buying %(address)s with a start loan (case %(case)s).")
            % {"address": application.dwelling_address, "case": application.case.number},
            "cost": application.total_price,
            "amount_sought": amount,
            "longer_term_fully_used": True,
        },
        case_data={
            "lived_in_municipality_since": application.case.application.lived_in_municipality_since,
            "housing_kind": application.case.application.housing_kind,
        },
    )


def _count_decision(decision: Decision) -> None:
    """An issued start-loan or grant decision becomes a fact for the leaders."""
    if decision.issued_on is None or decision.kind not in {"approval", "refusal"}:
        return
    case = decision.case
    days = _days(case, decision.issued_on)
    if decision.help_kind == HelpKind.START_LOAN and hasattr(case, "loan_application"):
        kind = LoanFactKind.APPROVAL if decision.kind == "approval" else LoanFactKind.REFUSAL
        _fact(kind, case, decision.issued_on, amount=decision.amount or 0, days=days)
    grant = GrantApplication.objects.filter(decision=decision).first()
    if decision.help_kind == HelpKind.GRANT and grant is not None:
        _fact(
            GRANT_FACT_KIND[decision.kind],
            case,
            decision.issued_on,
            amount=decision.amount or 0,
            days=days,
            grant_kind=grant.grant_kind,
        )
        grant.status = GrantStatus.APPROVED if decision.kind == "approval" else GrantStatus.REFUSED
        grant.save(update_fields=["status"])
