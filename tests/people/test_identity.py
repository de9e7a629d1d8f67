import datetime as dt

import pytest

from husly.people.identity import (
    IdentityKind,
    InvalidIdentityNumber,
    make_synthetic_number,
    parse_identity_number,
)


@pytest.mark.parametrize("number", ["31129956715", "02013299997", "30108299920"])
def test_it_accepts_numbers_valid_under_both_rules(number: str) -> None:
    assert parse_identity_number(number, allow_synthetic=False).number == number


def test_it_accepts_a_number_valid_only_under_the_2032_rule() -> None:
    parsed = parse_identity_number("30108299939", allow_synthetic=False)
    assert parsed.kind is IdentityKind.BIRTH_NUMBER
    assert parsed.date_of_birth is None  # from 2032 the digits no longer give the century


def test_it_reads_the_birth_date_from_an_old_rule_number() -> None:
    assert parse_identity_number("31129956715", allow_synthetic=False).date_of_birth == dt.date(
        1899, 12, 31
    )  # individnummer 567 with year 99: 1854–1899 (§ 2-2)


def test_it_rejects_a_wrong_check_digit_in_norwegian() -> None:
    with pytest.raises(InvalidIdentityNumber, match="Kontrollsifrene stemmer ikke"):
        parse_identity_number("31129956716", allow_synthetic=False)


@pytest.mark.parametrize("raw", ["123", "3112995671a", ""])
def test_it_rejects_wrong_length_or_letters(raw: str) -> None:
    with pytest.raises(InvalidIdentityNumber, match="11 siffer"):
        parse_identity_number(raw, allow_synthetic=False)


def test_it_recognises_a_d_number_and_its_birth_date() -> None:
    born = dt.date(1990, 3, 14)
    for individual in range(100, 500):
        raw = make_synthetic_number(born, individual, d_number=True)
        if raw:
            break
    parsed = parse_identity_number(raw, allow_synthetic=True)
    assert parsed.kind is IdentityKind.D_NUMBER
    assert parsed.synthetic
    assert parsed.date_of_birth == born


def test_it_refuses_synthetic_numbers_unless_allowed() -> None:
    raw = next(n for i in range(100, 500) if (n := make_synthetic_number(dt.date(1980, 1, 2), i)))
    with pytest.raises(InvalidIdentityNumber, match="Syntetiske"):
        parse_identity_number(raw, allow_synthetic=False)
    assert parse_identity_number(raw, allow_synthetic=True).date_of_birth == dt.date(1980, 1, 2)


def test_it_rejects_a_date_that_does_not_exist() -> None:
    # 31 February with valid check digits under the 2032 rule
    head = "310299"
    for individual in range(1000):
        digits = [int(c) for c in f"{head}{individual:03d}"]
        w1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
        w2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
        k1 = (11 - sum(w * d for w, d in zip(w1, digits, strict=True)) % 11) % 11
        if k1 == 10:
            continue
        k2 = (11 - sum(w * d for w, d in zip(w2, [*digits, k1], strict=True)) % 11) % 11
        if k2 == 10:
            continue
        number = f"{head}{individual:03d}{k1}{k2}"
        break
    with pytest.raises(InvalidIdentityNumber, match="gyldig dato"):
        parse_identity_number(number, allow_synthetic=False)
