"""Owning objects for the tests and the security tables."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from husly.tenancy.models import Lease, LeaseStatus
from tests.factories import BuildingFactory, DwellingFactory, HouseholdFactory, PersonFactory

ABLE = {
    "income_sources": "Fast stilling som helsefagarbeider",
    "income_stable": True,
    "net_income_monthly": 42000,
    "other_fixed_costs_monthly": 0,
    "consumer_debt": 0,
    "debt_in_collection": False,
    "savings": 100000,
    "price_needed": 2000000,
    "housing_running_costs_monthly": 3000,
    "grant_expected": 0,
    "education_first": False,
    "education_note": "",
    "wishes_to_own": True,
    "wishes_note": "Vil kjøpe leiligheten de bor i.",
    "right_to_municipal_dwelling": True,
}
AGREEMENT = {
    "purchased_on": dt.date(2022, 3, 1),
    "purchase_price": 2500000,
    "basic_loan_percent": 80,
    "grant_percent": 20,
    "interest_rate_percent": "4.50",
    "management_yearly": 6000,
    "operation_yearly": 24000,
    "maintenance_yearly": 18000,
    "market_rent_monthly": 15000,
    "option_year": 5,
}


def tenant_lease(municipality: Any, actor: Any, name: str = "Eiesen", **lease: Any) -> Lease:
    """An active lease written directly (tenancy's own tests cover how it comes to be)."""
    building = BuildingFactory(municipality=municipality)
    applicant = PersonFactory(municipality=municipality, given_name=name, family_name="Test")
    household = HouseholdFactory(municipality=municipality, applicant=applicant, name=name)
    start = timezone.localdate() - dt.timedelta(days=400)
    values = {
        "municipality": municipality,
        "dwelling": DwellingFactory(building=building, status="occupied"),
        "household": household,
        "start_date": start,
        "end_date": None,
        "term_kind": "indefinite",
        "monthly_rent": 9000,
        "status": LeaseStatus.ACTIVE,
        "created_by": actor or _someone(municipality),
        **lease,
    }
    return Lease.objects.create(**values)


def _someone(municipality: Any) -> Any:
    from husly.organisation.models import User

    return User.objects.filter(memberships__unit__municipality=municipality).first()


def bare_objects(municipality: Any, actor: Any = None) -> dict[str, Any]:
    """A tenant screened as able to own with an open sale offer, and another tenant with an open
    rent-to-own agreement, written directly (no change events: the security tables count the
    events an action writes)."""
    from husly.owning.models import MunicipalSale, OwnershipAssessment, RentToOwnAgreement

    today = timezone.localdate()
    lease = tenant_lease(municipality, actor, "Eiesen")
    assessment = OwnershipAssessment.objects.create(
        municipality=municipality,
        household=lease.household,
        lease=lease,
        assessed_on=today,
        can_service_loan=True,
        largest_loan=2_000_000,
        route="own_now",
        reasons=["can_own_now"],
        **ABLE,
    )
    sale = MunicipalSale.objects.create(
        municipality=municipality,
        lease=lease,
        household=lease.household,
        dwelling=lease.dwelling,
        assessment=assessment,
        valuation=2_100_000,
        valued_by="Megler AS",
        valued_on=today,
        discount=50_000,
        offer_price=2_050_000,
        offered_on=today,
        pre_emption="pending",
    )
    other = tenant_lease(municipality, actor, "Leiesen")
    agreement = RentToOwnAgreement.objects.create(
        municipality=municipality,
        household=other.household,
        dwelling=other.dwelling,
        lease=other,
        monthly_rent=11_500,
        option_price=AGREEMENT["purchase_price"],
        option_opens_on=dt.date(2026, 3, 1),
        **AGREEMENT,
    )
    return {
        "owning_lease": lease,
        "assessment": assessment,
        "sale": sale,
        "agreement_lease": other,
        "rent_to_own": agreement,
    }
