"""Consent and legal bases: give, withdraw, record, end. Each is atomic and writes its change
event in the same transaction; a withdrawal takes effect on the next request (nothing caches
access across requests)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from husly.audit.events import record_change
from husly.cases.models import Case
from husly.cases.selectors import require_case_role
from husly.consent.models import ALL_CATEGORIES, Consent, GivenHow, LegalBasis, Purpose
from husly.organisation.models import Unit, User
from husly.people.models import Person

ADULT_RELATIONS = {"applicant", "spouse", "cohabitant", "other_adult"}


def _applicant_id(case: Case) -> int | None:
    member = case.household.members.filter(relation="applicant").first()
    return member.person_id if member else None


def _check_scope(
    case: Case, units: list[Unit], purposes: list[str], categories: list[str]
) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    if not units:
        errors["units"] = _("Choose at least one unit.")
    elif any(unit.municipality_id != case.municipality_id for unit in units):
        errors["units"] = _("Only units of the case's own municipality can be chosen.")
    if not purposes or not set(purposes) <= set(Purpose.values):
        errors["purposes"] = _("Choose at least one purpose.")
    if set(purposes) == {Purpose.LANDLORD_CONTACT} and not categories:
        pass  # a consent to be contacted shares no records of the case
    elif not categories or not set(categories) <= ALL_CATEGORIES:
        errors["data_categories"] = _("Choose what may be shared.")
    return errors


def _scope_changes(units: list[Unit], purposes: list[str], categories: list[str]) -> dict[str, Any]:
    return {
        "units": [None, sorted(u.pk for u in units)],
        "purposes": [None, sorted(purposes)],
        "data_categories": [None, sorted(categories)],
    }


@transaction.atomic
def consent_give(
    *,
    actor: User,
    case: Case,
    given_by: Person,
    units: Iterable[Unit],
    purposes: Iterable[str],
    data_categories: Iterable[str],
    given_how: str,
    given_on: dt.date | None = None,
    valid_until: dt.date | None = None,
) -> Consent:
    """Record the household's consent. ``given_by`` must be an adult member of the household."""
    require_case_role(actor, case, resident=True)
    units, purposes, categories = list(units), sorted(set(purposes)), sorted(set(data_categories))
    errors = _check_scope(case, units, purposes, categories)
    given_on = given_on or timezone.localdate()
    if given_how not in GivenHow.values:
        errors["given_how"] = _("Say how the consent was given.")
    if given_on > timezone.localdate():
        errors["given_on"] = _("The date cannot be in the future.")
    if valid_until is not None and valid_until < given_on:
        errors["valid_until"] = _("The end date must be after the date it was given.")
    if not case.household.members.filter(person=given_by, relation__in=ADULT_RELATIONS).exists():
        errors["given_by"] = _("Consent is given by an adult member of the household.")
    if errors:
        raise ValidationError(errors)
    consent = Consent.objects.create(
        case=case,
        given_by=given_by,
        given_how=given_how,
        given_on=given_on,
        valid_until=valid_until,
        purposes=purposes,
        data_categories=categories,
        recorded_by=actor,
    )
    consent.units.set(units)
    record_change(
        actor=actor,
        action="consent_give",
        instance=consent,
        municipality=case.municipality,
        changes={
            **_scope_changes(units, purposes, categories),
            "given_by_id": [None, given_by.pk],
            "given_how": [None, given_how],
            "given_on": [None, given_on.isoformat()],
            "valid_until": [None, valid_until.isoformat() if valid_until else None],
        },
        person_id=given_by.pk,
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor: User, consent: Consent) -> Consent:
    """Withdraw a consent at once, by the household (Min side) or a caseworker who was told."""
    require_case_role(actor, consent.case, resident=True)
    locked = Consent.objects.select_for_update().get(pk=consent.pk)
    if locked.withdrawn_at is not None:
        raise ValidationError(_("The consent has already been withdrawn."))
    now = timezone.now()
    Consent.objects.filter(pk=consent.pk).update(withdrawn_at=now, withdrawn_by=actor)
    consent.withdrawn_at, consent.withdrawn_by = now, actor
    record_change(
        actor=actor,
        action="consent_withdraw",
        instance=consent,
        municipality=consent.case.municipality,
        changes={"withdrawn_at": [None, now.isoformat()]},
        person_id=consent.given_by_id,
    )
    return consent


@transaction.atomic
def legal_basis_record(
    *,
    actor: User,
    case: Case,
    units: Iterable[Unit],
    purposes: Iterable[str],
    data_categories: Iterable[str],
    reference: str,
    explanation: str,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
) -> LegalBasis:
    """A caseworker records the legal basis for sharing without consent, with its reference."""
    require_case_role(actor, case)
    units, purposes, categories = list(units), sorted(set(purposes)), sorted(set(data_categories))
    errors = _check_scope(case, units, purposes, categories)
    valid_from = valid_from or timezone.localdate()
    if not reference.strip():
        errors["reference"] = _("Give the law and section.")
    if not explanation.strip():
        errors["explanation"] = _("Say why the basis applies in this case.")
    if valid_until is not None and valid_until < valid_from:
        errors["valid_until"] = _("The end date must be after the start date.")
    if errors:
        raise ValidationError(errors)
    basis = LegalBasis.objects.create(
        case=case,
        reference=reference.strip(),
        explanation=explanation.strip(),
        valid_from=valid_from,
        valid_until=valid_until,
        purposes=purposes,
        data_categories=categories,
        recorded_by=actor,
    )
    basis.units.set(units)
    record_change(
        actor=actor,
        action="legal_basis_record",
        instance=basis,
        municipality=case.municipality,
        changes={
            **_scope_changes(units, purposes, categories),
            "reference": [None, basis.reference],
            "explanation": [None, basis.explanation],
            "valid_from": [None, valid_from.isoformat()],
            "valid_until": [None, valid_until.isoformat() if valid_until else None],
        },
        person_id=_applicant_id(case),
    )
    return basis


@transaction.atomic
def legal_basis_end(*, actor: User, basis: LegalBasis) -> LegalBasis:
    """Stop sharing on a legal basis (it no longer applies)."""
    require_case_role(actor, basis.case)
    locked = LegalBasis.objects.select_for_update().get(pk=basis.pk)
    if locked.ended_at is not None:
        raise ValidationError(_("The legal basis has already been ended."))
    now = timezone.now()
    LegalBasis.objects.filter(pk=basis.pk).update(ended_at=now, ended_by=actor)
    basis.ended_at, basis.ended_by = now, actor
    record_change(
        actor=actor,
        action="legal_basis_end",
        instance=basis,
        municipality=basis.case.municipality,
        changes={"ended_at": [None, now.isoformat()]},
        person_id=_applicant_id(basis.case),
    )
    return basis
