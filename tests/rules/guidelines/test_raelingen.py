"""Rælingen's allocation guidelines (raelingen L5307–5566), point by point, with the edges."""

from dataclasses import replace
from datetime import date

import pytest

from husly.rules import deadlines
from husly.rules.guidelines import (
    CaseFacts,
    CaseworkerAssessment,
    FollowUp,
    GuidelineNotInForceError,
    HouseholdMember,
    HousingKind,
    InvalidInputError,
    InvokedException,
    MemberRole,
    Outcome,
    OverallOutcome,
    ResidenceStatus,
    evaluate,
    sets_for,
)

from .builders import (
    APPLIED,
    eligible_facts,
    judged,
    raelingen,
    with_applicant,
    with_debt,
    with_housing,
)

MET, NOT_MET, JUDGE = Outcome.MET, Outcome.NOT_MET, Outcome.NEEDS_JUDGEMENT


def outcome_of(criterion_id: str, facts: CaseFacts) -> Outcome:
    return evaluate(raelingen(), facts).criterion(criterion_id).outcome


# --- the whole set --------------------------------------------------------------------------------


def test_it_meets_the_guidelines_when_every_fact_and_judgement_is_in_place() -> None:
    result = evaluate(raelingen(), eligible_facts(), assessments=judged())
    assert result.outcome is OverallOutcome.MEETS
    assert [r.outcome for r in result.criteria] == [MET] * len(result.criteria)
    assert result.summary.nb.startswith("Søker oppfyller vilkårene i Retningslinjer")
    assert result.summary.nn.startswith("Søkjaren oppfyller vilkåra i Retningslinjer")


def test_it_needs_judgement_until_the_caseworker_has_assessed_the_discretionary_points() -> None:
    result = evaluate(raelingen(), eligible_facts())
    assert result.outcome is OverallOutcome.NEEDS_JUDGEMENT
    assert result.criterion("5.6").outcome is JUDGE
    assert result.criterion("5.4.behov_for_hjelp").outcome is JUDGE
    assert "5.6 Økonomiske forhold" in result.summary.nb


def test_it_gives_needs_judgement_for_every_criterion_when_no_facts_are_known() -> None:
    result = evaluate(raelingen(), CaseFacts(application_date=APPLIED))
    assert result.outcome is OverallOutcome.NEEDS_JUDGEMENT
    assert {r.criterion_id: r.outcome for r in result.criteria} == {
        "5.2": JUDGE,
        "5.3.oppholdstillatelse": JUDGE,
        "5.3.folkeregistrert": JUDGE,
        "5.3.botid": JUDGE,
        "5.4": JUDGE,
        "5.5": JUDGE,
        "5.6": JUDGE,
        "5.7": JUDGE,
    }


@pytest.mark.parametrize(
    ("criterion_id", "unknown"),
    [
        ("5.2", lambda f: with_housing(f, has_alternative_housing_options=None)),
        ("5.2", lambda f: with_housing(f, has_offer_of_brokered_private_dwelling=None)),
        ("5.3.oppholdstillatelse", lambda f: with_applicant(f, residence_status=None)),
        ("5.3.folkeregistrert", lambda f: with_applicant(f, registered_municipality_number=None)),
        ("5.3.botid", lambda f: with_applicant(f, lived_in_municipality_since=None)),
        ("5.4.a", lambda f: with_housing(f, lease_end_date=None)),
        ("5.4.a", lambda f: with_housing(f, has_right_to_renew_lease=None)),
        ("5.5", lambda f: with_applicant(f, date_of_birth=None)),
        ("5.7", lambda f: with_debt(f, outstanding_arrears_kroner=None)),
    ],
)
def test_it_never_passes_a_criterion_whose_fact_is_missing(criterion_id, unknown) -> None:
    assert outcome_of(criterion_id, eligible_facts()) is MET
    result = evaluate(raelingen(), unknown(eligible_facts()), assessments=judged())
    assert result.criterion(criterion_id).outcome is JUDGE
    assert result.outcome is OverallOutcome.NEEDS_JUDGEMENT


