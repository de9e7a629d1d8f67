"""Buildings and dwellings with their status history (spec/glossary.md §4)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from husly.organisation.models import Municipality


class Building(models.Model):
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="buildings",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=150)
    address = models.CharField(_("address"), max_length=200)
    postal_code = models.CharField(
        _("postal code"),
        max_length=4,
        validators=[RegexValidator(r"^\d{4}$", _("The postal code has four digits."))],
    )
    postal_town = models.CharField(_("postal town"), max_length=100)
    district = models.CharField(_("district"), max_length=100, blank=True)
    has_lift = models.BooleanField(_("lift"), default=False)
    year_built = models.PositiveSmallIntegerField(_("year built"), null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        indexes = [
            # The dwelling list's order (building name, then number): with the buildings read
            # in name order, a page of the list is a walk, not a sort of every dwelling.
            models.Index(fields=["municipality", "name"], name="building_municipality_name"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "address"], name="building_address_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DwellingCategory(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary")
    WITH_SERVICES = "with_services", _("With services")
    CARE = "care", _("Care dwelling")
    SHARED = "shared", _("Shared housing (bofellesskap)")
    TRAINING = "training", _("Training dwelling")
    TEMPORARY = "temporary", _("Temporary")


class Ownership(models.TextChoices):
    OWNED = "owned", _("Owned by the municipality")
    LEASED_IN = "leased_in", _("Leased in from a private landlord")
    HEAD_LEASE = "head_lease", _("Head lease (sublet to the tenant)")


class DwellingStatus(models.TextChoices):
    VACANT = "vacant", _("Vacant")
    OCCUPIED = "occupied", _("Occupied")
    RESERVED = "reserved", _("Reserved")
    MAINTENANCE = "maintenance", _("Under maintenance")
    SOLD = "sold", _("Sold: no longer in the stock")


class Dwelling(models.Model):
    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, related_name="dwellings", verbose_name=_("building")
    )
    number = models.CharField(
        _("dwelling number"),
        max_length=10,
        help_text=_("The dwelling number from the Matrikkel, for example H0101."),
    )
    rooms = models.PositiveSmallIntegerField(
        _("bedrooms"),
        validators=[MinValueValidator(0)],
        help_text=_("Number of bedrooms (0 for a studio)."),
    )
    area_m2 = models.DecimalField(
        _("area (m²)"), max_digits=6, decimal_places=1, validators=[MinValueValidator(1)]
    )
    floor = models.SmallIntegerField(_("floor"), default=1)
    wheelchair_accessible = models.BooleanField(_("wheelchair accessible"), default=False)
    category = models.CharField(
        _("category"),
        max_length=20,
        choices=DwellingCategory.choices,
        default=DwellingCategory.ORDINARY,
    )
    ownership = models.CharField(
        _("ownership"), max_length=20, choices=Ownership.choices, default=Ownership.OWNED
    )
    monthly_rent = models.PositiveIntegerField(_("monthly rent (NOK)"))
    lettable_units = models.PositiveSmallIntegerField(
        _("rooms let separately"),
        default=1,
        validators=[MinValueValidator(1, message=_("A dwelling is let as at least one unit."))],
        help_text=_(
            "1 for an ordinary dwelling. For a shared flat, the number of rooms let to "
            "independent tenants, each with its own lease."
        ),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DwellingStatus.choices,
        default=DwellingStatus.VACANT,
        editable=False,
        help_text=_("Kept by the status history; change it with a status change."),
    )

    class Meta:
        ordering = ["building__name", "number", "pk"]
        verbose_name = _("dwelling")
        verbose_name_plural = _("dwellings")
        constraints = [
            models.UniqueConstraint(fields=["building", "number"], name="dwelling_number_unique"),
            models.CheckConstraint(
                condition=models.Q(lettable_units__gte=1),
                name="dwelling_at_least_one_lettable_unit",
                violation_error_message=_("A dwelling is let as at least one unit."),
            ),
        ]
        indexes = [models.Index(fields=["status", "category"])]

    def __str__(self) -> str:
        return f"{self.building.address} {self.number}"

    @property
    def shared(self) -> bool:
        """A shared flat: rooms let to independent tenants, each with its own lease."""
        return self.lettable_units > 1


class DwellingStatusChange(models.Model):
    dwelling = models.ForeignKey(Dwelling, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(_("status"), max_length=20, choices=DwellingStatus.choices)
    valid_from = models.DateField(_("from"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-valid_from", "-recorded_at", "-pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.status} {self.valid_from}"
