"""The leaders' dashboard on a small data set with every figure computed by hand
(docs/leaders-guide.md, section Dashboard), the suppression of small counts, the lists behind
the figures and a query count that does not grow with the data."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from husly.allocation.models import WaitingListEntry
from husly.arrears.models import ArrearsCase
from husly.audit.models import AccessEvent
from husly.cases.models import Case
from husly.followup.models import MoveOut, RefusalFollowUp, VacancySegment
from husly.insight import dashboard as figures
from husly.insight.suppression import SMALL_COUNT, suppressed
from husly.people.models import HouseholdMember
from husly.rent.models import RentClaim
from husly.settlement.models import SettlementDecision
from husly.temporary.models import HousingSituation, Place, Provider, Stay
from tests.factories import BuildingFactory, DwellingFactory
from tests.insight.helpers import _case, _decision, _entry, _household, _lease, _offer

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 15)
D = dt.date


@pytest.fixture
def world(raelingen, sara, housing_office) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The data set of docs/leaders-guide.md, section Dashboard, with today 15.06.2026."""
    m = raelingen
    building = BuildingFactory(municipality=m)
    d1 = DwellingFactory(building=building, wheelchair_accessible=True, status="vacant")
    d2 = DwellingFactory(building=building, status="occupied")
    d3 = DwellingFactory(building=building, category="with_services", status="occupied")
    DwellingFactory(building=building, status="sold")
    d5 = DwellingFactory(building=building, status="vacant")

    a = _entry(m, sara, "Alfa", D(2025, 8, 10), urgency=5, status="housed", closed=D(2026, 2, 1))
    b = _entry(m, sara, "Bravo", D(2025, 9, 1), persons=3, children=2, urgency=4, status="offered")
    c = _entry(m, sara, "Charlie", D(2025, 10, 20), persons=2)
    _entry(m, sara, "Delta", D(2025, 11, 1), status="lapsed", closed=D(2026, 2, 1))
    _entry(m, sara, "Echo", D(2026, 3, 1), urgency=5)
    f = _entry(m, sara, "Foxtrot", D(2024, 1, 10), status="housed", closed=D(2024, 6, 1))
    _entry(m, sara, "Golf", D(2025, 12, 20), urgency=2)

    _offer(a, d2, D(2026, 1, 5), "leased", sara)
    _offer(b, d1, D(2026, 4, 1), "refused", sara)
    _offer(b, d1, D(2026, 5, 10), "open", sara)
    _offer(f, d5, D(2024, 5, 1), "leased", sara)

    lease_a = _lease(
        m, d2, a.household, sara, start_date=D(2026, 2, 1), end_date=D(2029, 1, 31), status="active"
    )
    lease_f = _lease(
        m,
        d5,
        f.household,
        sara,
        start_date=D(2024, 6, 1),
        end_date=D(2027, 5, 31),
        status="ended",
        ended_on=D(2026, 3, 31),
        end_reason="moved_out",
    )
    hotel = _household(m, "Hotell", children=2)
    _lease(m, d3, hotel, sara, start_date=D(2023, 9, 24), end_date=D(2026, 9, 23), status="active")
    move_out = MoveOut.objects.create(
        municipality=m,
        lease=lease_f,
        household=f.household,
        notice_received_on=D(2026, 1, 1),
        moving_out_on=D(2026, 3, 31),
        recorded_by=sara,
    )
    VacancySegment.objects.create(
        municipality=m,
        dwelling=d5,
        move_out=move_out,
        cause="repairs",
        starts_on=D(2026, 4, 1),
        ends_on=D(2026, 4, 21),
    )
    VacancySegment.objects.create(
        municipality=m, dwelling=d5, move_out=move_out, cause="letting", starts_on=D(2026, 4, 21)
    )
    for month in (D(2026, 5, 1), D(2026, 6, 1)):
        RentClaim.objects.create(
            municipality=m,
            lease=lease_a,
            dwelling=d2,
            month=month,
            kind="rent",
            amount=9000,
            due_date=month,
        )

    # Refused application, followed up.
    refused = _household(m, "Romeo")
    refusal = _decision(_case(m, refused, sara, D(2026, 1, 20)), sara, "refusal", D(2026, 2, 10))
    RefusalFollowUp.objects.create(
        municipality=m,
        decision=refusal,
        household=refused,
        referred_to="NAV",
        follow_up_on=D(2026, 3, 1),
        followed_up_on=D(2026, 3, 2),
        outcome="Privat leie.",
        recorded_by=sara,
    )
    # Start loan refused, a grant approved (no Application: not counted as applications).
    loan_case = Case.objects.create(
        municipality=m, household=refused, number="T-LOAN", channel="meeting", created_by=sara
    )
    _decision(loan_case, sara, "refusal", D(2026, 1, 15), help_kind="start_loan")
    _decision(loan_case, sara, "approval", D(2026, 2, 15), help_kind="grant", amount=50_000)

    # Temporary accommodation: Charlie since January (homeless, sleeping rough before), the
    # Hotell family since June.
    provider = Provider.objects.create(municipality=m, name="Hospits", kind="hostel")
    Place.objects.create(
        provider=provider, name="Rom 1", capacity=5, price=500, price_per="household"
    )
    for household, start in ((c.household, D(2026, 1, 10)), (hotel, D(2026, 6, 1))):
        temp_case = _case(m, household, sara, None)
        Stay.objects.create(
            municipality=m,
            household=household,
            case=temp_case,
            decision=_decision(
                temp_case, sara, "approval", start, help_kind="temporary_accommodation"
            ),
            lasting_path="municipal_dwelling",
            responsible_unit=housing_office,
            persons=2,
            starts_on=start,
            planned_end=start + dt.timedelta(days=200),
            created_by=sara,
        )
    HousingSituation.objects.create(
        household=c.household,
        situation="sleeping_rough",
        valid_from=D(2025, 10, 1),
        recorded_by=sara,
    )
    HousingSituation.objects.create(
        household=refused, situation="own_home", valid_from=D(2025, 1, 1), recorded_by=sara
    )
    ArrearsCase.objects.create(
        municipality=m,
        household=hotel,
        origin="external_petition",
        procedure_key="x",
        opened_on=D(2025, 12, 1),
        status="closed",
        closed_on=D(2026, 3, 1),
        close_reason="evicted",
    )
    SettlementDecision.objects.create(
        municipality=m,
        year=2026,
        persons=10,
        extra_persons=2,
        council_reference="PS 1/26",
        decided_on=D(2026, 1, 10),
        recorded_by=sara,
    )
    return {"b": b, "c": c}


