"""A deterministic demo municipality: synthetic people, households and municipal dwellings.

``small`` is at the scale of Rælingen in the sources (about 17,400 inhabitants, about 200
municipal dwellings, 16 households on the waiting list; raelingen L1237, L1870-1875);
``oslo`` at Oslo's scale (about 13,000 municipal dwellings, tens of thousands of persons;
oslo.md) for benchmarks and load tests. The same seed and date give the same data.

Names are drawn from common Norwegian and immigrant-origin names and combined at random; identity
numbers are synthetic (Skatteetaten's month + 80 convention), so none belongs to a real person.
The generator writes with bulk inserts for speed and records one audit event for the whole run.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from husly.arrears.demo import seed_arrears
from husly.audit.events import record_change
from husly.core.progress import Progress
from husly.housing.models import (
    Building,
    Dwelling,
    DwellingCategory,
    DwellingStatus,
    DwellingStatusChange,
    Ownership,
)
from husly.organisation.models import (
    HousingAllowanceArea,
    Membership,
    Municipality,
    Role,
    Unit,
    UnitKind,
    User,
)
from husly.people.identity import individual_numbers_for, make_synthetic_number
from husly.people.models import Household, HouseholdMember, Person, Relation, ResidencePermit

DEMO_PASSWORD = "husly-demo"  # noqa: S105 - printed for the demo; never used in production


@dataclass(frozen=True)
class Scale:
    municipality_number: str
    municipality_name: str
    inhabitants: int
    area: int
    dwellings: int
    households: int
    districts: tuple[str, ...]
    postal: tuple[tuple[str, str], ...]
    cases: int
    # Oslo volumes (docs/admin-guide.md, "The demo's volumes"): earlier years of applications
    # written in bulk (husly.demo.history.seed_volume_history), and how many dwellings stand
    # vacant for the allocation meeting (None: the status weights decide).
    volume_years: int = 0
    volume_cases_per_year: int = 0
    vacancies: int | None = None


SCALES = {
    "small": Scale(
        "3224",
        "Rælingen",
        17_430,
        HousingAllowanceArea.OTHER,
        210,
        420,
        ("Fjerdingby", "Løvenstad", "Nordby", "Blystadlia", "Marikollen"),
        (("2008", "Fjerdingby"), ("2005", "Rælingen"), ("2006", "Løvenstad")),
        110,
    ),
    "oslo": Scale(
        "0301",
        "Oslo",
        717_710,
        HousingAllowanceArea.OSLO,
        13_000,
        30_000,
        (
            "Gamle Oslo",
            "Grünerløkka",
            "Sagene",
            "St. Hanshaugen",
            "Frogner",
            "Ullern",
            "Vestre Aker",
            "Nordre Aker",
            "Bjerke",
            "Grorud",
            "Stovner",
            "Alna",
            "Østensjø",
            "Nordstrand",
            "Søndre Nordstrand",
        ),
        (("0650", "Oslo"), ("0560", "Oslo"), ("0980", "Oslo"), ("1081", "Oslo"), ("1254", "Oslo")),
        400,
        volume_years=3,
        volume_cases_per_year=5_000,
        vacancies=40,
    ),
}

UNITS = [
    ("Tjenestekontoret for helse og omsorg", UnitKind.HOUSING_OFFICE),
    ("NAV", UnitKind.NAV),
    ("Enhet for hjemmebaserte tjenester", UnitKind.HEALTH_CARE),
    ("Eiendomsenheten", UnitKind.PROPERTY),
    ("Flyktninge- og inkluderingstjenesten", UnitKind.REFUGEE_SERVICE),
    ("Booppfølgingstjenesten", UnitKind.FOLLOW_UP),
    ("Innfordringsavdelingen", UnitKind.OTHER),
]

# username, given name, family name, unit index, role, what they come to do
DEMO_USERS = [
    ("saksbehandler", "Sara", "Saksbehandler", 0, Role.CASEWORKER),
    ("godkjenner", "Geir", "Godkjenner", 0, Role.APPROVER),
    ("tildeling", "Tone", "Tildeling", 0, Role.ALLOCATION_MEMBER),
    ("eiendom", "Eirik", "Eiendom", 3, Role.PROPERTY),
    ("innfordring", "Ingrid", "Innfordring", 6, Role.COLLECTIONS),
    ("booppfolging", "Bente", "Booppfølging", 5, Role.FOLLOW_UP),
    ("nav", "Nadia", "Navrådgiver", 1, Role.CASEWORKER),
    ("navleder", "Nils", "Navleder", 1, Role.APPROVER),
    ("flyktning", "Farid", "Flyktningkonsulent", 4, Role.CASEWORKER),
    ("leder", "Lise", "Leder", 0, Role.LEADER),
    ("admin", "Arne", "Administrator", 0, Role.ADMINISTRATOR),
]

GIVEN = [
    "Anne",
    "Inger",
    "Kari",
    "Marit",
    "Ingrid",
    "Liv",
    "Eva",
    "Berit",
    "Astrid",
    "Bjørg",
    "Hilde",
    "Nora",
    "Emma",
    "Sofie",
    "Maja",
    "Ida",
    "Sara",
    "Amina",
    "Fatima",
    "Maryam",
    "Zainab",
    "Agnieszka",
    "Anna",
    "Olga",
    "Hodan",
    "Jan",
    "Per",
    "Bjørn",
    "Ole",
    "Lars",
    "Kjell",
    "Knut",
    "Arne",
    "Svein",
    "Thomas",
    "Jonas",
    "Magnus",
    "Emil",
    "Noah",
    "Oliver",
    "Mohammed",
    "Ali",
    "Ahmed",
    "Omar",
    "Piotr",
    "Tomasz",
    "Yonas",
    "Abdi",
    "Daniel",
    "Kristian",
]
FAMILY = [
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Johnsen",
    "Pettersen",
    "Eriksen",
    "Berg",
    "Haugen",
    "Hagen",
    "Johannessen",
    "Andreassen",
    "Jacobsen",
    "Dahl",
    "Jørgensen",
    "Halvorsen",
    "Lund",
    "Ahmed",
    "Ali",
    "Hussain",
    "Khan",
    "Mohamed",
    "Nowak",
    "Kowalski",
    "Tesfay",
    "Nguyen",
    "Hassan",
    "Abdi",
    "Wiśniewski",
    "Haile",
    "Rahimi",
    "Yilmaz",
    "Berisha",
    "Sørensen",
]
STREETS = [
    "Fjerdingbyvegen",
    "Løvenstadvegen",
    "Nordbyvegen",
    "Haugervegen",
    "Marikollveien",
    "Blystadlia",
    "Torvvegen",
    "Skogvegen",
    "Bjørnholthagan",
    "Buholen",
    "Smedgata",
    "Kirkevegen",
    "Sagveien",
    "Elvebakken",
    "Bekkestien",
    "Furuveien",
]

# Household types with shares from typical municipal tenant populations (oslo.md statistics):
# (adults, children-range, share)
HOUSEHOLD_TYPES = [
    (1, (0, 0), 0.55),
    (1, (1, 3), 0.16),
    (2, (0, 0), 0.10),
    (2, (1, 4), 0.13),
    (3, (0, 1), 0.06),
]


def _weighted(
    rng: random.Random, items: list[tuple[int, tuple[int, int], float]]
) -> tuple[int, tuple[int, int]]:
    pick = rng.random()
    for adults, children, share in items:
        pick -= share
        if pick <= 0:
            return adults, children
    return items[-1][0], items[-1][1]


class DemoGenerator:
    def __init__(
        self,
        scale: str,
        seed: int,
        as_of: dt.date,
        progress: Callable[[str, int], Progress] | None = None,
        *,
        with_cases: bool = True,
    ) -> None:
        self.scale = SCALES[scale]
        self.scale_name = scale
        self.rng = random.Random(seed)  # noqa: S311 - demo data, not security
        self.as_of = as_of
        self.with_cases = with_cases
        self.progress = progress
        self.used_numbers: set[str] = set()

    def _progress(self, label: str, total: int) -> Progress | None:
        return self.progress(label, total) if self.progress else None

    @transaction.atomic
    def run(self) -> Municipality:
        municipality = self._organisation()
        buildings = self._buildings(municipality)
        dwellings = self._dwellings(buildings)
        self._people(municipality)
        if self.with_cases:
            self._cases(municipality)
            self._allocation(municipality)
            seed_arrears(municipality, self.as_of)  # husly.arrears.demo
            self._rent(municipality)
            self._followup(municipality)
            self._temporary(municipality)
            if self._has_start_loan_rules():
                from husly.loans.demo import seed_loans

                seed_loans(municipality, self.as_of)
                self._owning(municipality)  # its screenings calculate start loans too
            from husly.demo.past import seed_past  # years of history before the living part

            seed_past(
                municipality,
                self._username,
                scale=self.scale_name,
                seed=self.rng.randint(0, 2**31),
                as_of=self.as_of,
                cases=self.scale.cases,
            )
            self._simulation(municipality)
        record_change(
            actor=None,
            action="seed_demo",
            instance=municipality,
            municipality=municipality,
            changes={"scale": [None, self.scale_name], "dwellings": [None, len(dwellings)]},
        )
        return municipality

    def _simulation(self, municipality: Municipality) -> None:
        """One stored simulation of today's policy (and three-year leases beside it), so Min
        side shows each waiting household its chance of an offer from the start, as a nightly
        ``manage simulate`` would keep it."""
        from husly.policy.actions import simulation_run

        simulation_run(
            actor=None,
            municipality=municipality,
            label="Treårige kontrakter",
            changes={"lease_length_months": 36},
            runs=50 if self.scale_name == "small" else 20,
            horizon_months=24,
            seed=self.rng.randint(0, 2**31 - 1),
            today=self.as_of,
        )

    def _has_start_loan_rules(self) -> bool:
        """Start loans are seeded only where the municipality has entered its start-loan
        parameters (Rælingen has; the Oslo-scale demo has none, as Oslo has not)."""
        from husly.rules.errors import MissingMunicipalParametersError
        from husly.rules.start_loan import StartLoanParameters

        try:
            StartLoanParameters.for_municipality(self.scale.municipality_number, self.as_of)
        except MissingMunicipalParametersError:
            return False
        return True

    def _organisation(self) -> Municipality:
        s = self.scale
        municipality, _ = Municipality.objects.get_or_create(
            number=s.municipality_number,
            defaults={
                "name": s.municipality_name,
                "housing_allowance_area": s.area,
                "inhabitants": s.inhabitants,
            },
        )
        units = [
            Unit.objects.get_or_create(
                municipality=municipality,
                name=f"{name} {s.municipality_name}" if kind == UnitKind.NAV else name,
                defaults={"kind": kind},
            )[0]
            for name, kind in UNITS
        ]
        for username, given, family, unit_index, role in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username
                if self.scale_name == "small"
                else f"{username}-{s.municipality_number}",
                defaults={
                    "first_name": given,
                    "last_name": family,
                    "email": f"{username}@{s.municipality_name.lower()}.kommune.example",
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            Membership.objects.get_or_create(user=user, unit=units[unit_index], role=role)
        self._routing(municipality, units)
        return municipality

    def _routing(self, municipality: Municipality, units: list[Unit]) -> None:
        """Which unit handles each kind of help, as in Rælingen (raelingen.md §1.2)."""
        from husly.cases.models import HelpKind, RoutingRule

        by_kind = {
            HelpKind.RENTAL_DWELLING: units[0],
            HelpKind.ADVICE: units[0],
            HelpKind.DWELLING_WITH_SERVICES: units[2],
            HelpKind.START_LOAN: units[1],
            HelpKind.GRANT: units[1],
            HelpKind.DEPOSIT_GUARANTEE: units[1],
            HelpKind.TEMPORARY_ACCOMMODATION: units[1],
            HelpKind.HOUSING_FOLLOW_UP: units[5],
        }
        for kind, unit in by_kind.items():
            RoutingRule.objects.get_or_create(
                municipality=municipality, help_kind=kind, defaults={"unit": unit}
            )

    def _cases(self, municipality: Municipality) -> None:
        """Two years of applications in every state, through the real actions
        (husly.demo.history), and a lease for every let dwelling."""
        from husly.demo import history

        history.unit_contacts(municipality)
        cast = history.Cast(
            caseworker=User.objects.get(username=self._username("saksbehandler")),
            approver=User.objects.get(username=self._username("godkjenner")),
            nav=User.objects.get(username=self._username("nav")),
            follow_up_unit=Unit.objects.get(municipality=municipality, kind=UnitKind.FOLLOW_UP),
        )
        households = list(Household.objects.filter(municipality=municipality).order_by("pk"))
        applicants, tenants = households[: self.scale.cases], households[self.scale.cases :]
        seed = self.rng.randint(0, 2**31)
        history.seed_case_history(municipality, applicants, cast, seed=seed, as_of=self.as_of)
        volume = self.scale.volume_years * self.scale.volume_cases_per_year
        if volume:
            earlier, tenants = tenants[:volume], tenants[volume:]
            progress = self._progress("Tidligere saker", 1)
            history.seed_volume_history(
                municipality,
                earlier,
                cast,
                seed=seed + 2,
                as_of=self.as_of,
                years=self.scale.volume_years,
            )
            if progress:
                progress.update(1)
        landlord = User.objects.get(username=self._username("eiendom"))
        member = User.objects.get(username=self._username("tildeling"))
        if volume:  # Oslo: the earlier years are bulk rows with drawn waits (ADR 0033)
            history.house_earlier_approvals(
                municipality, landlord, member, cast.caseworker, seed=seed, as_of=self.as_of
            )
            history.seed_tenancies(municipality, tenants, landlord, seed=seed, as_of=self.as_of)
            return
        # The last two years as a queue: moves out, offers in priority order, refusals
        # (husly.demo.history.house_by_queue); the tenancies of the dwellings that did not
        # turn over began before them.
        _housed, tenants = history.house_by_queue(
            municipality, landlord, member, cast.caseworker, tenants, seed=seed, as_of=self.as_of
        )
        history.seed_tenancies(
            municipality,
            tenants,
            landlord,
            seed=seed,
            as_of=self.as_of,
            older_than=history.HISTORY_DAYS + 1,
        )

    def _allocation(self, municipality: Municipality) -> None:
        """A waiting list (from the approvals above) and one meeting with a proposal."""
        from husly.allocation.demo import seed_allocation
        from husly.landlords.demo import seed_landlords

        member = User.objects.get(username=self._username("tildeling"))
        seed_allocation(municipality, member, self.as_of)
        seed_landlords(municipality, self.as_of)  # the private-market work (husly.landlords)
        from husly.settlement.demo import seed_settlement

        seed_settlement(municipality, User.objects.get(username=self._username("flyktning")))

    def _rent(self, municipality: Municipality) -> None:
        """Rent claims and payments: most tenants paid up, some behind (husly.rent.demo)."""
        from husly.rent.demo import seed_rent

        seed_rent(municipality, self.as_of)

    def _owning(self, municipality: Municipality) -> None:
        """Screenings, a sale, an offer and a rent-to-own agreement (husly.owning.demo)."""
        from husly.owning.demo import seed_owning

        seed_owning(
            municipality, User.objects.get(username=self._username("saksbehandler")), self.as_of
        )

    def _followup(self, municipality: Municipality) -> None:
        """Bo-plans, contacts, warnings, inspections, move-outs (husly.followup.demo)."""
        from husly.followup.demo import seed_follow_up

        seed_follow_up(municipality, self.as_of)

    def _temporary(self, municipality: Municipality) -> None:
        """Providers, places and stays of every kind in temporary accommodation."""
        from husly.temporary.demo import seed_temporary

        seed_temporary(municipality, self.as_of, self._username("nav"))

    def _username(self, base: str) -> str:
        return base if self.scale_name == "small" else f"{base}-{self.scale.municipality_number}"

    def _buildings(self, municipality: Municipality) -> list[Building]:
        s, rng = self.scale, self.rng
        count = max(8, s.dwellings // 10)
        buildings = []
        for index in range(count):
            street = STREETS[index % len(STREETS)]
            postal_code, town = rng.choice(s.postal)
            buildings.append(
                Building(
                    municipality=municipality,
                    name=f"{street} {index // len(STREETS) * 2 + 1 + index % 7}",
                    address=f"{street} {index + 1}",
                    postal_code=postal_code,
                    postal_town=town,
                    district=s.districts[index % len(s.districts)],
                    has_lift=rng.random() < 0.35,
                    year_built=rng.randint(1955, 2022),
                )
            )
        return Building.objects.bulk_create(buildings, batch_size=1000)

    def _dwellings(self, buildings: list[Building]) -> list[Dwelling]:
        s, rng = self.scale, self.rng
        categories = [
            (DwellingCategory.ORDINARY, 0.66),
            (DwellingCategory.WITH_SERVICES, 0.12),
            (DwellingCategory.CARE, 0.08),
            (DwellingCategory.SHARED, 0.05),
            (DwellingCategory.TRAINING, 0.03),
            (DwellingCategory.TEMPORARY, 0.06),
        ]
        dwellings: list[Dwelling] = []
        progress = self._progress("Boliger", s.dwellings)
        for index in range(s.dwellings):
            building = buildings[index % len(buildings)]
            floor = 1 + (index // len(buildings)) % 5
            rooms = rng.choices([0, 1, 2, 3, 4], weights=[8, 38, 32, 17, 5])[0]
            pick, category = rng.random(), DwellingCategory.ORDINARY
            for value, share in categories:
                pick -= share
                if pick <= 0:
                    category = value
                    break
            area = Decimal(str(round(24 + rooms * 17 + rng.uniform(-4, 9), 1)))
            status = rng.choices(
                [
                    DwellingStatus.OCCUPIED,
                    DwellingStatus.VACANT,
                    DwellingStatus.RESERVED,
                    DwellingStatus.MAINTENANCE,
                ],
                weights=[90, 4, 2, 4],
            )[0]
            dwellings.append(
                Dwelling(
                    building=building,
                    number=f"H{floor:02d}{index // (len(buildings) * 5) + 1:02d}",
                    rooms=rooms,
                    area_m2=area,
                    floor=floor,
                    wheelchair_accessible=(building.has_lift and rng.random() < 0.4)
                    or (floor == 1 and rng.random() < 0.2),
                    category=category,
                    ownership=rng.choices(list(Ownership.values), weights=[75, 18, 7])[0],
                    monthly_rent=int(
                        round((6500 + rooms * 2100 + rng.randint(-600, 1200)) / 10) * 10
                    ),
                    status=status,
                )
            )
            if progress:
                progress.update(index + 1)
        if s.vacancies is not None:
            # A realistic agenda for one allocation meeting: the rest of the vacant ones are let.
            vacant = [d for d in dwellings if d.status == DwellingStatus.VACANT]
            for dwelling in vacant[s.vacancies :]:
                dwelling.status = DwellingStatus.OCCUPIED
        Dwelling.objects.bulk_create(dwellings, batch_size=2000)
        DwellingStatusChange.objects.bulk_create(
            (
                DwellingStatusChange(
                    dwelling=d,
                    status=d.status,
                    valid_from=self.as_of - dt.timedelta(days=self.rng.randint(1, 1500)),
                    reason="Demodata",
                )
                for d in dwellings
            ),
            batch_size=2000,
        )
        return dwellings

    def _identity_number(self, born: dt.date) -> str:
        while True:
            numbers = individual_numbers_for(born.year)
            individual = self.rng.randint(numbers.start, numbers.stop - 1)
            number = make_synthetic_number(born, individual)
            if number and number not in self.used_numbers:
                self.used_numbers.add(number)
                return number

    def _person(self, municipality: Municipality, family: str, age: int) -> Person:
        rng = self.rng
        born = self.as_of - dt.timedelta(days=age * 365 + rng.randint(0, 364))
        permit = rng.choices(
            [
                ResidencePermit.CITIZEN,
                ResidencePermit.PERMANENT,
                ResidencePermit.TEMPORARY,
                ResidencePermit.PROTECTION,
                ResidencePermit.EEA,
            ],
            weights=[62, 12, 6, 14, 6],
        )[0]
        registered_since = max(born, self.as_of - dt.timedelta(days=rng.randint(30, 9000)))
        has_number = rng.random() > 0.01
        return Person(
            municipality=municipality,
            national_id=self._identity_number(born) if has_number else "",
            date_of_birth=born,
            given_name=rng.choice(GIVEN),
            family_name=family,
            phone=f"9{rng.randint(1000000, 9999999)}" if age >= 16 else "",
            language_form="nn" if rng.random() < 0.05 else "nb",
            needs_interpreter=permit == ResidencePermit.PROTECTION and rng.random() < 0.4,
            residence_permit=permit,
            residence_permit_valid_until=self.as_of + dt.timedelta(days=rng.randint(60, 900))
            if permit in {ResidencePermit.TEMPORARY, ResidencePermit.PROTECTION}
            else None,
            registered_municipality_number=self.scale.municipality_number,
            registered_since=registered_since,
            address=f"{rng.choice(STREETS)} {rng.randint(1, 80)}",
            postal_code=self.scale.postal[0][0],
            postal_town=self.scale.postal[0][1],
        )

    def _people(self, municipality: Municipality) -> None:
        rng = self.rng
        total = self.scale.households
        progress = self._progress("Husstander", total)
        households: list[Household] = []
        members: list[tuple[int, list[tuple[Person, str]]]] = []
        for index in range(total):
            adults, (low, high) = _weighted(rng, HOUSEHOLD_TYPES)
            family = rng.choice(FAMILY)
            people: list[tuple[Person, str]] = [
                (self._person(municipality, family, rng.randint(19, 84)), Relation.APPLICANT)
            ]
            for extra in range(1, adults):
                relation = (
                    Relation.SPOUSE
                    if extra == 1 and rng.random() < 0.7
                    else (Relation.COHABITANT if extra == 1 else Relation.OTHER_ADULT)
                )
                people.append((self._person(municipality, family, rng.randint(19, 80)), relation))
            people.extend(
                (self._person(municipality, family, rng.randint(0, 17)), Relation.CHILD)
                for _ in range(rng.randint(low, high))
            )
            households.append(Household(municipality=municipality, name=family))
            members.append((index, people))
            if progress:
                progress.update(index + 1)
        Household.objects.bulk_create(households, batch_size=2000)
        persons = [person for _, people in members for person, _ in people]
        Person.objects.bulk_create(persons, batch_size=2000)
        HouseholdMember.objects.bulk_create(
            (
                HouseholdMember(household=households[index], person=person, relation=relation)
                for index, people in members
                for person, relation in people
            ),
            batch_size=2000,
        )


def _flat(items: list[dict[str, object]]) -> list[dict[str, object]]:
    flat: list[dict[str, object]] = []
    for item in items:
        flat.append(item)
        flat.extend(_flat(item.get("children") or []))  # type: ignore[arg-type]
    return flat
