"""A municipality with other rules needs only a YAML file: the fictional Eksempelby set."""

from datetime import date
from pathlib import Path

import pytest

from husly.rules.guidelines import (
    Applicant,
    CaseFacts,
    Economy,
    GuidelineRegistry,
    HouseholdMember,
    MemberRole,
    Outcome,
    OverallOutcome,
    evaluate,
)

G = 124_028  # grunnbeløp from 1 May 2024 (used here only as a round test input)
REGISTRY = GuidelineRegistry.from_directory(Path(__file__).parent / "sets")


def eksempelby():
    return REGISTRY.for_municipality("9999", date(2025, 6, 1), include_examples=True)[0]


def facts(
    income: int, wealth: int = 0, *, members: int = 0, born: date = date(2000, 1, 1)
) -> CaseFacts:
    return CaseFacts(
        application_date=date(2025, 6, 1),
        applicant=Applicant(date_of_birth=born, registered_in_municipality_since=date(2024, 12, 1)),
        household_members=tuple(HouseholdMember(MemberRole.CHILD) for _ in range(members)),
        economy=Economy(gross_annual_income_kroner=income, wealth_kroner=wealth),
    )


@pytest.mark.parametrize(
    ("members", "income", "expected"),
    [
        (0, 4 * G, Outcome.MET),
        (0, 4 * G + 1, Outcome.NOT_MET),
        (1, 5 * G, Outcome.MET),
        (2, 682_154, Outcome.MET),  # 5,5 G = 682 154 kr exactly
        (2, 682_155, Outcome.NOT_MET),
        (3, 1, Outcome.NEEDS_JUDGEMENT),  # four persons: no ceiling given
    ],
)
def test_it_uses_an_income_ceiling_by_household_size(members, income, expected) -> None:
    result = evaluate(eksempelby(), facts(income, members=members), grunnbelop=G)
    assert result.criterion("inntekt").outcome is expected


def test_it_writes_a_decimal_multiplier_with_a_decimal_comma() -> None:
    result = evaluate(eksempelby(), facts(1, members=2), grunnbelop=G)
    assert "5,5 G (682 154 kr" in result.criterion("inntekt").explanation.nb


def test_it_applies_a_wealth_ceiling_in_g_including_the_ceiling_itself() -> None:
    assert (
        evaluate(eksempelby(), facts(1, G), grunnbelop=G).criterion("formue").outcome is Outcome.MET
    )
    over = evaluate(eksempelby(), facts(1, G + 1), grunnbelop=G).criterion("formue")
    assert over.outcome is Outcome.NOT_MET


def test_it_counts_six_months_of_registration_and_another_age() -> None:
    result = evaluate(eksempelby(), facts(1), grunnbelop=G)
    assert result.criterion("botid").outcome is Outcome.MET
    assert "Kravet om botid på 6 måneder" in result.criterion("botid").explanation.nb
    assert result.outcome is OverallOutcome.MEETS
    young = evaluate(eksempelby(), facts(1, members=1, born=date(2005, 6, 2)), grunnbelop=G)
    assert young.criterion("alder").outcome is Outcome.NOT_MET
    assert young.exception("unntak_alder").indicated is True


def test_it_keeps_the_set_out_of_force_after_its_end_date() -> None:
    assert REGISTRY.for_municipality("9999", date(2026, 1, 1), include_examples=True) == []
