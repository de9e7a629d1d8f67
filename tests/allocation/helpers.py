"""Shared steps for allocation and tenancy tests, through the real actions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from husly.allocation.models import WaitingListEntry
from husly.cases import actions
from husly.cases.models import Decision
from husly.housing.actions import building_create, dwelling_create
from husly.housing.models import Dwelling
from husly.organisation.models import Municipality, Unit, User
from husly.people.models import Household, HouseholdMember
from tests.cases.helpers import ELIGIBLE, judge_all
from tests.factories import HouseholdFactory, PersonFactory

_buildings: dict[int, Any] = {}


def make_dwelling(
    municipality: Municipality,
    actor: User | None,
    *,
    rooms: int = 1,
    floor: int = 1,
    district: str = "Fjerdingby",
    rent: int = 9800,
    address: str | None = None,
    start: dt.date | None = None,
) -> Dwelling:
    from husly.housing.models import Building

    address = address or f"{district}vegen 1"
    building = Building.objects.filter(municipality=municipality, address=address).first()
    if building is None:
        building = building_create(
            actor=actor,
            data={
                "municipality": municipality,
                "name": address,
                "address": address,
                "postal_code": "2008",
                "postal_town": "Fjerdingby",
                "district": district,
            },
        )
    number = f"H{floor:02d}{building.dwellings.count() + 1:02d}"
    return dwelling_create(
        actor=actor,
        data={
            "building": building,
            "number": number,
            "rooms": rooms,
            "area_m2": Decimal("54.0"),
            "floor": floor,
            "monthly_rent": rent,
        },
        status_from=start or dt.date(2026, 1, 1),
    )


def make_household(
    municipality: Municipality, name: str, *, children: int = 0, national_id: str | None = None
) -> Household:
    extra = {"national_id": national_id} if national_id else {}
    applicant = PersonFactory(
        municipality=municipality,
        residence_permit="citizen",
        registered_municipality_number=municipality.number,
        registered_since=dt.date(2015, 1, 1),
        family_name=name,
        address="Torvvegen 1",
        postal_code="2008",
        postal_town="Fjerdingby",
        **extra,
    )
    household = HouseholdFactory(municipality=municipality, applicant=applicant, name=name)
    for _ in range(children):
        HouseholdMember.objects.create(
            household=household,
            relation="child",
            person=PersonFactory(municipality=municipality, family_name=name),
        )
    return household


def approve(
    sara: User,
    geir: User,
    household: Household,
    follow_up: Unit | None = None,
    *,
    kind: str = "approval",
    **application: Any,
) -> Decision:
    """Apply, assess, draft, approve and issue an approval for ``household``."""
    case = actions.case_create(
        actor=sara,
        household=household,
        channel="meeting",
        help_kinds=["rental_dwelling"],
        data={**ELIGIBLE, **application},
        submit=True,
    )
    actions.assessment_run(actor=sara, case=case)
    actions.assessment_run(actor=sara, case=case, judgements=judge_all(case, sara))
    return issue(sara, geir, case, kind=kind, follow_up=follow_up)


def issue(
    sara: User,
    geir: User,
    case: Any,
    *,
    kind: str,
    follow_up: Unit | None = None,
    replaces: Decision | None = None,
) -> Decision:
    decision = actions.decision_draft(
        actor=sara,
        case=case,
        replaces=replaces,
        data={
            "help_kind": "rental_dwelling",
            "kind": kind,
            "facts": "Husstanden er uten egnet bolig.",
            "reasoning": "Vilkårene er oppfylt.",
            "follow_up_unit": follow_up,
        },
    )
    actions.decision_submit(actor=sara, decision=decision)
    actions.decision_approve(actor=geir, decision=decision)
    return actions.decision_issue(actor=sara, decision=decision)


def entry_of(household: Household) -> WaitingListEntry:
    return WaitingListEntry.objects.get(
        household=household, status__in=["waiting", "offered", "on_hold"]
    )


HOUSE_RULES = "Ro i huset mellom klokka 23 og 07.\nSøppel sorteres."


def lease_terms(municipality: Municipality, actor: User) -> None:
    """The municipality's lease terms (account, due day, house rules), through the action."""
    from husly.tenancy.actions import tenancy_terms_save

    tenancy_terms_save(
        actor=actor,
        municipality=municipality,
        data={"payment_account": "12345678903", "payment_due_day": 1, "house_rules": HOUSE_RULES},
    )


def terms_keeper(municipality: Municipality) -> User:
    """Somebody who may record the municipality's lease terms: its property manager or
    administrator, or a property manager in a new property unit when it has none."""
    from husly.organisation.models import Membership, UnitKind
    from tests.conftest import _user

    membership = (
        Membership.objects.filter(
            unit__municipality=municipality, role__in=["property", "administrator"]
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if membership is not None:
        return membership.user
    unit = Unit.objects.create(
        municipality=municipality, name="Eiendomsenheten", kind=UnitKind.PROPERTY
    )
    return _user(f"eiendom-{municipality.number}", unit, "property")


def lease_in_force(actor: User, lease: Any) -> Any:
    """Send a drafted lease, record both signatures today and put it into force on its start
    date (or today, if it started already), through the real actions. The municipality's
    lease terms are recorded first, by :func:`terms_keeper`, if it has none yet."""
    from django.utils import timezone

    from husly.tenancy import actions as tenancy
    from husly.tenancy.models import TenancyTerms

    if not TenancyTerms.objects.filter(municipality_id=lease.municipality_id).exists():
        lease_terms(lease.municipality, terms_keeper(lease.municipality))
    today = timezone.localdate()
    lease = tenancy.lease_send(actor=actor, lease=lease)
    lease = tenancy.lease_sign(
        actor=actor, lease=lease, party="tenant", signed_on=today, how="paper"
    )
    lease = tenancy.lease_sign(
        actor=actor, lease=lease, party="landlord", signed_on=today, how="paper"
    )
    return tenancy.lease_activate(actor=actor, lease=lease, today=max(today, lease.start_date))
