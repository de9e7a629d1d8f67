"""Tests for husly.rules.deadlines: forvaltningsloven §§ 29–30, domstolloven §§ 148–149 analogy,
and the Rælingen guideline periods."""

from datetime import date

import pytest

from husly.rules.deadlines import (
    add_business_days,
    add_months,
    add_years,
    allocation_deadline,
    appeal_deadline,
    appeal_deadline_detail,
    business_days_between,
    is_appeal_in_time,
    is_business_day,
    is_public_holiday,
    next_business_day,
    renewal_application_due,
    roll_forward,
    start_loan_approval_valid_until,
)

# --- the calendar -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day",
    [
        date(2024, 3, 28),  # skjærtorsdag
        date(2024, 3, 29),  # langfredag
        date(2024, 4, 1),  # 2. påskedag
        date(2024, 5, 1),  # 1. mai
        date(2024, 5, 9),  # Kristi himmelfartsdag
        date(2024, 5, 17),  # grunnlovsdag
        date(2024, 5, 20),  # 2. pinsedag
        date(2024, 12, 25),  # 1. juledag
        date(2024, 12, 26),  # 2. juledag
        date(2025, 1, 1),  # 1. nyttårsdag
    ],
)
def test_it_treats_norwegian_public_holidays_as_non_working_days(day: date) -> None:
    assert is_public_holiday(day)
    assert not is_business_day(day)


def test_it_treats_christmas_eve_and_new_years_eve_as_working_days() -> None:
    # Neither is a helgedag or høgtidsdag in law, whatever office habits say.
    assert is_business_day(date(2024, 12, 24))
    assert is_business_day(date(2024, 12, 31))


def test_it_treats_saturdays_and_sundays_as_non_working_days() -> None:
    assert not is_business_day(date(2024, 6, 8))
    assert not is_business_day(date(2024, 6, 9))
    assert is_business_day(date(2024, 6, 10))


def test_it_rolls_a_holiday_forward_over_the_whole_easter_weekend() -> None:
    assert roll_forward(date(2024, 3, 28)) == date(2024, 4, 2)
    assert roll_forward(date(2024, 4, 2)) == date(2024, 4, 2)


def test_it_finds_the_next_business_day_strictly_after_a_date() -> None:
    assert next_business_day(date(2024, 12, 24)) == date(2024, 12, 27)


# --- business-day arithmetic ----------------------------------------------------------------------


def test_it_adds_business_days_skipping_easter() -> None:
    # Wednesday 27 March 2024 + 1 working day: Thu, Fri, Sat, Sun, Mon are all off.
    assert add_business_days(date(2024, 3, 27), 1) == date(2024, 4, 2)


def test_it_adds_business_days_skipping_17_may_and_whitsun() -> None:
    # Thursday 16 May 2024 + 1: Fri 17 May, weekend, Whit Monday 20 May.
    assert add_business_days(date(2024, 5, 16), 1) == date(2024, 5, 21)


def test_it_subtracts_business_days_over_christmas() -> None:
    # Friday 27 December 2024 − 1 working day: 26 and 25 Dec are holidays, 24 Dec is not.
    assert add_business_days(date(2024, 12, 27), -1) == date(2024, 12, 24)


def test_it_leaves_the_date_alone_when_adding_zero_business_days() -> None:
    assert add_business_days(date(2024, 12, 25), 0) == date(2024, 12, 25)


def test_it_counts_business_days_between_two_dates_excluding_the_start() -> None:
    # Week 13 of 2024: Mon 25 – Wed 27 March are working days, then Easter.
    assert business_days_between(date(2024, 3, 22), date(2024, 4, 2)) == 4
    assert business_days_between(date(2024, 4, 2), date(2024, 3, 22)) == -4
    assert business_days_between(date(2024, 3, 22), date(2024, 3, 22)) == 0


def test_it_counts_a_leap_day_as_a_business_day() -> None:
    # Thursday 29 February 2024 is an ordinary working day.
    assert business_days_between(date(2024, 2, 28), date(2024, 3, 1)) == 2


@pytest.mark.parametrize("days", [0, 1, 5, 20, 63, 250])
def test_it_makes_business_days_between_the_inverse_of_add_business_days(days: int) -> None:
    start = date(2024, 12, 20)
    assert business_days_between(start, add_business_days(start, days)) == days


# --- months and years (domstolloven § 148) ------------------------------------------------------


def test_it_ends_a_month_deadline_on_the_last_day_when_the_day_is_missing() -> None:
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert add_months(date(2024, 8, 31), -6) == date(2024, 2, 29)


