"""Cases: one application from a household (one door in), routed to every unit that must act,
assessed against the municipality's guideline, decided (enkeltvedtak) and appealed.

Names follow spec/glossary.md §3 (case handling).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from husly.organisation.models import Municipality, Unit
from husly.people.models import Household, Person
from husly.rules.guidelines import HousingKind


class HelpKind(models.TextChoices):
    """The kinds of help one application can ask for (boligsosial lov § 6; Husbanken's
    instruments; sosialtjenesteloven § 27)."""

    RENTAL_DWELLING = "rental_dwelling", _("Municipal rental dwelling without services")
    DWELLING_WITH_SERVICES = "dwelling_with_services", _("Dwelling with services or care")
    ADVICE = "advice", _("Advice and guidance only")
    START_LOAN = "start_loan", _("Start loan")
    GRANT = "grant", _("Grant")
    DEPOSIT_GUARANTEE = "deposit_guarantee", _("Deposit guarantee")
    HOUSING_FOLLOW_UP = "housing_follow_up", _("Housing follow-up")
    TEMPORARY_ACCOMMODATION = "temporary_accommodation", _("Temporary accommodation")


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Received")
    IN_PROGRESS = "in_progress", _("Being processed")
    DECIDED = "decided", _("Decided")
    CLOSED = "closed", _("Closed")


class CloseReason(models.TextChoices):
    """Why a case was closed (``case_close``)."""

    COMPLETED = "completed", _("Completed: everything is decided")
    WITHDRAWN = "withdrawn", _("The applicant withdrew the application")
    DUPLICATE = "duplicate", _("Duplicate of another case")
    MOVED = "moved", _("The household moved out of the municipality")
    OTHER = "other", _("Other reason")


class WithdrawnHow(models.TextChoices):
    """How the municipality was told that an application is withdrawn."""

    SELF_SERVICE = "self_service", _("In My page")
    IN_WRITING = "in_writing", _("In writing (letter or e-mail)")
    PHONE = "phone", _("By phone")
    MEETING = "meeting", _("In a meeting")


class Channel(models.TextChoices):
    SELF_SERVICE = "self_service", _("Self-service")
    PAPER = "paper", _("Paper form")
    PHONE = "phone", _("Phone")
    MEETING = "meeting", _("Meeting")


class RoutingRule(models.Model):
    """Which unit in a municipality handles a kind of help (configurable per municipality)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="routing_rules"
    )
    help_kind = models.CharField(_("kind of help"), max_length=30, choices=HelpKind.choices)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "help_kind"], name="routing_rule_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.help_kind} → {self.unit}"


