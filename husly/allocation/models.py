"""The waiting list, matching runs, allocation meetings and offers (spec/glossary.md §5).

An issued approval places the household on the waiting list (``husly.allocation.hooks``); the
matching engine (``husly.matching``, no Django) proposes; people decide in the allocation
meeting; the household answers an offer. The database guarantees that a dwelling never has two
live offers (open or accepted) at once, and a household never has two live entries.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from husly.cases.models import Decision
from husly.housing.models import Dwelling
from husly.organisation.models import Municipality
from husly.people.models import Household

LEVEL = [MinValueValidator(0), MaxValueValidator(3)]


class RefusalRule(models.TextChoices):
    """What refusing an offer does (municipal policy, engineering-anchors C3)."""

    LAPSE = "lapse", _("The approval lapses at the first refusal (Rælingen 7.3 b)")
    COUNT = "count", _("A number of refusals is allowed, keeping the place (Oslo practice)")


class AllocationPolicy(models.Model):
    """One version of a municipality's allocation policy: priority weights, matching rules
    (both as ``husly.matching`` configuration) and what refusing an offer does. Never edited:
    a change is a new version, so every run names the version it used."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="allocation_policies"
    )
    version = models.CharField(_("version"), max_length=40)
    priority = models.JSONField(_("priority policy"))
    matching = models.JSONField(_("matching policy"))
    refusal_rule = models.CharField(
        _("when a household refuses an offer"),
        max_length=10,
        choices=RefusalRule.choices,
        default=RefusalRule.LAPSE,
    )
    refusals_allowed = models.PositiveSmallIntegerField(
        _("refusals allowed without losing the approval"), default=1
    )
    answer_days = models.PositiveSmallIntegerField(
        _("days the household has to answer an offer"), default=7
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "version"], name="allocation_policy_version_unique"
            )
        ]

    def __str__(self) -> str:
        return self.version


class EntryStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    OFFERED = "offered", _("Offered a dwelling")
    ON_HOLD = "on_hold", _("On hold: lapse decision being prepared")
    HOUSED = "housed", _("Housed")
    LAPSED = "lapsed", _("Approval lapsed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


LIVE_ENTRY = [EntryStatus.WAITING, EntryStatus.OFFERED, EntryStatus.ON_HOLD]


class Urgency(models.IntegerChoices):
    """``husly.matching.Urgency`` codes."""

    NONE = 0, _("No particular urgency")
    UNSUITABLE_DWELLING = 1, _("Lives in an unsuitable dwelling")
    LEASE_ENDING = 2, _("The lease ends within six months")
    LEAVING_INSTITUTION = 3, _("Leaves an institution within six months")
    TEMPORARY_ACCOMMODATION = 4, _("Lives in temporary accommodation")
    HOMELESS = 5, _("Homeless")


class WaitingListEntry(models.Model):
    """A household on the waiting list, with the dwelling needs its decision states and the
    assessed priority inputs (levels 0–3 for medical, social and children's circumstances)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="waiting_list"
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="waiting_list_entries"
    )
    decision = models.OneToOneField(
        Decision, on_delete=models.PROTECT, related_name="waiting_list_entry"
    )
    current_lease = models.ForeignKey(
        "tenancy.Lease",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfer_entries",
        help_text=_("For a swap: the lease the household leaves when it moves."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.WAITING
    )
    placed_on = models.DateField(_("on the list since"))
    persons = models.PositiveSmallIntegerField(_("persons"), validators=[MinValueValidator(1)])
    categories = models.JSONField(_("dwelling categories the decision covers"))
    allowed_districts = models.JSONField(_("only these areas"), null=True, blank=True)
    preferred_district = models.CharField(_("preferred area"), max_length=100, blank=True)
    needs_wheelchair = models.BooleanField(_("needs wheelchair access"), default=False)
    max_floor = models.PositiveSmallIntegerField(
        _("highest floor without lift"), null=True, blank=True
    )
    heavy_needs = models.BooleanField(
        _("heavy follow-up needs (counts toward the spread rule)"), default=False
    )
    medical = models.PositiveSmallIntegerField(
        _("medical circumstances (0–3)"), default=0, validators=LEVEL
    )
    social = models.PositiveSmallIntegerField(
        _("social circumstances (0–3)"), default=0, validators=LEVEL
    )
    children = models.PositiveSmallIntegerField(
        _("children's situation (0–3)"), default=0, validators=LEVEL
    )
    urgency = models.PositiveSmallIntegerField(
        _("housing situation"), choices=Urgency.choices, default=Urgency.NONE
    )
    manual_points = models.IntegerField(_("manual adjustment (points)"), default=0)
    manual_reason = models.TextField(_("reason for the manual adjustment"), blank=True)
    refusals = models.PositiveSmallIntegerField(_("offers refused"), default=0)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["placed_on", "pk"]
        verbose_name = _("waiting list entry")
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(status__in=LIVE_ENTRY),
                name="waiting_list_one_live_entry_per_household",
                violation_error_message=_("The household is already on the waiting list."),
            ),
            models.CheckConstraint(
                condition=models.Q(manual_points=0) | ~models.Q(manual_reason=""),
                name="waiting_list_manual_points_need_reason",
                violation_error_message=_("Give the reason for the manual adjustment."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} ({self.placed_on:%d.%m.%Y})"


class RunKind(models.TextChoices):
    SHORTLIST = "shortlist", _("Shortlist for one dwelling")
    BATCH = "batch", _("Proposal for a round of vacancies")


class MatchingRun(models.Model):
    """Every run of the matching engine with its full input, so it can be replayed and
    explained later (``husly.matching.replay``)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="matching_runs"
    )
    kind = models.CharField(max_length=10, choices=RunKind.choices)
    policy = models.ForeignKey(AllocationPolicy, on_delete=models.PROTECT, related_name="runs")
    seed = models.BigIntegerField()
    input_digest = models.CharField(max_length=64)
    snapshot = models.JSONField()
    result = models.JSONField()
    seconds = models.FloatField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%d.%m.%Y %H:%M}"


class MeetingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed, minutes final")


class AllocationMeeting(models.Model):
    """Tildelingsmøte: the vacancies, the proposal, the members' decisions and the minutes."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="allocation_meetings"
    )
    held_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=150)
    members = models.CharField(_("members present"), max_length=300, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    status = models.CharField(
        max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.OPEN
    )
    run = models.ForeignKey(
        MatchingRun, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("allocation meeting")

    def __str__(self) -> str:
        return f"{self.title} {self.held_on:%d.%m.%Y}"


class ItemDecision(models.TextChoices):
    PROPOSED = "proposed", _("Proposed, not yet decided")
    CONFIRMED = "confirmed", _("Confirmed: offer made")
    REJECTED = "rejected", _("Not offered this time")


class MeetingItem(models.Model):
    """One vacancy on the meeting's agenda: the engine's proposal and what the members
    decided, with the reason."""

    meeting = models.ForeignKey(AllocationMeeting, on_delete=models.CASCADE, related_name="items")
    dwelling = models.ForeignKey(Dwelling, on_delete=models.PROTECT, related_name="+")
    proposed_entry = models.ForeignKey(
        WaitingListEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    explanation = models.JSONField(default=dict)
    decision = models.CharField(
        max_length=10, choices=ItemDecision.choices, default=ItemDecision.PROPOSED
    )
    chosen_entry = models.ForeignKey(
        WaitingListEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("the members' reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "dwelling"], name="meeting_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} {self.dwelling}"


class OfferStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the household's answer")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    LEASED = "leased", _("Lease written")


LIVE_OFFER = [OfferStatus.OPEN, OfferStatus.ACCEPTED]
ACCEPTED_OFFER = [OfferStatus.ACCEPTED, OfferStatus.LEASED]
"""Offers the household has accepted: the dwelling is its own (the lease may be written, not
yet begun; the entry closes as housed when it begins)."""


class AnsweredVia(models.TextChoices):
    PORTAL = "portal", _("My page")
    CASEWORKER = "caseworker", _("Through the caseworker")


class Offer(models.Model):
    """An offer of one dwelling to one waiting household, with an answer deadline."""

    entry = models.ForeignKey(WaitingListEntry, on_delete=models.PROTECT, related_name="offers")
    dwelling = models.ForeignKey(Dwelling, on_delete=models.PROTECT, related_name="offers")
    unit = models.PositiveSmallIntegerField(
        _("room"),
        default=1,
        help_text=_("The room offered in a shared flat; 1 for an ordinary dwelling."),
    )
    meeting_item = models.ForeignKey(
        MeetingItem, on_delete=models.PROTECT, null=True, blank=True, related_name="offers"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=OfferStatus.choices, default=OfferStatus.OPEN
    )
    made_on = models.DateField(_("offered"))
    answer_due = models.DateField(_("answer by"))
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_via = models.CharField(max_length=12, choices=AnsweredVia.choices, blank=True)
    refusal_reason = models.TextField(_("reason for refusing"), blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-made_on", "-pk"]
        verbose_name = _("offer")
        constraints = [
            models.UniqueConstraint(
                fields=["dwelling", "unit"],
                condition=models.Q(status__in=LIVE_OFFER),
                name="offer_one_live_offer_per_dwelling_unit",
                violation_error_message=_(
                    "The dwelling already has an offer that is not answered or leased."
                ),
            ),
            models.UniqueConstraint(
                fields=["entry"],
                condition=models.Q(status__in=LIVE_OFFER),
                name="offer_one_live_offer_per_entry",
                violation_error_message=_(
                    "The household already has an offer that is not answered or leased."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dwelling} → {self.entry.household}"