def test_suppression() -> None:
    assert SMALL_COUNT == 5
    assert [suppressed(n) for n in (0, 1, 4, 5, 12)] == [0, "<5", "<5", 5, 12]
    assert suppressed(2, threshold=3) == "<3"


def test_promise_states() -> None:
    state = figures.promise_state
    deadline = D(2026, 3, 1)
    kw = {"deadline": deadline, "today": TODAY}
    assert state(status="housed", closed_on=None, first_offer=deadline, **kw) == "kept"
    assert state(status="offered", closed_on=None, first_offer=D(2026, 3, 2), **kw) == "broken"
    assert state(status="waiting", closed_on=None, first_offer=None, **kw) == "overdue"
    assert (
        state(status="waiting", closed_on=None, first_offer=None, deadline=TODAY, today=TODAY)
        == "pending"
    )
    assert state(status="lapsed", closed_on=D(2026, 2, 1), first_offer=None, **kw) == "ended"
    assert state(status="lapsed", closed_on=D(2026, 4, 1), first_offer=None, **kw) == "broken"


def test_hand_computed_figures(world, raelingen) -> None:  # type: ignore[no-untyped-def]
    d = figures.dashboard(raelingen, TODAY)
    assert d["period_start"] == D(2025, 7, 1)

    promise = d["promise"]
    # Alfa kept (offer 05.01 before 10.02); Bravo broken (offer 01.04 after 01.03); Charlie
    # past 20.04 with no offer; Delta lapsed before its deadline; Foxtrot outside the period.
    assert (promise["kept"], promise["broken"], promise["decided"]) == (1, 2, 3)
    assert promise["overdue_now"] == 1  # Charlie
    assert promise["due_within_30_days"] == 1  # Golf, 20.06
    months = {m["month"]: (m["kept"], m["broken"]) for m in promise["months"]}
    assert months[D(2026, 2, 1)] == (1, 0)
    assert months[D(2026, 3, 1)] == (0, 1)
    assert months[D(2026, 4, 1)] == (0, 1)
    assert sum(k + b for k, b in months.values()) == 3

    waits = {r["key"]: r for r in d["waits"]["rows"]}
    assert (waits["single"]["offered"], waits["single"]["median"]) == (1, 148.0)
    assert (waits["children"]["offered"], waits["children"]["median"]) == (1, 212.0)
    assert waits["all"]["median"] == 180.0
    assert waits["all"]["p90"] == pytest.approx(205.6)
    # Still waiting: Echo 106, Golf 177 (single), Charlie 238, Bravo 287.
    assert waits["single"]["waiting_median"] == 141.5
    assert waits["all"]["waiting"] == 4
    assert waits["all"]["waiting_median"] == 207.5
    assert waits["all"]["waiting_p90"] == pytest.approx(272.3)

    waiting = d["waiting"]
    assert waiting["total"] == 4
    assert waiting["by_type"] == [2, 1, 1]  # single, adults, children
    by_urgency = {r["urgency"]: r["cells"] for r in waiting["rows"]}
    assert by_urgency[5] == [1, 0, 0]
    assert by_urgency[4] == [0, 0, 1]
    assert by_urgency[2] == [1, 0, 0]
    assert by_urgency[0] == [0, 1, 0]

    assert d["homeless"] == 2  # Charlie by situation, Hotell by its stay
    assert d["temporary"] == {"stays": 2, "long": 1, "children": 2}
    assert d["arrears"]["leases"] == 1
    assert d["arrears"]["amount"] == 18_000
    assert d["arrears"]["two_months_or_more"] == 1

    stock = d["stock"]
    assert (stock["total"], stock["wheelchair"], stock["vacant"]) == (4, 1, 2)
    assert stock["wheelchair_share"] == 0.25
    assert stock["ending"] == {"m3": 0, "m6": 1, "m12": 1}

    vacancy = {r["key"]: r["days"] for r in d["vacancy"]["rows"]}
    assert vacancy["repairs"] == 20
    assert vacancy["letting"] == 56  # 21.04 to today inclusive
    assert d["vacancy"]["days"] == 76

    flows = {m["month"]: m for m in d["flows"]["months"]}
    assert d["flows"]["totals"] == {
        # Received 30 days before approval: Alfa 11.07.2025 ... Echo 30.01.2026 (Foxtrot 2023
        # is outside), and Romeo 20.01.2026.
        "applications": 7,
        "decisions": 7,  # six approvals in the period and Romeo's refusal (Foxtrot's is older)
        "offers": 3,
        "leases": 1,
        "moves_on": 1,
    }
    assert flows[D(2026, 2, 1)]["decisions"] == 1
    assert flows[D(2026, 2, 1)]["leases"] == 1
    assert flows[D(2026, 3, 1)]["moves_on"] == 1

    refusals = d["refusals"]
    assert refusals["refusals"] == 1
    assert {o["key"]: o["n"] for o in refusals["outcomes"]}["followed_up"] == 1
    assert refusals["refused_offers"] == 1
    assert {o["key"]: o["n"] for o in refusals["offer_outcomes"]}["offered"] == 1

    assert d["evictions"]["evicted"] == 1
    assert d["evictions"]["opened"] == 1
    loans = d["loans"]
    assert (loans["approved"], loans["refused"], loans["grants"]) == (0, 1, 1)
    assert loans["grant_amount"] == 50_000
    assert d["settlement"]["decided"] == 12
    assert d["settlement"]["remaining"] == 12


