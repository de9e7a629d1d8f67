"""The needs overview of boligsosial lov § 5: survey rounds in which units register the
households they know need a home but have not applied (Oslo's annual needs survey,
spec/sources/oslo.md § 3.7 and § 5.5), each person once across units.

Minimal personal data: a registration either points at a person already in the register, or
is an anonymous description. A national identity number given for an anonymous description is
never stored; only a keyed hash of it (per round) is, so that the same person registered by a
second unit is found and counted once without the survey holding the number.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from husly.organisation.models import Municipality, Unit
from husly.people.models import Person


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open for registrations")
    CLOSED = "closed", _("Closed")


class NeedsRound(models.Model):
    """One survey round, usually one a year, opened and closed by a leader."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="needs_rounds"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(_("title"), max_length=150)
    deadline = models.DateField(_("units register by"))
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("needs survey round")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"],
                name="needs_round_once_a_year",
                violation_error_message=_("There is already a needs survey round for this year."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class HouseholdType(models.TextChoices):
    SINGLE = "single", _("Single adult")
    COUPLE = "couple", _("Couple without children")
    SINGLE_PARENT = "single_parent", _("Single parent with children")
    FAMILY = "family", _("Couple with children")
    OTHER = "other", _("Other")


class NeedSituation(models.TextChoices):
    """Where the household lives now; the first four are homeless by the national definition
    (spec/law-and-parameters.md § 8.3)."""

    NO_PLACE = "no_place", _("Sleeps outside or has no place to sleep")
    TEMPORARY = "temporary", _("Temporary or chance accommodation")
    WITH_OTHERS = "with_others", _("Stays temporarily with friends or family")
    DISCHARGE = "discharge", _("Leaves an institution or prison within two months, no home")
    UNSUITABLE = "unsuitable", _("Lives in an unsuitable dwelling")
    LOSING_HOME = "losing_home", _("About to lose the home (eviction, lease ending)")
    OTHER = "other", _("Other")


HOMELESS_SITUATIONS = frozenset(
    {
        NeedSituation.NO_PLACE,
        NeedSituation.TEMPORARY,
        NeedSituation.WITH_OTHERS,
        NeedSituation.DISCHARGE,
    }
)


class DwellingNeed(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary dwelling")
    ADAPTED = "adapted", _("Adapted or wheelchair-accessible dwelling")
    WITH_SERVICES = "with_services", _("Dwelling with services or staff")
    SHARED = "shared", _("Shared housing (bofellesskap)")
    LARGE = "large", _("Large dwelling for a big family")


class NeedsRegistration(models.Model):
    """A household a unit knows needs help to find a home and that has not applied."""

    round = models.ForeignKey(NeedsRound, on_delete=models.PROTECT, related_name="registrations")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    identity_hash = models.CharField(max_length=64, blank=True, editable=False)
    household_type = models.CharField(_("household"), max_length=20, choices=HouseholdType.choices)
    persons = models.PositiveSmallIntegerField(
        _("persons"), validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    children = models.PositiveSmallIntegerField(
        _("children under 18"), default=0, validators=[MaxValueValidator(19)]
    )
    age_group = models.CharField(
        _("age of the main person"),
        max_length=10,
        choices=[
            ("u25", _("Under 25")),
            ("25_66", _("25–66")),
            ("67", _("67 or older")),
        ],
    )
    situation = models.CharField(_("situation now"), max_length=20, choices=NeedSituation.choices)
    dwelling_need = models.CharField(
        _("kind of dwelling needed"), max_length=20, choices=DwellingNeed.choices
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-registered_at", "-pk"]
        verbose_name = _("needs registration")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "identity_hash"],
                condition=~models.Q(identity_hash=""),
                name="needs_person_once_per_round",
                violation_error_message=_("This person is already registered in this round."),
            ),
            models.CheckConstraint(
                condition=models.Q(children__lt=models.F("persons")),
                name="needs_children_fewer_than_persons",
                violation_error_message=_("A household needs at least one adult."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.pk}"

    @property
    def homeless(self) -> bool:
        return self.situation in HOMELESS_SITUATIONS
