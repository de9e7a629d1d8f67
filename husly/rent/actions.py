"""State changes of rent, claims and payments. Each is atomic, checks the actor's role and
writes its audit event in the same transaction.

Sources: Rælingen appendix 5 (spec/sources/raelingen.md 2.9): claims to the tenant, vacancy
rent to the service unit or carried by the property unit when the cause is renovation, CPI
regulation one year after the lease starts with written notice copied to the refugee service
and NAV, deduction from the introduction benefit; husleieloven § 4-2.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from husly.audit.events import record_change
from husly.core.actions import create_audited
from husly.housing.models import Dwelling
from husly.organisation.models import Municipality, Unit, UnitKind, User
from husly.rent import engine
from husly.rent.files import PaymentFile
from husly.rent.models import (
    BatchKind,
    BatchStatus,
    ClaimKind,
    DirectDeduction,
    DispatchChannel,
    Payment,
    PaymentBatch,
    PaymentSource,
    Rent,
    RentClaim,
    RentReason,
    VacancyCause,
)
from husly.rent.selectors import require_rent_role
from husly.rules.errors import OutsideParameterCoverageError
from husly.rules.params import default_tree
from husly.tenancy.models import Lease, LeaseStatus, TenancyTerms

CPI = "national.consumer_price_index"
BILLED_STATUSES = (LeaseStatus.SIGNED, LeaseStatus.ACTIVE, LeaseStatus.ENDED)


_ROLL_SQL = """
INSERT INTO rent_rentclaim (
    municipality_id, lease_id, dwelling_id, month, kind, amount, due_date, days,
    billed_unit_id, vacancy_cause, text, created_by_id, created_at
)
SELECT s.municipality_id, s.id, s.dwelling_id, %(first)s, %(kind)s,
       CASE WHEN s.days = %(mdays)s THEN s.rent
            ELSE CAST(ROUND(s.rent * s.days * 1.0 / %(mdays)s) AS INTEGER) END,
       {due}, CASE WHEN s.days = %(mdays)s THEN 0 ELSE s.days END,
       NULL, '', '', %(actor)s, %(now)s
