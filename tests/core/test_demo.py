"""The small demo (seed 1), seeded once for this module's two tests: its checks, and the
back-test of the simulation on its history. (The same seed's determinism: test_demo_seed.)

The back-test on the demo's own history (husly.demo: the last two years are made by a queue,
``husly.demo.history.house_by_queue``: tenancies end as a monthly hazard says, each dwelling
ready again is offered to the household with the most priority points that it fits, a share
of offers is refused and the approval lapses).

Go back a year from the demo's day, build the simulation's input as the records stood then
(rates from the twelve months before, so that all it reads lies in the queue's two years), run
the policy in force for the twelve months that followed (100 seeded futures) and compare with
what the records say happened.

Stated tolerances, decided before the figures were seen (ADR 0033):

- each figure that happened (median and 90th percentile of the waits to a first offer, housed
  per year, mean households on the list) lies inside the simulation's plain 5th-95th
  percentile band across the runs;
- calibration: on the days 1.11.2025, 1.2.2026 and 1.5.2026, each household on the list is
  told its chance of an offer within 3, 6 and 12 months (the share of runs); per horizon,
  pooled over the days whose horizon ends by the demo's day, the number that got one differs
  from the sum of the chances by at most 1.96 x sqrt(sum p(1-p)) + 0.5 (the 95 % interval of
  the number got if the chances are right, half a household for the count being whole).

The demo's older, drawn history (``husly.demo.past``) ends before the queue's two years: its
lapsed approvals refuse their offers before them, so every offer the back-test reads from its
window is the queue's (ADR 0037).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.db import transaction
from pytest_django import DjangoDbBlocker

from husly.allocation.models import Offer
from husly.cases.models import Case, Decision
from husly.demo.builder import DemoGenerator
from husly.demo.history import HISTORY_DAYS
from husly.housing.models import Dwelling
from husly.organisation.models import Municipality, User
from husly.people.models import Household, Person
from husly.policy.backtest import back_test, calibration, recorded

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 11, 1)


@pytest.fixture(scope="module")
def small_demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """The small demo, seeded once (about 25 s) for the tests of this module, which read it.

    Seeded in a transaction that stays open while they run and is rolled back after the last:
    each test's own transaction is a savepoint inside it (its writes are rolled back at its end,
    as always), and no test outside this module sees the demo.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        DemoGenerator("small", seed=1, as_of=AS_OF).run()
        yield
        transaction.set_rollback(True)


