"""Reads of ownership screenings, rent-to-own agreements and sales, scoped to the user's
municipalities.

Who: caseworkers and approvers anywhere in the municipality screen households and handle
rent-to-own agreements and sales (the start loan is theirs); the property unit also handles
agreements and sales (the dwelling is its); leaders run the screening list of every tenant
(Rælingen's recommendation, raelingen.md 7 C) and see the figures. Everyone else gets 404.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any, cast

from django.db.models import OuterRef, QuerySet, Subquery

from husly.organisation.access import get_or_404, municipality_ids, require_permission, scoped
from husly.organisation.models import Role, User
from husly.owning.models import (
    MunicipalSale,
    OptionStatus,
    OwnershipAssessment,
    OwningFact,
    RentToOwnAgreement,
)
from husly.tenancy.models import Lease, LeaseStatus

SCREEN_ROLES = frozenset({Role.CASEWORKER, Role.APPROVER})
"""Screen a household's ownership potential (the start-loan calculation is theirs)."""
CONTRACT_ROLES = SCREEN_ROLES | {Role.PROPERTY}
"""Rent-to-own agreements and sales of municipal dwellings."""
LIST_ROLES = CONTRACT_ROLES | {Role.LEADER}
"""The screening list of every tenant (the leader runs it) and the figures."""


def require_screen_role(actor: User | None, municipality_id: int) -> None:
    require_permission(actor, municipality_id, SCREEN_ROLES, stacklevel=2)


def require_contract_role(actor: User | None, municipality_id: int) -> None:
    require_permission(actor, municipality_id, CONTRACT_ROLES, stacklevel=2)


def can(user: User, roles: frozenset[str], municipality_id: int) -> bool:
    return municipality_id in municipality_ids(user, roles)


def tenant_leases_for_user(user: User) -> QuerySet[Lease]:
    """Active leases of the municipalities where the user may see the screening list."""
    return cast(
        QuerySet[Lease],
        scoped(
            Lease.objects.filter(status=LeaseStatus.ACTIVE), user, LIST_ROLES, "municipality_id"
        ),
    ).select_related("household", "dwelling", "dwelling__building")


def tenant_lease_get_for_user(user: User, pk: object) -> Lease:
    """A lease the user may screen or sell from: active, in a municipality where they work."""
    queryset = tenant_leases_for_user(user).filter(
        municipality_id__in=municipality_ids(user, CONTRACT_ROLES)
    )
    return cast(Lease, get_or_404(queryset, pk))


def screening_list(user: User, *, open_ended_only: bool = False) -> list[dict[str, Any]]:
    """Every tenant with an active lease, with their latest screening or none; open-ended
    leases first (Rælingen: map the ownership potential of every tenant, especially those on
    open-ended leases)."""
    latest = OwnershipAssessment.objects.filter(household_id=OuterRef("household_id")).order_by(
        "-assessed_on", "-created_at", "-pk"
    )
    leases = tenant_leases_for_user(user).annotate(latest_pk=Subquery(latest.values("pk")[:1]))
    if open_ended_only:
        leases = leases.filter(end_date__isnull=True)
    rows = list(leases)
    assessments = OwnershipAssessment.objects.in_bulk(
        [lease.latest_pk for lease in rows if lease.latest_pk]  # type: ignore[attr-defined]
    )
    result = [
        {
            "lease": lease,
            "open_ended": lease.end_date is None,
            "assessment": assessments.get(lease.latest_pk),  # type: ignore[attr-defined]
        }
        for lease in rows
    ]
    result.sort(key=lambda r: (not r["open_ended"], r["assessment"] is not None, r["lease"].pk))
    return result


def assessments_for_user(user: User) -> QuerySet[OwnershipAssessment]:
    return cast(
        QuerySet[OwnershipAssessment],
        scoped(OwnershipAssessment.objects.all(), user, CONTRACT_ROLES, "municipality_id"),
    ).select_related("household", "lease", "lease__dwelling", "lease__dwelling__building")


def assessment_get_for_user(user: User, pk: object) -> OwnershipAssessment:
    return cast(OwnershipAssessment, get_or_404(assessments_for_user(user), pk))


def agreements_for_user(user: User) -> QuerySet[RentToOwnAgreement]:
    return cast(
        QuerySet[RentToOwnAgreement],
        scoped(RentToOwnAgreement.objects.all(), user, CONTRACT_ROLES, "municipality_id"),
    ).select_related("household", "dwelling", "dwelling__building")


def agreement_get_for_user(user: User, pk: object) -> RentToOwnAgreement:
    return cast(RentToOwnAgreement, get_or_404(agreements_for_user(user), pk))


def option_windows_due(user: User, *, today: dt.date, months: int) -> list[RentToOwnAgreement]:
    """Open agreements whose option window opens within ``months`` months (or has opened):
    the reminder list before the option window."""
    from husly.rules.ownership import _add_months

    limit = _add_months(today, months)
    return list(
        agreements_for_user(user).filter(status=OptionStatus.OPEN, option_opens_on__lte=limit)
    )


def sales_for_user(user: User) -> QuerySet[MunicipalSale]:
    return cast(
        QuerySet[MunicipalSale],
        scoped(MunicipalSale.objects.all(), user, CONTRACT_ROLES, "municipality_id"),
    ).select_related("household", "dwelling", "dwelling__building", "lease")


def sale_get_for_user(user: User, pk: object) -> MunicipalSale:
    return cast(MunicipalSale, get_or_404(sales_for_user(user), pk))


def owning_figures(user: User) -> list[dict[str, Any]]:
    """Households moved from renting to owning, per year and how (figures only)."""
    facts = OwningFact.objects.filter(municipality_id__in=municipality_ids(user, LIST_ROLES))
    counts = Counter((f.on.year, f.how) for f in facts.only("on", "how"))
    years = sorted({year for year, _how in counts}, reverse=True)
    return [
        {
            "year": year,
            "rent_to_own": counts[(year, "rent_to_own")],
            "bought_municipal": counts[(year, "bought_municipal")],
            "start_loan": counts[(year, "start_loan")],
            "total": sum(n for (y, _h), n in counts.items() if y == year),
        }
        for year in years
    ]


def my_owning(user: User) -> dict[str, Any]:
    """Min side: the household's open sale offers and its rent-to-own agreements, and the
    latest screening's result."""
    from husly.portal.selectors import ADULT_RELATIONS

    member = {
        "household__members__person__national_id": user.resident.national_id,
        "household__members__relation__in": ADULT_RELATIONS,
    }
    return {
        "sales": list(MunicipalSale.objects.filter(**member).distinct()[:5]),
        "agreements": list(RentToOwnAgreement.objects.filter(**member).distinct()[:5]),
        "assessment": OwnershipAssessment.objects.filter(**member).distinct().first(),
    }


def my_sales(user: User) -> QuerySet[MunicipalSale]:
    """Sale offers to a resident's household (adult members), for their letters."""
    from husly.portal.selectors import ADULT_RELATIONS

    return MunicipalSale.objects.filter(
        household__members__person__national_id=user.resident.national_id,
        household__members__relation__in=ADULT_RELATIONS,
    ).distinct()


def my_sale(user: User, pk: object) -> MunicipalSale:
    return cast(MunicipalSale, get_or_404(my_sales(user), pk))


def owning_menu(user: User) -> tuple[str, Any] | None:
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    if municipality_ids(user, LIST_ROLES):
        return reverse("owning:overview"), _("Owning")
    return None