def test_broken_promise_list_and_breakdown(world, raelingen) -> None:  # type: ignore[no-untyped-def]
    rows = figures.drill_rows(raelingen, "promise_broken", TODAY)
    assert [r.household for r in rows] == ["Bravo", "Charlie"]
    assert [r.date for r in rows] == [D(2026, 3, 1), D(2026, 4, 20)]
    facts = figures.entry_facts(raelingen, TODAY)
    breakdown = figures.promise_breakdown(
        figures.promise_subset("promise_broken", facts, TODAY), TODAY
    )
    assert breakdown["total"] == 2
    # Bravo 31 days late (01.03 to 01.04), Charlie 56 days past 20.04 today.
    assert [b["n"] for b in breakdown["by_days_over"]] == [0, 2, 0, 0]


def test_the_query_count_does_not_grow_with_the_data(world, raelingen, sara) -> None:  # type: ignore[no-untyped-def]
    from django.core.cache import cache

    cache.clear()  # the arrears figures are cached: count what a first reader asks
    with CaptureQueriesContext(connection) as small:
        figures.dashboard_figures(raelingen, TODAY)
    for k in range(12):
        entry = _entry(raelingen, sara, f"Ekstra {k}", D(2025, 8, 1) + dt.timedelta(days=k))
        _offer(entry, world["b"].offers.first().dwelling, D(2026, 5, 1), "refused", sara)
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        figures.dashboard_figures(raelingen, TODAY)
    assert len(large) == len(small)
    # 25 and the arrears figures, the cache's read and write (ADR 0024)
    assert len(small) <= 31
    figures.dashboard(raelingen, TODAY)
    with CaptureQueriesContext(connection) as kept:
        figures.dashboard(raelingen, TODAY)
    # Until the records change: the newest change event and the cache's row.
    assert len(kept) == 2


