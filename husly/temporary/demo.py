"""Demo data for temporary accommodation: providers of every kind with places, agreements
(one lapsed) and inspections (one failed), and stays of every kind through the real actions:
short, past three months, with children, young, straight from prison, repeated, moved, ended
with a lease; housing situations for the homelessness count."""

from __future__ import annotations

import datetime as dt

from husly.organisation.models import Municipality, Unit, UnitKind, User
from husly.people.models import Household
from husly.rules.deadlines import add_years
from husly.temporary import actions
from husly.temporary.models import Place, Stay

PROVIDERS = [
    # name, kind, price, per, children, agreement (years back, years ahead)
    ("Kommunale gjennomgangsboliger", "municipal", 300, "household", True, None),
    ("Fjerdingby hospits", "hostel", 450, "household", True, (2, 1)),
    ("Strandhotellet", "hotel", 400, "person", True, (1, 1)),
    ("Nordby camping", "campsite", 350, "household", True, (4, -1)),  # lapsed
    ("Krisesenteret", "crisis_centre", 500, "household", True, (3, 2)),
    ("Natthjemmet", "night_shelter", 250, "person", False, (1, 2)),
]


def _places(municipality: Municipality, actor: User, today: dt.date) -> dict[str, Place]:
    places = {}
    for name, kind, price, per, children, agreement in PROVIDERS:
        provider = actions.provider_create(
            actor=actor,
            municipality=municipality,
            data={"name": name, "kind": kind, "address": f"{name.split()[0]}vegen 1"},
        )
        if agreement is not None:
            back, ahead = agreement
            actions.agreement_record(
                actor=actor,
                provider=provider,
                data={
                    "valid_from": add_years(today, -back),
                    "valid_to": add_years(today, ahead),
                    "standard": "Eget rom med lås, tilgang til kjøkken og vaskemaskin.",
                    "safety": "Brannvarsling i alle rom, rømningsveier merket.",
                    "staffing": "Bemannet resepsjon hele døgnet.",
                    "follow_up": "Beboeren får samtale med NAV innen en uke.",
                    "inspection": "Kommunen kan føre tilsyn uanmeldt.",
                },
            )
        places[kind] = actions.place_create(
            actor=actor,
            provider=provider,
            data={
                "name": "Rom",
                "capacity": 12,
                "price": price,
                "price_per": per,
                "children_allowed": children,
            },
        )
    actions.inspection_record(
        actor=actor,
        provider=places["hotel"].provider,
        data={
            "inspected_on": today - dt.timedelta(days=40),
            "passed": False,
            "findings": "Brannalarmen i 2. etasje virket ikke.",
        },
    )
    actions.inspection_record(
        actor=actor,
        provider=places["hostel"].provider,
        data={
            "inspected_on": today - dt.timedelta(days=90),
            "passed": True,
            "findings": "I orden.",
        },
    )
    return places


def _split(households: list[Household], today: dt.date) -> tuple[list[Household], list[Household]]:
    families, singles = [], []
    for household in households:
        born = [m.person.date_of_birth for m in household.members.all()]
        if any(b and add_years(b, 18) > today for b in born):
            families.append(household)
        else:
            singles.append(household)
    return families, singles


def seed_temporary(municipality: Municipality, as_of: dt.date, username: str) -> int:
    """Providers and about a dozen stays; returns the number of stays."""
    nav = User.objects.get(username=username)
    unit = Unit.objects.filter(municipality=municipality, kind=UnitKind.HOUSING_OFFICE).first()
    assert unit is not None  # noqa: S101 - the demo builds a housing office
    today = as_of
    places = _places(municipality, nav, today)
    households = list(
        Household.objects.filter(municipality=municipality, temporary_stays__isnull=True)
        .prefetch_related("members__person")
        .order_by("pk")[:80]
    )
    families, singles = _split(households, today)

    def place(household: Household, kind: str, days_ago: int, nights: int, **kw: object) -> Stay:
        start = today - dt.timedelta(days=days_ago)
        return actions.stay_place(
            actor=nav,
            household=household,
            place=places[kind],
            starts_on=start,
            planned_end=start + dt.timedelta(days=nights),
            lasting_path=str(kw.pop("path", "municipal_dwelling")),
            responsible_unit=unit,
            facts=str(
                kw.pop("facts", "Husstanden har ingen bolig og ikke noe sted å sove i natt.")
            ),
            **kw,  # type: ignore[arg-type]
        )

    def end(stay: Stay, days_ago: int, reason: str = "lease_signed") -> None:
        actions.stay_end(
            actor=nav, stay=stay, on=today - dt.timedelta(days=days_ago), reason=reason
        )

    count = 0
    # A family with children past three months, extended twice, still there.
    if families:
        stay = place(families[0], "hostel", 120, 30, facts="Familien ble kastet ut etter brann.")
        stay = actions.stay_extend(
            actor=nav,
            stay=stay,
            planned_end=stay.planned_end + dt.timedelta(days=60),
            reason="Venter på kommunal bolig.",
        )
        actions.stay_extend(
            actor=nav,
            stay=stay,
            planned_end=today + dt.timedelta(days=30),
            reason="Tilbud om bolig er gitt, innflytting neste måned.",
        )
        count += 1
    # A family moved from the hotel to the hostel, then housed with a lease.
    if len(families) > 1:
        stay = place(
            families[1],
            "hotel",
            40,
            30,
            path="private_rental",
            family_reason="Alle andre plasser var fulle den natten.",
        )
        stay = actions.stay_move(
            actor=nav,
            stay=stay,
            place=places["hostel"],
            on=today - dt.timedelta(days=30),
            reason="Hotellet strøk på tilsynet.",
        )
        end(stay, 12)
        count += 1
    # A family at the crisis centre, short and open.
    if len(families) > 2:  # noqa: PLR2004
        place(families[2], "crisis_centre", 6, 14, path="private_rental")
        count += 1
    # Straight from prison, still there; a young single.
    if singles:
        place(singles[0], "hostel", 20, 30, discharge="prison")
        count += 1
    # A repeated stay: one last year, a new one now.
    if len(singles) > 1:
        first = place(singles[1], "hostel", 300, 10)
        end(first, 290, "own_solution")
        place(singles[1], "hotel", 3, 7)
        count += 2
    # Natthjem nights (not counted in KOSTRA) and short stays ended.
    for i, household in enumerate(singles[2:10]):
        kind = "night_shelter" if i % 3 == 0 else "municipal"
        stay = place(household, kind, 200 - i * 20, 5 + i * 4)
        end(stay, 200 - i * 20 - (5 + i * 4) + 1, "own_solution" if i % 2 else "lease_signed")
        count += 1
    # Housing situations for the homelessness count.
    situations = (
        ("with_friends", None),
        ("prison", today + dt.timedelta(days=40)),
        ("sleeping_rough", None),
    )
    for household, (situation, leaves) in zip(singles[10:], situations, strict=False):
        actions.housing_situation_record(
            actor=nav,
            household=household,
            data={
                "situation": situation,
                "valid_from": today - dt.timedelta(days=30),
                "leaves_on": leaves,
            },
        )
    return count
