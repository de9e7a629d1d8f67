"""Temporary accommodation under sosialtjenesteloven § 27 (spec/law-and-parameters.md § 7.1).

A provider (municipal, hostel or hospits, hotel, campsite, crisis centre, natthjem) has places
and, for private providers, a quality agreement with the standard contract items of the U-5/2003
guidance; inspections of the provider are recorded. A stay is one household's continuous time in
temporary accommodation, decided by NAV as an enkeltvedtak (a ``cases.Decision`` of the kind
temporary accommodation); it is made of segments, one per place, so a move keeps the stay and its
days. Nights and cost follow from the segments: a segment runs from the first night
(``starts_on``) to the morning the household leaves (``ends_on``, exclusive).

A household's housing situation is recorded with the national definition of homelessness
(NIBR/OsloMet, spec/law-and-parameters.md § 8.3).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from husly.cases.models import Case, Decision
from husly.organisation.models import Municipality, Unit
from husly.people.models import Household


class ProviderKind(models.TextChoices):
    MUNICIPAL = "municipal", _("Municipal temporary housing")
    HOSTEL = "hostel", _("Private hostel or hospits")
    HOTEL = "hotel", _("Hotel")
    CAMPSITE = "campsite", _("Campsite or cabin")
    CRISIS_CENTRE = "crisis_centre", _("Crisis centre")
    NIGHT_SHELTER = "night_shelter", _("Night shelter (natthjem)")


NOT_KOSTRA = frozenset({ProviderKind.NIGHT_SHELTER})
"""SSB: natthjem is not a midlertidig botilbud in the KOSTRA counts (spec § 8.1)."""


class Provider(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="temporary_providers"
    )
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=ProviderKind.choices)
    organisation_number = models.CharField(_("organisation number"), max_length=9, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("provider")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"],
                name="temporary_provider_name_unique",
                violation_error_message=_("The municipality already has a provider by that name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class PricePer(models.TextChoices):
    PERSON = "person", _("per person per night")
    HOUSEHOLD = "household", _("per household per night")


class Place(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="places")
    name = models.CharField(_("place"), max_length=150)
    capacity = models.PositiveSmallIntegerField(_("capacity (households)"))
    price = models.PositiveIntegerField(_("price (NOK)"))
    price_per = models.CharField(_("price is"), max_length=10, choices=PricePer.choices)
    children_allowed = models.BooleanField(_("children may stay"), default=False)

    class Meta:
        ordering = ["provider__name", "name"]
        verbose_name = _("place")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "name"],
                name="temporary_place_name_unique",
                violation_error_message=_("The provider already has a place by that name."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider.name}, {self.name}"

    def price_per_night(self, persons: int) -> int:
        return self.price * persons if self.price_per == PricePer.PERSON else self.price


class QualityAgreement(models.Model):
    """The standard contract with a private provider (U-5/2003, "Veileder for kvalitetskrav til
    midlertidig husvære"): standard, safety, staffing, follow-up and inspection."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="agreements")
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    standard = models.TextField(_("standard of the rooms and common areas"))
    safety = models.TextField(_("fire safety and security"))
    staffing = models.TextField(_("staffing"))
    follow_up = models.TextField(_("follow-up of residents"))
    inspection = models.TextField(_("the municipality's right to inspect"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("quality agreement")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__gte=models.F("valid_from")),
                name="temporary_agreement_dates",
                violation_error_message=_("The agreement cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider}: {self.valid_from}–{self.valid_to}"


class Inspection(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="inspections")
    inspected_on = models.DateField(_("inspected on"))
    passed = models.BooleanField(_("passed"))
    findings = models.TextField(_("findings"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-inspected_on", "-pk"]
        verbose_name = _("inspection")

    def __str__(self) -> str:
        return f"{self.provider}: {self.inspected_on}"


class LastingPath(models.TextChoices):
    """Where the household is heading: the case for a lasting home the stay is linked to."""

    MUNICIPAL_DWELLING = "municipal_dwelling", _("Application for a municipal dwelling")
    PRIVATE_RENTAL = "private_rental", _("Private rental (brokerage, deposit guarantee)")
    START_LOAN = "start_loan", _("Start loan")
    SERVICES = "services", _("Dwelling with services")
    OTHER = "other", _("Other (described in the note)")


class Discharge(models.TextChoices):
    NONE = "", _("No")
    PRISON = "prison", _("Released from prison")
    INSTITUTION = "institution", _("Discharged from an institution")


class EndReason(models.TextChoices):
    LEASE_SIGNED = "lease_signed", _("Signed a lease")
    OWN_SOLUTION = "own_solution", _("Found a place on their own")
    MOVED_AWAY = "moved_away", _("Moved from the municipality")
    LEFT = "left", _("Left without notice")
    OTHER = "other", _("Other reason")


class Stay(models.Model):
    """One household's continuous stay in temporary accommodation (one or more places)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="temporary_stays"
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="temporary_stays"
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        related_name="temporary_stays",
        verbose_name=_("case for a lasting home"),
    )
    decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("the decision in force"),
    )
    lasting_path = models.CharField(
        _("path to a lasting home"), max_length=20, choices=LastingPath.choices
    )
    responsible_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("who finds the lasting solution"),
    )
    persons = models.PositiveSmallIntegerField(_("persons"))
    discharge = models.CharField(
        _("straight from prison or an institution"),
        max_length=20,
        choices=Discharge.choices,
        blank=True,
    )
    starts_on = models.DateField(_("first night"))
    planned_end = models.DateField(_("decided until"))
    ended_on = models.DateField(_("ended (the morning of leaving)"), null=True, blank=True)
    end_reason = models.CharField(
        _("why the stay ended"), max_length=20, choices=EndReason.choices, blank=True
    )
    end_note = models.TextField(_("note on the ending"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("stay")
        indexes = [models.Index(fields=["municipality", "starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_end__gt=models.F("starts_on")),
                name="temporary_stay_planned_after_start",
                violation_error_message=_("The stay must be decided for at least one night."),
            ),
            models.CheckConstraint(
                condition=(models.Q(ended_on__isnull=True) & models.Q(end_reason=""))
                | (models.Q(ended_on__gt=models.F("starts_on")) & ~models.Q(end_reason="")),
                name="temporary_stay_ended_when_and_why",
                violation_error_message=_(
                    "An ended stay needs the day it ended, after the first night, and a reason."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.starts_on}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class Segment(models.Model):
    """The part of a stay spent at one place, with the price per night agreed for it."""

    stay = models.ForeignKey(Stay, on_delete=models.CASCADE, related_name="segments")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="segments")
    starts_on = models.DateField(_("first night"))
    ends_on = models.DateField(_("left (morning)"), null=True, blank=True)
    price_per_night = models.PositiveIntegerField(_("price per night (NOK)"))
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        indexes = [models.Index(fields=["starts_on", "ends_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gt=models.F("starts_on")),
                name="temporary_segment_dates",
                violation_error_message=_("A place must be used for at least one night."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.place} {self.starts_on}"

    def nights(self, today: dt.date | None = None) -> int:
        end = self.ends_on or (today or timezone.localdate())
        return max(0, (end - self.starts_on).days)


class StayChangeKind(models.TextChoices):
    PLACED = "placed", _("Placed")
    EXTENDED = "extended", _("Extended")
    MOVED = "moved", _("Moved to another place")
    ENDED = "ended", _("Ended")


class StayChange(models.Model):
    """The stay's history as the household and the caseworker read it: each change with its
    date, reason and the decision that made it."""

    stay = models.ForeignKey(Stay, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("change"), max_length=10, choices=StayChangeKind.choices)
    on = models.DateField(_("date"))
    reason = models.TextField(_("reason"))
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the daily job made the change (a lease came into force)."),
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.stay} {self.kind} {self.on}"


class Situation(models.TextChoices):
    """The national definition of homelessness (NIBR/OsloMet; spec/law-and-parameters.md § 8.3)."""

    TEMPORARY_OFFER = "temporary_offer", _("Refers to casual and temporary accommodation")
    WITH_FRIENDS = "with_friends", _("Staying temporarily with friends, acquaintances or family")
    INSTITUTION = "institution", _("In an institution, to be discharged within two months")
    PRISON = "prison", _("In prison or under the correctional service, released within two months")
    SLEEPING_ROUGH = "sleeping_rough", _("Sleeping rough or has no place to sleep")
    OWN_HOME = "own_home", _("Own owned or rented home")
    WITH_RELATIVES = "with_relatives", _("Lives permanently with close relatives")
    SUBLET = "sublet", _("Lives in a sublet dwelling")


HOMELESS = frozenset(
    {
        Situation.TEMPORARY_OFFER,
        Situation.WITH_FRIENDS,
        Situation.INSTITUTION,
        Situation.PRISON,
        Situation.SLEEPING_ROUGH,
    }
)
"""Situations that count as homeless; institution and prison only with discharge within two
months and no home of their own."""
LEAVING = frozenset({Situation.INSTITUTION, Situation.PRISON})


class HousingSituation(models.Model):
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="housing_situations"
    )
    situation = models.CharField(_("housing situation"), max_length=20, choices=Situation.choices)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)
    leaves_on = models.DateField(_("to be discharged or released on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-valid_from", "-pk"]
        verbose_name = _("housing situation")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="temporary_situation_dates",
                violation_error_message=_("The situation cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=~models.Q(situation__in=["institution", "prison"])
                | models.Q(leaves_on__isnull=False),
                name="temporary_situation_leaving_date",
                violation_error_message=_("State when the person is to be discharged or released."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.situation}"