def test_it_reports_does_not_meet_over_needs_judgement_when_a_criterion_clearly_fails() -> None:
    facts = with_applicant(eligible_facts(), lived_in_municipality_since=date(2023, 1, 1))
    result = evaluate(raelingen(), facts)  # 5.6 still unassessed
    assert result.outcome is OverallOutcome.DOES_NOT_MEET
    assert "5.3 Bodd sammenhengende i kommunen de siste tre år" in result.summary.nb


def test_it_refuses_to_evaluate_a_case_before_the_guidelines_were_in_force() -> None:
    with pytest.raises(GuidelineNotInForceError):
        evaluate(raelingen(), eligible_facts(application_date=date(2013, 6, 1)))


# --- 5.3 residence permit, registration and three years of residence ----------------------------


def test_it_counts_three_years_of_residence_as_complete_on_the_anniversary() -> None:
    facts = with_applicant(eligible_facts(), lived_in_municipality_since=date(2021, 3, 15))
    result = evaluate(raelingen(), facts).criterion("5.3.botid")
    assert result.outcome is MET
    assert "oppfylt fra 15.03.2024" in result.explanation.nb


def test_it_finds_three_years_of_residence_one_day_short() -> None:
    facts = with_applicant(eligible_facts(), lived_in_municipality_since=date(2021, 3, 16))
    result = evaluate(raelingen(), facts).criterion("5.3.botid")
    assert result.outcome is NOT_MET
    assert "blir oppfylt 16.03.2024" in result.explanation.nb


def test_it_counts_residence_from_a_leap_day_to_28_february() -> None:
    facts = with_applicant(
        eligible_facts(application_date=date(2023, 2, 28)),
        lived_in_municipality_since=date(2020, 2, 29),
    )
    assert outcome_of("5.3.botid", facts) is MET
    assert outcome_of("5.3.botid", replace(facts, application_date=date(2023, 2, 27))) is NOT_MET


def test_it_shows_the_facts_used_for_the_residence_period() -> None:
    result = evaluate(raelingen(), eligible_facts()).criterion("5.3.botid")
    assert result.point == "5.3"
    assert result.source_reference == "raelingen L5379–5384"
    used = {f.path: f.value for f in result.facts_used}
    assert used == {
        "applicant.lived_in_municipality_since": "2015-01-01",
        "application_date": "2024-03-15",
    }
    assert result.facts_used[0].label.nb == "Bodd sammenhengende i kommunen siden"


def test_it_accepts_registration_under_raelingens_older_kommunenummer() -> None:
    assert outcome_of("5.3.folkeregistrert", eligible_facts()) is MET
    old = with_applicant(eligible_facts(), registered_municipality_number="0228")
    assert outcome_of("5.3.folkeregistrert", old) is MET
    lorenskog = with_applicant(eligible_facts(), registered_municipality_number="3222")
    assert outcome_of("5.3.folkeregistrert", lorenskog) is NOT_MET


def test_it_does_not_count_registration_that_began_after_the_application() -> None:
    facts = with_applicant(eligible_facts(), registered_in_municipality_since=date(2024, 4, 1))
    assert outcome_of("5.3.folkeregistrert", facts) is NOT_MET


@pytest.mark.parametrize(
    ("status", "valid_until", "expected"),
    [
        (ResidenceStatus.NORWEGIAN_CITIZEN, None, MET),
        (ResidenceStatus.PERMANENT_RESIDENCE_PERMIT, None, MET),
        (ResidenceStatus.TEMPORARY_RESIDENCE_PERMIT, date(2024, 3, 15), MET),
        (ResidenceStatus.TEMPORARY_RESIDENCE_PERMIT, date(2024, 3, 14), NOT_MET),
        (ResidenceStatus.TEMPORARY_RESIDENCE_PERMIT, None, JUDGE),
        (ResidenceStatus.EEA_RIGHT_OF_RESIDENCE, None, JUDGE),
        (ResidenceStatus.NO_RESIDENCE_PERMIT, None, NOT_MET),
    ],
)
def test_it_requires_a_residence_permit_valid_on_the_application_date(
    status, valid_until, expected
) -> None:
    facts = with_applicant(
        eligible_facts(), residence_status=status, residence_permit_valid_until=valid_until
    )
    assert outcome_of("5.3.oppholdstillatelse", facts) is expected


