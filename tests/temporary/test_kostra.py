"""The KOSTRA figures on temporary accommodation against values computed by hand, on a set of
stays that covers every edge: a stay crossing the year boundary, a child born during the stay,
natthjem nights, a stay of exactly 14 days and one of exactly three months, a young adult who
turned 18 before the stay, and a stay that moves between providers and is still open."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command

from husly.insight.selectors import kostra_temporary
from tests.temporary.helpers import family, provider, stay

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2026, 12, 2)


@pytest.fixture
def stays(raelingen, housing_office, sara):  # type: ignore[no-untyped-def]
    hostel = provider(raelingen, "Hospitset", "hostel", 500, actor=sara)
    shelter = provider(raelingen, "Natthjemmet", "night_shelter", 300, actor=sara)
    hotel = provider(raelingen, "Hotellet", "hotel", 400, "person", actor=sara)
    u = housing_office
    # A: crosses the year boundary, 9 nights in 2026 (11 in 2025).
    a = family(raelingen, "A")
    stay(a, sara, u, [(hostel, D(2025, 12, 20), D(2026, 1, 10))])
    # B: a child born during the stay; 134 nights, more than three months (1 Feb + 3 = 1 May).
    b = family(raelingen, "B", children=(D(2026, 3, 10),))
    stay(b, sara, u, [(hostel, D(2026, 2, 1), D(2026, 6, 15))])
    # C: natthjem only, 2 nights.
    c = family(raelingen, "C")
    stay(c, sara, u, [(shelter, D(2026, 4, 1), D(2026, 4, 3))])
    # D: exactly 14 days, two persons at 400 per person, a child of five.
    d = family(raelingen, "D", children=(D(2021, 6, 1),))
    stay(d, sara, u, [(hotel, D(2026, 5, 1), D(2026, 5, 15))])
    # E: one natthjem night, then exactly three months (1 March to 1 June, 92 nights).
    e = family(raelingen, "E", children=(D(2015, 1, 1),))
    stay(e, sara, u, [(shelter, D(2026, 2, 27), D(2026, 2, 28))])
    stay(e, sara, u, [(hostel, D(2026, 3, 1), D(2026, 6, 1))])
    # F: turned 18 on 1 January 2025 (not a child), 19 nights.
    f = family(raelingen, "F", adult=D(2007, 1, 1))
    stay(f, sara, u, [(hotel, D(2026, 7, 1), D(2026, 7, 20))])
    # G: 10 nights at the hostel, moved to the hotel, still there on 2 December (82 nights).
    g = family(raelingen, "G")
    stay(g, sara, u, [(hostel, D(2026, 9, 1), D(2026, 9, 11)), (hotel, D(2026, 9, 11), None)])
    # Another year only: not counted in 2026.
    h = family(raelingen, "H", children=(D(2020, 1, 1),))
    stay(h, sara, u, [(hostel, D(2025, 3, 1), D(2025, 8, 1))])
    return {"hostel": hostel, "shelter": shelter, "hotel": hotel}


def test_indicators_by_hand(raelingen, stays):  # type: ignore[no-untyped-def]
    figures = kostra_temporary(raelingen, 2026, today=TODAY)
    # Households once, natthjem excluded: A, B, D, E, F, G.
    assert figures["households"] == 6
    # With children under 18: B (born during the stay), D, E; not F (18 before the stay).
    assert figures["households_with_children"] == 3
    # More than three months: B only (E is exactly three months).
    assert figures["households_with_children_over_3_months"] == 1
    assert figures["share_with_children_over_3_months"] == 33.3
    # 14 days or less: A (9 in the year) and D (exactly 14); E's natthjem night is not counted.
    assert figures["households_14_days_or_less"] == 2
    assert figures["share_14_days_or_less"] == 33.3
    # Natthjem: C and E.
    assert figures["households_night_shelter"] == 2
    assert figures["nights"] == 9 + 134 + 14 + 92 + 19 + 92


def test_cost_by_provider_by_hand(raelingen, stays):  # type: ignore[no-untyped-def]
    rows = {r["name"]: r for r in kostra_temporary(raelingen, 2026, today=TODAY)["providers"]}
    # Hostel: A 9, B 134, E 92, G 10 nights at 500 per household.
    assert rows["Hospitset"] == {
        "provider": stays["hostel"].provider_id,
        "name": "Hospitset",
        "kind": "hostel",
        "nights": 245,
        "stays": 4,
        "cost": 122_500,
        "cost_per_night": 500,
        "cost_per_stay": 30_625,
    }
    # Natthjem: C 2 nights, E 1 night, 300 per household.
    assert rows["Natthjemmet"]["nights"] == 3
    assert rows["Natthjemmet"]["cost"] == 900
    assert rows["Natthjemmet"]["cost_per_stay"] == 450
    # Hotel, 400 per person: D 2 persons × 14, F 19, G 82 (to 2 December).
    assert rows["Hotellet"]["nights"] == 115
    assert rows["Hotellet"]["cost"] == 800 * 14 + 400 * 19 + 400 * 82
    assert rows["Hotellet"]["cost_per_night"] == round(51_600 / 115)
    assert rows["Hotellet"]["cost_per_stay"] == 17_200


def test_the_year_before(raelingen, stays):  # type: ignore[no-untyped-def]
    figures = kostra_temporary(raelingen, 2025, today=TODAY)
    assert figures["households"] == 2  # A (11 nights in 2025) and H
    assert figures["households_with_children"] == 1
    assert figures["households_with_children_over_3_months"] == 1  # H: 1 March to 1 August
    assert figures["households_14_days_or_less"] == 1  # A


def test_no_stays_gives_no_shares(raelingen):  # type: ignore[no-untyped-def]
    figures = kostra_temporary(raelingen, 2026, today=TODAY)
    assert figures["households"] == 0
    assert figures["share_14_days_or_less"] is None
    assert figures["providers"] == []


def test_query_count_does_not_grow_with_stays(
    raelingen, stays, django_assert_max_num_queries, sara, housing_office
):  # type: ignore[no-untyped-def]
    with django_assert_max_num_queries(4):
        kostra_temporary(raelingen, 2026, today=TODAY)
    for i in range(5):
        stay(
            family(raelingen, f"X{i}"),
            sara,
            housing_office,
            [(stays["hotel"], D(2026, 3, 1), D(2026, 3, 4))],
        )
    with django_assert_max_num_queries(4):
        kostra_temporary(raelingen, 2026, today=TODAY)


def test_command_prints_json(raelingen, stays):  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command("kostra", municipality="3224", year=2025, json=True, stdout=out)
    data = json.loads(out.getvalue())["temporary_accommodation"]
    assert data["municipality"] == "3224"
    assert data["households"] == 2
    assert data["indicators"]["households"] == "Husstander i midlertidige botilbud, i alt"
