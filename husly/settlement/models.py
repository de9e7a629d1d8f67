"""Refugee settlement (bosetting): the council's yearly decision, IMDi's requests, the
settlement case with its dwelling found before arrival, controlled self-settlement, arrival.

Sources: kristiansund.md 2.1 (the state's request, the council's decision, "take whatever is
vacant" as the problem), 2.2 (controlled self-settlement: the municipality approves the dwelling
against criteria, IMDi approves the settlement), 2.3 (criteria for choosing dwellings) and 4.2
(the entities SettlementDecision and SettlementCase); journey J8.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from husly.housing.models import Building, Dwelling
from husly.organisation.models import Municipality
from husly.people.models import Household

ADULT_AGE = 18


class SettlementDecision(models.Model):
    """The council's decision for one year: how many persons the municipality settles, extra
    requests (e.g. resettlement refugees) and the council case reference (kristiansund L89–92)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="settlement_decisions"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    persons = models.PositiveSmallIntegerField(_("persons to settle"))
    extra_persons = models.PositiveSmallIntegerField(
        _("extra request (persons)"),
        default=0,
        help_text=_("For example resettlement refugees the ministry asked for in addition."),
    )
    extra_description = models.CharField(_("what the extra request is"), max_length=200, blank=True)
    council_reference = models.CharField(
        _("council case reference"),
        max_length=100,
        help_text=_("The case number of the council's decision, for example PS 12/2026."),
    )
    decided_on = models.DateField(_("decided on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("settlement decision")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"],
                name="settlement_decision_one_per_year",
                violation_error_message=_(
                    "The council's decision for this year is already recorded."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.persons}"

    @property
    def total(self) -> int:
        return self.persons + self.extra_persons


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received, not answered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class SettlementRequest(models.Model):
    """IMDi's request (anmodning) to settle one person or family, with the household's facts
    as IMDi gives them. Until it is accepted the household is not in the person register."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="settlement_requests"
    )
    imdi_reference = models.CharField(_("IMDi reference"), max_length=50)
    received_on = models.DateField(_("received"))
    family_name = models.CharField(_("family name"), max_length=100)
    household_size = models.PositiveSmallIntegerField(
        _("persons in the household"), validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    ages = models.CharField(
        _("ages"),
        max_length=100,
        help_text=_("The ages IMDi gives, separated by commas: 38, 35, 9, 4."),
    )
    needs = models.TextField(
        _("needs"), blank=True, help_text=_("Health, accessibility, follow-up.")
    )
    preferences = models.TextField(
        _("wishes"),
        blank=True,
        help_text=_("Near school, network, centre, cheap; as the household states them."),
    )
    resettlement = models.BooleanField(
        _("resettlement refugees (overføringsflyktninger)"), default=False
    )
    reception_centre = models.CharField(_("reception centre"), max_length=150, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    answered_on = models.DateField(_("answered"), null=True, blank=True)
    decline_reason = models.TextField(_("why it was declined"), blank=True)
    anonymised_on = models.DateField(null=True, blank=True, editable=False)
    answer_letter = models.FileField(upload_to="settlement/%Y/", blank=True, editable=False)
    answer_letter_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("settlement request")

    def __str__(self) -> str:
        return f"{self.imdi_reference} {self.family_name}"

    def age_list(self) -> list[int]:
        return [int(a) for a in self.ages.replace(";", ",").split(",") if a.strip().isdigit()]

    @property
    def children(self) -> int:
        return sum(1 for age in self.age_list() if age < ADULT_AGE)


class DwellingSource(models.TextChoices):
    """Where the dwelling comes from (kristiansund 2.4, 4.1 tenure types). A head-leased
    dwelling is in the municipal register (the municipality sublets it); a brokered one is a
    landlord's offered dwelling in the landlords register (the lease is the landlord's)."""

    MUNICIPAL = "municipal", _("Municipal dwelling")
    HEAD_LEASE = "head_lease", _("Head-leased private dwelling")
    BROKERED = "brokered", _("Brokered private dwelling")
    SELF_SETTLED = "self_settled", _("Found by the refugee (controlled self-settlement)")


class CaseStatus(models.TextChoices):
    FINDING = "finding", _("Finding a dwelling")
    CHOSEN = "chosen", _("Dwelling chosen")
    ARRIVED = "arrived", _("Arrived")


class SettlementCase(models.Model):
    """One accepted request: the household, its expected arrival, the dwelling chosen before
    arrival with why, and the arrival (kristiansund 4.2)."""

    request = models.OneToOneField(SettlementRequest, on_delete=models.PROTECT, related_name="case")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="settlement_cases"
    )
    expected_arrival = models.DateField(_("expected arrival"))
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.FINDING
    )
    dwelling_source = models.CharField(
        _("where the dwelling comes from"),
        max_length=12,
        choices=DwellingSource.choices,
        blank=True,
    )
    dwelling = models.ForeignKey(
        Dwelling,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dwelling"),
    )
    private_dwelling_reference = models.CharField(
        _("private dwelling (landlords register)"),
        max_length=100,
        blank=True,
        help_text=_(
            "For a head-leased or brokered private dwelling: its reference in the landlords "
            "register."
        ),
    )
    private_dwelling = models.ForeignKey(
        "landlords.OfferedDwelling",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="settlement_cases",
        verbose_name=_("private dwelling offered by a landlord"),
    )
    choice_reason = models.TextField(_("why this dwelling"), blank=True)
    choice_criteria = models.JSONField(
        _("the criteria shown when it was chosen"), default=dict, blank=True
    )
    chosen_on = models.DateField(_("chosen on"), null=True, blank=True)
    lease = models.OneToOneField(
        "tenancy.Lease",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="settlement_case",
    )
    arrived_on = models.DateField(_("arrived"), null=True, blank=True)
    introduction_contact = models.CharField(
        _("introduction programme contact"), max_length=150, blank=True
    )
    rent_deducted_from_benefit = models.BooleanField(
        _("rent is deducted from the introduction benefit"), default=False
    )
    monthly_deduction = models.PositiveIntegerField(
        _("monthly deduction (NOK)"), null=True, blank=True
    )
    bo_plan_note = models.TextField(
        _("bo-plan"),
        blank=True,
        help_text=_("Where the household's bo-plan is kept and who makes it (the follow-up unit)."),
    )
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["expected_arrival", "pk"]
        verbose_name = _("settlement case")

    def __str__(self) -> str:
        return f"{self.request.imdi_reference} {self.household}"


class ApprovalStatus(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Not approved")


class ImdiStatus(models.TextChoices):
    NOT_SENT = "not_sent", _("Not sent to IMDi")
    PENDING = "pending", _("Waiting for IMDi")
    APPROVED = "approved", _("Approved by IMDi")
    REFUSED = "refused", _("Refused by IMDi")


class SelfSettlement(models.Model):
    """Controlled self-settlement: the dwelling the refugee found, the municipality's checklist
    and decision, and IMDi's approval (kristiansund 2.2)."""

    case = models.OneToOneField(
        SettlementCase, on_delete=models.CASCADE, related_name="self_settlement"
    )
    address = models.CharField(_("address"), max_length=200)
    landlord = models.CharField(_("landlord"), max_length=150)
    monthly_rent = models.PositiveIntegerField(_("monthly rent (NOK)"))
    lease_months = models.PositiveSmallIntegerField(_("lease length (months)"))
    standard_ok = models.BooleanField(_("the standard is acceptable"), default=False)
    contract_ok = models.BooleanField(_("the contract was checked and is in order"), default=False)
    landlord_concern = models.TextField(
        _("concerns about the landlord"),
        blank=True,
        help_text=_("What the contract check found, for example a dishonest landlord."),
    )
    cost_frame = models.PositiveIntegerField(_("cost frame (NOK a month)"))
    cost_frame_source = models.CharField(max_length=300, blank=True)
    minimum_lease_months = models.PositiveSmallIntegerField(default=36)
    status = models.CharField(
        _("the municipality's decision"), max_length=10, choices=ApprovalStatus.choices
    )
    note = models.TextField(_("reasoning"), blank=True)
    decided_on = models.DateField(_("decided on"))
    imdi_status = models.CharField(
        _("IMDi"), max_length=10, choices=ImdiStatus.choices, default=ImdiStatus.NOT_SENT
    )
    imdi_answered_on = models.DateField(_("IMDi answered"), null=True, blank=True)
    letter = models.FileField(upload_to="settlement/%Y/", blank=True, editable=False)
    letter_sha256 = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("self-settlement approval")

    def __str__(self) -> str:
        return self.address

    @property
    def rent_within_frame(self) -> bool:
        return self.monthly_rent <= self.cost_frame

    @property
    def lease_long_enough(self) -> bool:
        return self.lease_months >= self.minimum_lease_months


