"""From the registers and the application to the plain facts the guideline engine reads."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from husly.cases.models import Application, Case, FactSource
from husly.people.models import Relation, ResidencePermit
from husly.rules import guidelines as g

_RESIDENCE = {
    ResidencePermit.CITIZEN: g.ResidenceStatus.NORWEGIAN_CITIZEN,
    ResidencePermit.PERMANENT: g.ResidenceStatus.PERMANENT_RESIDENCE_PERMIT,
    ResidencePermit.TEMPORARY: g.ResidenceStatus.TEMPORARY_RESIDENCE_PERMIT,
    # Residence on protection grounds is granted as a (renewable) temporary permit (utl. § 28).
    ResidencePermit.PROTECTION: g.ResidenceStatus.TEMPORARY_RESIDENCE_PERMIT,
    ResidencePermit.EEA: g.ResidenceStatus.EEA_RIGHT_OF_RESIDENCE,
    ResidencePermit.NONE: g.ResidenceStatus.NO_RESIDENCE_PERMIT,
}
_ROLE = {
    Relation.SPOUSE: g.MemberRole.SPOUSE_OR_PARTNER,
    Relation.COHABITANT: g.MemberRole.SPOUSE_OR_PARTNER,
    Relation.CHILD: g.MemberRole.CHILD,
}


APPLICATION_FACTS: dict[str, str] = {
    "applicant.lived_in_municipality_since": "lived_in_municipality_since",
    "housing.kind": "housing_kind",
    "housing.is_without_suitable_housing": "is_without_suitable_housing",
    "housing.lease_end_date": "lease_end_date",
    "housing.has_right_to_renew_lease": "has_right_to_renew_lease",
    "housing.institution_discharge_date": "institution_discharge_date",
    "housing.has_home_after_discharge": "has_home_after_discharge",
    "housing.current_dwelling_is_suitable": "current_dwelling_is_suitable",
    "housing.current_dwelling_is_approved": "current_dwelling_is_approved",
    "housing.has_alternative_housing_options": "has_alternative_housing_options",
    "housing.has_offer_of_brokered_private_dwelling": "has_offer_of_brokered_private_dwelling",
    "economy.gross_annual_income_kroner": "gross_annual_income",
    "economy.wealth_kroner": "wealth",
    "economy.debt_kroner": "debt",
    "economy.maintenance_obligations_kroner_per_year": "maintenance_obligations",
    "municipal_debt.outstanding_arrears_kroner": "municipal_arrears",
    "municipal_debt.kinds": "municipal_debt_kinds",
    "municipal_debt.has_repayment_agreement": "has_repayment_agreement",
    "municipal_debt.repayment_agreement_is_realistic": "repayment_agreement_is_realistic",
    "health.has_reduced_functional_ability": "has_reduced_functional_ability",
    "health.has_health_problems": "has_health_problems",
    "health.has_social_problems": "has_social_problems",
    "follow_up.needs_housing_follow_up": "needs_follow_up",
    "follow_up.has_rent_payment_plan": "has_rent_payment_plan",
    "follow_up.all_measures_tried": "all_measures_tried",
}
"""Guideline fact path → the Application field a caseworker records it in (the assessment's
facts form, with its source)."""

PERSON_FACTS: dict[str, str] = {
    "applicant.date_of_birth": "date_of_birth",
    "applicant.residence_status": "residence_permit",
    "applicant.residence_permit_valid_until": "residence_permit_valid_until",
    "applicant.registered_municipality_number": "registered_municipality_number",
    "applicant.registered_in_municipality_since": "registered_since",
}
"""Guideline fact path → the applicant's Person field (the person register; edited on the
person's page)."""

DERIVED_FACTS = frozenset(
    {
        "application_date",
        "effective_assessment_date",
        "household_size",
        "children_count",
        "applicant.has_daily_care_of_children",
    }
)
"""Facts the engine derives from the case itself (dates, household members) or shows only for
information; they have no field of their own."""