class Case(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="cases")
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="cases", verbose_name=_("household")
    )
    number = models.CharField(_("case number"), max_length=20, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.DRAFT
    )
    channel = models.CharField(_("received by"), max_length=20, choices=Channel.choices)
    received_on = models.DateField(_("received"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("caseworker"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Set by case_close, cleared by case_reopen (the change events keep the history).
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    close_reason = models.CharField(
        _("reason for closing"), max_length=20, choices=CloseReason.choices, blank=True
    )
    close_note = models.TextField(_("note on the closing"), blank=True)
    withdrawn_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who withdrew the application"),
    )
    withdrawn_how = models.CharField(
        _("how the application was withdrawn"),
        max_length=20,
        choices=WithdrawnHow.choices,
        blank=True,
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("the case it duplicates"),
    )
    reopened_at = models.DateTimeField(_("reopened"), null=True, blank=True)
    # The one-time token of the form that created the case: a second send of the same form
    # finds this case instead of creating another (``case_create``).
    submission_token = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-received_on", "-pk"]
        indexes = [
            models.Index(fields=["municipality", "status"]),
            # The case list, newest first, a page at a time (Oslo: 5,000 cases a year).
            models.Index(fields=["received_on", "id"], name="case_received_idx"),
            # A caseworker's own open cases (the work list's "mine"), without a scan of all.
            models.Index(
                fields=["assigned_to"],
                condition=models.Q(status__in=["submitted", "in_progress"]),
                name="case_assigned_open_idx",
            ),
            # The drafts a user registered (the case list's few cases not routed to a unit).
            models.Index(
                fields=["created_by"],
                condition=models.Q(status="draft"),
                name="case_draft_creator_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(status="closed", closed_at__isnull=False) & ~models.Q(close_reason="")
                )
                | (~models.Q(status="closed") & models.Q(closed_at__isnull=True, close_reason="")),
                name="case_closed_when_and_why",
            ),
            models.UniqueConstraint(
                fields=["created_by", "submission_token"], name="case_once_per_submission"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class Application(models.Model):
    """What the household tells about its situation (the søknad). Unknown is ``None``."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="application")
    housing_kind = models.CharField(
        _("where do you live now"),
        max_length=30,
        blank=True,
        choices=[
            (HousingKind.NO_HOME.value, _("No home (homeless)")),
            (HousingKind.TEMPORARY_ACCOMMODATION.value, _("Temporary accommodation")),
            (HousingKind.WITH_FAMILY_OR_FRIENDS.value, _("With family or friends")),
            (HousingKind.RENTED_PRIVATE.value, _("Rented privately")),
            (HousingKind.RENTED_MUNICIPAL.value, _("Rented from the municipality")),
            (HousingKind.OWNED.value, _("Own home")),
            (HousingKind.INSTITUTION.value, _("Institution or prison")),
            (HousingKind.OTHER.value, _("Other")),
        ],
    )
    housing_description = models.TextField(_("describe your housing situation"), blank=True)
    is_without_suitable_housing = models.BooleanField(
        _("without a suitable home now"), null=True, blank=True
    )
    lease_end_date = models.DateField(_("the lease ends"), null=True, blank=True)
    has_right_to_renew_lease = models.BooleanField(
        _("right to renew the lease"), null=True, blank=True
    )
    institution_discharge_date = models.DateField(_("discharge date"), null=True, blank=True)
    has_home_after_discharge = models.BooleanField(
        _("has a home after discharge"), null=True, blank=True
    )
    current_dwelling_is_suitable = models.BooleanField(
        _("the current home is suitable"), null=True, blank=True
    )
    current_dwelling_is_approved = models.BooleanField(
        _("the current home is approved for living in"), null=True, blank=True
    )
    has_alternative_housing_options = models.BooleanField(
        _("can find a home on your own"), null=True, blank=True
    )
    has_offer_of_brokered_private_dwelling = models.BooleanField(
        _("offered another suitable home through a private landlord"), null=True, blank=True
    )
    lived_in_municipality_since = models.DateField(
        _("lived in the municipality since"), null=True, blank=True
    )
    gross_annual_income = models.PositiveIntegerField(
        _("gross income per year (NOK)"), null=True, blank=True
    )
    wealth = models.PositiveIntegerField(_("wealth (NOK)"), null=True, blank=True)
    debt = models.PositiveIntegerField(_("debt (NOK)"), null=True, blank=True)
    maintenance_obligations = models.PositiveIntegerField(
        _("child maintenance paid per year (NOK)"), null=True, blank=True
    )
    municipal_arrears = models.PositiveIntegerField(
        _("unpaid debt to the municipality (NOK)"), null=True, blank=True
    )
    has_repayment_agreement = models.BooleanField(
        _("repayment agreement with the municipality"), null=True, blank=True
    )
    municipal_debt_kinds = models.JSONField(
        _("what the debt to the municipality is for"), default=list, blank=True
    )
    repayment_agreement_is_realistic = models.BooleanField(
        _("the repayment agreement is realistic"), null=True, blank=True
    )
    has_reduced_functional_ability = models.BooleanField(
        _("reduced functional ability"), null=True, blank=True
    )
    has_health_problems = models.BooleanField(_("health problems"), null=True, blank=True)
    has_social_problems = models.BooleanField(_("social problems"), null=True, blank=True)
    health_needs = models.TextField(_("health and functional needs"), blank=True)
    needs_wheelchair_access = models.BooleanField(_("needs wheelchair access"), default=False)
    children_situation = models.TextField(_("the children's situation"), blank=True)
    needs_follow_up = models.BooleanField(_("needs follow-up in the home"), null=True, blank=True)
    follow_up_needs = models.TextField(_("what follow-up is needed"), blank=True)
    has_rent_payment_plan = models.BooleanField(
        _("has a plan for paying the rent"), null=True, blank=True
    )
    all_measures_tried = models.BooleanField(
        _("all other measures have been tried"), null=True, blank=True
    )
    fact_sources = models.JSONField(
        _("where each fact comes from"),
        default=dict,
        blank=True,
        help_text=_("Field name → source (FactSource), set when a caseworker records a fact."),
    )
    wished_districts = models.CharField(_("wished areas"), max_length=200, blank=True)
    max_floor = models.PositiveSmallIntegerField(
        _("highest floor without lift"), null=True, blank=True
    )
    needs_lift = models.BooleanField(_("needs a lift"), default=False)

    def __str__(self) -> str:
        return f"Søknad {self.case.number}"


class FactSource(models.TextChoices):
    """Where a fact used in the assessment comes from (forvaltningsloven § 17: the case is to be
    as well informed as possible, so the caseworker notes how each fact is known)."""

    APPLICANT = "applicant", _("Stated by the applicant")
    DOCUMENT = "document", _("Document")
    REGISTER = "register", _("Public register")
    CASEWORKER = "caseworker", _("The caseworker's own assessment or visit")
    OTHER_UNIT = "other_unit", _("Another unit or agency")


class RoutingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    REFERRED = "referred", _("Referred elsewhere")


class CaseRouting(models.Model):
    """One kind of help asked for, and the unit that must act on it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="routings")
    help_kind = models.CharField(_("kind of help"), max_length=30, choices=HelpKind.choices)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="routings", verbose_name=_("unit")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RoutingStatus.choices, default=RoutingStatus.OPEN
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("caseworker in the unit"),
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "help_kind"], name="routing_help_unique")
        ]
        indexes = [
            # The open parts of a unit and of a caseworker (the work list), few among many.
            models.Index(
                fields=["unit"], condition=models.Q(status="open"), name="routing_unit_open_idx"
            ),
            models.Index(
                fields=["assigned_to"],
                condition=models.Q(status="open"),
                name="routing_assigned_open_idx",
            ),
            # The cases routed to a set of units, counted from the index alone (the case list).
            models.Index(fields=["unit", "case"], name="routing_unit_case_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.help_kind}"


class Document(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(upload_to="case-documents/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


class NoteKind(models.TextChoices):
    MAPPING = "mapping", _("Mapping conversation (kartlegging)")
    HOME_VISIT = "home_visit", _("Home visit (befaring)")
    GUIDANCE = "guidance", _("Guidance conversation")
    NOTE = "note", _("Note")


class JournalNote(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(_("kind"), max_length=20, choices=NoteKind.choices)
    held_on = models.DateField(_("date"))
    text = models.TextField(_("what was found and agreed"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.held_on}"


class Assessment(models.Model):
    """One evaluation of the case against a guideline set, stored with every input so it can be
    re-read and re-run exactly as it was made (husly.rules.guidelines ``to_dict``)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    guideline_set_id = models.CharField(max_length=100)
    guideline_version = models.CharField(max_length=40)
    outcome = models.CharField(max_length=30)
    record = models.JSONField()
    grunnbelop = models.PositiveIntegerField(null=True)
    assessed_on = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"{self.guideline_set_id} {self.outcome}"


class DecisionKind(models.TextChoices):
    APPROVAL = "approval", _("Approval")
    REFUSAL = "refusal", _("Refusal")
    LAPSE = "lapse", _("Lapse of approval")
    RENEWAL = "renewal", _("Renewal of lease")
    RENEWAL_REFUSAL = "renewal_refusal", _("Refusal of renewal")
    SWAP = "swap", _("Swap approved")
    SWAP_REFUSAL = "swap_refusal", _("Swap refused")


NOT_APPEALABLE = {DecisionKind.SWAP_REFUSAL}  # Rælingen 7.6: swap refusals cannot be appealed

APPROVAL_LABELS = {
    HelpKind.RENTAL_DWELLING: _("Approval (placed on the waiting list)"),
    HelpKind.DWELLING_WITH_SERVICES: _("Approval (placed on the waiting list)"),
    HelpKind.ADVICE: _("Advice and guidance granted"),
    HelpKind.START_LOAN: _("Start loan granted"),
    HelpKind.GRANT: _("Grant awarded"),
    HelpKind.DEPOSIT_GUARANTEE: _("Deposit guarantee granted"),
    HelpKind.HOUSING_FOLLOW_UP: _("Housing follow-up granted"),
    HelpKind.TEMPORARY_ACCOMMODATION: _("Temporary accommodation granted"),
}
"""What an approval is called for each kind of help: only a dwelling puts anyone on a list."""


def outcome_label(help_kind: str, kind: str) -> str:
    """An outcome as named for a kind of help: an approval of a guarantee is "Deposit guarantee
    granted", never "placed on the waiting list"."""
    if kind == DecisionKind.APPROVAL and help_kind in APPROVAL_LABELS:
        return str(APPROVAL_LABELS[HelpKind(help_kind)])
    return str(DecisionKind(kind).label)


WAITING_LIST_HELP = frozenset({HelpKind.RENTAL_DWELLING, HelpKind.DWELLING_WITH_SERVICES})
"""Kinds of help whose approval places the household on the waiting list for a dwelling."""

NAV_HELP = frozenset({HelpKind.DEPOSIT_GUARANTEE, HelpKind.TEMPORARY_ACCOMMODATION})
"""Kinds of help the NAV office decides under sosialtjenesteloven (§§ 18–19 with § 15 for a
deposit guarantee, § 27 for temporary accommodation), appealed to the Statsforvalteren through
NAV (spec/law-and-parameters.md § 7)."""

STATE_APPEAL_HELP = NAV_HELP | {HelpKind.ADVICE, HelpKind.HOUSING_FOLLOW_UP}
"""Kinds of help whose decisions are appealed to the Statsforvalteren: NAV's, and individual
help under boligsosial lov § 6 (spec/law-and-parameters.md § 6). Municipal dwellings, start
loans and grants go to the municipality's own appeal body (forvaltningsloven § 28 second
paragraph)."""

APPROVAL_CONTENT: dict[str, tuple[str, ...]] = {
    HelpKind.RENTAL_DWELLING: ("expected_wait_months", "follow_up_unit"),
    HelpKind.DWELLING_WITH_SERVICES: ("expected_wait_months", "follow_up_unit"),
    HelpKind.ADVICE: (),
    HelpKind.START_LOAN: ("amount",),
    HelpKind.GRANT: ("amount",),
    HelpKind.DEPOSIT_GUARANTEE: ("amount", "landlord", "place", "period_from", "period_to"),
    HelpKind.HOUSING_FOLLOW_UP: ("follow_up_unit",),
    HelpKind.TEMPORARY_ACCOMMODATION: ("place", "period_from", "period_to"),
}
"""What an approval of each kind of help must say besides facts and reasons: a guarantee has
an amount, a landlord, the dwelling and a period; a temporary stay a place and dates."""

CONTENT_FIELDS = (
    "amount",
    "landlord",
    "place",
    "period_from",
    "period_to",
    "expected_wait_months",
    "follow_up_unit",
)


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    APPROVED = "approved", _("Approved, ready to issue")
    ISSUED = "issued", _("Issued")
    DISCARDED = "discarded", _("Discarded, never issued")


class Decision(models.Model):
    """An enkeltvedtak. Once issued it never changes; a new decision replaces it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions")
    help_kind = models.CharField(_("kind of help"), max_length=30, choices=HelpKind.choices)
    kind = models.CharField(_("outcome"), max_length=20, choices=DecisionKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT
    )
    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    facts = models.TextField(_("the facts the decision is based on"))
    reasoning = models.TextField(_("reasoning"))
    conditions = models.TextField(_("conditions"), blank=True)
    expected_wait_months = models.PositiveSmallIntegerField(
        _("expected waiting time (months)"), null=True, blank=True
    )
    amount = models.PositiveIntegerField(_("amount (NOK)"), null=True, blank=True)
    landlord = models.CharField(_("landlord"), max_length=200, blank=True)
    place = models.CharField(_("address or place"), max_length=200, blank=True)
    period_from = models.DateField(_("from"), null=True, blank=True)
    period_to = models.DateField(_("to"), null=True, blank=True)
    follow_up_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("linked follow-up unit"),
    )
    language = models.CharField(_("written standard"), max_length=2, default="nb")
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    return_comment = models.TextField(blank=True)
    issued_on = models.DateField(null=True, blank=True)
    notified_on = models.DateField(null=True, blank=True)
    letter = models.FileField(upload_to="letters/%Y/", blank=True)
    letter_sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.kind}"

    @property
    def is_appealable(self) -> bool:
        return self.kind not in NOT_APPEALABLE

    @property
    def outcome_label(self) -> str:
        """The outcome as named for this kind of help ("Deposit guarantee granted")."""
        return outcome_label(self.help_kind, self.kind)

    @property
    def appeal_body(self) -> str:
        """Where an upheld appeal goes: the Statsforvalteren for NAV's decisions and individual
        help under boligsosial lov, otherwise the municipality's own appeal body."""
        if self.help_kind in STATE_APPEAL_HELP:
            return "Statsforvalteren"
        return self.case.municipality.appeal_body


class PreliminaryReply(models.Model):
    """A foreløpig svar (forvaltningsloven § 11a): the case will take longer than a month, and
    the household is told why and when to expect an answer. Its letter is stored with its hash,
    like a decision letter."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="preliminary_replies")
    reason = models.TextField(_("why the case takes longer"))
    expected_by = models.DateField(_("when the household can expect an answer"))
    language = models.CharField(_("written standard"), max_length=2, default="nb")
    sent_on = models.DateField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    letter = models.FileField(upload_to="letters/%Y/", blank=True)
    letter_sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Foreløpig svar {self.case}"


class AppealStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    CHANGED = "changed", _("Changed by the first instance")
    UPHELD = "upheld", _("Upheld; to be sent to the appeal body")
    FORWARDED = "forwarded", _("Sent to the appeal body")
    CLOSED = "closed", _("Closed")


class AppealBodyOutcome(models.TextChoices):
    UPHELD = "upheld", _("Decision upheld")
    REVERSED = "reversed", _("Decision reversed")
    RETURNED = "returned", _("Returned for new treatment")


class Appeal(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="appeals")
    received_on = models.DateField(_("received"))
    posted_on = models.DateField(_("posted"), null=True, blank=True)
    grounds = models.TextField(_("what the household asks to be changed, and why"))
    deadline = models.DateField()
    in_time = models.BooleanField()
    late_reason = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=AppealStatus.choices, default=AppealStatus.REGISTERED
    )
    reconsideration = models.TextField(blank=True)
    forwarded_on = models.DateField(null=True, blank=True)
    appeal_body = models.CharField(max_length=200, blank=True)
    appeal_body_outcome = models.CharField(
        max_length=20, choices=AppealBodyOutcome.choices, blank=True
    )
    appeal_body_decided_on = models.DateField(null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"Klage {self.decision}"


def open_appeals() -> models.QuerySet[Appeal]:
    """Appeals still being handled: registered, upheld and not yet sent, sent and not yet
    decided by the appeal body, or changed by the first instance until the decision that
    replaces the appealed one is issued. A case with one is neither closed (``case_close``)
    nor anonymised (``husly.retention``)."""
    return Appeal.objects.filter(
        models.Q(status__in=[AppealStatus.REGISTERED, AppealStatus.UPHELD])
        | models.Q(status=AppealStatus.FORWARDED, appeal_body_decided_on__isnull=True)
        | (
            models.Q(status=AppealStatus.CHANGED)
            & ~models.Q(decision__replaced_by__status=DecisionStatus.ISSUED)
        )
    )


class DeadlineAlert(models.Model):
    """A deadline of a case coming due (or passed), raised by the daily job ``deadline_alerts``
    (ADR 0021): the § 11a month, the answer promised in a preliminary reply, the six-month
    allocation promise, a start-loan approval's validity. One per case, deadline and date due
    (the job may run twice); resolved when the deadline no longer applies (the reply was sent,
    the case decided, the dwelling allocated). The caseworkers of the case see it on the start
    page through ``cases_for_user``."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadline_alerts")
    what = models.CharField(max_length=30)
    """As the work list's deadlines: preliminary_reply, answer_promised, allocation_promise,
    start_loan_validity."""
    due = models.DateField()
    raised_on = models.DateField()
    resolved_on = models.DateField(null=True, blank=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)
    """A caseworker of the case marked the alert seen (``deadline_alert_dismiss``): it leaves the
    start page of everyone on the case; a new alert (another deadline or due date) shows again."""
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["due", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "what", "due"], name="cases_deadline_alert_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.what} {self.due}"
