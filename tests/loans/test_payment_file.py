"""The loan administrator's payment file: read and checked first (preview), then applied all
rows or none; a missed instalment in the file opens a follow-up."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from husly.loans import actions as loans
from husly.loans.models import ArrearsFollowUp, LoanPayment
from husly.loans.payment_file import parse_payment_file
from tests.cases.helpers import nav_staff
from tests.loans.helpers import issued_approval

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC)


def test_bad_rows_are_named_by_line_and_nothing_is_read() -> None:
    csv = (
        "lånenummer;forfall;beløp;betalt;betalt_dato\n"
        "SL-1;31.02.2026;100;100;\n"
        "SL-1;01.03.2026;x;0;\n"
    )
    result = parse_payment_file("betalinger.csv", csv.encode())
    assert result.rows == []
    assert len(result.errors) == 2 and "2" in result.errors[0] and "3" in result.errors[1]
    assert parse_payment_file("b.csv", b"forfall;belop\n").errors


@time_machine.travel(NOW, tick=False)
def test_the_file_is_applied_all_rows_or_none(routing, household) -> None:  # type: ignore[no-untyped-def]
    nina, nils = nav_staff(routing)
    approval = issued_approval(nina, nils, household)
    loans.loan_purchase_record(
        actor=nina,
        approval=approval,
        address="X 1",
        price=2_400_000,
        accepted_on=dt.date(2026, 3, 10),
    )
    loans.loan_documents_record(
        actor=nina,
        approval=approval,
        signed_on=dt.date(2026, 3, 11),
        registered_on=dt.date(2026, 3, 12),
        priority=1,
    )
    loan = loans.loan_disburse(actor=nina, approval=approval, on=dt.date(2026, 3, 15))
    due = loan.monthly_payment
    good = (
        "lånenummer;forfall;beløp;betalt;betalt_dato\n"
        f"{loan.number};20.04.2026;{due};{due};20.04.2026\n"
        f"{loan.number};20.05.2026;{due};0;\n"
    )
    unknown = good + f"SL-UKJENT;20.05.2026;{due};0;\n"
    parsed = parse_payment_file("betalinger.csv", unknown.encode())
    assert parsed.errors == [] and len(parsed.rows) == 3
    with pytest.raises(ValidationError, match="SL-UKJENT"):
        loans.loan_payments_import(actor=nina, municipality=loan.municipality, rows=parsed.rows)
    assert not LoanPayment.objects.exists()
    rows = parse_payment_file("betalinger.csv", good.encode()).rows
    assert loans.loan_payments_import(actor=nina, municipality=loan.municipality, rows=rows) == 2
    assert LoanPayment.objects.filter(loan=loan).count() == 2
    assert ArrearsFollowUp.objects.filter(loan=loan, payment__due_on=dt.date(2026, 5, 20)).exists()
    loan.refresh_from_db()
    assert loan.balance < loan.principal