def test_the_arrears_figures_change_at_once_with_a_new_payment(world, raelingen) -> None:  # type: ignore[no-untyped-def]
    """The cached arrears figures are keyed by the claims and payments there are."""
    from decimal import Decimal

    from husly.rent.models import Payment

    before = figures.arrears_figures(raelingen, TODAY)
    assert before["amount"] == 18_000
    Payment.objects.create(
        municipality=raelingen,
        lease_id=before["lease_ids"][0],
        amount=Decimal(6000),
        paid_on=TODAY - dt.timedelta(days=1),
        source="manual",
    )
    assert figures.arrears_figures(raelingen, TODAY)["amount"] == 12_000


def test_a_leader_sees_suppressed_aggregates_and_no_names(world, lise) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(lise)
    body = client.get(reverse("insight:dashboard")).content.decode()
    assert "&lt;5" in body
    assert "Bravo" not in body
    breakdown = client.get(reverse("insight:dashboard_list", args=["promise_broken"]))
    assert breakdown.status_code == 200
    text = breakdown.content.decode()
    assert "Bravo" not in text and "Charlie" not in text
    for key in ("waiting", "temporary", "arrears", "evictions", "refusals"):
        assert client.get(reverse("insight:dashboard_list", args=[key])).status_code == 404
    assert not AccessEvent.objects.filter(actor=lise).exists()


