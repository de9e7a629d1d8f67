"""Owning objects for the tests and the security tables."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from husly.owning import actions
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
        "created_by": actor,
        **lease,
    }
    return Lease.objects.create(**values)


def bare_objects(municipality: Any, actor: Any = None) -> dict[str, Any]:
    """A tenant screened as able to own, an open sale offer and an open agreement."""
    lease = tenant_lease(municipality, actor, "Eiesen")
    assessment = actions.ownership_assess(
        actor=None, household=lease.household, lease=lease, data=ABLE  # type: ignore[arg-type]
    )
    sale = actions.municipal_sale_offer(
        actor=None,  # type: ignore[arg-type]
        lease=lease,
        data={"valuation": 2100000, "valued_by": "Megler AS", "valued_on": timezone.localdate()},
        assessment=assessment,
    )
    other = tenant_lease(municipality, actor, "Leiesen")
    agreement = actions.rent_to_own_create(actor=None, lease=other, data=AGREEMENT)  # type: ignore[arg-type]
    return {
        "owning_lease": lease,
        "assessment": assessment,
        "sale": sale,
        "agreement_lease": other,
        "agreement": agreement,
    }