# --- 5.4 current housing situation --------------------------------------------------------------


@pytest.mark.parametrize(
    ("lease_end", "expected"),
    [
        (date(2024, 9, 14), MET),
        (date(2024, 9, 15), MET),  # exactly six months after 15.03.2024
        (date(2024, 9, 16), NOT_MET),  # six months and a day
        (date(2024, 10, 15), NOT_MET),  # seven months
        (date(2024, 2, 29), MET),  # already expired
    ],
)
def test_it_counts_a_lease_ending_within_six_months_but_not_seven(lease_end, expected) -> None:
    facts = with_housing(eligible_facts(), lease_end_date=lease_end)
    assert outcome_of("5.4.a", facts) is expected


def test_it_does_not_meet_5_4_when_the_lease_ends_in_seven_months_and_nothing_else_applies() -> (
    None
):
    facts = with_housing(eligible_facts(), lease_end_date=date(2024, 10, 15))
    result = evaluate(raelingen(), facts, assessments=judged())
    assert result.criterion("5.4.situasjon").outcome is NOT_MET
    assert result.criterion("5.4").outcome is NOT_MET
    assert result.outcome is OverallOutcome.DOES_NOT_MEET
    assert "grensen er 15.09.2024" in result.criterion("5.4.a").explanation.nb


def test_it_does_not_count_a_lease_the_tenant_has_a_right_to_renew() -> None:
    facts = with_housing(eligible_facts(), has_right_to_renew_lease=True)
    assert outcome_of("5.4.a", facts) is NOT_MET


def test_it_judges_the_lease_on_the_assessment_date_not_the_application_date() -> None:
    facts = with_housing(
        eligible_facts(assessment_date=date(2024, 5, 2)), lease_end_date=date(2024, 10, 20)
    )
    assert outcome_of("5.4.a", facts) is MET
    assert outcome_of("5.4.a", replace(facts, assessment_date=None)) is NOT_MET


def test_it_rules_out_the_lease_alternative_for_someone_who_does_not_rent() -> None:
    facts = with_housing(eligible_facts(), kind=HousingKind.OWNED, lease_end_date=None)
    result = evaluate(raelingen(), facts).criterion("5.4.a")
    assert result.outcome is NOT_MET
    assert "eid bolig" in result.explanation.nb


@pytest.mark.parametrize(
    ("discharge", "has_home", "expected"),
    [
        (date(2024, 9, 15), False, MET),
        (date(2024, 9, 16), False, NOT_MET),
        (date(2024, 6, 1), True, NOT_MET),
        (date(2024, 6, 1), None, JUDGE),
    ],
)
def test_it_counts_discharge_from_an_institution_within_six_months_without_a_home(
    discharge, has_home, expected
) -> None:
    facts = with_housing(
        eligible_facts(),
        kind=HousingKind.INSTITUTION,
        lease_end_date=None,
        institution_discharge_date=discharge,
        has_home_after_discharge=has_home,
    )
    assert outcome_of("5.4.b", facts) is expected


@pytest.mark.parametrize(
    ("suitable", "approved", "expected"),
    [(False, True, MET), (True, False, MET), (True, True, NOT_MET), (None, True, JUDGE)],
)
def test_it_counts_a_dwelling_that_is_not_suitable_or_not_approved(
    suitable, approved, expected
) -> None:
    facts = with_housing(
        eligible_facts(),
        current_dwelling_is_suitable=suitable,
        current_dwelling_is_approved=approved,
    )
    assert outcome_of("5.4.c", facts) is expected


