"""The Oslo-like example set: a second municipality expressed by configuration only."""

from datetime import date

import pytest

from husly.rules.guidelines import (
    Applicant,
    CaseFacts,
    CaseworkerAssessment,
    Economy,
    HouseholdMember,
    MemberRole,
    MissingParameterError,
    Outcome,
    OverallOutcome,
    evaluate,
    sets_for,
)

from .builders import oslo_example

G_2021 = 106_399  # grunnbeløp from 1 May 2021 (oslo L3685–3687)
CEILING = 4 * G_2021  # 425 596 kr


def oslo_facts(
    income: int | None, *, members: int = 0, since: date = date(2019, 1, 1)
) -> CaseFacts:
    return CaseFacts(
        application_date=date(2021, 9, 1),
        applicant=Applicant(
            date_of_birth=date(1985, 1, 1),
            registered_municipality_number="0301",
            registered_in_municipality_since=since,
        ),
        household_members=tuple(HouseholdMember(MemberRole.CHILD) for _ in range(members)),
        economy=Economy(gross_annual_income_kroner=income),
    )


def judged() -> list[CaseworkerAssessment]:
    return [
        CaseworkerAssessment(
            "mest_vanskeligstilte", Outcome.MET, "Bostedsløs, rus og psykisk helse."
        )
    ]


def test_it_accepts_income_exactly_at_four_g_for_a_single_person() -> None:
    result = evaluate(oslo_example(), oslo_facts(CEILING), grunnbelop=G_2021, assessments=judged())
    assert result.criterion("inntektsgrense").outcome is Outcome.MET
    assert (
        "4 G (425 596 kr, med G = 106 399 kr)" in result.criterion("inntektsgrense").explanation.nb
    )
    assert result.outcome is OverallOutcome.MEETS


def test_it_refuses_income_one_krone_above_four_g() -> None:
    result = evaluate(
        oslo_example(), oslo_facts(CEILING + 1), grunnbelop=G_2021, assessments=judged()
    )
    assert result.criterion("inntektsgrense").outcome is Outcome.NOT_MET
    assert result.outcome is OverallOutcome.DOES_NOT_MEET
    assert result.exceptions == ()  # the example set has no exceptions


def test_it_does_not_guess_a_ceiling_for_households_the_source_does_not_cover() -> None:
    result = evaluate(oslo_example(), oslo_facts(100_000, members=2), grunnbelop=G_2021)
    income = result.criterion("inntektsgrense")
    assert income.outcome is Outcome.NEEDS_JUDGEMENT
    assert "husstander med 3 personer" in income.explanation.nb


def test_it_shows_the_grunnbelop_used_in_the_trace() -> None:
    result = evaluate(oslo_example(), oslo_facts(CEILING), grunnbelop=G_2021)
    used = {f.path: f.value for f in result.criterion("inntektsgrense").facts_used}
    assert used == {
        "economy.gross_annual_income_kroner": CEILING,
        "household_size": 1,
        "grunnbelop": G_2021,
    }
    assert result.input.grunnbelop == G_2021


def test_it_needs_judgement_when_income_is_unknown() -> None:
    result = evaluate(oslo_example(), oslo_facts(None), grunnbelop=G_2021)
    assert result.criterion("inntektsgrense").outcome is Outcome.NEEDS_JUDGEMENT


def test_it_refuses_to_evaluate_an_income_ceiling_without_the_grunnbelop() -> None:
    with pytest.raises(MissingParameterError):
        evaluate(oslo_example(), oslo_facts(CEILING))


def test_it_counts_two_years_of_registration_to_the_day() -> None:
    met = evaluate(oslo_example(), oslo_facts(1, since=date(2019, 9, 1)), grunnbelop=G_2021)
    short = evaluate(oslo_example(), oslo_facts(1, since=date(2019, 9, 2)), grunnbelop=G_2021)
    assert met.criterion("botid").outcome is Outcome.MET
    assert short.criterion("botid").outcome is Outcome.NOT_MET
    assert "vært folkeregistrert i kommunen" in short.criterion("botid").explanation.nb


def test_it_lists_the_example_set_only_when_examples_are_asked_for() -> None:
    assert sets_for("0301", date(2022, 1, 1)) == []
    found = sets_for("0301", date(2022, 1, 1), include_examples=True)
    assert [s.id for s in found] == ["oslo-kommunal-bolig-eksempel"]
    assert found[0].is_example