FROM (
    SELECT l.id, l.municipality_id, l.dwelling_id, l.payment_due_day,
           COALESCE(
               (SELECT r.amount FROM rent_rent r
                WHERE r.lease_id = l.id AND r.valid_from <= %(first)s
                      AND (r.reason <> 'index' OR r.dispatched_at IS NOT NULL)
                ORDER BY r.valid_from DESC LIMIT 1),
               l.monthly_rent
           ) AS rent,
           {days} + 1 AS days
    FROM tenancy_lease l
    WHERE l.municipality_id = %(m)s AND l.status IN %(statuses)s AND l.start_date <= %(last)s
          AND (l.ended_on IS NULL OR l.ended_on >= %(first)s)
          AND NOT (l.status = %(ended)s AND l.ended_on IS NULL)
) s
WHERE s.days > 0
ON CONFLICT DO NOTHING
"""
_BEGIN = "CASE WHEN l.start_date > %(first)s THEN l.start_date ELSE %(first)s END"
_FINISH = (
    "CASE WHEN l.ended_on IS NOT NULL AND l.ended_on < %(last)s THEN l.ended_on ELSE %(last)s END"
)
_DIALECT = {
    "postgresql": {
        "days": f"(({_FINISH})::date - ({_BEGIN})::date)",
        "due": "(CAST(%(first)s AS date) + (s.payment_due_day - 1))",
    },
    "sqlite": {
        "days": f"CAST(julianday({_FINISH}) - julianday({_BEGIN}) AS INTEGER)",
        "due": "date(%(first)s, '+' || (s.payment_due_day - 1) || ' days')",
    },
}


def rent_roll_run(*, actor: User | None, municipality: Municipality, month: dt.date) -> int:
    """Claims for every lease billed in ``month``: idempotent (a lease has one rent claim a
    month; running it again creates nothing) and set-based: one ``INSERT ... SELECT`` reads
    every lease with its rent in force and writes the claims, whatever the number of leases.
    A lease starting or ending inside the month is billed by the day, rounded half up to whole
    kroner (as :func:`husly.rent.engine.part_month`). Returns the number of claims created."""
    require_rent_role(actor, municipality.pk)
    first, last = engine.month_start(month), engine.month_end(month)
    dialect = _DIALECT[connection.vendor]
    sql = _ROLL_SQL.format(days=dialect["days"], due=dialect["due"]).replace(
        "IN %(statuses)s", "IN (%(signed)s, %(active)s, %(ended)s)"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "m": municipality.pk,
                "first": first,
                "last": last,
                "mdays": last.day,
                "kind": ClaimKind.RENT.value,
                "actor": actor.pk if actor else None,
                "now": timezone.now(),
                "signed": LeaseStatus.SIGNED.value,
                "active": LeaseStatus.ACTIVE.value,
                "ended": LeaseStatus.ENDED.value,
            },
        )
        created = max(int(cursor.rowcount), 0)
        record_change(
            actor=actor,
            action="rent_roll_run",
            instance=municipality,
            municipality=municipality,
            changes={"month": [None, first.isoformat()], "claims_created": [None, created]},
        )
    return created


def _property_unit(municipality: Municipality) -> Unit:
    unit = Unit.objects.filter(municipality=municipality, kind=UnitKind.PROPERTY).first()
    if unit is None:
        raise ValidationError(_("The municipality has no property unit to carry the cost."))
    return unit


def vacancy_rent_bill(
    *,
    actor: User | None,
    dwelling: Dwelling,
    month: dt.date,
    cause: str,
    unit: Unit | None = None,
    lease: Lease | None = None,
    days: int | None = None,
) -> RentClaim:
    """Vacancy rent for a dwelling and month: billed to the responsible service unit, or
    carried by the property unit when the cause is renovation (appendix 5). ``days`` empty
    is the whole month."""
    municipality = dwelling.building.municipality
    require_rent_role(actor, municipality.pk)
    if cause not in VacancyCause.values:
        raise ValidationError(_("Choose why the dwelling stands empty."))
    if cause == VacancyCause.RENOVATION:
        unit = _property_unit(municipality)
    elif unit is None:
        unit = lease.follow_up_unit if lease is not None else None
        if unit is None:
            raise ValidationError(_("Choose the service unit that pays the vacancy rent."))
    if unit.municipality_id != municipality.pk:
        raise ValidationError(_("The unit belongs to another municipality."))
    first, last = engine.month_start(month), engine.month_end(month)
    if days is not None and not 1 <= days <= last.day:
        raise ValidationError(
            _("The number of days must be between 1 and %(max)s.") % {"max": last.day}
        )
    full = days is None or days == last.day
    amount = (
        dwelling.monthly_rent
        if full
        else engine.part_month(dwelling.monthly_rent, first, first, first.replace(day=days or 1))[0]
    )
    terms = TenancyTerms.objects.filter(municipality=municipality).first()
    due_day = terms.payment_due_day if terms else 1
    claim = RentClaim(
        municipality=municipality,
        lease=lease,
        dwelling=dwelling,
        month=first,
        kind=ClaimKind.VACANCY,
        amount=amount,
        due_date=first.replace(day=due_day),
        days=0 if full else (days or 0),
        billed_unit=unit,
        vacancy_cause=cause,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            create_audited(
                actor=actor, instance=claim, action="vacancy_rent_bill", municipality=municipality
            )
    except IntegrityError:
        raise ValidationError(_("The dwelling already has vacancy rent for the month.")) from None
    return claim


def cpi_import(
    *, values: dict[dt.date, Decimal], base: str, source: str, sha256: str
) -> dict[str, int]:
    """Store SSB's published index values (table 03013) as confirmed, all or none (national
    values, run by the operator's ``./dev manage cpi_import``, so no user acts here): a month
    already stored with the same value is left, a different value is replaced (and the change
    recorded). Refused when the file's base year differs from the stored values' base, since
    a notice compares two values and both must be on the same base."""
    from husly.rent.models import ConsumerPriceIndex

    if not values:
        raise ValidationError(_("The file has no index values."))
    with transaction.atomic():
        stored = {
            row.month: row
            for row in ConsumerPriceIndex.objects.select_for_update().filter(month__in=values)
        }
        bases = set(
            ConsumerPriceIndex.objects.exclude(base="").values_list("base", flat=True).distinct()
        )
        if base and bases and bases != {base}:
            raise ValidationError(
                _(
                    "The file's index has base %(base)s, the values in Husly have base "
                    "%(stored)s. Download the table with the same base."
                )
                % {"base": base, "stored": ", ".join(sorted(bases))}
            )
        created: list[ConsumerPriceIndex] = []
        changed: dict[str, list[str]] = {}
        now = timezone.now()
        for month, value in sorted(values.items()):
            row = stored.get(month)
            if row is None:
                created.append(
                    ConsumerPriceIndex(
                        month=month,
                        value=value,
                        base=base,
                        source=source[:300],
                        file_sha256=sha256,
                        imported_at=now,
                    )
                )
            elif row.value != value:
                changed[f"{month:%Y-%m}"] = [str(row.value), str(value)]
                row.value, row.source, row.file_sha256, row.imported_at = (
                    value,
                    source[:300],
                    sha256,
                    now,
                )
                row.base = base or row.base
                row.save()
        ConsumerPriceIndex.objects.bulk_create(created)
        last = ConsumerPriceIndex.objects.get(month=max(values))
        record_change(
            actor=None,
            action="cpi_import",
            instance=last,
            municipality=None,
            changes={
                "source": [None, source[:300]],
                "sha256": [None, sha256],
                "added": [None, [f"{r.month:%Y-%m}" for r in created]],
                "changed": changed,
            },
        )
    return {
        "created": len(created),
        "changed": len(changed),
        "unchanged": len(values) - len(created) - len(changed),
    }


def _cpi(month: dt.date) -> tuple[Decimal, bool]:
    """The index for ``month``: SSB's published value when imported (confirmed), else the
    parameter file's value with its ``confirmed`` flag."""
    from husly.rent.models import ConsumerPriceIndex

    published = ConsumerPriceIndex.objects.filter(month=month).first()
    if published is not None:
        return published.value, True
    try:
        resolved = default_tree().at(CPI, month)
    except OutsideParameterCoverageError:
        resolved = None
    if resolved is None or resolved.valid_from != month:
        raise ValidationError(
            _("The consumer price index for %(month)s is not in Husly's parameters yet.")
            % {"month": month.strftime("%m.%Y")}
        )
    return Decimal(str(resolved.value)), resolved.confirmed


