"""Living there: the bo-plan, contacts, warnings, inspections, moving out and vacancy, and the
follow-up of refused applicants (Rælingen appendix 4 points 9-12, appendix 5 "rent when moving
out", section 2.11; Oslo 3.8; the thesis' "de som havner utenfor").

Facts a leader's figure needs later are stored as such (offered/accepted/declined dates,
warnings counted, vacancy segments by cause), never recomputed from free text.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from husly.cases.models import Decision
from husly.housing.models import Dwelling
from husly.organisation.models import Municipality, Unit
from husly.people.models import Household
from husly.tenancy.models import Lease


class FollowUpSettings(models.Model):
    """What a municipality configures without code (appendix 4 point 12: EIE takes over "after
    three written warnings"; 2.11: inspection once a year; 2.12: "three weeks" without contact)."""

    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, related_name="follow_up_settings"
    )
    warnings_before_takeover = models.PositiveSmallIntegerField(
        _("written warnings before the property unit takes over"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    contact_interval_days = models.PositiveSmallIntegerField(
        _("days without contact before a tenant stands out"),
        default=21,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    inspection_interval_months = models.PositiveSmallIntegerField(
        _("months between inspections"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
    )
    property_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("property unit (gets copies of warnings)"),
    )

    class Meta:
        verbose_name = _("follow-up settings")

    def __str__(self) -> str:
        return str(self.municipality)


DEFAULT_SETTINGS = FollowUpSettings(
    warnings_before_takeover=3, contact_interval_days=21, inspection_interval_months=12
)


class PlanStatus(models.TextChoices):
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class NextStep(models.TextChoices):
    """The next step on the housing career (Rælingen 7.5; appendix 4 point 11)."""

    STAY = "stay", _("Stay in the dwelling")
    SMALLER = "smaller", _("A smaller dwelling")
    LARGER = "larger", _("A larger dwelling")
    PRIVATE_RENTAL = "private_rental", _("Private rental")
    START_LOAN = "start_loan", _("Buy with a start loan")
    RENT_TO_OWN = "rent_to_own", _("Rent to own")


class HousingPlan(models.Model):
    """Plan for boligkarriere, offered to each tenant at moving in (appendix 4 point 11)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    lease = models.OneToOneField(Lease, on_delete=models.PROTECT, related_name="housing_plan")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.OFFERED
    )
    offered_on = models.DateField(_("offered"))
    accepted_on = models.DateField(_("accepted"), null=True, blank=True)
    declined_on = models.DateField(_("declined"), null=True, blank=True)
    goals = models.TextField(_("goals"), blank=True)
    services = models.TextField(_("services"), blank=True)
    responsible_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible service unit"),
    )
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact person"),
    )
    contact_interval_days = models.PositiveSmallIntegerField(
        _("contact at least every (days)"),
        default=21,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    next_step = models.CharField(
        _("next step on the housing career"), max_length=16, choices=NextStep.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-offered_on", "-pk"]
        verbose_name = _("bo-plan")

    def __str__(self) -> str:
        return f"{self.household}"


class ContactKind(models.TextChoices):
    HOME_VISIT = "home_visit", _("Home visit")
    PHONE = "phone", _("Phone call")
    MEETING = "meeting", _("Meeting at the office")
    GROUP = "group", _("Responsibility group meeting")
    REVIEW = "review", _("Review of the plan")


class Contact(models.Model):
    """A contact with the tenant, recorded against the plan (4.12: date, unit, staff, kind)."""

    plan = models.ForeignKey(HousingPlan, on_delete=models.PROTECT, related_name="contacts")
    kind = models.CharField(_("kind"), max_length=12, choices=ContactKind.choices)
    contact_on = models.DateField(_("date"))
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    note = models.TextField(_("note"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-contact_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.plan} {self.contact_on}"


class IncidentKind(models.TextChoices):
    HOUSE_RULES = "house_rules", _("Breach of the house rules")
    LEASE = "lease", _("Breach of the lease")
    NEIGHBOUR = "neighbour", _("Neighbour complaint")
    DAMAGE = "damage", _("Damage to the dwelling")


class Incident(models.Model):
    """A breach or complaint, recorded as it comes in (appendix 4 point 12)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    lease = models.ForeignKey(Lease, on_delete=models.PROTECT, related_name="incidents")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=IncidentKind.choices)
    occurred_on = models.DateField(_("when"))
    reported_by = models.CharField(_("reported by"), max_length=200, blank=True)
    description = models.TextField(_("what happened"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.household} {self.occurred_on}"


class WrittenWarning(models.Model):
    """The conversation with the tenant and the service unit, documented as a written warning
    with a further plan, copied to the property unit (appendix 4 point 12)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    lease = models.ForeignKey(Lease, on_delete=models.PROTECT, related_name="warnings")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    incident = models.ForeignKey(
        Incident,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="warnings",
        verbose_name=_("what the warning is about"),
    )
    number = models.PositiveSmallIntegerField(_("warning number"))
    conversation_on = models.DateField(_("conversation held"))
    present = models.TextField(_("present at the conversation"))
    problems = models.TextField(_("the problems"))
    plan = models.TextField(_("further plan"))
    service_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service unit"),
    )
    copied_to = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("copy to"),
    )
    takeover = models.BooleanField(_("the property unit takes over"), default=False)
    language = models.CharField(_("written standard"), max_length=2, default="nb")
    letter = models.FileField(upload_to="warnings/%Y/", blank=True)
    letter_sha256 = models.CharField(max_length=64, blank=True)
    issued_on = models.DateField(_("issued"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["lease", "number"],
                name="followup_warning_number_unique",
                violation_error_message=_("This warning number is already used for the lease."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.number}"


class InspectionKind(models.TextChoices):
    ANNUAL = "annual", _("Annual inspection")
    FINAL = "final", _("Final inspection at moving out")
    OTHER = "other", _("Other inspection")


class Inspection(models.Model):
    """A befaring (section 2.11): planned with a notice to the tenant, then recorded with the
    dwelling's state and the four conditions appendix 4 point 12 says must be documented."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    dwelling = models.ForeignKey(Dwelling, on_delete=models.PROTECT, related_name="inspections")
    lease = models.ForeignKey(
        Lease, on_delete=models.PROTECT, null=True, blank=True, related_name="inspections"
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=InspectionKind.choices)
    planned_on = models.DateField(_("planned for"), null=True, blank=True)
    inspected_on = models.DateField(_("inspected"), null=True, blank=True)
    inspectors = models.CharField(_("inspected by"), max_length=300, blank=True)
    state = models.TextField(_("the dwelling's state"), blank=True)
    maintenance_needs = models.TextField(_("maintenance needs"), blank=True)
    service_needs = models.TextField(_("service needs spotted"), blank=True)
    fire_hazard = models.BooleanField(_("the flat is a fire hazard"), null=True, blank=True)
    cannot_inspect = models.BooleanField(
        _("the flat cannot be inspected to the necessary extent"), null=True, blank=True
    )
    not_due_care = models.BooleanField(
        _("the flat is not treated with due care"), null=True, blank=True
    )
    access_refused = models.BooleanField(
        _("the tenant refuses the service unit access"), null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-inspected_on", "-planned_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(inspected_on__isnull=False) | models.Q(planned_on__isnull=False),
                name="followup_inspection_has_a_date",
                violation_error_message=_("An inspection is planned for a date or has been held."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dwelling} {self.inspected_on or self.planned_on}"

    @property
    def worrying(self) -> bool:
        """Any of the four conditions: the property unit notifies the coordinator or consultant."""
        return bool(
            self.fire_hazard or self.cannot_inspect or self.not_due_care or self.access_refused
        )


NOTICE_MONTHS = 3
"""Husleieloven § 9-6 first paragraph: a dwelling lease is terminated with three months'
notice, counted from the end of the month the notice is given, unless otherwise agreed."""


class MoveOut(models.Model):
    """Notice from the tenant, the final inspection, repairs and the date the dwelling is ready
    again (appendix 5 "rent when moving out")."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    lease = models.OneToOneField(Lease, on_delete=models.PROTECT, related_name="move_out")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    notice_received_on = models.DateField(_("notice received"))
    notice_months = models.PositiveSmallIntegerField(
        _("notice period (months)"),
        default=NOTICE_MONTHS,
        validators=[MinValueValidator(0), MaxValueValidator(12)],
    )
    moving_out_on = models.DateField(_("last day of the tenancy"))
    final_inspection = models.OneToOneField(
        Inspection, on_delete=models.PROTECT, null=True, blank=True, related_name="move_out"
    )
    repairs = models.TextField(_("repairs needed"), blank=True)
    ready_on = models.DateField(_("dwelling ready again"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-moving_out_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.household} {self.moving_out_on}"


class VacancyCause(models.TextChoices):
    """Appendix 5: vacancy from renovation is carried by the property unit; vacancy between
    tenants is billed to the responsible service unit."""

    REPAIRS = "repairs", _("Repairs after moving out")
    RENOVATION = "renovation", _("Renovation")
    LETTING = "letting", _("Waiting for the next tenant")


class VacancySegment(models.Model):
    """A stretch of vacancy with one cause, stored as a fact: from ``starts_on`` up to (not
    including) ``ends_on``. Every lease that leaves the dwelling empty starts one, whatever
    ended it (move-out, eviction, death, institution, swap: ``end_reason``); the open segment
    is ended when the dwelling's next lease comes into force."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    dwelling = models.ForeignKey(Dwelling, on_delete=models.PROTECT, related_name="+")
    lease = models.ForeignKey(
        Lease, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    """The lease whose end started the vacancy."""
    end_reason = models.CharField(_("why the lease ended"), max_length=12, blank=True)
    move_out = models.ForeignKey(
        MoveOut, on_delete=models.PROTECT, null=True, blank=True, related_name="segments"
    )
    cause = models.CharField(_("cause"), max_length=12, choices=VacancyCause.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="followup_vacancy_ends_after_it_starts",
                violation_error_message=_("The dwelling cannot be ready before the tenant left."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dwelling} {self.cause} {self.starts_on}"


class RefusalFollowUp(models.Model):
    """A refused applicant is not dropped: what the household was referred to, and when someone
    follows up (the thesis, P5 "de som havner utenfor")."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    decision = models.OneToOneField(
        Decision, on_delete=models.PROTECT, related_name="refusal_follow_up"
    )
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    referred_to = models.TextField(_("referred to"))
    follow_up_on = models.DateField(_("follow up on"))
    followed_up_on = models.DateField(_("followed up"), null=True, blank=True)
    outcome = models.TextField(_("what came of it"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["follow_up_on", "pk"]

    def __str__(self) -> str:
        return f"{self.household} {self.follow_up_on}"