def test_the_small_demo_is_at_raelingen_scale_and_valid(small_demo: None) -> None:
    assert 180 <= Dwelling.objects.count() <= 240
    assert Household.objects.count() >= 300
    for person in Person.objects.all()[:200]:
        person.full_clean()  # every synthetic identity number validates
    assert User.objects.filter(username="saksbehandler", memberships__role="caseworker").exists()
    # Two years of applications in every state, through the real actions (issue 11 item 18).
    from husly.allocation.models import LIVE_ENTRY, AllocationMeeting, Offer, WaitingListEntry
    from husly.cases.models import Appeal
    from husly.housing.models import DwellingStatus
    from husly.tenancy.models import Lease

    statuses = set(Case.objects.values_list("status", flat=True))
    assert {"submitted", "in_progress", "decided", "closed"} <= statuses
    received = sorted(d for d in Case.objects.values_list("received_on", flat=True) if d)
    assert (received[-1] - received[0]).days > 600  # spread over the last two years
    assert Decision.objects.filter(status="issued", kind="refusal").exists()
    assert {"registered", "forwarded", "closed"} <= set(
        Appeal.objects.values_list("status", flat=True)
    )
    assert all(a.grounds.startswith("Klage fra ") for a in Appeal.objects.all())  # with names
    # The waiting list is about Rælingen's size (16 households, raelingen L1237), with waiting
    # times that differ; earlier approvals were housed.
    live = list(
        WaitingListEntry.objects.filter(status__in=LIVE_ENTRY).values_list("placed_on", flat=True)
    )
    assert 10 <= len(live) <= 35
    assert len(set(live)) >= 10 and (max(live) - min(live)).days > 180
    assert WaitingListEntry.objects.filter(status="housed").count() >= 10
    # A lease for every let dwelling; one meeting with a proposal, two offers confirmed.
    assert not Dwelling.objects.filter(status=DwellingStatus.OCCUPIED, leases__isnull=True).exists()
    assert Lease.objects.count() >= Dwelling.objects.filter(status=DwellingStatus.OCCUPIED).count()
    assert AllocationMeeting.objects.get().items.filter(proposed_entry__isnull=False).exists()
    assert Offer.objects.filter(meeting_item__isnull=False).count() == 2  # from the meeting
    # Rent: claims for every active lease, most paid up, some behind, two payments to place.
    from husly.rent.models import Payment, RentClaim
    from husly.rent.selectors import arrears_as_of

    active = Lease.objects.filter(status="active")
    billed = active.filter(start_date__lte=dt.date(2026, 11, 30))  # in force in November
    assert billed.count() > active.count() * 0.9
    assert RentClaim.objects.filter(month=dt.date(2026, 11, 1), lease__in=billed).count() == (
        billed.count()
    )
    arrears = arrears_as_of(municipality=active[0].municipality, as_of=dt.date(2026, 11, 1))
    assert 0 < len(arrears) < active.count() / 2
    assert any(a.months_unpaid >= 2 for a in arrears.values())
    assert Payment.objects.filter(lease__isnull=True).count() == 2
    # Follow-up (issue 12): every page has something to show.
    from husly.followup.models import (
        Contact,
        HousingPlan,
        Inspection,
        MoveOut,
        RefusalFollowUp,
        VacancySegment,
        WrittenWarning,
    )

    assert {"offered", "accepted", "declined"} <= set(
        HousingPlan.objects.values_list("status", flat=True)
    )
    assert Contact.objects.filter(kind="home_visit").count() >= 5
    assert WrittenWarning.objects.filter(takeover=True).count() == 1
    assert Inspection.objects.filter(fire_hazard=True).exists()
    assert Inspection.objects.filter(inspected_on__isnull=True).exists()
    assert MoveOut.objects.filter(ready_on__isnull=False).exists()
    assert {"repairs", "letting"} <= set(VacancySegment.objects.values_list("cause", flat=True))
    assert RefusalFollowUp.objects.exists()
    # Temporary accommodation: providers of every kind, stays of every kind (issue 13).
    from django.db.models import Count

    from husly.temporary.models import Provider, Stay

    assert Provider.objects.values("kind").distinct().count() == 6
    stays = Stay.objects.all()
    assert stays.filter(ended_on__isnull=True, starts_on__lt=dt.date(2026, 8, 1)).exists()
    assert stays.filter(end_reason="lease_signed", segments__isnull=False).exists()
    assert stays.filter(segments__place__provider__kind="night_shelter").exists()
    assert stays.filter(discharge="prison").exists()
    assert stays.values("household").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert stays.annotate(n=Count("segments")).filter(n__gt=1).exists()  # moved
    from tests.settlement.demo_checks import check_settlement_demo

    check_settlement_demo()
    _check_years_of_history()
    _check_a_stored_simulation()


def _check_a_stored_simulation() -> None:
    """The demo stores one simulation run, so Min side shows a wait estimate out of the box."""
    from husly.allocation.models import ACCEPTED_OFFER, LIVE_ENTRY, Offer, WaitingListEntry
    from husly.policy.models import SimulationRun
    from husly.policy.selectors import replays_identically, wait_estimate

    run = SimulationRun.objects.get()
    assert run.levers["lease_length_months"] == 36 and run.created_by is None
    assert replays_identically(run)
    live = WaitingListEntry.objects.filter(status__in=LIVE_ENTRY).select_related("municipality")
    accepted = set(
        Offer.objects.filter(status__in=ACCEPTED_OFFER, entry__in=live).values_list(
            "entry_id", flat=True
        )
    )
    assert accepted  # the queue's last offers, accepted, their leases beginning after the day
    estimates = [wait_estimate(e.municipality, e.pk) for e in live if e.pk not in accepted]
    assert estimates and all(e is not None for e in estimates)
    assert any(e["within"][12] > 0 for e in estimates if e)
    # a household that has accepted an offer is told no chance of one (ADR 0037)
    assert all(wait_estimate(e.municipality, e.pk) is None for e in live if e.pk in accepted)