def last_rent(lease: Lease, on: dt.date | None = None) -> tuple[int, dt.date]:
    """The rent in force (on ``on``, or the latest set) and the date it was set."""
    rows = Rent.objects.filter(lease=lease).exclude(
        reason=RentReason.INDEX, dispatched_at__isnull=True
    )
    if on is not None:
        rows = rows.filter(valid_from__lte=on)
    row = rows.order_by("-valid_from").first()
    if row is None:
        return lease.monthly_rent, lease.start_date
    return row.amount, row.valid_from


def notice_copies(lease: Lease, on: dt.date) -> list[dict[str, Any]]:
    """Who gets a copy of a rent notice (appendix 5): the refugee service when it has the
    rent deducted from the introduction benefit, NAV when NAV pays the rent directly or
    guarantees the deposit (the guarantee follows the rent)."""
    deductions = DirectDeduction.objects.filter(lease=lease, starts_on__lte=on).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on)
    )
    copies: list[dict[str, Any]] = [
        {"kind": d.unit.kind, "unit_id": d.unit_id, "name": d.unit.name}
        for d in deductions.select_related("unit")
    ]
    if lease.deposit_kind == "nav_guarantee" and not any(c["kind"] == UnitKind.NAV for c in copies):
        nav = Unit.objects.filter(municipality_id=lease.municipality_id, kind=UnitKind.NAV).first()
        if nav is not None:
            copies.append({"kind": nav.kind, "unit_id": nav.pk, "name": nav.name})
    return copies


