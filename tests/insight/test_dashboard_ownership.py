"""Issue 16, session 7: suppression follows the data out of the unit that owns it on the main
dashboard (ADR 0032), one subtraction guard for every table with a total and parts, and the
lists behind the units' own figures — per role inside one municipality."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from husly.audit.models import AccessEvent
from husly.cases.models import CaseRouting
from husly.insight import dashboard_views as views
from husly.insight.dashboard_views import Shown
from husly.insight.suppression import guard, hidden_with_total
from husly.organisation.models import Unit, UnitKind
from husly.people.models import HouseholdMember
from husly.temporary.models import Stay
from tests.allocation.helpers import make_dwelling
from tests.conftest import _user
from tests.insight.helpers import _case, _decision, _entry, _household

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _cell(body: str, label: str, start: str = "") -> str:
    """The first cell of the table row headed ``label`` (after ``start``)."""
    at = body.index(label + "</", body.index(start) if start else 0)
    cell = body.index("<td>", at) + len("<td>")
    return body[cell : body.index("</td>", cell)]


# --------------------------------------------------------------------------------------------
# The subtraction guard (one function), hand-computed
# --------------------------------------------------------------------------------------------


def test_the_guard_hides_the_next_smallest_part_beside_a_single_small_one() -> None:
    # total 20 = 3 + 9 + 8: the 3 is small; 20 - 9 - 8 would give it, so the 8 goes too
    values = {"t": 20, "a": 3, "b": 9, "c": 8}
    assert guard(values, [("t", ["a", "b", "c"])]) == {"a", "c"}
    # the example: total 12, parts 3 and 9: both parts hidden, the total shown
    assert guard({"t": 12, "a": 3, "b": 9}, [("t", ["a", "b"])]) == {"a", "b"}
    # two small parts: nothing more to hide; none small: nothing hidden
    assert guard({"t": 45, "a": 3, "b": 2, "c": 40}, [("t", ["a", "b", "c"])]) == {"a", "b"}
    assert guard({"t": 50, "a": 10, "b": 40}, [("t", ["a", "b"])]) == set()
    # zero parts are shown and never taken: here the small total goes with its small part
    assert guard({"t": 3, "a": 3, "b": 0}, [("t", ["a", "b"])]) == {"t", "a"}
    # a total that is not shown (None): only the small parts
    assert guard({"a": 3, "b": 9}, [(None, ["a", "b"])]) == {"a"}
    # the old one-sum helper gives the same answers through the same function
    assert hidden_with_total([3, 40, 12, 0]) == [True, False, True, False]
    assert hidden_with_total([4, 0]) == [True, False]


def test_the_guard_on_a_cross_table_and_beside_a_public_number() -> None:
    # 2 x 2 with both margins and the grand total shown:
    #        A    B  | row
    #   x    3   10  | 13
    #   y    6    7  | 13
    #   col  9   17  | 26
    # x/A is small; its row takes x/B (10), its column y/A (6); x/B's column then takes y/B.
    values: dict[Any, int] = {
        ("x", "A"): 3,
        ("x", "B"): 10,
        ("y", "A"): 6,
        ("y", "B"): 7,
        "x": 13,
        "y": 13,
        "A": 9,
        "B": 17,
        "all": 26,
    }
    sums = [
        ("x", [("x", "A"), ("x", "B")]),
        ("y", [("y", "A"), ("y", "B")]),
        ("A", [("x", "A"), ("y", "A")]),
        ("B", [("x", "B"), ("y", "B")]),
        ("all", ["x", "y"]),
        ("all", ["A", "B"]),
    ]
    assert guard(values, sums) == {("x", "A"), ("x", "B"), ("y", "A"), ("y", "B")}
    # The council's number is public: settled 3 + remaining 9 = 12, so remaining goes
    assert guard(
        {"decided": 12, "settled": 3, "remaining": 9},
        [("decided", ["settled", "remaining"])],
        public=frozenset({"decided"}),
    ) == {"settled", "remaining"}
    # a public part is never taken: with nothing else to hide, the total goes
    assert guard({"t": 43, "a": 3, "b": 40}, [("t", ["a", "b"])], public=frozenset({"b"})) == {
        "a",
        "t",
    }


def test_every_dashboard_table_with_a_total_is_guarded() -> None:
    """The sections as a reader outside the owner sees them, from hand-made figures."""
    hidden = Shown(False)
    settlement = views._settlement_section(
        {"decided": 12, "settled": 3, "expected": 0, "remaining": 9}, hidden
    )
    rows = [r["cells"][0] for r in settlement["tables"][0]["rows"]]
    assert rows == ["12", "<5", "0", "–"]  # 12 - 9 would give the 3 settled
    # ... and exactly inside the refugee service
    exact = views._settlement_section(
        {"decided": 12, "settled": 3, "expected": 0, "remaining": 9}, Shown(True)
    )
    assert [r["cells"][0] for r in exact["tables"][0]["rows"]] == ["12", "3", "0", "9"]

    months = [dt.date(2026, m, 1) for m in (4, 5, 6)]
    zero = dict.fromkeys(("decisions", "offers", "leases", "moves_on"), 0)
    flows = {
        "months": [
            {"month": m, "applications": n, **zero} for m, n in zip(months, (7, 2, 11), strict=True)
        ],
        "totals": {"applications": 20, **zero},
    }
    table = views._flows_section({"flows": flows}, hidden)["tables"][0]
    column = [r["cells"][0] for r in table["rows"]]
    assert column == ["–", "<5", "11", "20"]  # April (7) hidden beside the small May

    refusals = {
        "refusals": 12,
        "outcomes": [
            {"label": "a", "n": 3},
            {"label": "b", "n": 9},
            {"label": "c", "n": 0},
        ],
        "refused_offers": 0,
        "offer_outcomes": [],
    }
    section = views._refusals_section({"refusals": refusals}, hidden, {"refusals": False})
    assert [r["cells"][0] for r in section["tables"][0]["rows"]] == ["<5", "–", "0", "12"]

    stock = {
        "categories": [
            {"label": "a", "n": 1, "wheelchair": 0, "vacant": 0},
            {"label": "b", "n": 6, "wheelchair": 0, "vacant": 0},
        ],
        "total": 7,
        "wheelchair": 0,
        "vacant": 0,
        "ending": {"m3": 0, "m6": 0, "m12": 0},
    }
    cells = views.stock_cells(stock, hidden)
    assert (cells[("n", 0)], cells[("n", 1)], cells[("total", "n")]) == ("<5", "–", "7")

    promise = {
        "kept": 12,
        "broken": 3,
        "decided": 15,
        "overdue_now": 0,
        "due_within_30_days": 0,
        "months": [
            {"month": months[0], "kept": 12, "broken": 0},
            {"month": months[1], "kept": 0, "broken": 3},
        ],
    }
    section = views._promise_section(
        {"promise": promise, "promise_months": 6}, hidden, {"promise": True}
    )
    first = [r["cells"][0] for r in section["tables"][0]["rows"]]
    assert first[:3] == ["12", "<5", "–"]  # the share kept would give "broken" away
    per_month = [r["cells"] for r in section["tables"][1]["rows"]]
    assert per_month == [["12", "0"], ["0", "<5"]]


# --------------------------------------------------------------------------------------------
# The main dashboard: exact only inside the owner of the data
# --------------------------------------------------------------------------------------------


@pytest.fixture
def town(raelingen, sara, eirik, routing, property_unit, housing_office) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Two households on the waiting list (the housing office's), three dwellings (the
    property unit's), two temporary stays (NAV's; one of them NAV finds the solution for)."""
    today = timezone.localdate()
    for name in ("Alfa", "Bravo"):
        _entry(raelingen, sara, name, today - dt.timedelta(days=20))
    for rooms in (1, 2, 3):
        make_dwelling(raelingen, eirik, rooms=rooms)
    stays = []
    for name, unit in (("Hotell", routing), ("Hospits", housing_office)):
        household = _household(raelingen, name)
        case = _case(raelingen, household, sara, None)
        stays.append(
            Stay.objects.create(
                municipality=raelingen,
                household=household,
                case=case,
                decision=_decision(
                    case, sara, "approval", today, help_kind="temporary_accommodation"
                ),
                lasting_path="municipal_dwelling",
                responsible_unit=unit,
                persons=1,
                starts_on=today - dt.timedelta(days=3),
                planned_end=today + dt.timedelta(days=30),
                created_by=sara,
            )
        )
    # NAV has a part in the first household: its case is routed there
    CaseRouting.objects.create(
        case=stays[0].case, help_kind="temporary_accommodation", unit=routing
    )
    return {"stays": stays}


