"""Municipalities, their units and the staff who work in them.

Names follow spec/glossary.md §2 (actors and organisation).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class HousingAllowanceArea(models.IntegerChoices):
    """Husbanken's kommunegrupper for the bostøtte housing-cost ceiling.

    Source: forskrift om bustøtte § 3.
    """

    OSLO = 1, _("Group 1 (Oslo)")
    LARGE_CITIES = 2, _("Group 2 (Bergen, Trondheim, Stavanger, Tromsø, Bærum)")
    NEAR_CITIES = 3, _("Group 3 (named municipalities near the cities)")
    OTHER = 4, _("Group 4 (all other municipalities)")


class LanguageForm(models.TextChoices):
    """Målform: the written standard a person receives letters in (språklova § 8)."""

    BOKMAL = "nb", _("Bokmål")
    NYNORSK = "nn", _("Nynorsk")


class Municipality(models.Model):
    number = models.CharField(
        _("municipality number"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^\d{4}$", _("The municipality number has four digits."))],
    )
    name = models.CharField(_("name"), max_length=100)
    housing_allowance_area = models.PositiveSmallIntegerField(
        _("housing allowance area"),
        choices=HousingAllowanceArea.choices,
        default=HousingAllowanceArea.OTHER,
    )
    language_form = models.CharField(
        _("official written standard"),
        max_length=2,
        choices=LanguageForm.choices,
        default=LanguageForm.BOKMAL,
    )
    inhabitants = models.PositiveIntegerField(_("inhabitants"), null=True, blank=True)
    decision_requires_approval = models.BooleanField(
        _("decisions need a second person's approval"),
        default=True,
        help_text=_("Four eyes: a decision drafted by one caseworker is approved by another."),
    )
    appeal_body = models.CharField(
        _("appeal body"),
        max_length=200,
        default="Kommunens klagenemnd",
        help_text=_("Where upheld appeals are sent, e.g. the municipal appeals board."),
    )
    address = models.CharField(
        _("postal address for letters and appeals"), max_length=200, blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return f"{self.name} ({self.number})"


class UnitKind(models.TextChoices):
    HOUSING_OFFICE = "housing_office", _("Housing office")
    NAV = "nav", _("NAV office")
    HEALTH_CARE = "health_care", _("Health and care")
    PROPERTY = "property", _("Property unit")
    REFUGEE_SERVICE = "refugee_service", _("Refugee service")
    FOLLOW_UP = "follow_up", _("Housing follow-up")
    CHILD_WELFARE = "child_welfare", _("Child welfare")
    OTHER = "other", _("Other")


class Unit(models.Model):
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="units",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        ordering = ["municipality__name", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="unit_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """Roles per unit (issue 6 and spec/architecture.md)."""

    CASEWORKER = "caseworker", _("Caseworker")
    APPROVER = "approver", _("Approver")
    ALLOCATION_MEMBER = "allocation_member", _("Allocation meeting member")
    PROPERTY = "property", _("Property manager")
    COLLECTIONS = "collections", _("Collections")
    FOLLOW_UP = "follow_up", _("Follow-up worker")
    LEADER = "leader", _("Leader")
    ADMINISTRATOR = "administrator", _("Administrator")


class User(AbstractUser):
    """A person who logs in to Husly. Staff get their rights from memberships, never from flags."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Membership(models.Model):
    """A staff member's role in one unit. A user may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("unit")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["unit__name", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.unit})"
