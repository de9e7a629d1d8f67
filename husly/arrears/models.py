"""Arrears cases and the eviction-prevention procedure (issue 12; Rælingen Appendix 4 and 5).

An :class:`ArrearsCase` is opened per lease when arrears appear (``arrears_scan``), or for a
household without a municipal lease when NAV registers a copy of an eviction petition from a
private landlord or a housing cooperative (early warning, Appendix 4 point 5). Each step taken
is an :class:`ArrearsStep` with its due date, responsible person, deadline and letter; a letter is
only sent when a person confirms it. Rent meetings (:class:`RentMeeting`) review the cases every
three weeks; :class:`RepaymentAgreement` pauses the procedure while it is kept; NAV's coverage of
arrears is a :class:`NavCoverage` on a consent or legal basis. :class:`ArrearsFact` rows are the
leaders' figures (coded, never free text).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from husly.consent.models import Consent, LegalBasis
from husly.organisation.models import Municipality
from husly.people.models import Household
from husly.rent.models import DispatchChannel
from husly.tenancy.models import Lease


class CaseOrigin(models.TextChoices):
    MUNICIPAL_LEASE = "municipal_lease", _("Arrears on a municipal lease")
    EXTERNAL_PETITION = "external_petition", _("Eviction petition from another landlord")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class CloseReason(models.TextChoices):
    PAID_UP = "paid_up", _("Arrears paid")
    AGREEMENT_COMPLETED = "agreement_completed", _("Repayment agreement completed")
    EVICTED = "evicted", _("Eviction carried out")
    RESOLVED = "resolved", _("Resolved in another way")


class LandlordKind(models.TextChoices):
    PRIVATE = "private", _("Private landlord")
    COOPERATIVE = "cooperative", _("Housing cooperative or co-ownership")


class ArrearsCase(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="arrears_cases"
    )
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="arrears_cases")
    lease = models.ForeignKey(
        Lease, on_delete=models.PROTECT, null=True, blank=True, related_name="arrears_cases"
    )
    origin = models.CharField(_("origin"), max_length=20, choices=CaseOrigin.choices)
    procedure_key = models.CharField(_("procedure"), max_length=120)
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    opened_on = models.DateField(_("opened"))
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    close_reason = models.CharField(
        _("why closed"), max_length=20, choices=CloseReason.choices, blank=True
    )
    arrears = models.IntegerField(_("arrears (NOK)"), default=0)
    months_unpaid = models.PositiveSmallIntegerField(_("months unpaid"), default=0)
    oldest_unpaid_due = models.DateField(_("oldest unpaid rent due"), null=True, blank=True)
    arrears_as_of = models.DateField(_("arrears as of"), null=True, blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible for the dialogue with the tenant"),
    )
    returned_to_procedure_on = models.DateField(null=True, blank=True)
    # Early warning (a petition from another landlord, received by NAV).
    landlord_name = models.CharField(_("landlord"), max_length=200, blank=True)
    landlord_kind = models.CharField(
        _("kind of landlord"), max_length=20, choices=LandlordKind.choices, blank=True
    )
    petition_received_on = models.DateField(_("copy of petition received"), null=True, blank=True)
    external_address = models.CharField(_("address of the dwelling"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["lease"],
                condition=Q(status="open"),
                name="arrears_one_open_case_per_lease",
            ),
            models.CheckConstraint(
                condition=Q(origin="external_petition") | Q(lease__isnull=False),
                name="arrears_lease_case_has_lease",
            ),
        ]

    def __str__(self) -> str:
        return f"Restansesak {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN


class StepStatus(models.TextChoices):
    PREPARED = "prepared", _("Prepared, waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed and sent")
    CANCELLED = "cancelled", _("Cancelled")


class ArrearsStep(models.Model):
    case = models.ForeignKey(ArrearsCase, on_delete=models.CASCADE, related_name="steps")
    step_id = models.CharField(_("step"), max_length=60)
    kind = models.CharField(_("kind"), max_length=30)
    status = models.CharField(
        _("status"), max_length=10, choices=StepStatus.choices, default=StepStatus.PREPARED
    )
    due_on = models.DateField(_("due"))
    taken_on = models.DateField(_("date"))
    deadline = models.DateField(_("deadline or date set"), null=True, blank=True)
    months_covered = models.PositiveSmallIntegerField(default=0)
    arrears = models.IntegerField(_("arrears (NOK)"), default=0)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    copies = models.JSONField(default=list, blank=True)
    dispatch_channel = models.CharField(
        _("sent"),
        max_length=10,
        blank=True,
        choices=DispatchChannel.choices,
    )
    """How the letter went to the tenant (``husly.rent.models.DispatchChannel``), recorded when a
    person confirms the step; the copies went the same day."""
    dispatched_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attendees = models.JSONField(_("who attends"), default=list, blank=True)
    with_children = models.BooleanField(default=False)
    note = models.TextField(_("note"), blank=True)
    document = models.FileField(upload_to="arrears/%Y/", blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["taken_on", "pk"]

    def __str__(self) -> str:
        return f"{self.step_id} {self.taken_on}"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")


class RentMeeting(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="rent_meetings"
    )
    held_on = models.DateField(_("date"))
    status = models.CharField(
        max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    participants = models.TextField(_("participants"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Husleiemøte {self.held_on}"


class AgendaReason(models.TextChoices):
    NEW = "new", _("New arrears")
    GROWING = "growing", _("Growing arrears")
    PAST_DEADLINE = "past_deadline", _("Past a deadline")
    PLAN_BROKEN = "plan_broken", _("Repayment plan broken")
    FOLLOW_UP = "follow_up", _("Follow-up")


class MeetingItem(models.Model):
    meeting = models.ForeignKey(RentMeeting, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey(ArrearsCase, on_delete=models.CASCADE, related_name="meeting_items")
    reasons = models.JSONField(default=list, blank=True)
    arrears = models.IntegerField(default=0)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible for the dialogue with the tenant"),
    )
    agreed = models.TextField(_("what was agreed"), blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "case"], name="arrears_item_once"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} – {self.case}"


class AgreementStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    BROKEN = "broken", _("Broken")
    COMPLETED = "completed", _("Completed")


class RepaymentAgreement(models.Model):
    case = models.ForeignKey(ArrearsCase, on_delete=models.CASCADE, related_name="agreements")
    agreed_on = models.DateField(_("agreed on"))
    start_balance = models.PositiveIntegerField(_("arrears covered by the agreement (NOK)"))
    status = models.CharField(
        max_length=10, choices=AgreementStatus.choices, default=AgreementStatus.ACTIVE
    )
    ended_on = models.DateField(null=True, blank=True)
    explanation = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-agreed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="active"), name="arrears_one_active_agreement"
            ),
        ]

    def __str__(self) -> str:
        return f"Nedbetalingsavtale {self.agreed_on}"


class Instalment(models.Model):
    agreement = models.ForeignKey(
        RepaymentAgreement, on_delete=models.CASCADE, related_name="instalments"
    )
    due = models.DateField(_("due"))
    amount = models.PositiveIntegerField(_("amount (NOK)"))

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return f"Avdrag {self.due}"


class NavCoverage(models.Model):
    """NAV covers (part of) the arrears as økonomisk sosialhjelp (Appendix 4 point 8)."""

    case = models.ForeignKey(ArrearsCase, on_delete=models.CASCADE, related_name="nav_coverages")
    amount = models.PositiveIntegerField(_("amount (NOK)"))
    decided_on = models.DateField(_("decided on"))
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    legal_basis = models.ForeignKey(
        LegalBasis, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-decided_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent__isnull=False) | Q(legal_basis__isnull=False),
                name="arrears_nav_coverage_has_basis",
            ),
        ]

    def __str__(self) -> str:
        return f"NAV dekker {self.amount} kr"


class FactKind(models.TextChoices):
    CASE_OPENED = "case_opened", _("Arrears case opened")
    CASE_CLOSED = "case_closed", _("Arrears case closed")
    COLLECTION_NOTICE = "collection_notice", _("Debt-collection notice sent")
    EVICTION_NOTICE = "eviction_notice", _("Notice of eviction petition sent")
    PETITION = "petition", _("Eviction petition sent")
    EXTERNAL_PETITION = "external_petition", _("Petition from another landlord registered")
    EVICTION = "eviction", _("Eviction carried out")
    AGREEMENT = "agreement", _("Repayment agreement made")
    AGREEMENT_BROKEN = "agreement_broken", _("Repayment agreement broken")
    NAV_COVERAGE = "nav_coverage", _("NAV covers arrears")


class ArrearsFact(models.Model):
    """One coded event for the leaders' figures; no names, no free text."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        ArrearsCase, on_delete=models.SET_NULL, null=True, blank=True, related_name="facts"
    )
    kind = models.CharField(max_length=20, choices=FactKind.choices)
    on = models.DateField()
    origin = models.CharField(max_length=20, choices=CaseOrigin.choices)
    with_children = models.BooleanField(default=False)
    close_reason = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["on", "pk"]
        indexes = [models.Index(fields=["municipality", "kind", "on"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.on}"
