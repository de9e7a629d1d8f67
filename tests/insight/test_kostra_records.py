"""Skjema 13 and the KOSTRA indicators against values counted by hand, on a small set of
records with every edge: an application received on 20 December and decided in January, a
refusal issued after 31.12, a refusal reversed on appeal, a household applying twice, a swap
and a renewal (neither a new applicant nor a new tenant), a household that moved out years ago
and came back, refugees inside and past the five years of the integration grant, a lease that
starts on 31.12 and one that starts on 1.1, a dwelling sold during the year and one added
after it."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.http import Http404

from husly.cases.models import Case, CaseRouting, Decision
from husly.housing.models import DwellingStatusChange
from husly.insight.kostra_figures import NO_ACCOUNTS, NO_INHABITANTS
from husly.insight.selectors import households_behind, kostra_report, kostra_year
from husly.settlement.models import SettlementCase, SettlementRequest
from husly.tenancy.models import Lease, RenewalApplication
from tests.factories import DwellingFactory
from tests.temporary.helpers import family

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2027, 3, 1)
_number = [0]


def _case(household: Any, received: dt.date, actor: Any, unit: Any, **kw: Any) -> Case:
    _number[0] += 1
    case = Case.objects.create(
        municipality=household.municipality,
        household=household,
        number=f"K-{_number[0]}",
        status=kw.pop("status", "submitted"),
        channel="meeting",
        received_on=received,
        created_by=actor,
    )
    CaseRouting.objects.create(case=case, help_kind=kw.pop("help", "rental_dwelling"), unit=unit)
    return case


def _decide(case: Case, kind: str, issued: dt.date, actor: Any, **kw: Any) -> Decision:
    return Decision.objects.create(
        case=case,
        help_kind="rental_dwelling",
        kind=kind,
        status="issued",
        facts="F.",
        reasoning="G.",
        drafted_by=actor,
        issued_on=issued,
        **kw,
    )


def _lease(household: Any, start: dt.date, actor: Any, **kw: Any) -> Lease:
    dwelling = kw.pop("dwelling", None) or DwellingFactory(
        building__municipality=household.municipality
    )
    ended = kw.get("ended_on")
    return Lease.objects.create(
        municipality=household.municipality,
        dwelling=dwelling,
        household=household,
        start_date=start,
        monthly_rent=9000,
        deposit_amount=0,
        status="ended" if ended else "active",
        created_by=actor,
        **kw,
    )


def _settled(household: Any, arrived: dt.date, actor: Any) -> None:
    request = SettlementRequest.objects.create(
        municipality=household.municipality,
        imdi_reference=f"IMDI-{household.pk}",
        received_on=arrived - dt.timedelta(days=60),
        family_name=household.name,
        household_size=1,
        status="accepted",
        registered_by=actor,
    )
    SettlementCase.objects.create(
        request=request,
        municipality=household.municipality,
        household=household,
        expected_arrival=arrived,
        arrived_on=arrived,
        caseworker=actor,
    )


@pytest.fixture
def records(raelingen, housing_office, sara):  # type: ignore[no-untyped-def]
    u, s = housing_office, sara
    raelingen.inhabitants = 18_000
    raelingen.save()
    h = {name: family(raelingen, name) for name in "ABCDEFGHIJKLMN"}
    # A applies twice: refused in April, approved in November. One applicant, refused.
    _decide(_case(h["A"], D(2026, 3, 1), s, u), "refusal", D(2026, 4, 1), s)
    _decide(_case(h["A"], D(2026, 10, 1), s, u), "approval", D(2026, 11, 1), s)
    # B, a tenant since 2020, asks to swap and is refused: an applicant, not a new one.
    _lease(h["B"], D(2020, 1, 1), s)
    _decide(_case(h["B"], D(2026, 2, 1), s, u), "swap_refusal", D(2026, 3, 1), s)
    # C renews: the renewal application is not new, the renewed lease is not a new tenant.
    c1 = _lease(h["C"], D(2023, 1, 1), s, ended_on=D(2026, 6, 30), end_reason="renewed")
    renewal_case = _case(h["C"], D(2026, 5, 1), s, u)
    RenewalApplication.objects.create(lease=c1, case=renewal_case)
    _decide(renewal_case, "renewal", D(2026, 5, 20), s)
    _lease(h["C"], D(2026, 7, 1), s, renews=c1, dwelling=c1.dwelling)
    # D applies on 20 December 2025 (counted in 2025), moves in on 1 February 2026.
    _decide(_case(h["D"], D(2025, 12, 20), s, u), "approval", D(2026, 1, 10), s)
    _lease(h["D"], D(2026, 2, 1), s)
    # E applies in December, refused in January: not refused in 2026.
    _decide(_case(h["E"], D(2026, 12, 15), s, u), "refusal", D(2027, 1, 5), s)
    # F refused, then the refusal is reversed on appeal before 31.12.
    f_case = _case(h["F"], D(2026, 5, 1), s, u)
    refusal = _decide(f_case, "refusal", D(2026, 6, 1), s)
    _decide(f_case, "approval", D(2026, 9, 1), s, replaces=refusal)
    # G, a refugee who arrived in 2022: the grant runs 2022–2026.
    _settled(h["G"], D(2022, 6, 1), s)
    _lease(h["G"], D(2026, 3, 1), s)
    # H arrived in 2020: past the five years in 2026.
    _settled(h["H"], D(2020, 5, 1), s)
    _lease(h["H"], D(2026, 4, 1), s)
    # I swaps: the old lease runs to the day before the new one.
    _lease(h["I"], D(2021, 1, 1), s, ended_on=D(2026, 8, 31), end_reason="swap")
    _lease(h["I"], D(2026, 9, 1), s)
    # J moved out in 2024 and comes back in October 2026: a new tenant.
    _lease(h["J"], D(2019, 1, 1), s, ended_on=D(2024, 5, 31), end_reason="moved_out")
    _lease(h["J"], D(2026, 10, 1), s)
    # K starts on 1 January 2027, L on 31 December 2025.
    _lease(h["K"], D(2027, 1, 1), s)
    _lease(h["L"], D(2025, 12, 31), s)
    # M's application is a draft; N asked for a start loan only.
    _case(h["M"], D(2026, 4, 1), s, u, status="draft")
    _case(h["N"], D(2026, 4, 1), s, u, help="start_loan")
    # The stock besides the 11 dwellings above (no history: in the stock, owned).
    d1 = DwellingFactory(building__municipality=raelingen, wheelchair_accessible=True)
    d2 = DwellingFactory(building__municipality=raelingen, ownership="leased_in")
    d3 = DwellingFactory(building__municipality=raelingen)
    d4 = DwellingFactory(building__municipality=raelingen)
    for dwelling, status, on in [
        (d1, "vacant", D(2019, 1, 1)),
        (d2, "vacant", D(2020, 1, 1)),
        (d3, "vacant", D(2018, 1, 1)),
        (d3, "sold", D(2026, 6, 1)),
        (d4, "vacant", D(2027, 1, 5)),
    ]:
        DwellingStatusChange.objects.create(dwelling=dwelling, status=status, valid_from=on)
    return h


def test_applications_by_hand(raelingen, records):  # type: ignore[no-untyped-def]
    values, members = kostra_year(raelingen, 2026, TODAY)
    # A (twice, once), B (swap), C (renewal), E, F; not D (2025), M (draft), N (start loan).
    assert values["applicants"] == 5
    # Not B (a tenant) nor C (a tenant renewing).
    assert values["new_applicants"] == 3
    # A (one of two refused) and B (swap refused); not E (January), not F (reversed).
    assert values["applicants_refused"] == 2
    assert values["new_applicants_refused"] == 1
    assert values["share_refused"] == 40.0
    assert values["share_new_refused"] == 33.3
    assert values["applications_per_1000"] == 0.3  # 5 / 18 000 × 1000
    assert sorted(members["new_applicants"]) == sorted(records[k].pk for k in "AEF")
    previous, _ = kostra_year(raelingen, 2025, TODAY)
    assert (previous["applicants"], previous["new_applicants"]) == (1, 1)  # D
    assert previous["applicants_refused"] == 0


def test_new_tenants_and_refugees_by_hand(raelingen, records):  # type: ignore[no-untyped-def]
    values, members = kostra_year(raelingen, 2026, TODAY)
    # D, G, H, J; not C (renewal), I (swap), B (2020), K (2027), L (2025).
    assert values["new_tenants"] == 4
    assert sorted(members["new_tenants"]) == sorted(records[k].pk for k in "DGHJ")
    # G only: H is past the five years of the integration grant.
    assert values["new_tenants_refugees"] == 1
    assert list(members["new_tenants_refugees"]) == [records["G"].pk]
    previous, _ = kostra_year(raelingen, 2025, TODAY)
    assert previous["new_tenants"] == 1  # L on 31 December
    # A lease not started by today is not counted.
    early, _ = kostra_year(raelingen, 2026, D(2026, 3, 15))
    assert early["new_tenants"] == 2  # D, G


def test_stock_on_31_12_by_hand(raelingen, records):  # type: ignore[no-untyped-def]
    values, _ = kostra_year(raelingen, 2026, TODAY)
    # 11 dwellings with leases + d1 + d2; d3 sold in June, d4 added in 2027.
    assert values["dwellings"] == 13
    assert values["dwellings_owned"] == 12
    assert values["dwellings_private"] == 1
    assert values["dwellings_wheelchair"] == 1
    # Leases in force on 31.12: B, C (renewed), D, G, H, I (new), J (new), L.
    assert values["dwellings_let"] == 8
    assert values["share_owned"] == 92.3
    assert values["share_wheelchair"] == 7.7
    assert values["dwellings_per_1000"] == 0.7
    previous, _ = kostra_year(raelingen, 2025, TODAY)
    assert previous["dwellings"] == 14  # d3 still in the stock


def test_report_gives_reasons_for_what_it_cannot_count(raelingen, records):  # type: ignore[no-untyped-def]
    report = kostra_report(raelingen, 2026, TODAY)
    rows = {r["key"]: r for r in report["figures"]}
    assert rows["new_tenants"]["value"] == 4 and rows["new_tenants"]["previous"] == 1
    for key in ("net_operating_per_inhabitant", "gross_operating_per_dwelling"):
        assert rows[key]["value"] is None
        assert rows[key]["reason"] == str(NO_ACCOUNTS)
    assert rows["share_new_allocated"]["value"] is None and rows["share_new_allocated"]["reason"]
    assert rows["dwellings"]["reason"] is None and rows["dwellings"]["counted"]
    raelingen.inhabitants = None
    raelingen.save()
    rows = {r["key"]: r for r in kostra_report(raelingen, 2026, TODAY)["figures"]}
    assert rows["dwellings_per_1000"]["value"] is None
    assert rows["dwellings_per_1000"]["reason"] == str(NO_INHABITANTS)


def test_command_prints_every_figure_as_json(raelingen, records):  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command("kostra", "--municipality", "3224", "--year", "2026", "--json", stdout=out)
    report = json.loads(out.getvalue())
    keys = {r["key"] for r in report["figures"]}
    assert {"applicants", "new_tenants_refugees", "dwellings_per_1000", "households"} <= keys
    assert report["temporary_accommodation"]["year"] == 2026


def test_households_behind_a_figure_only_for_readers_of_people(  # type: ignore[no-untyped-def]
    raelingen, records, sara, lise
):
    shown = households_behind(sara, raelingen, 2026, "new_tenants", TODAY)
    assert sorted(h.name for h in shown) == ["D", "G", "H", "J"]
    with pytest.raises(Http404):
        households_behind(lise, raelingen, 2026, "new_tenants", TODAY)
    with pytest.raises(Http404):
        households_behind(sara, raelingen, 2026, "dwellings", TODAY)