class BuildingSurroundings(models.Model):
    """What the refugee service knows about a building's surroundings: walking distances to
    school, kindergarten and the centre (kristiansund 2.3, refugee preferences L659–661)."""

    building = models.OneToOneField(Building, on_delete=models.CASCADE, related_name="surroundings")
    school_m = models.PositiveIntegerField(_("to school (m)"), null=True, blank=True)
    kindergarten_m = models.PositiveIntegerField(_("to kindergarten (m)"), null=True, blank=True)
    centre_m = models.PositiveIntegerField(_("to the centre (m)"), null=True, blank=True)
    homes_in_building = models.PositiveIntegerField(
        _("homes in the building, municipal or not"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("surroundings")

    def __str__(self) -> str:
        return str(self.building)


class SettlementFact(models.Model):
    """A stored fact per arrival for the leaders' figures: the year it counts for, the days
    from IMDi's request to arrival, and where the household was settled. No personal data."""

    case = models.OneToOneField(SettlementCase, on_delete=models.CASCADE, related_name="fact")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    persons = models.PositiveSmallIntegerField()
    resettlement = models.BooleanField(default=False)
    dwelling_source = models.CharField(max_length=12, choices=DwellingSource.choices)
    days_request_to_arrival = models.PositiveIntegerField()
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["year", "pk"]
        verbose_name = _("settlement fact")

    def __str__(self) -> str:
        return f"{self.year} {self.dwelling_source}"
