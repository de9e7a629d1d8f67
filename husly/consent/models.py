"""Sharing a case with units it is not routed to: the household's consent, or a legal basis
recorded by a caseworker (issue 6; docs/decisions/0008-consent-and-retention.md).

A unit the case is routed to sees it by the routing itself (one door in). Any other unit of the
same municipality sees it only while an active consent or legal basis names that unit, for a
purpose that fits the role its staff hold there, and only the data categories it covers.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from husly.cases.models import Case
from husly.organisation.models import Role, Unit
from husly.people.models import Person


class Purpose(models.TextChoices):
    ASSESSMENT = "assessment", _("Assessing the application")
    FOLLOW_UP = "follow_up", _("Follow-up in the home")
    ALLOCATION = "allocation", _("Allocation of a dwelling")
    ECONOMIC_ADVICE = "economic_advice", _("Economic advice and help")
    LANDLORD_CONTACT = (
        "landlord_contact",
        _("Direct contact between the landlord and NAV's housing adviser about the lease"),
    )
    """Rælingen appendix 4 point 2 (raelingen L5827–5844): with a deposit guarantee the tenant
    may agree that the landlord contacts NAV directly when the tenant cannot be reached. It
    gives no unit access to the case (no role serves this purpose)."""


ROLE_PURPOSES: dict[str, frozenset[str]] = {
    Role.CASEWORKER: frozenset({Purpose.ASSESSMENT, Purpose.ECONOMIC_ADVICE, Purpose.FOLLOW_UP}),
    Role.APPROVER: frozenset({Purpose.ASSESSMENT, Purpose.ECONOMIC_ADVICE}),
    Role.FOLLOW_UP: frozenset({Purpose.FOLLOW_UP}),
    Role.ALLOCATION_MEMBER: frozenset({Purpose.ALLOCATION}),
}
"""Which purposes the work of each role serves. A unit's staff see a shared case only through
a role whose purposes the consent or legal basis names."""


class DataCategory(models.TextChoices):
    APPLICATION = "application", _("The application and the household's situation")
    NOTES = "notes", _("Notes from conversations and home visits")
    DOCUMENTS = "documents", _("Documents")
    DECISIONS = "decisions", _("Decisions and appeals")


ALL_CATEGORIES = frozenset(DataCategory.values)


class GivenHow(models.TextChoices):
    WRITTEN = "written", _("In writing (signed form)")
    DIGITAL = "digital", _("Digitally in My page")
    ORAL = "oral", _("Orally, recorded by the caseworker")


class SharingBase(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    units = models.ManyToManyField(Unit, related_name="+", verbose_name=_("units"))
    purposes = models.JSONField(_("purposes"), default=list)
    data_categories = models.JSONField(_("data"), default=list)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    def purpose_labels(self) -> list[str]:
        return [str(Purpose(p).label) for p in self.purposes if p in Purpose.values]

    def category_labels(self) -> list[str]:
        return [str(DataCategory(c).label) for c in self.data_categories if c in ALL_CATEGORIES]


class Consent(SharingBase):
    """The household's consent to share its case with named units, for named purposes."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="consents")
    given_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("given by")
    )
    given_how = models.CharField(_("given how"), max_length=20, choices=GivenHow.choices)
    given_on = models.DateField(_("given on"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-given_on", "-pk"]
        indexes = [models.Index(fields=["case", "withdrawn_at"])]

    def __str__(self) -> str:
        return f"Samtykke {self.case} {self.given_on}"

    def is_active(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.withdrawn_at is None
            and self.given_on <= today
            and (self.valid_until is None or self.valid_until >= today)
        )


class LegalBasis(SharingBase):
    """A legal basis for sharing without consent, recorded by a caseworker with its reference
    (e.g. a paragraph of sosialtjenesteloven). The municipality confirms which bases apply."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="legal_bases")
    reference = models.CharField(_("legal basis (law and section)"), max_length=300)
    explanation = models.TextField(_("why it applies in this case"))
    valid_from = models.DateField(_("valid from"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-valid_from", "-pk"]
        indexes = [models.Index(fields=["case", "ended_at"])]

    def __str__(self) -> str:
        return f"Hjemmel {self.case}: {self.reference}"[:200]

    def is_active(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.ended_at is None
            and self.valid_from <= today
            and (self.valid_until is None or self.valid_until >= today)
        )