WAITING = "Husstander på ventelisten"
TEMPORARY = "Husstander i midlertidig botilbud"
STOCK = "Boliger etter type"


def test_the_housing_office_sees_its_own_data_exactly_and_other_units_data_suppressed(
    town, sara, arne
) -> None:  # type: ignore[no-untyped-def]
    for reader in (sara, arne):  # caseworker and administrator of the housing office
        body = _client(reader).get(reverse("insight:dashboard")).content.decode()
        assert _cell(body, WAITING) == "2", reader
        assert _cell(body, TEMPORARY) == "&lt;5"  # NAV's stays leave NAV
        assert _cell(body, "I alt", STOCK) == "&lt;5"  # the property unit's stock
        assert reverse("insight:dashboard_list", args=["waiting"]) in body
        assert reverse("insight:dashboard_list", args=["temporary"]) not in body
        # the list behind NAV's figure is NAV's: 404 (it would give the count away)
        assert (
            _client(reader).get(reverse("insight:dashboard_list", args=["temporary"])).status_code
            == 404
        )


def test_nav_sees_its_stays_exactly_and_lists_only_the_households_it_may_see(town, routing) -> None:  # type: ignore[no-untyped-def]
    nora = _user("nora", routing, "caseworker")
    client = _client(nora)
    body = client.get(reverse("insight:dashboard")).content.decode()
    assert _cell(body, TEMPORARY) == "2"
    assert _cell(body, WAITING) == "&lt;5"  # the housing office's waiting list
    assert _cell(body, "I alt", STOCK) == "&lt;5"
    url = reverse("insight:dashboard_list", args=["temporary"])
    assert url in body
    assert reverse("insight:dashboard_list", args=["waiting"]) not in body
    assert client.get(reverse("insight:dashboard_list", args=["waiting"])).status_code == 404
    page = client.get(url).content.decode()
    # only the household NAV has a part in is listed, and only its reading is logged
    assert "Hotell" in page and "Hospits" not in page
    assert "Bare husstandene du har tilgang til, er listet." in page
    applicant = HouseholdMember.objects.get(
        household=town["stays"][0].household, relation="applicant"
    ).person_id
    assert set(AccessEvent.objects.filter(actor=nora).values_list("person_id", flat=True)) == {
        applicant
    }


