"""Which shared cases a user's units may see, and what a household has shared.

Called by ``husly.cases.selectors.cases_for_user`` (the one access function for cases); never
cached across requests, so a withdrawal stops the sharing on the next request.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

from django.db.models import Q, QuerySet
from django.utils import timezone

from husly.cases.models import Case
from husly.consent.models import ROLE_PURPOSES, Consent, LegalBasis
from husly.organisation.access import get_or_404
from husly.organisation.models import Membership, User


@dataclass(frozen=True)
class Grant:
    """Why a unit the case is not routed to may see it."""

    case_id: int
    unit_id: int
    role: str
    categories: frozenset[str]
    basis: str  # "consent" or "legal_basis"


def active_consents(today: dt.date | None = None) -> QuerySet[Consent]:
    today = today or timezone.localdate()
    return Consent.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today),
        withdrawn_at__isnull=True,
        given_on__lte=today,
    )


def active_legal_bases(today: dt.date | None = None) -> QuerySet[LegalBasis]:
    today = today or timezone.localdate()
    return LegalBasis.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today),
        ended_at__isnull=True,
        valid_from__lte=today,
    )


def grants_for_user(user: User, *, case_id: int | None = None) -> list[Grant]:
    """Every active consent or legal basis naming one of the user's units, for a purpose that
    the user's role in that unit serves. Two queries (memberships excepted)."""
    roles_by_unit: dict[int, set[str]] = {}
    for unit_id, role in Membership.objects.filter(
        user=user, role__in=list(ROLE_PURPOSES)
    ).values_list("unit_id", "role"):
        roles_by_unit.setdefault(unit_id, set()).add(role)
    if not roles_by_unit:
        return []
    grants: list[Grant] = []
    for basis, queryset in (
        ("consent", active_consents()),
        ("legal_basis", active_legal_bases()),
    ):
        rows = queryset.filter(units__in=list(roles_by_unit))
        if case_id is not None:
            rows = rows.filter(case_id=case_id)
        for case, unit_id, purposes, categories in rows.values_list(
            "case_id", "units", "purposes", "data_categories"
        ):
            grants.extend(
                Grant(case, unit_id, role, frozenset(categories), basis)
                for role in sorted(roles_by_unit.get(unit_id, ()))
                if ROLE_PURPOSES[role] & set(purposes)
            )
    return grants


def sharing_for_case(case: Case) -> tuple[list[Consent], list[LegalBasis]]:
    """All consents and legal bases of a case, active or not, for the case page and Min side."""
    consents = list(
        Consent.objects.filter(case=case)
        .select_related("given_by", "recorded_by", "withdrawn_by")
        .prefetch_related("units")
    )
    bases = list(
        LegalBasis.objects.filter(case=case)
        .select_related("recorded_by", "ended_by")
        .prefetch_related("units")
    )
    return consents, bases


def consent_get_for_user(user: User, pk: object) -> Consent:
    """A consent on a case routed to one of the user's units; 404 otherwise."""
    from husly.cases.selectors import cases_for_user

    queryset = Consent.objects.filter(case__in=cases_for_user(user, shared=False))
    return cast(Consent, get_or_404(queryset.select_related("case__municipality"), pk))


def legal_basis_get_for_user(user: User, pk: object) -> LegalBasis:
    from husly.cases.selectors import cases_for_user

    queryset = LegalBasis.objects.filter(case__in=cases_for_user(user, shared=False))
    return cast(LegalBasis, get_or_404(queryset.select_related("case__municipality"), pk))