def test_it_meets_5_4_through_being_without_suitable_housing_now() -> None:
    facts = with_housing(
        eligible_facts(),
        kind=HousingKind.WITH_FAMILY_OR_FRIENDS,
        lease_end_date=None,
        is_without_suitable_housing=True,
    )
    result = evaluate(raelingen(), facts, assessments=judged())
    assert result.criterion("5.4").outcome is MET
    assert (
        result.criterion("5.4.situasjon").explanation.nb == "Oppfylt gjennom: Er uten egnet bolig."
    )


# --- 5.5 age -------------------------------------------------------------------------------------


def test_it_meets_the_age_requirement_on_the_18th_birthday() -> None:
    facts = with_applicant(eligible_facts(), date_of_birth=date(2006, 3, 15))
    assert outcome_of("5.5", facts) is MET


def test_it_does_not_meet_the_age_requirement_the_day_before_the_18th_birthday() -> None:
    facts = with_applicant(eligible_facts(), date_of_birth=date(2006, 3, 16))
    result = evaluate(raelingen(), facts, assessments=judged())
    assert result.criterion("5.5").outcome is NOT_MET
    assert "fyller 18 år 16.03.2024" in result.criterion("5.5").explanation.nb
    assert result.note("5.5.verge").applies is True
    assert result.exception("5.5.andre_saerlige_grunner").available_for == ("5.5",)


def test_it_gives_someone_born_on_a_leap_day_their_birthday_on_28_february() -> None:
    facts = with_applicant(
        eligible_facts(application_date=date(2026, 2, 28)), date_of_birth=date(2008, 2, 29)
    )
    assert outcome_of("5.5", facts) is MET
    assert outcome_of("5.5", replace(facts, application_date=date(2026, 2, 27))) is NOT_MET


def test_it_points_to_the_age_exception_when_the_young_applicant_cares_for_a_child() -> None:
    facts = with_applicant(
        eligible_facts(household_members=(HouseholdMember(MemberRole.CHILD, date(2023, 6, 1)),)),
        date_of_birth=date(2007, 1, 1),
        has_daily_care_of_children=True,
    )
    result = evaluate(raelingen(), facts, assessments=judged())
    exception = result.exception("5.5.daglig_omsorg_for_barn")
    assert exception.indicated is True
    assert exception.available_for == ("5.5",)
    assert result.note("5.1.barns_situasjon").applies is True
    assert result.outcome is OverallOutcome.DOES_NOT_MEET

    invoked = InvokedException(
        exception_id="5.5.daglig_omsorg_for_barn",
        criterion_ids=("5.5",),
        reason="Søker er 17 år og har daglig omsorg for sitt barn; verge er involvert.",
    )
    granted = evaluate(raelingen(), facts, assessments=judged(), invoked_exceptions=[invoked])
    assert granted.outcome is OverallOutcome.MEETS_WITH_EXCEPTION
    assert granted.exception("5.5.daglig_omsorg_for_barn").invoked_for == ("5.5",)
    assert "med unntak for: 5.5 Alder" in granted.summary.nb


# --- 5.1 exceptions ------------------------------------------------------------------------------


def test_it_lets_acute_need_set_aside_the_residence_requirement() -> None:
    facts = with_applicant(eligible_facts(), lived_in_municipality_since=date(2023, 9, 1))
    plain = evaluate(raelingen(), facts, assessments=judged())
    assert plain.outcome is OverallOutcome.DOES_NOT_MEET
    assert "5.3.botid" in plain.exception("5.1.akutt_behov").available_for
    assert "Unntak ved akutt behov (pkt. 5.1)" in plain.summary.nb

    invoked = InvokedException("5.1.akutt_behov", ("5.3.botid",), "Familien er uten bolig i dag.")
    result = evaluate(raelingen(), facts, assessments=judged(), invoked_exceptions=[invoked])
    assert result.outcome is OverallOutcome.MEETS_WITH_EXCEPTION
    assert result.criterion("5.3.botid").outcome is NOT_MET  # the trace still says why