def test_it_moves_29_february_to_28_february_in_a_common_year() -> None:
    assert add_years(date(2020, 2, 29), 3) == date(2023, 2, 28)
    assert add_years(date(2020, 2, 29), 4) == date(2024, 2, 29)


# --- appeal deadline (forvaltningsloven §§ 29–30) ------------------------------------------------


def test_it_gives_three_weeks_to_the_same_weekday_on_an_ordinary_date() -> None:
    assert appeal_deadline(date(2024, 2, 5)) == date(2024, 2, 26)


def test_it_moves_an_appeal_deadline_ending_on_maundy_thursday_past_easter() -> None:
    detail = appeal_deadline_detail(date(2024, 3, 7))
    assert detail.nominal_date == date(2024, 3, 28)
    assert detail.due_date == date(2024, 4, 2)
    assert detail.rolled_forward
    assert "§ 29" in detail.legal_basis
    assert "domstolloven" in detail.legal_basis


def test_it_moves_an_appeal_deadline_ending_on_17_may_past_whitsun() -> None:
    # 17 May 2024 is a Friday, and Whit Monday is 20 May.
    assert appeal_deadline(date(2024, 4, 26)) == date(2024, 5, 21)


def test_it_moves_an_appeal_deadline_ending_on_christmas_day_to_27_december() -> None:
    assert appeal_deadline(date(2024, 12, 4)) == date(2024, 12, 27)


def test_it_keeps_an_appeal_deadline_ending_on_christmas_eve() -> None:
    detail = appeal_deadline_detail(date(2024, 12, 3))
    assert detail.due_date == date(2024, 12, 24)
    assert not detail.rolled_forward


def test_it_moves_an_appeal_deadline_ending_on_a_saturday_to_monday() -> None:
    assert appeal_deadline(date(2024, 6, 1)) == date(2024, 6, 24)


def test_it_counts_an_appeal_deadline_across_a_leap_day() -> None:
    assert appeal_deadline(date(2024, 2, 15)) == date(2024, 3, 7)
    assert appeal_deadline(date(2023, 2, 15)) == date(2023, 3, 8)


def test_it_accepts_an_appeal_received_on_the_last_day() -> None:
    assert is_appeal_in_time(date(2024, 3, 7), date(2024, 4, 2))


def test_it_rejects_an_appeal_received_the_day_after_the_deadline() -> None:
    assert not is_appeal_in_time(date(2024, 3, 7), date(2024, 4, 3))


def test_it_accepts_a_late_received_appeal_that_was_posted_in_time() -> None:
    assert is_appeal_in_time(date(2024, 3, 7), date(2024, 4, 5), posted_on=date(2024, 4, 2))


def test_it_rejects_an_appeal_posted_after_the_deadline() -> None:
    assert not is_appeal_in_time(date(2024, 3, 7), date(2024, 4, 5), posted_on=date(2024, 4, 3))


# --- guideline periods ----------------------------------------------------------------------------


def test_it_promises_allocation_six_calendar_months_after_approval() -> None:
    assert allocation_deadline(date(2024, 3, 15)) == date(2024, 9, 15)
    assert allocation_deadline(date(2023, 8, 31)) == date(2024, 2, 29)
    # A promise is not rolled forward: 15 September 2024 is a Sunday and stays.
    assert not is_business_day(allocation_deadline(date(2024, 3, 15)))


def test_it_keeps_a_start_loan_approval_valid_for_three_months() -> None:
    assert start_loan_approval_valid_until(date(2024, 1, 10)) == date(2024, 4, 10)
    assert start_loan_approval_valid_until(date(2023, 11, 30)) == date(2024, 2, 29)
    assert start_loan_approval_valid_until(date(2022, 11, 30)) == date(2023, 2, 28)


def test_it_asks_for_renewal_applications_four_months_before_the_lease_ends() -> None:
    assert renewal_application_due(date(2025, 6, 30)) == date(2025, 2, 28)
    assert renewal_application_due(date(2024, 6, 30)) == date(2024, 2, 29)


def test_the_allocation_promise_is_a_dated_municipal_parameter_with_its_source() -> None:
    """Rælingen guideline 7.1 in husly/rules/parameters/municipal/3224.yaml, not a constant."""
    from husly.rules.deadlines import allocation_promise_months
    from husly.rules.params import default_tree

    value = default_tree().at("municipal.3224.allocation.promise_months", date(2026, 12, 1))
    assert value.value == 6 and value.unit == "months"
    assert any("7.1" in ref.title for ref in value.references)
    assert allocation_promise_months("3224", date(2026, 12, 1)) == 6
    # Before the council's promise, and in a municipality that has entered none: the default.
    assert allocation_promise_months("3224", date(2010, 1, 1)) == 6
    assert allocation_promise_months("0301", date(2026, 12, 1)) == 6
