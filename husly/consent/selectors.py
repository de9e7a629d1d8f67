"""Which shared cases a user's units may see, and what a household has shared.

Called by ``husly.cases.selectors.cases_for_user`` (the one access function for cases); never
cached across requests, so a withdrawal stops the sharing on the next request.
"""

from __future__ import annotations

from typing import cast

from husly.cases.models import Case
from husly.cases.selectors import cases_for_user
from husly.consent.models import Consent, LegalBasis
from husly.organisation.access import get_or_404
from husly.organisation.models import User


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
    queryset = Consent.objects.filter(case__in=cases_for_user(user, shared=False))
    return cast(Consent, get_or_404(queryset.select_related("case__municipality"), pk))


def legal_basis_get_for_user(user: User, pk: object) -> LegalBasis:
    queryset = LegalBasis.objects.filter(case__in=cases_for_user(user, shared=False))
    return cast(LegalBasis, get_or_404(queryset.select_related("case__municipality"), pk))
