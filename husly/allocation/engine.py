"""The adapter between Django rows and ``husly.matching`` (which knows nothing of Django).

Reads the live waiting list and the vacant dwellings of one municipality and builds a
:class:`husly.matching.MatchingInput`. Conventions translated here:

* ``Dwelling.rooms`` counts bedrooms; matching counts rooms with the living room (``+ 1``).
* ``Dwelling.floor`` 1 is the ground floor (Norwegian *1. etasje*); matching's 0 is (``- 1``).
* A building's heavy-needs tenants are its active leases marked ``heavy_needs``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Exists, OuterRef, Q

from husly.allocation.models import (
    LIVE_OFFER,
    AllocationPolicy,
    EntryStatus,
    Offer,
    WaitingListEntry,
)
from husly.housing.models import Building, Dwelling, DwellingCategory, DwellingStatus
from husly.matching import (
    NO_FLOOR_LIMIT,
    BuildingRecord,
    Buildings,
    DwellingRecord,
    Dwellings,
    HouseholdRecord,
    Households,
    MatchingInput,
    MatchingPolicy,
    PriorityPolicy,
    Urgency,
    Vocabulary,
)
from husly.organisation.models import Municipality

NO_DISTRICT = "–"

DEFAULT_PRIORITY = PriorityPolicy(version="standard-1").to_mapping()
DEFAULT_MATCHING = MatchingPolicy(version="standard-1").to_mapping()


def _district(name: str) -> str:
    return name.strip() or NO_DISTRICT


def districts_of(municipality: Municipality) -> list[str]:
    names = Building.objects.filter(municipality=municipality).values_list("district", flat=True)
    return sorted({_district(n) for n in names})


def matchable_entries(municipality: Municipality) -> list[WaitingListEntry]:
    """Waiting households without a live offer (on hold and offered ones are not matched)."""
    return list(
        WaitingListEntry.objects.filter(municipality=municipality, status=EntryStatus.WAITING)
        .select_related("household")
        .order_by("pk")
    )


SHARED_OFFERABLE = (DwellingStatus.VACANT, DwellingStatus.OCCUPIED, DwellingStatus.RESERVED)
"""A shared flat can be offered room by room while it is let or reserved for other rooms."""


def taken_units(dwelling_ids: list[int]) -> dict[int, set[int]]:
    """The rooms of these dwellings that are let, being signed or under a live offer."""
    from husly.tenancy.models import PENDING_LEASE, Lease, LeaseStatus

    taken: dict[int, set[int]] = {pk: set() for pk in dwelling_ids}
    leases = Lease.objects.filter(
        dwelling_id__in=dwelling_ids, status__in=[LeaseStatus.ACTIVE, *PENDING_LEASE]
    ).values_list("dwelling_id", "unit")
    offers = Offer.objects.filter(dwelling_id__in=dwelling_ids, status__in=LIVE_OFFER).values_list(
        "dwelling_id", "unit"
    )
    for dwelling_id, unit in [*leases, *offers]:
        taken[dwelling_id].add(unit)
    return taken


def free_units(dwelling: Dwelling) -> list[int]:
    """The rooms of a dwelling that can be offered now: 1..lettable_units less those taken.
    An ordinary dwelling has the one unit 1."""
    taken = taken_units([dwelling.pk])[dwelling.pk]
    return [u for u in range(1, dwelling.lettable_units + 1) if u not in taken]


def vacant_dwellings(municipality: Municipality) -> list[Dwelling]:
    """Vacant dwellings with no live offer and no active lease, and shared flats with a free
    room (one room offered at a time: a meeting has one item per dwelling)."""
    from husly.tenancy.models import Lease, LeaseStatus

    live_offer = Offer.objects.filter(dwelling=OuterRef("pk"), status__in=LIVE_OFFER)
    active = Lease.objects.filter(dwelling=OuterRef("pk"), status=LeaseStatus.ACTIVE)
    ordinary = list(
        Dwelling.objects.filter(
            building__municipality=municipality, status=DwellingStatus.VACANT, lettable_units=1
        )
        .exclude(Exists(live_offer))
        .exclude(Exists(active))
        .select_related("building")
        .order_by("pk")
    )
    shared = list(
        Dwelling.objects.filter(
            building__municipality=municipality,
            status__in=SHARED_OFFERABLE,
            lettable_units__gt=1,
        )
        .select_related("building")
        .order_by("pk")
    )
    taken = taken_units([d.pk for d in shared])
    shared = [d for d in shared if len(taken[d.pk]) < d.lettable_units]
    return sorted([*ordinary, *shared], key=lambda d: d.pk)


def household_record(entry: WaitingListEntry, today: dt.date, known: set[str]) -> HouseholdRecord:
    allowed = None
    if entry.allowed_districts:
        allowed = frozenset(d for d in entry.allowed_districts if d in known) or frozenset()
    preferred = entry.preferred_district if entry.preferred_district in known else None
    max_floor = NO_FLOOR_LIMIT if entry.max_floor is None else max(entry.max_floor - 1, 0)
    return HouseholdRecord(
        id=entry.pk,
        size=entry.persons,
        categories=frozenset(entry.categories),
        medical=float(entry.medical),
        social=float(entry.social),
        children=float(entry.children),
        urgency=Urgency(entry.urgency),
        waited_days=max((today - entry.placed_on).days, 0),
        manual_points=float(entry.manual_points),
        manual_reason=entry.manual_reason,
        allowed_districts=allowed,
        preferred_district=preferred,
        needs_wheelchair=entry.needs_wheelchair,
        max_floor_without_lift=max_floor,
        heavy_needs=entry.heavy_needs,
    )


def dwelling_record(dwelling: Dwelling) -> DwellingRecord:
    return DwellingRecord(
        id=dwelling.pk,
        building_id=dwelling.building_id,
        district=_district(dwelling.building.district),
        # A room in a shared flat is matched as one bedroom and the shared living room.
        rooms=(1 if dwelling.lettable_units > 1 else dwelling.rooms) + 1,
        category=dwelling.category,
        floor=max(dwelling.floor - 1, 0),
        has_lift=dwelling.building.has_lift,
        wheelchair_accessible=dwelling.wheelchair_accessible,
    )


def building_records(building_ids: Iterable[int]) -> list[BuildingRecord]:
    from husly.tenancy.models import LeaseStatus

    rows = Building.objects.filter(pk__in=set(building_ids)).annotate(
        heavy=Count(
            "dwellings__leases",
            filter=Q(
                dwellings__leases__status=LeaseStatus.ACTIVE,
                dwellings__leases__heavy_needs=True,
            ),
        )
    )
    return [BuildingRecord(id=b.pk, heavy_needs_tenants=b.heavy) for b in rows]


def build_input(
    municipality: Municipality,
    policy: AllocationPolicy,
    *,
    today: dt.date,
    seed: int,
    dwellings: list[Dwelling] | None = None,
) -> MatchingInput:
    entries = matchable_entries(municipality)
    vacant = vacant_dwellings(municipality) if dwellings is None else dwellings
    districts = sorted(
        set(districts_of(municipality)) | {_district(d.building.district) for d in vacant}
    )
    vocab = Vocabulary(districts=tuple(districts), categories=tuple(DwellingCategory.values))
    known = set(districts)
    return MatchingInput(
        households=Households.from_records(
            [household_record(e, today, known) for e in entries], vocab
        ),
        dwellings=Dwellings.from_records([dwelling_record(d) for d in vacant], vocab),
        buildings=Buildings.from_records(building_records(d.building_id for d in vacant)),
        vocabulary=vocab,
        priority_policy=PriorityPolicy.from_mapping(policy.priority),
        matching_policy=MatchingPolicy.from_mapping(policy.matching),
        seed=seed,
    )
