"""Rent, rent claims, payments and the batches they come in by (issue 12, money half).

Sources: Rælingen appendix 5 (spec/sources/raelingen.md 2.9): the property unit sends every rent
claim to the tenant except vacancy rent (tomgangsleie), which is billed to the service unit;
two or more independent tenants sharing a flat are billed separately (a claim belongs to a
lease, and each tenant has their own lease); rent is index-regulated by the consumer price
index one year after the lease starts, with written notice and copies to the refugee service
and NAV; the refugee service has rent deducted from the introduction benefit; vacancy rent
caused by renovation is carried by the property unit. Husleieloven § 4-2 (index adjustment:
at most the change in the CPI since the rent was last set, at the earliest one year after,
with one month's written notice).

Amounts: rent and claims in whole kroner (rents are set in kroner); payments in kroner with
øre, as banks report them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from husly.housing.models import Dwelling
from husly.organisation.models import Municipality, Unit
from husly.tenancy.models import Lease


class DispatchChannel(models.TextChoices):
    """How a stored letter went out to the tenant. Husly sends nothing itself (no digital post
    here): a person sends it and records how and when (issue 12: nothing is sent before a
    person confirms)."""

    POST = "post", _("By post")
    DIGITAL = "digital", _("Digitally (e-mail or digital mailbox)")
    HAND = "hand", _("Handed over")


class ConsumerPriceIndex(models.Model):
    """A published value of SSB table 03013 (consumer price index, total, one month), imported
    from the file statbank gives (``./dev manage cpi_import FILE``). A value here is confirmed:
    it overrides the placeholder of the parameter ``national.consumer_price_index``."""

    month = models.DateField(_("month"), unique=True)
    value = models.DecimalField(_("index"), max_digits=7, decimal_places=1)
    base = models.CharField(_("base"), max_length=40, blank=True)
    source = models.CharField(_("source"), max_length=300)
    file_sha256 = models.CharField(max_length=64)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["month"]

    def __str__(self) -> str:
        return f"KPI {self.month:%Y-%m} {self.value}"


class RentReason(models.TextChoices):
    """Why the rent has this amount from this date (facts for leaders' figures)."""

    INITIAL = "initial", _("Rent in the lease")
    INDEX = "index", _("Consumer price index adjustment (husleieloven § 4-2)")
    PREVAILING = "prevailing", _("Prevailing rent (husleieloven § 4-3)")
    PRICE_REGULATION = "price_regulation", _("The council's price regulations")
    CORRECTION = "correction", _("Correction")


class Rent(models.Model):
    """A lease's monthly rent from a date. The rows are the history; the rent in force on a
    date is the row with the latest ``valid_from`` on or before it (the lease's own
    ``monthly_rent`` when there is none yet)."""

    lease = models.ForeignKey(Lease, on_delete=models.PROTECT, related_name="rents")
    amount = models.PositiveIntegerField(_("monthly rent (NOK)"))
    valid_from = models.DateField(_("valid from"))
    reason = models.CharField(
        _("reason"), max_length=20, choices=RentReason.choices, default=RentReason.INITIAL
    )
    previous_amount = models.PositiveIntegerField(null=True, blank=True)
    # The index adjustment's facts (husleieloven § 4-2), so the change can be re-checked.
    index_from_month = models.DateField(null=True, blank=True)
    index_from = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    index_to_month = models.DateField(null=True, blank=True)
    index_to = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    index_source = models.CharField(max_length=200, blank=True)
    index_confirmed = models.BooleanField(
        default=True,
        help_text="False when an index value used was a placeholder, not SSB's published one.",
    )
    # The written notice (§ 4-2 second paragraph: one month's notice in writing).
    notice_sent_on = models.DateField(_("notice sent"), null=True, blank=True)
    notice_language = models.CharField(max_length=2, blank=True)
    notice_copies = models.JSONField(
        default=list,
        blank=True,
        help_text="Unit kinds that received a copy of the notice (refugee_service, nav).",
    )
    document = models.FileField(upload_to="rent/notices/%Y/", blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True)
    # The notice goes out when a person has sent it and recorded how (an index rent counts
    # only from then: the rent roll and the ledger ignore an index rent not yet sent).
    dispatch_channel = models.CharField(
        _("sent"), max_length=10, choices=DispatchChannel.choices, blank=True
    )
    dispatched_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["lease_id", "-valid_from"]
        verbose_name = _("rent")
        constraints = [
            models.UniqueConstraint(
                fields=["lease", "valid_from"],
                name="rent_one_amount_per_lease_and_date",
                violation_error_message=_("The lease already has a rent from this date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lease_id}: {self.amount} fra {self.valid_from}"

    @property
    def awaiting_dispatch(self) -> bool:
        return bool(self.document) and self.dispatched_at is None


class ClaimKind(models.TextChoices):
    RENT = "rent", _("Rent")
    VACANCY = "vacancy", _("Vacancy rent")
    OTHER = "other", _("Other claim")


class VacancyCause(models.TextChoices):
    """Why a dwelling stands empty (appendix 5: who pays the vacancy rent)."""

    OVERLAP = "overlap", _("Overlap between tenants (the service unit pays)")
    INSTITUTION = "institution", _("Long stay in an institution (the service unit pays)")
    SERVICE_AGREEMENT = (
        "service_agreement",
        _("Other agreement between the service unit and the tenant (the service unit pays)"),
    )
    RENOVATION = "renovation", _("Renovation (the property unit carries it)")


class RentClaim(models.Model):
    """One month's claim. Rent and other claims belong to a lease (its tenant pays); vacancy
    rent belongs to a dwelling and is billed to a unit, with the lease it follows when there
    is one. ``month`` is the first day of the month claimed for."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    lease = models.ForeignKey(
        Lease, on_delete=models.PROTECT, null=True, blank=True, related_name="rent_claims"
    )
    dwelling = models.ForeignKey(Dwelling, on_delete=models.PROTECT, related_name="rent_claims")
    month = models.DateField(_("month"))
    kind = models.CharField(_("kind"), max_length=10, choices=ClaimKind.choices)
    amount = models.PositiveIntegerField(_("amount (NOK)"))
    due_date = models.DateField(_("due"))
    days = models.PositiveSmallIntegerField(
        default=0, help_text="Days of the month claimed for; 0 is the whole month."
    )
    billed_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("billed to unit"),
    )
    vacancy_cause = models.CharField(
        _("cause of vacancy"), max_length=20, choices=VacancyCause.choices, blank=True
    )
    text = models.CharField(_("description"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["month", "kind", "pk"]
        verbose_name = _("rent claim")
        indexes = [models.Index(fields=["municipality", "due_date"], name="rentclaim_muni_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["lease", "month", "kind"],
                condition=models.Q(lease__isnull=False) & ~models.Q(kind="other"),
                name="rentclaim_one_per_lease_month_kind",
                violation_error_message=_("The lease already has this claim for the month."),
            ),
            models.UniqueConstraint(
                fields=["dwelling", "month"],
                condition=models.Q(kind="vacancy"),
                name="rentclaim_one_vacancy_per_dwelling_month",
                violation_error_message=_("The dwelling already has vacancy rent for the month."),
            ),
            models.CheckConstraint(
                condition=models.Q(kind="vacancy") | models.Q(lease__isnull=False),
                name="rentclaim_tenant_claim_has_lease",
                violation_error_message=_("A rent claim belongs to a lease."),
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="vacancy") | models.Q(billed_unit__isnull=False),
                name="rentclaim_vacancy_billed_to_unit",
                violation_error_message=_("Vacancy rent is billed to a unit."),
            ),
            models.CheckConstraint(
                condition=models.Q(month__day=1),
                name="rentclaim_month_is_first_day",
                violation_error_message=_("A claim's month is given by its first day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.month:%m.%Y}: {self.amount}"


class PaymentSource(models.TextChoices):
    BANK_FILE = "bank_file", _("Bank statement (CSV or Excel)")
    OCR = "ocr", _("OCR giro file")
    INTRODUCTION_BENEFIT = "introduction_benefit", _("Deducted from the introduction benefit")
    NAV = "nav", _("Paid by NAV")
    MANUAL = "manual", _("Registered by hand")


class BatchKind(models.TextChoices):
    BANK_FILE = "bank_file", _("Bank statement (CSV or Excel)")
    OCR = "ocr", _("OCR giro file")


class BatchStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    APPLIED = "applied", _("Booked")


class PaymentBatch(models.Model):
    """An uploaded payment file: parsed and checked into a preview, booked on confirmation.
    The same file (by SHA-256) is booked once per municipality."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=BatchKind.choices)
    filename = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    rows = models.JSONField(default=list)
    status = models.CharField(
        max_length=10, choices=BatchStatus.choices, default=BatchStatus.PENDING
    )
    total_amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    count = models.PositiveIntegerField(default=0)
    matched = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "sha256"],
                condition=models.Q(status="applied"),
                name="paymentbatch_file_booked_once",
                violation_error_message=_("This file has already been booked."),
            ),
        ]

    def __str__(self) -> str:
        return self.filename


class Payment(models.Model):
    """Money in. Matched to a lease (by KID, or placed by a person), or unmatched and listed
    for a person to place."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    lease = models.ForeignKey(
        Lease, on_delete=models.PROTECT, null=True, blank=True, related_name="payments"
    )
    amount = models.DecimalField(_("amount (NOK)"), max_digits=12, decimal_places=2)
    paid_on = models.DateField(_("paid"))
    kid = models.CharField(_("KID"), max_length=25, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=PaymentSource.choices)
    reference = models.CharField(
        _("reference"),
        max_length=60,
        blank=True,
        help_text=_("The bank's archive reference and transaction number, or a voucher."),
    )
    payer = models.CharField(_("payer"), max_length=100, blank=True)
    batch = models.ForeignKey(
        PaymentBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="payments"
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    placed_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["paid_on", "pk"]
        verbose_name = _("payment")
        indexes = [
            models.Index(fields=["lease", "paid_on"], name="payment_lease_paid"),
            models.Index(fields=["municipality", "lease"], name="payment_muni_lease"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "source", "reference"],
                condition=~models.Q(reference=""),
                name="payment_booked_once",
                violation_error_message=_("This payment has already been booked."),
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0),
                name="payment_amount_positive",
                violation_error_message=_("The amount must be more than zero."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.paid_on}"


class DirectDeduction(models.Model):
    """Rent paid by deduction at source: the refugee service has payroll deduct the rent from
    the introduction benefit (appendix 5), or NAV pays the rent directly. While it runs, rent
    notices are copied to the unit that deducts."""

    lease = models.ForeignKey(Lease, on_delete=models.PROTECT, related_name="deductions")
    source = models.CharField(
        _("paid by"),
        max_length=20,
        choices=[
            (PaymentSource.INTRODUCTION_BENEFIT, PaymentSource.INTRODUCTION_BENEFIT.label),
            (PaymentSource.NAV, PaymentSource.NAV.label),
        ],
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="deduction_ends_after_start",
                violation_error_message=_("The deduction must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lease_id} {self.get_source_display()}"