def rent_index_adjust(
    *, actor: User | None, lease: Lease, notice_on: dt.date, effective_from: dt.date | None = None
) -> Rent:
    """Adjust the rent by the consumer price index (husleieloven § 4-2) and write the notice:
    the new rent from the first month allowed (a year after the rent was last set, a month
    after the notice), the index values used with their source, and the notice as a PDF in the
    municipality's målform with copies as :func:`notice_copies` says."""
    from husly.rent.letters import render_rent_notice

    require_rent_role(actor, lease.municipality_id)
    with transaction.atomic():
        lease = Lease.objects.select_for_update().get(pk=lease.pk)
        if lease.status != LeaseStatus.ACTIVE:
            raise ValidationError(_("Only the rent of an active lease can be adjusted."))
        for unsent in Rent.objects.filter(
            lease=lease, reason=RentReason.INDEX, dispatched_at__isnull=True
        ):
            # A notice never sent is replaced by the new one (e.g. after the index values
            # were confirmed); the withdrawal is recorded.
            record_change(
                actor=actor,
                action="rent_notice_withdraw",
                instance=unsent,
                municipality=lease.municipality,
                changes={
                    "amount": [unsent.amount, None],
                    "valid_from": [str(unsent.valid_from), None],
                },
            )
            unsent.document.delete(save=False)
            unsent.delete()
        old, set_on = last_rent(lease)
        earliest = engine.earliest_effective(set_on, notice_on)
        effective = effective_from or earliest
        if effective < earliest:
            raise ValidationError(
                _(
                    "The new rent can take effect on %(date)s at the earliest: a year after the "
                    "rent was last set and a month after the notice (husleieloven § 4-2)."
                )
                % {"date": earliest.strftime("%d.%m.%Y")}
            )
        if effective.day != 1:
            raise ValidationError(_("The new rent takes effect on the first day of a month."))
        from_month = engine.published_index_month(set_on)
        to_month = engine.published_index_month(notice_on)
        index_from, confirmed_from = _cpi(from_month)
        index_to, confirmed_to = _cpi(to_month)
        result = engine.index_adjust(
            old,
            index_from_month=from_month,
            index_from=index_from,
            index_to_month=to_month,
            index_to=index_to,
        )
        if result.new <= old:
            raise ValidationError(
                _("The index has not risen since the rent was last set; the rent stays.")
            )
        language = lease.municipality.language_form or "nb"
        rent = Rent(
            lease=lease,
            amount=result.new,
            valid_from=effective,
            reason=RentReason.INDEX,
            previous_amount=old,
            index_from_month=from_month,
            index_from=index_from,
            index_to_month=to_month,
            index_to=index_to,
            index_source="SSB 03013"
            + ("" if confirmed_from and confirmed_to else " (unconfirmed values)"),
            index_confirmed=confirmed_from and confirmed_to,
            notice_sent_on=notice_on,
            notice_language=language,
            notice_copies=notice_copies(lease, notice_on),
            created_by=actor,
        )
        try:
            with transaction.atomic():
                create_audited(
                    actor=actor,
                    instance=rent,
                    action="rent_index_adjust",
                    municipality=lease.municipality,
                )
        except IntegrityError:
            raise ValidationError(_("The lease already has a rent from this date.")) from None
        pdf = render_rent_notice(rent)
        rent.document_sha256 = hashlib.sha256(pdf).hexdigest()
        rent.document.save(
            f"leievarsel-{lease.pk}-{effective:%Y%m}.pdf", ContentFile(pdf), save=False
        )
        rent.save(update_fields=["document", "document_sha256"])
    return rent


