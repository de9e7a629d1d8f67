"""The lists of temporary stays, landlords, settlement, owning and start loans ask the database
the same number of times for few and for many rows (no query per row), on the demo's data: each
app's demo seeding once, then once more (twice the rows)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from husly.demo import history
from husly.demo.builder import DemoGenerator
from husly.organisation.models import Municipality, User
from husly.people.models import Household

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 11, 1)


def _count(user: User, url: str) -> tuple[int, bytes]:
    client = Client()
    client.force_login(user)
    client.get(url)  # the first request fills what is cached per process (menus, rules)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response.content


@pytest.fixture
def demo() -> Municipality:
    """Rælingen's registers (people, dwellings, users), no cases yet."""
    return DemoGenerator("small", seed=3, as_of=AS_OF, with_cases=False).run()


def _same_for_more(
    username: str, url: str, seed: Callable[[int], object], shows: Callable[[], int]
) -> None:
    user = User.objects.get(username=username)
    seed(1)
    rows = shows()
    few, _page = _count(user, url)
    seed(2)
    assert shows() > rows, "the second seeding adds rows to the list"
    many, _page = _count(user, url)
    assert many == few, f"{url}: {few} queries for {rows} rows, {many} for {shows()}"


def test_the_list_of_stays_asks_the_same_for_few_and_many(demo) -> None:  # type: ignore[no-untyped-def]
    from husly.organisation.models import Unit
    from husly.temporary import actions
    from husly.temporary.demo import seed_temporary
    from husly.temporary.models import Place, Stay

    nadia = User.objects.get(username="nav")

    def seed(n: int) -> None:
        if n == 1:
            seed_temporary(demo, AS_OF, "nav")
            return
        places = list(
            Place.objects.filter(provider__municipality=demo, children_allowed=True).order_by("pk")
        )
        unit = Unit.objects.filter(municipality=demo, kind="housing_office").first()
        homeless = Household.objects.filter(municipality=demo, temporary_stays__isnull=True)
        for i, household in enumerate(homeless.order_by("pk")[:12]):
            actions.stay_place(
                actor=nadia,
                household=household,
                place=places[i % len(places)],
                starts_on=AS_OF - dt.timedelta(days=i + 1),
                planned_end=AS_OF + dt.timedelta(days=20),
                lasting_path="municipal_dwelling",
                responsible_unit=unit,
                facts="Husstanden har ingen bolig og ikke noe sted å sove i natt.",
                family_reason="Alle andre plasser var fulle den natten.",
            )

    _same_for_more(
        "nav",
        reverse("temporary:stay_list"),
        seed,
        lambda: Stay.objects.filter(municipality=demo, ended_on__isnull=True).count(),
    )


def test_the_list_of_landlords_asks_the_same_for_few_and_many(demo) -> None:  # type: ignore[no-untyped-def]
    from husly.landlords import actions
    from husly.landlords.demo import seed_landlords
    from husly.landlords.models import Landlord, LandlordKind

    sara = User.objects.get(username="saksbehandler")

    def seed(n: int) -> None:
        if n == 1:
            seed_landlords(demo, AS_OF)
            return
        for i in range(12):
            actions.landlord_register(
                actor=sara,
                municipality=demo,
                data={
                    "kind": LandlordKind.COMPANY,
                    "name": f"Utleie {i} AS",
                    "org_number": _org_number(91000000 + i),
                    "contact_person": "Kari Holm",
                },
            )

    _same_for_more(
        "saksbehandler",
        reverse("landlords:landlord_list"),
        seed,
        lambda: Landlord.objects.filter(municipality=demo).count(),
    )


def _org_number(first_eight: int) -> str:
    """A valid organisation number (mod 11) from eight digits, or the next that has one."""
    while True:
        digits = [int(d) for d in f"{first_eight:08d}"]
        rest = sum(w * d for w, d in zip((3, 2, 7, 6, 5, 4, 3, 2), digits, strict=True)) % 11
        check = 0 if rest == 0 else 11 - rest
        if check < 10:
            return f"{first_eight:08d}{check}"
        first_eight += 1000


def test_the_settlement_overview_asks_the_same_for_few_and_many(demo) -> None:  # type: ignore[no-untyped-def]
    from husly.settlement.demo import _accept, _request, seed_settlement
    from husly.settlement.models import SettlementCase, SettlementRequest
    from tests.allocation.helpers import lease_terms

    farid = User.objects.get(username="flyktning")

    def seed(n: int) -> None:
        if n == 1:
            lease_terms(demo, User.objects.get(username="eiendom"))
            seed_settlement(demo, farid)
            return
        for i in range(8):
            request = _request(
                farid,
                demo,
                f"IMDi-T-{i}",
                10 + i,
                family_name=f"Familie{i}",
                household_size=2,
                ages="30, 28",
            )
            if i % 2:
                _accept(farid, request, "Ali", dt.date(1990, 1, 1 + i), 30)

    _same_for_more(
        "flyktning",
        reverse("settlement:overview"),
        seed,
        lambda: (
            SettlementCase.objects.filter(municipality=demo).count()
            + SettlementRequest.objects.filter(municipality=demo).count()
        ),
    )


def _tenants(demo: Municipality) -> Callable[[int], object]:
    households = list(Household.objects.filter(municipality=demo).order_by("pk"))
    eirik = User.objects.get(username="eiendom")

    def seed(n: int) -> object:
        part = households[200:230] if n == 1 else households[230:320]
        return history.seed_tenancies(demo, part, eirik, seed=n, as_of=AS_OF)

    return seed


def test_the_owning_screening_list_asks_the_same_for_few_and_many(demo) -> None:  # type: ignore[no-untyped-def]
    from husly.owning.demo import seed_owning
    from husly.tenancy.models import Lease

    tenants = _tenants(demo)
    sara = User.objects.get(username="saksbehandler")

    def seed(n: int) -> None:
        tenants(n)
        seed_owning(demo, sara, AS_OF)  # screenings, a sale, an offer, a rent-to-own agreement

    _same_for_more(
        "saksbehandler",
        reverse("owning:overview"),
        seed,
        lambda: Lease.objects.filter(municipality=demo, status="active").count(),
    )


def test_the_start_loan_overview_asks_the_same_for_few_and_many(demo) -> None:  # type: ignore[no-untyped-def]
    from husly.loans.demo import seed_loans
    from husly.loans.models import LoanApplication

    _same_for_more(
        "nav",
        reverse("loans:overview"),
        lambda _n: seed_loans(demo, AS_OF),
        lambda: LoanApplication.objects.filter(case__municipality=demo).count(),
    )