def _check_years_of_history() -> None:
    """About five years of history (husly.demo.past): applications, decisions, the waiting
    list, offers accepted and refused, leases started and ended, temporary stays, spread over
    the years so that figures over time and a back-test of waits have something to show."""
    from husly.allocation.models import Offer, WaitingListEntry
    from husly.temporary.models import Stay
    from husly.tenancy.models import Lease

    as_of = dt.date(2026, 11, 1)
    years = range(as_of.year - 4, as_of.year + 1)
    received = set(
        Case.objects.filter(received_on__isnull=False).values_list("received_on__year", flat=True)
    )
    assert set(years) <= received
    assert min(Case.objects.values_list("received_on", flat=True).exclude(received_on=None)) < (
        as_of - dt.timedelta(days=4 * 365)
    )
    issued = Decision.objects.filter(status="issued", help_kind="rental_dwelling")
    for year in years[:-1]:
        assert issued.filter(issued_on__year=year, kind="approval").exists(), year
        assert issued.filter(issued_on__year=year, kind="refusal").exists(), year
    housed = WaitingListEntry.objects.filter(status="housed")
    assert set(years) <= set(housed.values_list("closed_on__year", flat=True))
    waits = {(e.closed_on - e.placed_on).days for e in housed}
    assert len(waits) > 30 and max(waits) > 300  # waits that differ
    assert WaitingListEntry.objects.filter(status="lapsed").exists()
    assert Offer.objects.filter(status="refused").exists()
    assert Offer.objects.filter(status="leased").count() >= housed.count() * 0.5
    ended = Lease.objects.filter(status="ended")
    assert {"moved_out", "eviction", "purchased", "death"} <= set(
        ended.values_list("end_reason", flat=True)
    )
    assert set(years) <= set(ended.values_list("ended_on__year", flat=True))
    assert set(years) <= set(Lease.objects.values_list("start_date__year", flat=True))
    stays = set(
        Stay.objects.filter(ended_on__isnull=False).values_list("ended_on__year", flat=True)
    )
    assert set(years) <= stays


DAY = dt.date(2025, 11, 1)
DAYS = [DAY, dt.date(2026, 2, 1), dt.date(2026, 5, 1)]
HISTORY = 12


def test_the_simulation_reproduces_the_demo_history_within_its_bands_and_is_calibrated(
    small_demo: None,
) -> None:
    raelingen = Municipality.objects.get(number="3224")
    # every offer of the queue's two years is the queue's: none on an approval from before them
    # (the drawn history's lapsed approvals refused theirs before, ADR 0037)
    queue_began = AS_OF - dt.timedelta(days=HISTORY_DAYS)
    assert not Offer.objects.filter(
        entry__municipality=raelingen, made_on__gte=queue_began, entry__placed_on__lt=queue_began
    ).exists()
    happened = recorded(raelingen, DAY, 12)
    assert happened["first_offers"] >= 20  # the history has waits to compare with
    rows = back_test(raelingen, DAY, months=12, runs=100, seed=1, history_months=HISTORY)
    chances = calibration(raelingen, DAYS, last=AS_OF, runs=100, seed=1, history_months=HISTORY)
    report = {
        "bands": [r.to_dict() for r in rows],
        "calibration": [c.to_dict() for c in chances],
    }
    assert all(r.inside for r in rows), report
    assert all(c.households > 0 for c in chances), report
    # Held since the demo's drawn history refuses its offers before the queue's two years
    # (ADR 0037): 3 months 9 got of 10.6 said (52 household-days, allowed 4.4), 6 months 15 of
    # 17.9 (allowed 5.2), 12 months 6 of 8.6 (15 households, allowed 3.4). One day's 12-month
    # households share one arrival stream; pooled over six independent demos (ADR 0037, not
    # run here: each demo takes minutes) 45 got of 42.4 said (77 households, allowed 6.5).
    assert all(c.within() for c in chances), report