def rent_notice_dispatch(
    *, actor: User, rent: Rent, channel: str, sent_on: dt.date | None = None
) -> Rent:
    """A person has sent the stored rent notice to the tenant (by post, digitally or by hand)
    and the copies to the units it names; Husly records how and when. Refused when an index
    value the notice relies on is not SSB's published one, and when sending on ``sent_on``
    is too late for the new rent's first month (one month's notice, husleieloven § 4-2)."""
    require_rent_role(actor, rent.lease.municipality_id)
    if channel not in DispatchChannel.values:
        raise ValidationError({"channel": _("Choose how the notice was sent.")})
    with transaction.atomic():
        rent = Rent.objects.select_for_update().select_related("lease").get(pk=rent.pk)
        if not rent.document:
            raise ValidationError(_("This rent has no notice to send."))
        if rent.dispatched_at is not None:
            raise ValidationError(_("The notice has already been sent."))
        if rent.reason == RentReason.INDEX and not rent.index_confirmed:
            raise ValidationError(
                _(
                    "The notice cannot be sent: it relies on index values that are not "
                    "confirmed from SSB (table 03013). Import SSB's published values "
                    "(./dev manage cpi_import FILE), then write the notice again."
                )
            )
        day = sent_on or timezone.localdate()
        if day > timezone.localdate():
            raise ValidationError({"sent_on": _("A notice cannot be sent in the future.")})
        if day < (rent.notice_sent_on or day):
            raise ValidationError({"sent_on": _("The notice cannot be sent before its date.")})
        if engine.add_months(day, 1) > rent.valid_from:
            raise ValidationError(
                _(
                    "Sent on %(date)s, the notice is too late for the new rent from %(from)s "
                    "(one month's written notice, husleieloven § 4-2). Write a new notice."
                )
                % {"date": day.strftime("%d.%m.%Y"), "from": rent.valid_from.strftime("%d.%m.%Y")}
            )
        now = timezone.now()
        at = (
            now
            if day == timezone.localdate()
            else dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_current_timezone())
        )
        from husly.core.actions import update_audited

        update_audited(
            actor=actor,
            action="rent_notice_dispatch",
            instance=rent,
            data={"dispatch_channel": channel, "dispatched_at": at, "dispatched_by": actor},
            municipality=rent.lease.municipality,
        )
    return rent


def rent_index_due(municipality: Municipality, on: dt.date) -> list[Lease]:
    """Active leases whose rent was last set a year or more before ``on`` plus a month, so a
    notice written on ``on`` can take effect (one query)."""
    limit = engine.add_months(engine.add_months(on, 1), -12)
    latest = Subquery(
        Rent.objects.filter(lease_id=OuterRef("pk"))
        .order_by("-valid_from")
        .values("valid_from")[:1]
    )
    return list(
        Lease.objects.filter(municipality=municipality, status=LeaseStatus.ACTIVE)
        .annotate(last_set=Coalesce(latest, F("start_date")))
        .filter(last_set__lte=limit)
        .select_related("municipality", "dwelling", "dwelling__building", "household")
        .order_by("last_set", "pk")
    )


# --------------------------------------------------------------------------------------------
# Payments
# --------------------------------------------------------------------------------------------


def payment_batch_create(
    *,
    actor: User,
    municipality: Municipality,
    filename: str,
    content: bytes,
    result: PaymentFile,
) -> PaymentBatch:
    """Store a checked, matched file as a pending batch for the user to confirm."""
    require_rent_role(actor, municipality.pk)
    if not result.ok:
        raise ValidationError(_("The file has errors; nothing is saved."))
    with transaction.atomic():
        batch = PaymentBatch.objects.create(
            municipality=municipality,
            kind=result.kind,
            filename=filename[:200],
            sha256=hashlib.sha256(content).hexdigest(),
            rows=result.rows,
            total_amount=result.total,
            count=len(result.rows),
            matched=result.matched,
            uploaded_by=actor,
        )
    return batch


