"""Tenants the retention job must keep (husly.retention.hooks): members of a household whose
lease still owes rent. The claim is the municipality's money (Rælingen appendix 5: claims
against an estate, losses booked per flat); the person is kept until it is settled."""

from __future__ import annotations

from django.db.models import DecimalField, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from husly.people.models import HouseholdMember
from husly.rent.models import ClaimKind, Payment, RentClaim
from husly.tenancy.models import Lease


def debtors_in_use(candidate_ids: set[int]) -> set[int]:
    zero = Value(0, output_field=DecimalField(max_digits=14, decimal_places=2))
    claimed = Subquery(
        RentClaim.objects.filter(lease_id=OuterRef("pk"))
        .exclude(kind=ClaimKind.VACANCY)
        .values("lease_id")
        .annotate(total=Sum("amount"))
        .values("total")[:1],
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )
    paid = Subquery(
        Payment.objects.filter(lease_id=OuterRef("pk"))
        .values("lease_id")
        .annotate(total=Sum("amount"))
        .values("total")[:1],
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )
    owing = (
        Lease.objects.filter(household__members__person_id__in=candidate_ids)
        .annotate(claimed=Coalesce(claimed, zero), paid=Coalesce(paid, zero))
        .filter(claimed__gt=F("paid"))
        .values("household_id")
    )
    return set(
        HouseholdMember.objects.filter(
            person_id__in=candidate_ids, household_id__in=owing
        ).values_list("person_id", flat=True)
    )