def test_it_does_not_let_the_5_1_exceptions_cover_debt_to_the_municipality() -> None:
    facts = with_debt(
        eligible_facts(), outstanding_arrears_kroner=12_000, has_repayment_agreement=False
    )
    result = evaluate(raelingen(), facts, assessments=judged())
    assert result.criterion("5.7").outcome is NOT_MET
    assert [e.exception_id for e in result.exceptions] == ["5.7.hovedregel"]
    with pytest.raises(InvalidInputError, match="does not apply"):
        evaluate(
            raelingen(),
            facts,
            assessments=judged(),
            invoked_exceptions=[InvokedException("5.1.akutt_behov", ("5.7",), "Akutt.")],
        )
    main_rule = InvokedException("5.7.hovedregel", ("5.7",), "Gjelden er fra 2009 og foreldet.")
    granted = evaluate(raelingen(), facts, assessments=judged(), invoked_exceptions=[main_rule])
    assert granted.outcome is OverallOutcome.MEETS_WITH_EXCEPTION


def test_it_keeps_does_not_meet_when_the_exception_covers_only_some_failures() -> None:
    facts = with_applicant(
        eligible_facts(),
        lived_in_municipality_since=date(2023, 9, 1),
        registered_municipality_number="0301",
    )
    invoked = InvokedException("5.1.sterke_menneskelige_hensyn", ("5.3.botid",), "Vold i nære.")
    result = evaluate(raelingen(), facts, assessments=judged(), invoked_exceptions=[invoked])
    assert result.outcome is OverallOutcome.DOES_NOT_MEET


def test_it_requires_a_reason_for_an_invoked_exception() -> None:
    with pytest.raises(InvalidInputError, match="reason"):
        evaluate(
            raelingen(),
            eligible_facts(),
            invoked_exceptions=[InvokedException("5.1.akutt_behov", ("5.3.botid",), "  ")],
        )


def test_it_rejects_an_unknown_exception() -> None:
    with pytest.raises(InvalidInputError, match="unknown exception"):
        evaluate(
            raelingen(), eligible_facts(), invoked_exceptions=[InvokedException("x", ("5.5",), "r")]
        )


# --- judgement criteria --------------------------------------------------------------------------


def test_it_records_the_caseworkers_reasons_for_a_discretionary_criterion() -> None:
    result = evaluate(raelingen(), eligible_facts(), assessments=judged(Outcome.NOT_MET))
    economy = result.criterion("5.6")
    assert economy.outcome is NOT_MET
    assert economy.assessment is not None
    assert "ikke oppfylt: Inntekt fra AAP" in economy.explanation.nb
    assert {f.path for f in economy.facts_used} >= {
        "economy.gross_annual_income_kroner",
        "economy.wealth_kroner",
        "economy.debt_kroner",
        "economy.maintenance_obligations_kroner_per_year",
    }
    assert result.outcome is OverallOutcome.DOES_NOT_MEET


def test_it_refuses_a_caseworker_verdict_on_a_fact_based_criterion() -> None:
    with pytest.raises(InvalidInputError, match="record the fact"):
        evaluate(
            raelingen(),
            eligible_facts(),
            assessments=[CaseworkerAssessment("5.3.botid", Outcome.MET, "Trust me.")],
        )


def test_it_refuses_a_verdict_without_reasons_or_without_a_decision() -> None:
    with pytest.raises(InvalidInputError, match="reason"):
        evaluate(raelingen(), eligible_facts(), assessments=[CaseworkerAssessment("5.6", MET, "")])
    with pytest.raises(InvalidInputError, match="met or not_met"):
        evaluate(
            raelingen(), eligible_facts(), assessments=[CaseworkerAssessment("5.6", JUDGE, "r")]
        )