def payment_batch_apply(*, actor: User | None, batch: PaymentBatch) -> int:
    """Book every payment of the batch in one transaction, or none."""
    require_rent_role(actor, batch.municipality_id)
    with transaction.atomic():
        batch = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != BatchStatus.PENDING:
            raise ValidationError(_("This file has already been booked."))
        now = timezone.now()
        payments = [
            Payment(
                municipality_id=batch.municipality_id,
                lease_id=row["lease_id"],
                amount=Decimal(row["amount"]),
                paid_on=dt.date.fromisoformat(row["paid_on"]),
                kid=row["kid"],
                source=row["source"],
                reference=row["reference"],
                payer=row.get("payer", ""),
                note=row.get("note", "")[:200],
                batch=batch,
                created_by=actor,
                created_at=now,
            )
            for row in batch.rows
        ]
        try:
            with transaction.atomic():
                Payment.objects.bulk_create(payments, batch_size=5000)
                batch.status = BatchStatus.APPLIED
                batch.applied_at = now
                batch.rows = []  # the payments are the record now
                batch.save(update_fields=["status", "applied_at", "rows"])
        except IntegrityError:
            raise ValidationError(
                _(
                    "Some of these payments, or this file, have already been booked. "
                    "Nothing was booked."
                )
            ) from None
        record_change(
            actor=actor,
            action="payment_batch_apply",
            instance=batch,
            municipality=batch.municipality,
            changes={
                "kind": [None, batch.kind],
                "count": [None, batch.count],
                "matched": [None, batch.matched],
                "total_amount": [None, str(batch.total_amount)],
            },
        )
    return len(payments)


def payment_register(
    *,
    actor: User | None,
    lease: Lease,
    amount: Decimal,
    paid_on: dt.date,
    source: str = PaymentSource.MANUAL,
    reference: str = "",
    note: str = "",
) -> Payment:
    """A payment registered by hand: a deduction from the introduction benefit, NAV paying
    the rent directly, or a payment at the counter."""
    require_rent_role(actor, lease.municipality_id)
    if source not in {PaymentSource.MANUAL, PaymentSource.INTRODUCTION_BENEFIT, PaymentSource.NAV}:
        raise ValidationError(_("Choose how the rent was paid."))
    payment = Payment(
        municipality_id=lease.municipality_id,
        lease=lease,
        amount=amount,
        paid_on=paid_on,
        kid=lease.payment_kid,
        source=source,
        reference=reference,
        note=note,
        created_by=actor,
        placed_by=actor,
        placed_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            create_audited(
                actor=actor,
                instance=payment,
                action="payment_register",
                municipality=lease.municipality,
            )
    except IntegrityError:
        raise ValidationError(_("This payment has already been booked.")) from None
    return payment


def payment_place(*, actor: User, payment: Payment, lease: Lease, note: str = "") -> Payment:
    """Place an unmatched payment on a lease (a person decides where it belongs)."""
    require_rent_role(actor, payment.municipality_id)
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.lease_id is not None:
            raise ValidationError(_("The payment has already been placed."))
        if lease.municipality_id != payment.municipality_id:
            raise ValidationError(_("The lease belongs to another municipality."))
        payment.lease = lease
        payment.placed_by = actor
        payment.placed_at = timezone.now()
        if note:
            payment.note = note[:200]
        payment.save(update_fields=["lease", "placed_by", "placed_at", "note"])
        record_change(
            actor=actor,
            action="payment_place",
            instance=payment,
            municipality=payment.municipality,
            changes={"lease": [None, lease.pk]},
        )
    return payment


def deduction_start(
    *,
    actor: User | None,
    lease: Lease,
    source: str,
    unit: Unit,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
) -> DirectDeduction:
    """Record that the rent is deducted at source (introduction benefit via the refugee
    service, or NAV paying directly); rent notices are then copied to that unit."""
    require_rent_role(actor, lease.municipality_id)
    if unit.municipality_id != lease.municipality_id:
        raise ValidationError(_("The unit belongs to another municipality."))
    deduction = DirectDeduction(
        lease=lease,
        source=source,
        unit=unit,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    with transaction.atomic():
        create_audited(
            actor=actor,
            instance=deduction,
            action="deduction_start",
            municipality=lease.municipality,
        )
    return deduction


__all__ = [
    "BatchKind",
    "deduction_start",
    "payment_batch_apply",
    "payment_batch_create",
    "payment_place",
    "payment_register",
    "rent_index_adjust",
    "rent_roll_run",
    "vacancy_rent_bill",
]