def test_the_property_units_leader_sees_the_stock_exactly_and_the_rest_suppressed(
    town, property_unit, lise
) -> None:  # type: ignore[no-untyped-def]
    pia = _user("pia", property_unit, "leader")
    body = _client(pia).get(reverse("insight:dashboard")).content.decode()
    assert _cell(body, "I alt", STOCK) == "3"
    assert _cell(body, WAITING) == "&lt;5" and _cell(body, TEMPORARY) == "&lt;5"
    # no lists: a leader reads no persons
    assert reverse("insight:dashboard_list", args=["temporary"]) not in body
    # the housing office's leader sees everything suppressed, as before
    body = _client(lise).get(reverse("insight:dashboard")).content.decode()
    assert _cell(body, "I alt", STOCK) == "&lt;5"
    assert _cell(body, WAITING) == "&lt;5"


def test_without_a_unit_of_its_kind_the_data_is_the_housing_offices(
    raelingen, sara, housing_office
) -> None:  # type: ignore[no-untyped-def]
    """A municipality with no NAV or property unit in Husly: the housing office keeps the stays
    and the stock, and its caseworkers see them exactly (the list of stays too)."""
    from husly.insight.units import exact_for

    exact = exact_for(sara, raelingen.pk, sees_people=True)
    assert exact == dict.fromkeys(
        ("housing_office", "nav", "settlement", "loans", "property"), True
    )
    Unit.objects.create(municipality=raelingen, name="NAV", kind=UnitKind.NAV)
    exact = exact_for(sara, raelingen.pk, sees_people=True)
    assert exact["nav"] is False and exact["property"] is True


# --------------------------------------------------------------------------------------------
# The lists behind the units' own figures
# --------------------------------------------------------------------------------------------


