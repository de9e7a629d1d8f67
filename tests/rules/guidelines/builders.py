"""Shared builders: an applicant who meets every fact-based criterion of Rælingen's 2016 set."""

from dataclasses import replace
from datetime import date
from typing import Any

from husly.rules.guidelines import (
    Applicant,
    CaseFacts,
    CaseworkerAssessment,
    Economy,
    FollowUp,
    GuidelineSet,
    HealthAndSocial,
    HousingKind,
    HousingSituation,
    MunicipalDebt,
    Outcome,
    ResidenceStatus,
    default_registry,
)

APPLIED = date(2024, 3, 15)  # a Friday; Rælingen's kommunenummer is 3224 from 2024


def raelingen() -> GuidelineSet:
    return default_registry().get("raelingen-utleiebolig-uten-tjenester", "2016")


def oslo_example() -> GuidelineSet:
    return default_registry().get("oslo-kommunal-bolig-eksempel", "2021-illustrasjon")


def eligible_facts(**changes: Any) -> CaseFacts:
    """A single adult renting privately whose time-limited lease ends within six months."""
    facts = CaseFacts(
        application_date=APPLIED,
        applicant=Applicant(
            date_of_birth=date(1990, 5, 1),
            residence_status=ResidenceStatus.NORWEGIAN_CITIZEN,
            registered_municipality_number="3224",
            registered_in_municipality_since=date(2015, 1, 1),
            lived_in_municipality_since=date(2015, 1, 1),
            has_daily_care_of_children=False,
        ),
        housing=HousingSituation(
            kind=HousingKind.RENTED_PRIVATE,
            is_without_suitable_housing=False,
            lease_end_date=date(2024, 8, 31),
            has_right_to_renew_lease=False,
            current_dwelling_is_suitable=True,
            current_dwelling_is_approved=True,
            has_alternative_housing_options=False,
            has_offer_of_brokered_private_dwelling=False,
        ),
        economy=Economy(
            gross_annual_income_kroner=240_000,
            wealth_kroner=5_000,
            debt_kroner=80_000,
            maintenance_obligations_kroner_per_year=0,
        ),
        municipal_debt=MunicipalDebt(outstanding_arrears_kroner=0),
        health=HealthAndSocial(has_health_problems=False),
        follow_up=FollowUp(needs_housing_follow_up=False, has_rent_payment_plan=True),
    )
    return replace(facts, **changes)


def with_applicant(facts: CaseFacts, **changes: Any) -> CaseFacts:
    return replace(facts, applicant=replace(facts.applicant, **changes))


def with_housing(facts: CaseFacts, **changes: Any) -> CaseFacts:
    return replace(facts, housing=replace(facts.housing, **changes))


def with_debt(facts: CaseFacts, **changes: Any) -> CaseFacts:
    return replace(facts, municipal_debt=replace(facts.municipal_debt, **changes))


def judged(outcome_5_6: Outcome = Outcome.MET) -> tuple[CaseworkerAssessment, ...]:
    """The caseworker's assessments of Rælingen's two discretionary criteria."""
    return (
        CaseworkerAssessment(
            criterion_id="5.4.behov_for_hjelp",
            outcome=Outcome.MET,
            reason="Har søkt privat i fire måneder uten å få tilbud.",
        ),
        CaseworkerAssessment(
            criterion_id="5.6",
            outcome=outcome_5_6,
            reason="Inntekt fra AAP; ingen formue; kan ikke betale depositum og markedsleie.",
        ),
    )
