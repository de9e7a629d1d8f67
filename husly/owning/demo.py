"""Demo data towards owning: screenings with each result on the list of tenants, an open offer
to buy the dwelling a tenant lives in, one sale recorded (so the leaders' figures have a row),
and a rent-to-own agreement whose option window opens within six months."""

from __future__ import annotations

import datetime as dt
from typing import Any

from husly.organisation.models import Municipality, User
from husly.owning import actions
from husly.tenancy.models import Lease, LeaseStatus

BASE: dict[str, Any] = {
    "income_sources": "Fast stilling",
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
    "wishes_note": "",
    "right_to_municipal_dwelling": True,
}


def seed_owning(municipality: Municipality, caseworker: User, today: dt.date) -> None:
    leases = list(
        Lease.objects.filter(
            municipality=municipality,
            status=LeaseStatus.ACTIVE,
            start_date__lt=today - dt.timedelta(days=30),
        ).order_by("-pk")[:5]
    )
    if len(leases) < len(("sold", "offered", "renting", "studying", "poor")):
        return
    sold, offered, renting, studying, poor = leases

    def screen(lease: Lease, **changes: Any) -> Any:
        return actions.ownership_assess(
            actor=caseworker,
            household=lease.household,
            lease=lease,
            data={**BASE, "assessed_on": today, **changes},
        )

    first = screen(sold, wishes_note="Vil kjøpe leiligheten de bor i.")
    sale = actions.municipal_sale_offer(
        actor=caseworker,
        lease=sold,
        data={
            "valuation": 2100000,
            "valued_by": "Eiendomsmegler Rælingen AS",
            "valued_on": today,
            "offered_on": today,
            "start_loan": 1900000,
        },
        assessment=first,
    )
    actions.municipal_sale_record(
        actor=caseworker,
        sale=sale,
        sold_on=today,
        pre_emption="not_tried",
        start_loan=1900000,
        grant=100000,
    )
    second = screen(offered, income_sources="Fast stilling og deltid", savings=150000)
    actions.municipal_sale_offer(
        actor=caseworker,
        lease=offered,
        data={
            "valuation": 1950000,
            "valued_by": "Eiendomsmegler Rælingen AS",
            "valued_on": today - dt.timedelta(days=10),
            "offered_on": today,
        },
        assessment=second,
    )
    third = screen(renting, net_income_monthly=24000, income_sources="Fast deltidsstilling")
    actions.rent_to_own_create(
        actor=caseworker,
        lease=renting,
        data={
            "purchased_on": today.replace(year=today.year - 4) + dt.timedelta(days=60),
            "purchase_price": 2400000,
            "basic_loan_percent": 80,
            "grant_percent": 20,
            "interest_rate_percent": "4.50",
            "management_yearly": 6000,
            "operation_yearly": 24000,
            "maintenance_yearly": 18000,
            "market_rent_monthly": 14500,
            "option_year": 5,
        },
        assessment=third,
    )
    screen(studying, education_first=True, education_note="Sykepleierutdanning til 2028")
    screen(
        poor,
        income_stable=False,
        net_income_monthly=16000,
        income_sources="Arbeidsavklaringspenger",
    )
