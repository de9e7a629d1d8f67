"""Private landlords: the register, contacts, enquiries, offered dwellings and the four kinds of
agreement the sources use (kristiansund 2.4–2.6 and 4.3–4.4; raelingen 2.6–2.7, 2.16 and 7 C).

- brokerage (formidling): the municipality proposes a tenant; the lease is between landlord and
  tenant (kristiansund 2.6, L1035–1040);
- head lease and sublease (innleie/framleie): the municipality rents from the owner, preferably
  for at least three years, pays rent also while the dwelling is empty, and sublets through the
  ordinary lease code (kristiansund 2.5, L1044–1074);
- nomination agreement (tilvisningsavtale) with a developer: the municipality refers applicants
  to a share of the flats for a period (raelingen L395–408, L5146–5160);
- the NAV deposit guarantee: the application, the guarantee letter, the contact point in NAV and
  the tenant's voluntary consent to direct contact (raelingen appendix 4 points 1–2, L5817–5844).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from husly.allocation.models import WaitingListEntry
from husly.cases.models import Case, Decision
from husly.consent.models import Consent
from husly.housing.models import Dwelling
from husly.organisation.models import Municipality, Unit
from husly.people.models import Household, Person

ORG_NUMBER_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)
"""Brønnøysundregistrene: an organisasjonsnummer has nine digits, the last a MOD11 check digit
with these weights."""
ORG_NUMBER_DIGITS = 9


def validate_org_number(value: str) -> None:
    """A Norwegian organisasjonsnummer: nine digits, the ninth a MOD11 check digit."""
    if len(value) != ORG_NUMBER_DIGITS or not value.isdigit():
        raise ValidationError(
            _("An organisation number has nine digits, without spaces."), code="org_format"
        )
    remainder = sum(int(d) * w for d, w in zip(value, ORG_NUMBER_WEIGHTS, strict=False)) % 11
    check = 0 if remainder == 0 else 11 - remainder
    if check == 10 or check != int(value[8]):  # noqa: PLR2004 - MOD11 has no check digit 10
        raise ValidationError(
            _("The organisation number is not valid. Check the digits."), code="org_check"
        )


class LandlordKind(models.TextChoices):
    PERSON = "person", _("Private person")
    COMPANY = "company", _("Company")
    DEVELOPER = "developer", _("Developer")


class Landlord(models.Model):
    """A landlord the municipality works with. A private person is a Person in the register (so
    reads are logged, the person can get an export, and retention applies); a company or a
    developer has an organisation number."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="landlords"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=LandlordKind.choices)
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="landlord_roles",
        verbose_name=_("person"),
    )
    name = models.CharField(_("name"), max_length=200)
    org_number = models.CharField(
        _("organisation number"),
        max_length=9,
        blank=True,
        validators=[validate_org_number],
        help_text=_("Nine digits, for a company or a developer."),
    )
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    notify_on_tenant_change = models.BooleanField(
        _("wants to be told when the tenant changes"), default=False
    )
    notes = models.TextField(
        _("notes on the relationship"),
        blank=True,
        help_text=_("Willingness, concerns, what the landlord values. No notes about tenants."),
    )
    dishonest = models.BooleanField(
        _("dishonest landlord found in a contract check"),
        default=False,
        help_text=_("The municipality does not broker or lease from this landlord."),
    )
    active = models.BooleanField(_("in the register"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("landlord")
        verbose_name_plural = _("landlords")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="person") & models.Q(person__isnull=False))
                | (~models.Q(kind="person") & ~models.Q(org_number="")),
                name="landlord_person_or_org_number",
                violation_error_message=_(
                    "A private person is registered with an identity number, a company or a "
                    "developer with an organisation number."
                ),
            ),
            models.UniqueConstraint(
                fields=["municipality", "org_number"],
                condition=~models.Q(org_number=""),
                name="landlord_org_number_unique",
                violation_error_message=_(
                    "A landlord with this organisation number is already registered."
                ),
            ),
            models.UniqueConstraint(
                fields=["municipality", "person"],
                condition=models.Q(person__isnull=False),
                name="landlord_person_unique",
                violation_error_message=_("This person is already registered as a landlord."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    MEETING = "meeting", _("Meeting")
    VIEWING = "viewing", _("Viewing")
    LETTER = "letter", _("Letter")
    ADVERT = "advert", _("Reply to an advert (for example finn.no)")


class LandlordContact(models.Model):
    """One contact with a landlord: the history that keeps the relationship in one place rather
    than in one caseworker's head (kristiansund L1386–1397)."""

    landlord = models.ForeignKey(Landlord, on_delete=models.CASCADE, related_name="contacts")
    at = models.DateTimeField(_("when"), default=timezone.now)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    summary = models.TextField(_("what was said or agreed"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("contact with a landlord")

    def __str__(self) -> str:
        return f"{self.landlord} {self.at:%d.%m.%Y}"


class Enquiry(models.Model):
    """An enquiry from a landlord (or someone who may become one) in the intake queue, answered
    within a number of working days (kristiansund L1390–1397: the intake that was missing)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="landlord_enquiries"
    )
    landlord = models.ForeignKey(
        Landlord,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="enquiries",
        verbose_name=_("landlord in the register"),
    )
    from_name = models.CharField(_("enquiry from"), max_length=200)
    from_contact = models.CharField(_("phone or email"), max_length=200)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    text = models.TextField(_("the enquiry"))
    answer_due = models.DateField(_("answer by"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answer = models.TextField(_("the answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["answer_due", "received_at", "pk"]
        verbose_name = _("enquiry from a landlord")
        verbose_name_plural = _("enquiries from landlords")

    def __str__(self) -> str:
        return f"{self.from_name} {self.received_at:%d.%m.%Y}"

    @property
    def days_to_answer(self) -> int | None:
        if self.answered_at is None:
            return None
        return (timezone.localdate(self.answered_at) - timezone.localdate(self.received_at)).days


class OfferState(models.TextChoices):
    OFFERED = "offered", _("Offered, not yet assessed")
    APPROVED = "approved", _("Assessed and suitable")
    UNSUITABLE = "unsuitable", _("Not suitable")
    IN_AGREEMENT = "in_agreement", _("Under an agreement")
    WITHDRAWN = "withdrawn", _("Withdrawn by the landlord")


class OfferedDwelling(models.Model):
    """A dwelling a landlord offers, with its state. When it becomes a head lease it is also a
    dwelling in the housing register (``dwelling``), owned by the landlord."""

    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="dwellings")
    address = models.CharField(_("address"), max_length=200)
    postal_code = models.CharField(
        _("postal code"),
        max_length=4,
        validators=[RegexValidator(r"^\d{4}$", _("The postal code has four digits."))],
    )
    postal_town = models.CharField(_("postal town"), max_length=100)
    district = models.CharField(_("district"), max_length=100, blank=True)
    rooms = models.PositiveSmallIntegerField(_("bedrooms"))
    area_m2 = models.DecimalField(
        _("area (m²)"), max_digits=6, decimal_places=1, validators=[MinValueValidator(1)]
    )
    monthly_rent = models.PositiveIntegerField(_("monthly rent asked (NOK)"))
    condition = models.TextField(
        _("standard and condition"),
        blank=True,
        help_text=_("Damp, noise, draught, heating, what was seen at the viewing."),
    )
    state = models.CharField(
        _("state"), max_length=12, choices=OfferState.choices, default=OfferState.OFFERED
    )
    offered_on = models.DateField(_("offered"), default=timezone.localdate)
    dwelling = models.OneToOneField(
        Dwelling,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offered_by_landlord",
        verbose_name=_("dwelling in the housing register"),
    )

    class Meta:
        ordering = ["-offered_on", "-pk"]
        verbose_name = _("offered dwelling")

    def __str__(self) -> str:
        return f"{self.address}, {self.postal_code} {self.postal_town}"


class AgreementKind(models.TextChoices):
    BROKERAGE = "brokerage", _("Brokerage (the lease is between landlord and tenant)")
    HEAD_LEASE = "head_lease", _("Head lease and sublease")
    NOMINATION = "nomination", _("Nomination agreement with a developer (tilvisningsavtale)")
    DEPOSIT_GUARANTEE = "deposit_guarantee", _("NAV deposit guarantee")


class AgreementStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed, not yet in force")
    ACTIVE = "active", _("In force")
    ENDED = "ended", _("Ended")


class Agreement(models.Model):
    """One agreement with a landlord. The fields used depend on the kind; the actions check
    what each kind needs."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="landlord_agreements"
    )
    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="agreements")
    kind = models.CharField(_("kind"), max_length=20, choices=AgreementKind.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AgreementStatus.choices,
        default=AgreementStatus.PROPOSED,
    )
    offered_dwelling = models.ForeignKey(
        OfferedDwelling,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("dwelling"),
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    terms = models.TextField(
        _("special terms agreed with the landlord"),
        blank=True,
        help_text=_("For example: told when the tenant changes, visits, who clears snow."),
    )
    # head lease
    rent_to_owner = models.PositiveIntegerField(
        _("monthly rent to the owner (NOK)"), null=True, blank=True
    )
    # brokerage and deposit guarantee: the household
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="landlord_agreements",
        verbose_name=_("household"),
    )
    entry = models.ForeignKey(
        WaitingListEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="brokerages",
        verbose_name=_("waiting list entry"),
    )
    tenant_lease_signed_on = models.DateField(
        _("lease between landlord and tenant signed"), null=True, blank=True
    )
    # nomination
    project = models.CharField(_("project"), max_length=200, blank=True)
    flats_total = models.PositiveSmallIntegerField(_("flats in the project"), null=True, blank=True)
    flats_nominated = models.PositiveSmallIntegerField(
        _("flats the municipality refers applicants to"), null=True, blank=True
    )
    # deposit guarantee
    guarantee_case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="landlord_guarantees",
        verbose_name=_("the application for a guarantee"),
    )
    guarantee_decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="landlord_guarantees",
        verbose_name=_("the guarantee letter"),
    )
    guarantee_amount = models.PositiveIntegerField(
        _("amount guaranteed (NOK)"), null=True, blank=True
    )
    nav_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("NAV office"),
    )
    nav_contact = models.CharField(
        _("contact point in NAV for the landlord"),
        max_length=200,
        blank=True,
        help_text=_("The NAV housing adviser: name, phone and email."),
    )
    consent = models.ForeignKey(
        Consent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("the tenant's consent to direct contact"),
    )
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("agreement with a landlord")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gt=models.F("start_date")),
                name="landlord_agreement_ends_after_it_starts",
                violation_error_message=_("The agreement must end after it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(flats_nominated__isnull=True)
                | models.Q(flats_total__isnull=True)
                | models.Q(flats_nominated__lte=models.F("flats_total")),
                name="landlord_agreement_nominated_within_total",
                violation_error_message=_(
                    "The municipality cannot refer to more flats than the project has."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.landlord}"

    @property
    def is_guarantee_granted(self) -> bool:
        return self.guarantee_decision_id is not None


class NominationReferral(models.Model):
    """A household the municipality referred, from the waiting list, to one flat under a
    nomination agreement (tilvisningsavtale), within the agreement's share of the flats and its
    period (raelingen L395–408, L5146–5160). The developer lets the flat; the waiting-list entry
    stays until the household has a lease (the developer may still say no)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="referrals")
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="nomination_referrals"
    )
    entry = models.ForeignKey(
        WaitingListEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nomination_referrals",
        verbose_name=_("waiting list entry"),
    )
    flat = models.CharField(
        _("flat in the project"),
        max_length=100,
        help_text=_("The flat's number or address in the project, for example H0203."),
    )
    referred_on = models.DateField(_("referred on"))
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["referred_on", "pk"]
        verbose_name = _("referral under a nomination agreement")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "flat"],
                name="nomination_referral_one_per_flat",
                violation_error_message=_("A household has already been referred to this flat."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.flat}"


class SpareKey(models.Model):
    """A spare key the municipality keeps for a head-leased dwelling, to get in during a crisis on
    the owner's behalf (kristiansund L1061–1062)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="keys")
    label = models.CharField(
        _("key"), max_length=100, help_text=_("For example: main door, 2 keys.")
    )
    kept_at = models.CharField(_("kept at"), max_length=200)
    registered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("spare key")

    def __str__(self) -> str:
        return self.label


class KeyEntry(models.Model):
    """One use of a spare key: who went in, when and why, and whether the owner was told."""

    key = models.ForeignKey(SpareKey, on_delete=models.CASCADE, related_name="entries")
    entered_at = models.DateTimeField(_("when"))
    reason = models.TextField(_("why the dwelling was entered"))
    owner_told = models.BooleanField(_("the owner was told"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-entered_at", "-pk"]
        verbose_name = _("entry with a spare key")

    def __str__(self) -> str:
        return f"{self.key} {self.entered_at:%d.%m.%Y}"


class FaultStatus(models.TextChoices):
    OPEN = "open", _("Reported to the municipality")
    OWNER_TOLD = "owner_told", _("Passed on to the owner")
    FIXED = "fixed", _("Fixed")


class FaultReport(models.Model):
    """A fault the subtenant reports to the municipality, never to the owner directly
    (kristiansund L1064–1065); the municipality passes it on and follows it up."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="faults")
    reported_on = models.DateField(_("reported"))
    description = models.TextField(_("the fault"))
    status = models.CharField(
        _("status"), max_length=12, choices=FaultStatus.choices, default=FaultStatus.OPEN
    )
    owner_told_on = models.DateField(_("passed on to the owner"), null=True, blank=True)
    fixed_on = models.DateField(_("fixed"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-reported_on", "-pk"]
        verbose_name = _("fault report")

    def __str__(self) -> str:
        return f"{self.agreement} {self.reported_on:%d.%m.%Y}"


class FactKind(models.TextChoices):
    AGREEMENT = "agreement", _("Agreement made")
    BROKERED = "brokered", _("Household brokered to a private dwelling")
    VACANCY_COST = "vacancy_cost", _("Head-lease rent paid while empty")


class BrokeredFrom(models.TextChoices):
    WAITING_LIST = "waiting_list", _("From the waiting list")
    TEMPORARY_STAY = "temporary_stay", _("From temporary accommodation")
    OTHER = "other", _("Other")


class LandlordFact(models.Model):
    """A stored fact for the leaders' figures, written by the action that made it true (or, for
    vacancy cost, by the monthly job) and never edited: agreements by kind, households brokered
    (and from where), head-lease rent paid for empty days. Aggregates only: no household."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="landlord_facts"
    )
    kind = models.CharField(max_length=14, choices=FactKind.choices)
    on = models.DateField()
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="facts")
    agreement_kind = models.CharField(max_length=20, choices=AgreementKind.choices)
    brokered_from = models.CharField(max_length=14, choices=BrokeredFrom.choices, blank=True)
    vacant_days = models.PositiveSmallIntegerField(default=0)
    amount = models.PositiveIntegerField(default=0, help_text="NOK")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "kind", "on"], name="landlord_fact_once_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.on}"