def case_facts(case: Case, *, assessed_on: dt.date) -> g.CaseFacts:
    """Facts for ``case``: the applicant and members from the register, the rest from the
    application. Anything not stated stays unknown (None), so the engine asks for judgement."""
    application: Application = case.application
    members = list(case.household.members.select_related("person"))
    applicant = next((m.person for m in members if m.relation == Relation.APPLICANT), None)
    others = tuple(
        g.HouseholdMember(
            role=_ROLE.get(m.relation, g.MemberRole.OTHER), date_of_birth=m.person.date_of_birth
        )
        for m in members
        if m.relation != Relation.APPLICANT
    )
    has_children = any(m.relation == Relation.CHILD and not m.joint_custody for m in members)
    return g.CaseFacts(
        application_date=case.received_on or assessed_on,
        assessment_date=assessed_on,
        applicant=g.Applicant(
            date_of_birth=applicant.date_of_birth if applicant else None,
            residence_status=_RESIDENCE.get(applicant.residence_permit) if applicant else None,
            residence_permit_valid_until=applicant.residence_permit_valid_until
            if applicant
            else None,
            registered_municipality_number=applicant.registered_municipality_number or None
            if applicant
            else None,
            registered_in_municipality_since=applicant.registered_since if applicant else None,
            lived_in_municipality_since=application.lived_in_municipality_since,
            has_daily_care_of_children=True if has_children else None,
        ),
        household_members=others,
        housing=g.HousingSituation(
            kind=g.HousingKind(application.housing_kind) if application.housing_kind else None,
            is_without_suitable_housing=application.is_without_suitable_housing,
            lease_end_date=application.lease_end_date,
            has_right_to_renew_lease=application.has_right_to_renew_lease,
            institution_discharge_date=application.institution_discharge_date,
            has_home_after_discharge=application.has_home_after_discharge,
            current_dwelling_is_suitable=application.current_dwelling_is_suitable,
            current_dwelling_is_approved=application.current_dwelling_is_approved,
            has_alternative_housing_options=application.has_alternative_housing_options,
            has_offer_of_brokered_private_dwelling=(
                application.has_offer_of_brokered_private_dwelling
            ),
        ),
        economy=g.Economy(
            gross_annual_income_kroner=application.gross_annual_income,
            wealth_kroner=application.wealth,
            debt_kroner=application.debt,
            maintenance_obligations_kroner_per_year=application.maintenance_obligations,
        ),
        municipal_debt=g.MunicipalDebt(
            outstanding_arrears_kroner=application.municipal_arrears,
            kinds=tuple(g.MunicipalDebtKind(k) for k in application.municipal_debt_kinds or ()),
            has_repayment_agreement=application.has_repayment_agreement,
            repayment_agreement_is_realistic=application.repayment_agreement_is_realistic,
        ),
        health=g.HealthAndSocial(
            has_reduced_functional_ability=application.has_reduced_functional_ability,
            has_health_problems=application.has_health_problems,
            has_social_problems=application.has_social_problems,
        ),
        follow_up=g.FollowUp(
            needs_housing_follow_up=application.needs_follow_up,
            has_rent_payment_plan=application.has_rent_payment_plan,
            all_measures_tried=application.all_measures_tried,
        ),
    )


def fact_source_labels(case: Case, members: list[Any] | None = None) -> dict[str, str]:
    """Fact path → where the fact is known from, in the user's language, for every fact the case
    has: the person register for the applicant's own data, the recorded source (or "stated by
    the applicant") for the application's. ``members``: the household's members (with their
    persons) when already read."""
    application: Application = case.application
    recorded = application.fact_sources or {}
    if members is None:
        members = list(
            case.household.members.filter(relation=Relation.APPLICANT).select_related("person")
        )
    applicant = next((m for m in members if m.relation == Relation.APPLICANT), None)
    labels = {
        path: str(_("Person register"))
        for path, field in PERSON_FACTS.items()
        if applicant is not None and getattr(applicant.person, field) not in (None, "")
    }
    for path, field in APPLICATION_FACTS.items():
        value = getattr(application, field)
        if value is None or value in ("", []):
            continue
        source = recorded.get(field, FactSource.APPLICANT)
        labels[path] = str(FactSource(source).label)
    return labels