def test_the_housing_office_sees_exact_figures_and_the_people_logged(world, sara) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(sara)
    body = client.get(reverse("insight:dashboard")).content.decode()
    assert reverse("insight:dashboard_list", args=["promise_broken"]) in body
    response = client.get(reverse("insight:dashboard_list", args=["promise_broken"]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Bravo" in text and "Charlie" in text and "Alfa" not in text
    read = set(AccessEvent.objects.filter(actor=sara).values_list("person_id", flat=True))
    shown = figures.drill_rows(world["b"].municipality, "promise_broken", timezone.localdate())
    applicants = set(
        HouseholdMember.objects.filter(
            household_id__in=[r.household_id for r in shown], relation="applicant"
        ).values_list("person_id", flat=True)
    )
    assert len(applicants) == len(shown) >= 2
    assert read == applicants
    assert client.get(reverse("insight:dashboard_list", args=["nothing"])).status_code == 404


def test_another_municipality_and_other_roles(world, olga, eirik) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(olga)
    body = client.get(reverse("insight:dashboard")).content.decode()
    assert "Bravo" not in body
    assert (
        "Bravo"
        not in client.get(
            reverse("insight:dashboard_list", args=["promise_broken"])
        ).content.decode()
    )
    client.force_login(eirik)  # property manager: not a dashboard role
    assert client.get(reverse("insight:dashboard")).status_code == 404


def test_living_there_figures_count_the_stored_facts_suppressed_for_the_leader(
    world, raelingen, sara, lise
) -> None:  # type: ignore[no-untyped-def]
    """Issue 12: the leaders' figures of living there are counted from the stored facts
    (``ArrearsFact``, the bo-plan's dates), in the period, never from free text; a leader sees
    small counts as "<5", with the table behind the chart."""
    from husly.arrears.models import ArrearsFact
    from husly.followup.models import HousingPlan
    from husly.tenancy.models import Lease

    case = ArrearsCase.objects.get(municipality=raelingen)
    rows = [("case_opened", False, D(2026, 1, 5))] * 6 + [
        ("case_closed", False, D(2026, 2, 1)),
        ("collection_notice", False, D(2026, 2, 2)),
        ("eviction_notice", False, D(2026, 3, 1)),
        ("petition", False, D(2026, 3, 20)),
        ("eviction", True, D(2026, 5, 2)),
        ("eviction", False, D(2026, 5, 3)),
        ("eviction", False, D(2026, 5, 4)),
        ("case_opened", False, D(2025, 1, 5)),  # before the period: not counted
    ]
    ArrearsFact.objects.bulk_create(
        ArrearsFact(
            municipality=raelingen,
            case=case,
            kind=kind,
            with_children=kids,
            on=on,
            origin="municipal_lease",
        )
        for kind, kids, on in rows
    )
    leases = Lease.objects.filter(municipality=raelingen).order_by("pk")[:2]
    for lease, accepted in zip(leases, (True, False), strict=True):
        HousingPlan.objects.create(
            municipality=raelingen,
            lease=lease,
            household=lease.household,
            offered_on=D(2026, 2, 1),
            accepted_on=D(2026, 2, 10) if accepted else None,
            declined_on=None if accepted else D(2026, 2, 11),
            status="accepted" if accepted else "declined",
            created_by=sara,
        )
    got = figures.living_there_figures(raelingen, TODAY)
    assert got == {
        "case_opened": 6,
        "case_closed": 1,
        "collection_notice": 1,
        "eviction_notice": 1,
        "petition": 1,
        "external_petition": 0,
        "eviction_with_children": 1,
        "eviction_without_children": 2,
        "plans_offered": 2,
        "plans_accepted": 1,
        "plans_declined": 1,
    }
    client = Client()
    client.force_login(lise)
    body = client.get(reverse("insight:dashboard")).content.decode()
    section = body[body.index('id="living-there"') :]
    section = section[: section.index("</section>")]
    assert "<table" in section and "<svg" in section
    assert "Restansesaker åpnet</th><td>6</td>" in section.replace("\n", "").replace(" <", "<")
    assert "Bo-planer tilbudt" in section
    assert "&lt;5" in section


def test_the_entry_facts_leave_out_only_entries_no_figure_counts(world, raelingen, sara) -> None:  # type: ignore[no-untyped-def]
    """Foxtrot (placed 2024, housed 2024) counts in no figure of the period from 1.7.2025; an
    entry placed as long ago whose first offer came in the period counts in the waits; one
    placed within the promise before the period (deadline in it) in the promise."""
    dwelling = world["b"].offers.first().dwelling
    late = _entry(raelingen, sara, "Sen", D(2023, 3, 1), status="housed", closed=D(2025, 9, 1))
    _offer(late, dwelling, D(2025, 8, 1), "leased", sara)
    edge = _entry(raelingen, sara, "Kant", D(2025, 1, 1), status="withdrawn", closed=D(2025, 2, 1))
    gone = _entry(
        raelingen, sara, "Borte", D(2024, 12, 31), status="withdrawn", closed=D(2025, 1, 5)
    )
    kept = {f.pk for f in figures.entry_facts(raelingen, TODAY)}
    assert late.pk in kept and edge.pk in kept
    foxtrot = WaitingListEntry.objects.get(household__name="Foxtrot")
    assert foxtrot.pk not in kept and gone.pk not in kept
    # the deadline of "Kant" (1.7.2025) is the period's first day; "Borte" 30.6.2025 is before it
    assert {f.deadline for f in figures.entry_facts(raelingen, TODAY) if f.pk == edge.pk} == {
        D(2025, 7, 1)
    }


def test_start_loan_figures_count_issued_decisions_of_the_period(world, raelingen, sara) -> None:  # type: ignore[no-untyped-def]
    """Approved start loans with their terms (and the grants in them), refusals and grants on
    their own: only decisions issued in the period count, and none of them in the flows."""
    from husly.cases.models import Decision
    from husly.loans.models import LoanApplication, LoanApproval
    from tests.loans.helpers import COOPERATIVE

    household = _household(raelingen, "Lånar")

    def approval(issued: dt.date, amount: int, grant: int, status: str = "issued") -> None:
        case = Case.objects.create(
            municipality=raelingen,
            household=household,
            number=f"T-L{issued.isoformat()}{amount}",
            channel="meeting",
            created_by=sara,
        )
        application = LoanApplication.objects.create(case=case, **COOPERATIVE)
        decision = _decision(case, sara, "approval", issued, help_kind="start_loan")
        Decision.objects.filter(pk=decision.pk).update(status=status)
        LoanApproval.objects.create(
            decision=decision,
            application=application,
            amount=amount,
            grant_amount=grant,
            annual_rate="0.05",
            term_years=25,
            max_price=2_500_000,
        )

    approval(D(2026, 3, 1), 2_000_000, 100_000)
    approval(D(2026, 4, 1), 1_000_000, 0)
    approval(D(2025, 5, 1), 900_000, 50_000)  # before the period
    approval(D(2026, 5, 1), 800_000, 40_000, status="approved")  # not issued
    approval(D(2026, 6, 16), 700_000, 30_000)  # after today
    grant_case = Case.objects.create(
        municipality=raelingen,
        household=household,
        number="T-G2",
        channel="meeting",
        created_by=sara,
    )
    _decision(grant_case, sara, "refusal", D(2026, 5, 2), help_kind="grant", amount=10_000)
    _decision(grant_case, sara, "approval", D(2026, 5, 3), help_kind="grant", amount=20_000)

    d = figures.dashboard_figures(raelingen, TODAY)
    assert d["loans"] == {
        "approved": 2,
        "approved_amount": 3_000_000,
        "refused": 1,
        "with_grant": 1,
        "loan_grant_amount": 100_000,
        "disbursed": 0,
        "disbursed_amount": 0,
        "grants": 2,
        "grant_amount": 70_000,
    }
    assert figures.loan_figures(raelingen, TODAY) == d["loans"]
    assert d["flows"]["totals"]["decisions"] == 7
    assert figures.flow_figures(raelingen, TODAY) == d["flows"]


def test_refusal_outcomes_take_the_first_that_applies(world, raelingen, sara) -> None:  # type: ignore[no-untyped-def]
    """Each refused application for a dwelling counts once, by the first outcome that applies
    (a later approval for a dwelling, a follow-up done, one planned, nothing); refused offers
    count by where their entry stands now."""

    def refusal(name: str, issued: dt.date, help_kind: str = "rental_dwelling") -> Any:
        household = _household(raelingen, name)
        case = _case(raelingen, household, sara, issued - dt.timedelta(days=20))
        return _decision(case, sara, "refusal", issued, help_kind=help_kind)

    later = refusal("Senere", D(2026, 1, 5))
    _decision(_case(raelingen, later.case.household, sara, None), sara, "approval", D(2026, 4, 1))
    planned = refusal("Planlagt", D(2026, 2, 5))
    RefusalFollowUp.objects.create(
        municipality=raelingen,
        decision=planned,
        household=planned.case.household,
        referred_to="NAV",
        follow_up_on=D(2026, 7, 1),
        recorded_by=sara,
    )
    # approved before the refusal: not "approved later"; followed up as well
    both = refusal("Begge", D(2026, 3, 5))
    _decision(_case(raelingen, both.case.household, sara, None), sara, "approval", D(2026, 1, 1))
    RefusalFollowUp.objects.create(
        municipality=raelingen,
        decision=both,
        household=both.case.household,
        referred_to="NAV",
        follow_up_on=D(2026, 4, 1),
        followed_up_on=D(2026, 4, 2),
        recorded_by=sara,
    )
    refusal("Ingen", D(2026, 5, 5))
    refusal("Gammel", D(2025, 6, 30))  # before the period
    refusal("Lån", D(2026, 5, 6), help_kind="start_loan")  # not a dwelling
    housed = _entry(raelingen, sara, "Budt", D(2025, 9, 1), status="housed", closed=D(2026, 5, 1))
    dwelling = world["b"].offers.first().dwelling
    _offer(housed, dwelling, D(2026, 3, 1), "refused", sara)
    _offer(housed, dwelling, D(2025, 3, 1), "refused", sara)  # before the period

    refusals = figures.dashboard_figures(raelingen, TODAY)["refusals"]
    assert refusals["refusals"] == 5
    assert {o["key"]: o["n"] for o in refusals["outcomes"]} == {
        "approved_later": 1,
        "followed_up": 2,  # Romeo and Begge
        "follow_up_planned": 1,
        "nothing_recorded": 1,
    }
    assert refusals["refused_offers"] == 2
    offers = {o["key"]: o["n"] for o in refusals["offer_outcomes"]}
    assert (offers["offered"], offers["housed"], offers["waiting"]) == (1, 1, 0)


def test_leases_ending_leave_out_those_with_a_renewal_written(world, raelingen, sara) -> None:  # type: ignore[no-untyped-def]
    building = BuildingFactory(municipality=raelingen)
    for name, renewed in (("Fornyet", True), ("Slutter", False)):
        dwelling = DwellingFactory(building=building, status="occupied")
        household = _household(raelingen, name)
        lease = _lease(
            raelingen,
            dwelling,
            household,
            sara,
            start_date=D(2023, 8, 1),
            end_date=D(2026, 7, 31),
            status="active",
        )
        if renewed:
            _lease(
                raelingen,
                dwelling,
                household,
                sara,
                start_date=D(2026, 8, 1),
                end_date=D(2029, 7, 31),
                status="draft",
                renews=lease,
            )
    stock = figures.dashboard_figures(raelingen, TODAY)["stock"]
    # the world's Hotell lease ends 23.09.2026 (within six months); Slutter's 31.07.2026
    assert stock["ending"] == {"m3": 1, "m6": 2, "m12": 2}
    assert (stock["total"], stock["vacant"]) == (6, 2)
