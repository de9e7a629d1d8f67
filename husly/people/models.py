"""Persons and households (spec/glossary.md §0, §12)."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from husly.organisation.models import LanguageForm, Municipality
from husly.people.identity import InvalidIdentityNumber, parse_identity_number
from husly.people.names import normalise_name, validate_name

municipality_number_validator = RegexValidator(
    r"^\d{4}$", _("The municipality number has four digits.")
)


class ResidencePermit(models.TextChoices):
    CITIZEN = "citizen", _("Norwegian citizen")
    PERMANENT = "permanent", _("Permanent residence permit")
    TEMPORARY = "temporary", _("Temporary residence permit")
    PROTECTION = "protection", _("Residence on protection grounds (refugee)")
    EEA = "eea", _("EEA registration")
    NONE = "none", _("No lawful residence")
    UNKNOWN = "unknown", _("Not known")


class Person(models.Model):
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="persons",
        verbose_name=_("municipality"),
    )
    national_id = models.CharField(
        _("national identity number"),
        max_length=11,
        blank=True,
        help_text=_("Fødselsnummer or D-nummer, 11 digits. Leave empty for a person without one."),
    )
    date_of_birth = models.DateField(
        _("date of birth"),
        blank=True,
        help_text=_("Filled in from the identity number when one is given."),
    )
    given_name = models.CharField(_("given name"), max_length=100, validators=[validate_name])
    family_name = models.CharField(_("family name"), max_length=100, validators=[validate_name])
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    postal_code = models.CharField(
        _("postal code"),
        max_length=4,
        blank=True,
        validators=[RegexValidator(r"^\d{4}$", _("The postal code has four digits."))],
    )
    postal_town = models.CharField(_("postal town"), max_length=100, blank=True)
    language_form = models.CharField(
        _("written standard for letters"),
        max_length=2,
        choices=LanguageForm.choices,
        default=LanguageForm.BOKMAL,
    )
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    residence_permit = models.CharField(
        _("residence status"),
        max_length=20,
        choices=ResidencePermit.choices,
        default=ResidencePermit.UNKNOWN,
    )
    residence_permit_valid_until = models.DateField(
        _("residence permit valid until"), null=True, blank=True
    )
    registered_municipality_number = models.CharField(
        _("registered in municipality (number)"),
        max_length=4,
        blank=True,
        validators=[municipality_number_validator],
    )
    registered_since = models.DateField(_("registered there since"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["family_name", "given_name", "pk"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "national_id"],
                condition=~models.Q(national_id=""),
                name="person_national_id_unique",
                violation_error_message=_(
                    "A person with this identity number is already registered in the municipality."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "family_name", "given_name"]),
            # The search by the start of an identity number (LIKE 'term%'): a pattern index,
            # which a prefix can use whatever the database's collation.
            models.Index(
                fields=["municipality", "national_id"],
                opclasses=["int8_ops", "varchar_pattern_ops"],
                name="person_national_id_prefix",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def clean(self) -> None:
        """Validate the identity number and the dates against each other.

        A valid number fills in the date of birth when none is given; a date of birth that
        contradicts the number is an error, not silently overwritten.
        """
        self.given_name = normalise_name(self.given_name)
        self.family_name = normalise_name(self.family_name)
        errors: dict[str, str] = {}
        # blank=True lets a form leave the date empty until the number has filled it in.
        born = cast("dt.date | None", self.date_of_birth)
        if self.national_id:
            try:
                parsed = parse_identity_number(
                    self.national_id, allow_synthetic=settings.HUSLY_ALLOW_SYNTHETIC_IDS
                )
            except InvalidIdentityNumber as exc:
                errors["national_id"] = str(exc)
            else:
                self.national_id = parsed.number
                if parsed.date_of_birth is not None:
                    if born is None:
                        born = self.date_of_birth = parsed.date_of_birth
                    elif born != parsed.date_of_birth:
                        errors["date_of_birth"] = str(
                            _("The date of birth does not match the identity number.")
                        )
        if born is None and not errors:
            errors["date_of_birth"] = str(
                _("Give the date of birth when the person has no identity number.")
            )
        today = timezone.localdate()
        if self.date_of_birth and self.date_of_birth > today:
            errors["date_of_birth"] = str(_("The date of birth cannot be in the future."))
        if self.registered_since and self.registered_since > today:
            errors["registered_since"] = str(_("This date cannot be in the future."))
        if (
            self.registered_since
            and self.date_of_birth
            and self.registered_since < self.date_of_birth
        ):
            errors["registered_since"] = str(
                _("The person cannot be registered before the date of birth.")
            )
        if errors:
            raise ValidationError(errors)

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def masked_national_id(self) -> str:
        """Date part only, for lists: the personnummer is shown on the detail page."""
        return f"{self.national_id[:6]} *****" if self.national_id else ""


class Household(models.Model):
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="households",
        verbose_name=_("municipality"),
    )
    name = models.CharField(
        _("name"),
        max_length=150,
        help_text=_("Usually the applicant's family name."),
        validators=[validate_name],
    )
    persons: models.ManyToManyField[Person, HouseholdMember] = models.ManyToManyField(
        Person, through="HouseholdMember", related_name="households"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.name = normalise_name(self.name)

    def unchecked_members(self) -> models.QuerySet[StatedMember]:
        """Members stated in Min side that a caseworker has not checked yet."""
        return self.stated_members.filter(status=StatedMemberStatus.PENDING)


class Relation(models.TextChoices):
    """A member's relation to the household's main applicant."""

    APPLICANT = "applicant", _("Main applicant")
    SPOUSE = "spouse", _("Spouse or registered partner")
    COHABITANT = "cohabitant", _("Cohabitant")
    CHILD = "child", _("Child")
    OTHER_ADULT = "other_adult", _("Other adult")
    OTHER = "other", _("Other")


ADULT_RELATIONS = frozenset(
    {Relation.APPLICANT, Relation.SPOUSE, Relation.COHABITANT, Relation.OTHER_ADULT}
)
"""Members who may act for the household (apply, consent, withdraw)."""


class HouseholdMember(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("person")
    )
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    joint_custody = models.BooleanField(
        _("lives here part of the time (shared custody)"), default=False
    )

    class Meta:
        ordering = ["household", "pk"]
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        constraints = [
            models.UniqueConstraint(fields=["household", "person"], name="member_unique"),
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(relation="applicant"),
                name="one_main_applicant",
                violation_error_message=_("The household already has a main applicant."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_relation_display()})"


class StatedMemberStatus(models.TextChoices):
    PENDING = "pending", _("Not checked yet")
    CONFIRMED = "confirmed", _("Confirmed and added")
    REJECTED = "rejected", _("Not added")


class StatedMember(models.Model):
    """A household member as a resident stated them in Min side, not yet checked.

    Self-service never attaches an existing person record: whoever types a number could
    otherwise pull another person (and what the household's case shows about them) into their
    own household. A caseworker compares the statement with the registers and confirms it
    (``stated_member_confirm``: the registered person, or a new one, becomes a member) or
    refuses it."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="stated_members"
    )
    given_name = models.CharField(_("given name"), max_length=100, validators=[validate_name])
    family_name = models.CharField(_("family name"), max_length=100, validators=[validate_name])
    national_id = models.CharField(_("national identity number"), max_length=11, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=StatedMemberStatus.choices,
        default=StatedMemberStatus.PENDING,
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person in the register"),
    )
    stated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    stated_at = models.DateTimeField(default=timezone.now)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["household", "pk"]
        verbose_name = _("stated household member")
        verbose_name_plural = _("stated household members")

    def __str__(self) -> str:
        return self.full_name

    def clean(self) -> None:
        self.given_name = normalise_name(self.given_name)
        self.family_name = normalise_name(self.family_name)
        if self.relation == Relation.APPLICANT:
            raise ValidationError({"relation": _("Choose the member's relation to you.")})
        if self.national_id:
            try:
                self.national_id = parse_identity_number(
                    self.national_id, allow_synthetic=settings.HUSLY_ALLOW_SYNTHETIC_IDS
                ).number
            except InvalidIdentityNumber as exc:
                raise ValidationError({"national_id": str(exc)}) from None
        if not self.national_id and self.date_of_birth is None:
            raise ValidationError(
                _("Give the identity number or the date of birth of each member.")
            )

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"
