"""Leases, renewals and moves (spec/glossary.md §6; Rælingen guideline 7.4–7.6, appendix 1).

A lease is drafted, sent for signing, signed by each party (the date and how are recorded),
and active from its start date; it ends with a move-out or a renewal. A dwelling never has two
active leases, nor two leases being signed: partial unique constraints in the database, and
``lease_create`` locks the dwelling row first.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from husly.cases.models import Case, Decision
from husly.housing.models import Dwelling
from husly.organisation.models import Municipality, Unit
from husly.people.models import Household


def validate_account_number(value: str) -> None:
    """A Norwegian bank account number: 11 digits, the last a MOD11 check digit."""
    weights = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    if len(value) != ACCOUNT_DIGITS or not value.isdigit():
        raise ValidationError(_("An account number has 11 digits."), code="account_format")
    remainder = sum(int(d) * w for d, w in zip(value, weights, strict=False)) % 11
    check = 0 if remainder == 0 else 11 - remainder
    if check == 10 or check != int(value[10]):  # noqa: PLR2004 - MOD11 has no check digit 10
        raise ValidationError(
            _("The account number is not valid. Check the digits."), code="account_check"
        )


def kid_for(number: int) -> str:
    """A KID for the rent: the lease number, padded to seven digits, and a MOD10 (Luhn)
    check digit, as banks check it."""
    digits = f"{number:07d}"
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n  # noqa: PLR2004 - Luhn
    return digits + str((10 - total % 10) % 10)


class TermKind(models.TextChoices):
    """Husleieloven § 9-3 and § 11-1; Rælingen 7.4 (three years is the main rule)."""

    STANDARD = "standard", _("Three years (main rule)")
    LONGER = "longer", _("Longer than three years (permanent need assessed)")
    INDEFINITE = "indefinite", _("Indefinite (permanent need assessed)")
    SHORTER = "shorter", _("Shorter than three years (legal basis recorded)")


class DepositKind(models.TextChoices):
    DEPOSIT = "deposit", _("Deposit in a blocked account")
    NAV_GUARANTEE = "nav_guarantee", _("NAV deposit guarantee")
    NONE = "none", _("No deposit")


class LeaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent for signing")
    SIGNED = "signed", _("Signed by both parties, not yet started")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


PENDING_LEASE = (LeaseStatus.DRAFT, LeaseStatus.SENT, LeaseStatus.SIGNED)
"""Written but not yet in force."""


class SignedHow(models.TextChoices):
    """How a party signed. An electronic signature provider comes with the integrations."""

    PAPER = "paper", _("On paper, original kept")
    SCANNED = "scanned", _("On paper, scanned copy received")


class Party(models.TextChoices):
    TENANT = "tenant", _("Tenant")
    LANDLORD = "landlord", _("Landlord (the municipality)")


class EndReason(models.TextChoices):
    MOVED_OUT = "moved_out", _("Moved out")
    RENEWED = "renewed", _("Renewed (new lease)")
    SWAP = "swap", _("Moved to another municipal dwelling")
    EVICTION = "eviction", _("Eviction")
    DEATH = "death", _("Death")
    INSTITUTION = "institution", _("Long stay in an institution")
    PURCHASED = "purchased", _("The tenant bought the dwelling")


class Lease(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="leases")
    dwelling = models.ForeignKey(Dwelling, on_delete=models.PROTECT, related_name="leases")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="leases")
    offer = models.OneToOneField(
        "allocation.Offer", on_delete=models.PROTECT, null=True, blank=True, related_name="lease"
    )
    decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="leases",
        help_text=_("The approval or renewal decision the lease rests on."),
    )
    renews = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="renewed_by"
    )
    unit = models.PositiveSmallIntegerField(
        _("room"),
        default=1,
        help_text=_("The room let in a shared flat; 1 for an ordinary dwelling."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=LeaseStatus.choices, default=LeaseStatus.DRAFT
    )
    term_kind = models.CharField(
        _("term"), max_length=12, choices=TermKind.choices, default=TermKind.STANDARD
    )
    term_basis = models.TextField(
        _("basis for the term"),
        blank=True,
        help_text=_(
            "Required for any term other than three years: the assessment of permanent need, "
            "or the legal basis for a shorter term."
        ),
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    monthly_rent = models.PositiveIntegerField(_("monthly rent (NOK)"))
    deposit_kind = models.CharField(
        _("security"), max_length=14, choices=DepositKind.choices, default=DepositKind.NAV_GUARANTEE
    )
    deposit_amount = models.PositiveIntegerField(_("deposit or guarantee (NOK)"), default=0)
    payment_due_day = models.PositiveSmallIntegerField(
        _("rent due on day of the month"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
    )
    payment_account = models.CharField(
        _("account number for the rent"),
        max_length=11,
        blank=True,
        validators=[validate_account_number],
        help_text=_("11 digits, without spaces or full stops."),
    )
    payment_kid = models.CharField(_("KID"), max_length=25, blank=True)
    sent_on = models.DateField(_("sent for signing"), null=True, blank=True)
    tenant_signed_on = models.DateField(_("tenant signed"), null=True, blank=True)
    tenant_signed_how = models.CharField(
        _("how the tenant signed"), max_length=10, choices=SignedHow.choices, blank=True
    )
    landlord_signed_on = models.DateField(_("landlord signed"), null=True, blank=True)
    landlord_signed_how = models.CharField(
        _("how the landlord signed"), max_length=10, choices=SignedHow.choices, blank=True
    )
    handover_on = models.DateField(_("handover"), null=True, blank=True)
    inspection_on = models.DateField(_("inspection"), null=True, blank=True)
    follow_up_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("linked follow-up unit"),
    )
    heavy_needs = models.BooleanField(default=False)
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    end_reason = models.CharField(
        _("why it ended"), max_length=12, choices=EndReason.choices, blank=True
    )
    document = models.FileField(upload_to="leases/%Y/", blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("lease")
        indexes = [
            # The lease list's page: active leases by end date, read 25 at a time (without
            # it PostgreSQL joins and sorts every lease of the municipality per page).
            models.Index(
                fields=["municipality", "status", "end_date", "id"], name="lease_list_by_end"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["dwelling", "unit"],
                condition=models.Q(status="active"),
                name="lease_one_active_lease_per_dwelling_unit",
                violation_error_message=_("The dwelling already has an active lease."),
            ),
            models.UniqueConstraint(
                fields=["dwelling", "unit"],
                condition=models.Q(status__in=PENDING_LEASE),
                name="lease_one_pending_lease_per_dwelling_unit",
                violation_error_message=_("A lease for this dwelling is already being signed."),
            ),
            models.CheckConstraint(
                condition=models.Q(unit__gte=1),
                name="lease_unit_from_one",
                violation_error_message=_("Rooms are numbered from 1."),
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gt=models.F("start_date")),
                name="lease_ends_after_it_starts",
                violation_error_message=_("The lease must end after it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(deposit_amount__lte=models.F("monthly_rent") * 6),
                name="lease_security_at_most_six_months_rent",
                violation_error_message=_(
                    "A deposit or guarantee can be at most six months' rent "
                    "(husleieloven §§ 3-5 and 3-6)."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dwelling} – {self.household}"

    @property
    def room_label(self) -> str:
        """'room 2' for a lease of a room in a shared flat; empty for an ordinary dwelling."""
        if self.dwelling.lettable_units > 1:
            return _("room %(unit)s") % {"unit": self.unit}
        return ""

    @property
    def fully_signed(self) -> bool:
        return bool(self.tenant_signed_on and self.landlord_signed_on)

    @property
    def account_display(self) -> str:
        """The account number as Norwegians write it: 1234.56.78903."""
        return format_account(self.payment_account)


ACCOUNT_DIGITS = 11


def format_account(number: str) -> str:
    if len(number) != ACCOUNT_DIGITS:
        return number
    return f"{number[:4]}.{number[4:6]}.{number[6:]}"


class TenancyTerms(models.Model):
    """The municipality's standing lease terms: where the rent is paid, the due day, and the
    house rules attached to every lease (Rælingen appendix 1)."""

    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, related_name="tenancy_terms"
    )
    payment_account = models.CharField(
        _("account number for the rent"),
        max_length=11,
        validators=[validate_account_number],
        help_text=_("11 digits, without spaces or full stops."),
    )
    payment_due_day = models.PositiveSmallIntegerField(
        _("rent due on day of the month"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
    )
    house_rules = models.TextField(
        _("house rules"),
        help_text=_("Attached to every lease. Write one rule per paragraph."),
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lease terms")

    def __str__(self) -> str:
        return str(self.municipality)


class RenewalAlternative(models.TextChoices):
    """What the renewal assessment considered (Rælingen 7.5 points 4 and 6)."""

    SAME_DWELLING = "same_dwelling", _("Stay in the same dwelling")
    OTHER_DWELLING = "other_dwelling", _("Another municipal dwelling that fits the household now")
    PRIVATE_RENTAL = "private_rental", _("Move on to a private rental")
    START_LOAN = "start_loan", _("Buy with a start loan")
    RENT_TO_OWN = "rent_to_own", _("Rent to own")


class RenewalApplication(models.Model):
    """A tenant's application to renew, handled as a case (help kind rental dwelling, decided
    with kind renewal or renewal refusal)."""

    lease = models.ForeignKey(Lease, on_delete=models.PROTECT, related_name="renewals")
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="renewal")
    alternative = models.CharField(
        _("what fits the household now"),
        max_length=16,
        choices=RenewalAlternative.choices,
        blank=True,
    )
    alternative_note = models.TextField(_("assessment of the alternatives"), blank=True)
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case}"


class RenewalReminder(models.Model):
    """A reminder sent once per lease, so the command can be rerun safely."""

    lease = models.OneToOneField(Lease, on_delete=models.CASCADE, related_name="reminder")
    sent_on = models.DateField()
    apply_by = models.DateField()

    def __str__(self) -> str:
        return f"{self.lease} {self.sent_on}"