@pytest.fixture
def loans(raelingen, sara, routing) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Two start loans approved in the period; only the first case is routed to NAV (the
    start-loan unit), so NAV's caseworker may see only that household."""
    today = timezone.localdate()
    out = {}
    for name, routed in (("Lånerud", True), ("Skjult", False)):
        household = _household(raelingen, name)
        case = _case(raelingen, household, sara, today)
        _decision(case, sara, "approval", today, help_kind="start_loan", amount=1_000_000)
        if routed:
            CaseRouting.objects.create(case=case, help_kind="start_loan", unit=routing)
        out[name] = household
    return out


def test_the_start_loan_units_caseworker_opens_the_list_behind_a_figure(loans, routing) -> None:  # type: ignore[no-untyped-def]
    nina = _user("nina", routing, "caseworker")
    client = _client(nina)
    url = reverse("insight:unit_dashboard_list", args=[routing.pk, "loans_approved"])
    body = client.get(reverse("insight:own_unit_dashboard")).content.decode()
    assert url in body
    # the main dashboard's loans figures lead to the same list, exact for the start-loan unit
    main = client.get(reverse("insight:dashboard")).content.decode()
    assert url in main
    assert _cell(main, "Startlån innvilget", 'id="loans"') == "2"
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Lånerud" in text and "Skjult" not in text
    applicant = HouseholdMember.objects.get(
        household=loans["Lånerud"], relation="applicant"
    ).person_id
    events = AccessEvent.objects.filter(actor=nina)
    assert list(events.values_list("person_id", flat=True)) == [applicant]
    # a figure of a part NAV does not own, and a list that does not exist: 404
    for key in ("settled", "ending_12", "nothing"):
        assert (
            client.get(reverse("insight:unit_dashboard_list", args=[routing.pk, key])).status_code
            == 404
        )


def test_who_gets_no_list_behind_a_units_figures(loans, routing, sara, lise, arne, olga) -> None:  # type: ignore[no-untyped-def]
    url = reverse("insight:unit_dashboard_list", args=[routing.pk, "loans_approved"])
    part = reverse("insight:unit_dashboard", args=[routing.pk])
    # the housing office (caseworker, leader, administrator): aggregates only, no link, 404
    for reader in (sara, lise, arne):
        client = _client(reader)
        assert url not in client.get(part).content.decode()
        main = client.get(reverse("insight:dashboard")).content.decode()
        assert url not in main
        assert _cell(main, "Startlån innvilget", 'id="loans"') == "&lt;5"
        assert client.get(url).status_code == 404
    # NAV's unit head (a leader: reads no persons) sees the figures exactly, with no lists
    nils = _user("nils", routing, "leader")
    client = _client(nils)
    body = client.get(reverse("insight:own_unit_dashboard")).content.decode()
    assert "Startlån innvilget" in body and url not in body
    assert client.get(url).status_code == 404
    # another municipality
    assert _client(olga).get(url).status_code == 404
    assert not AccessEvent.objects.exists()


def test_the_property_unit_lists_the_leases_ending(raelingen, property_unit, sara, eirik) -> None:  # type: ignore[no-untyped-def]
    """The leases ending link to the households behind them, for the property unit's members
    who read persons, cut to the households they may see (here: the lease the unit follows
    up); the property manager (no role that reads persons) sees the figures without lists."""
    from tests.insight.helpers import _lease

    today = timezone.localdate()
    for name, unit in (("Utløper", property_unit), ("Annen", None)):
        _lease(
            raelingen,
            make_dwelling(raelingen, eirik, rooms=2, address=f"{name}vegen 1"),
            _household(raelingen, name),
            sara,
            start_date=today - dt.timedelta(days=700),
            end_date=today + dt.timedelta(days=40),
            status="active",
            follow_up_unit=unit,
        )
    pelle = _user("pelle", property_unit, "caseworker")
    client = _client(pelle)
    url = reverse("insight:unit_dashboard_list", args=[property_unit.pk, "ending_3"])
    assert url in client.get(reverse("insight:own_unit_dashboard")).content.decode()
    page = client.get(url).content.decode()
    assert "Utløper" in page and "Annen" not in page
    assert AccessEvent.objects.filter(actor=pelle).count() == 1
    # the property manager: exact figures, no list
    body = _client(eirik).get(reverse("insight:own_unit_dashboard")).content.decode()
    assert url not in body
    assert _client(eirik).get(url).status_code == 404
