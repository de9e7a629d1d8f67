"""Rent roll, vacancy rent, index adjustment and payment import, end to end through the
actions, with the role checks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from husly.organisation.models import Unit, UnitKind
from husly.rent import actions, ocr
from husly.rent.letters import notice_html
from husly.rent.models import (
    ClaimKind,
    DirectDeduction,
    Payment,
    PaymentSource,
    Rent,
    RentClaim,
    RentReason,
    VacancyCause,
)
from husly.rent.payments import match, read_payment_file
from husly.rent.selectors import arrears_as_of
from husly.tenancy.models import LeaseStatus
from tests.rent.helpers import active_lease

DEC = dt.date(2026, 12, 1)


def test_rent_roll_is_idempotent_and_set_based(raelingen, eirik) -> None:
    leases = [active_lease(raelingen, eirik) for _ in range(3)]
    late = active_lease(raelingen, eirik, start=dt.date(2026, 12, 16), rent=6200)
    ended = active_lease(raelingen, eirik)
    ended.status, ended.ended_on = LeaseStatus.ENDED, dt.date(2026, 11, 30)
    ended.save()
    with CaptureQueriesContext(connection) as few:
        assert actions.rent_roll_run(actor=None, municipality=raelingen, month=DEC) == 4
    more = [active_lease(raelingen, eirik) for _ in range(5)]
    with CaptureQueriesContext(connection) as many:
        assert actions.rent_roll_run(actor=None, municipality=raelingen, month=DEC) == 5
    assert len(few.captured_queries) == len(many.captured_queries)
    call_command("rent_roll", "--month", "2026-12")
    assert RentClaim.objects.filter(month=DEC).count() == 9
    assert not RentClaim.objects.filter(lease=ended).exists()
    half = RentClaim.objects.get(lease=late)
    assert (half.amount, half.days) == (3200, 16)  # 16 of 31 days of 6,200
    assert RentClaim.objects.get(lease=leases[0]).due_date == DEC
    assert len(more) == 5


def test_rent_in_force_comes_from_the_history(raelingen, eirik) -> None:
    lease = active_lease(raelingen, eirik, rent=9000)
    sent = dt.datetime(2026, 10, 20, 12, tzinfo=dt.UTC)
    Rent.objects.create(
        lease=lease, amount=9300, valid_from=DEC, reason=RentReason.INDEX, dispatched_at=sent
    )
    # An index rent whose notice was never sent does not count.
    Rent.objects.create(
        lease=lease, amount=9900, valid_from=dt.date(2027, 1, 1), reason=RentReason.INDEX
    )
    actions.rent_roll_run(actor=None, municipality=raelingen, month=dt.date(2026, 11, 1))
    actions.rent_roll_run(actor=None, municipality=raelingen, month=DEC)
    actions.rent_roll_run(actor=None, municipality=raelingen, month=dt.date(2027, 1, 1))
    assert list(RentClaim.objects.order_by("month").values_list("amount", flat=True)) == [
        9000,
        9300,
        9300,
    ]


def test_only_the_property_unit_bills(raelingen, eirik, sara, geir, lise, arne, olga) -> None:
    for user in (sara, geir, lise, arne, olga):
        with pytest.raises(PermissionDenied):
            actions.rent_roll_run(actor=user, municipality=raelingen, month=DEC)
    assert not RentClaim.objects.exists()


def test_vacancy_rent_goes_to_the_service_unit_or_the_property_unit(
    raelingen, eirik, property_unit
) -> None:
    service = Unit.objects.create(
        municipality=raelingen, name="Helse og omsorg", kind="health_care"
    )
    lease = active_lease(raelingen, eirik)
    overlap = actions.vacancy_rent_bill(
        actor=eirik, dwelling=lease.dwelling, month=DEC, cause=VacancyCause.OVERLAP, unit=service
    )
    assert (overlap.billed_unit, overlap.amount, overlap.kind) == (service, 9000, ClaimKind.VACANCY)
    other = active_lease(raelingen, eirik)
    renovation = actions.vacancy_rent_bill(
        actor=eirik, dwelling=other.dwelling, month=DEC, cause=VacancyCause.RENOVATION, days=10
    )
    assert renovation.billed_unit == property_unit
    assert renovation.amount == 2903  # 10 of 31 days
    with pytest.raises(ValidationError):
        actions.vacancy_rent_bill(
            actor=eirik,
            dwelling=lease.dwelling,
            month=DEC,
            cause=VacancyCause.OVERLAP,
            unit=service,
        )
    with pytest.raises(ValidationError, match="tjenesteenheten"):
        actions.vacancy_rent_bill(
            actor=eirik, dwelling=other.dwelling, month=dt.date(2027, 1, 1), cause="overlap"
        )
    # Vacancy rent is never the tenant's arrears.
    assert arrears_as_of(municipality=raelingen, as_of=dt.date(2027, 1, 31)) == {}


def test_index_adjustment_with_notice_and_copies(raelingen, eirik, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    refugee = Unit.objects.create(
        municipality=raelingen, name="Flyktningtjenesten", kind=UnitKind.REFUGEE_SERVICE
    )
    Unit.objects.create(municipality=raelingen, name="NAV Rælingen", kind=UnitKind.NAV)
    lease = active_lease(raelingen, eirik, start=dt.date(2025, 11, 1), rent=9000)
    lease.deposit_kind = "nav_guarantee"
    lease.save()
    actions.deduction_start(
        actor=eirik,
        lease=lease,
        source=PaymentSource.INTRODUCTION_BENEFIT,
        unit=refugee,
        starts_on=dt.date(2025, 11, 1),
    )
    with pytest.raises(ValidationError, match="tidligst"):
        actions.rent_index_adjust(
            actor=eirik,
            lease=lease,
            notice_on=dt.date(2026, 10, 15),
            effective_from=dt.date(2026, 11, 1),
        )
    rent = actions.rent_index_adjust(actor=eirik, lease=lease, notice_on=dt.date(2026, 11, 12))
    assert rent.valid_from == dt.date(2027, 1, 1)  # a month's notice, then the next first
    # The latest index published when the rent was set (1 November: September's) and when
    # the notice was written (12 November: October's).
    assert rent.index_from_month == dt.date(2025, 9, 1)
    assert rent.index_to_month == dt.date(2026, 10, 1)
    expected = int(Decimal(9000) * rent.index_to / rent.index_from)
    assert rent.amount == expected > 9000
    assert {c["kind"] for c in rent.notice_copies} == {"refugee_service", "nav"}
    assert rent.document_sha256 and rent.document.read().startswith(b"%PDF")
    html = notice_html(rent)
    assert "Varsel om endret husleie" in html and "husleieloven § 4-2" in html
    assert "Flyktningtjenesten" in html and "NAV Rælingen" in html
    raelingen.language_form = "nn"
    raelingen.save()
    lease.refresh_from_db()
    rent.notice_language = "nn"
    assert "Varsel om endra husleige" in notice_html(rent)
    # Not again within the year, once the notice has gone out.
    type(rent).objects.filter(pk=rent.pk).update(
        dispatch_channel="post", dispatched_at=dt.datetime(2026, 11, 13, tzinfo=dt.UTC)
    )
    with pytest.raises(ValidationError):
        actions.rent_index_adjust(actor=eirik, lease=lease, notice_on=dt.date(2026, 12, 1))
    assert DirectDeduction.objects.count() == 1


def test_ocr_import_matches_on_kid_and_lists_the_unmatched(raelingen, eirik) -> None:
    a, b = active_lease(raelingen, eirik), active_lease(raelingen, eirik)
    actions.rent_roll_run(actor=eirik, municipality=raelingen, month=DEC)
    content = ocr.write(
        [
            (900000, a.payment_kid, dt.date(2026, 12, 1), "100"),
            (450000, b.payment_kid, dt.date(2026, 12, 2), "101"),
            (100000, "12345678903", dt.date(2026, 12, 2), "102"),  # valid MOD11, no lease
            (5000, "1234", dt.date(2026, 12, 2), "103"),  # wrong check digit
        ]
    ).encode("iso-8859-1")
    result = match(raelingen, read_payment_file("innbetalinger.txt", content))
    assert result.ok and result.matched == 2
    batch = actions.payment_batch_create(
        actor=eirik, municipality=raelingen, filename="x.txt", content=content, result=result
    )
    assert actions.payment_batch_apply(actor=eirik, batch=batch) == 4
    assert Payment.objects.filter(lease__isnull=True).count() == 2
    arrears = arrears_as_of(municipality=raelingen, as_of=dt.date(2026, 12, 31))
    assert a.pk not in arrears and arrears[b.pk].amount == 4500
    # The same file again is refused line by line, and nothing is booked.
    again = match(raelingen, read_payment_file("innbetalinger.txt", content))
    assert len(again.errors) == 4 and "allerede bokført" in again.errors[0][1]
    with pytest.raises(ValidationError):
        actions.payment_batch_apply(actor=eirik, batch=batch)
    # A person places an unmatched payment.
    loose = Payment.objects.get(kid="12345678903")
    actions.payment_place(actor=eirik, payment=loose, lease=b)
    assert arrears_as_of(municipality=raelingen, as_of=dt.date(2026, 12, 31))[b.pk].amount == 3500


def test_bank_file_errors_per_line_and_introduction_benefit(raelingen, eirik) -> None:
    lease = active_lease(raelingen, eirik)
    csv = (
        "Dato;Beløp;KID;Referanse;Kilde\n"
        f"01.12.2026;9 000,00;{lease.payment_kid};A1;introduksjonsstønad\n"
        "32.12.2026;abc;;A2;\n"
    ).encode()
    result = match(raelingen, read_payment_file("bank.csv", csv))
    assert [line for line, _m in result.errors] == [3, 3]
    assert "ikke et tall" in result.errors[0][1] or "ikke en dato" in result.errors[0][1]
    with pytest.raises(ValidationError):
        actions.payment_batch_create(
            actor=eirik, municipality=raelingen, filename="bank.csv", content=csv, result=result
        )
    good = match(raelingen, read_payment_file("bank.csv", csv.rsplit(b"\n", 2)[0] + b"\n"))
    batch = actions.payment_batch_create(
        actor=eirik, municipality=raelingen, filename="bank.csv", content=csv, result=good
    )
    actions.payment_batch_apply(actor=eirik, batch=batch)
    payment = Payment.objects.get()
    assert (payment.source, payment.amount, payment.lease) == (
        PaymentSource.INTRODUCTION_BENEFIT,
        Decimal("9000.00"),
        lease,
    )