# --- 5.2 and 5.7 ---------------------------------------------------------------------------------


def test_it_disqualifies_an_applicant_offered_a_brokered_private_dwelling() -> None:
    facts = with_housing(eligible_facts(), has_offer_of_brokered_private_dwelling=True)
    result = evaluate(raelingen(), facts).criterion("5.2")
    assert result.outcome is NOT_MET
    assert result.main_rule is True


@pytest.mark.parametrize(
    ("arrears", "agreement", "realistic", "expected"),
    [
        (0, None, None, MET),
        (12_000, None, None, JUDGE),
        (12_000, False, None, NOT_MET),
        (12_000, True, None, JUDGE),
        (12_000, True, False, NOT_MET),
        (12_000, True, True, MET),
    ],
)
def test_it_requires_arrears_to_be_paid_or_under_a_realistic_repayment_agreement(
    arrears, agreement, realistic, expected
) -> None:
    facts = with_debt(
        eligible_facts(),
        outstanding_arrears_kroner=arrears,
        has_repayment_agreement=agreement,
        repayment_agreement_is_realistic=realistic,
    )
    assert outcome_of("5.7", facts) is expected


# --- 5.8 conditions, 5.1 and 6 considerations --------------------------------------------------


def test_it_attaches_a_follow_up_agreement_when_the_municipality_finds_it_necessary() -> None:
    facts = eligible_facts(
        follow_up=FollowUp(needs_housing_follow_up=True, has_rent_payment_plan=False)
    )
    result = evaluate(raelingen(), facts)
    assert result.note("5.8.booppfolging").applies is True
    plan = result.note("5.8.husleieplan")
    assert (plan.applies, plan.satisfied) == (True, False)
    assert result.note("5.8.forvaltning_av_inntekt").applies is None  # not known yet
    assert result.note("5.1.barns_situasjon").applies is False
    assert result.note("6.prioritering").text.nb.startswith("Er antallet søkere")


# --- point 7 as data ------------------------------------------------------------------------------


def test_it_keeps_the_procedural_rules_of_point_7_as_data_matching_the_deadline_functions() -> None:
    guideline = raelingen()
    assert guideline.procedure_value("7.1.tildeling_innen") == {"months": 6}
    assert guideline.procedure_value("7.5.fornyelse") == {"apply_months_before_expiry": 4}
    assert guideline.procedure_value("7.6.bytte") == {"refusal_appealable": False}
    assert deadlines.ALLOCATION_PROMISE_MONTHS == 6
    assert deadlines.RENEWAL_APPLICATION_MONTHS_BEFORE_EXPIRY == 4


def test_it_finds_raelingens_set_by_any_of_its_kommunenummer_and_date() -> None:
    for number, day in [("0228", date(2016, 10, 1)), ("3027", date(2021, 1, 1)), ("3224", APPLIED)]:
        found = sets_for(number, day, application_kind="municipal_dwelling_without_services")
        assert [s.id for s in found] == ["raelingen-utleiebolig-uten-tjenester"]
    assert sets_for("3224", date(2014, 2, 11)) == []


# --- language -------------------------------------------------------------------------------------


def test_it_writes_every_explanation_in_both_bokmaal_and_nynorsk() -> None:
    cases = [
        CaseFacts(application_date=APPLIED),
        eligible_facts(),
        with_applicant(eligible_facts(), date_of_birth=date(2010, 1, 1)),
        with_housing(eligible_facts(), lease_end_date=date(2025, 1, 1), kind=HousingKind.NO_HOME),
        with_debt(eligible_facts(), outstanding_arrears_kroner=5, has_repayment_agreement=False),
    ]
    for facts in cases:
        result = evaluate(raelingen(), facts)
        texts = [r.explanation for top in result.criteria for r in top.walk()] + [result.summary]
        for text in texts:
            assert text.nb and text.nn
            assert "ikke" not in text.nn and "Søker " not in text.nn, text.nn
