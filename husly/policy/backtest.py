"""The back-test on the records: go back to a day in the past, build the simulation's input
as the records stood that day (the waiting list, the stock and the leases in force, the rates
of the two years before), run the policy in force for the months that followed, and set the
simulated figures beside what the records say happened in those months.

Used by the test suite on the demo's five years of history (tests/core/test_demo.py)
and readable by anyone who wants to check the simulation on their own municipality's records
(ADR 0031). Reads only; stores nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Exists, Min, OuterRef, Q

from husly.allocation.models import EntryStatus, Offer, OfferStatus, WaitingListEntry
from husly.housing.models import Dwelling
from husly.organisation.models import Municipality
from husly.policy import inputs
from husly.rules import deadlines
from husly.simulation import ArrivalTemplates, SimulationInput, Stock, Waiting, simulate
from husly.simulation.estimate import estimate_rates
from husly.tenancy.models import Lease, LeaseStatus

DAYS_PER_MONTH = inputs.DAYS_PER_MONTH


def waiting_list_on(municipality: Municipality, day: dt.date) -> Waiting:
    """The waiting list as it stood at the end of ``day``: entries placed by then and not yet
    closed, with the offers they had refused by then. An entry whose household had been
    offered a dwelling by then that it did not refuse is not waiting for an offer (its lease is
    being written): it is left out, as it would be housed in the records whatever came next."""
    offered = Offer.objects.filter(
        entry__municipality=municipality, made_on__lte=day, entry_id=OuterRef("pk")
    ).exclude(status__in=[OfferStatus.REFUSED, OfferStatus.WITHDRAWN])
    rows = inputs._entry_rows(
        WaitingListEntry.objects.filter(municipality=municipality, placed_on__lte=day)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=day))
        .exclude(
            status__in=[EntryStatus.HOUSED, EntryStatus.LAPSED, EntryStatus.WITHDRAWN],
            closed_on__isnull=True,
        )
        .exclude(Exists(offered))
        .order_by("pk")
    )
    refused: dict[int, int] = {}
    for entry_id in Offer.objects.filter(
        entry__municipality=municipality, status=OfferStatus.REFUSED, made_on__lte=day
    ).values_list("entry_id", flat=True):
        refused[entry_id] = refused.get(entry_id, 0) + 1
    in_stay = set(
        inputs.Stay.objects.filter(municipality=municipality, starts_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        .values_list("household_id", flat=True)
    )
    return Waiting(
        id=[r[0] for r in rows],
        size=[max(1, r[2]) for r in rows],
        group=inputs._groups(rows, day),
        urgency=[r[3] for r in rows],
        medical=[r[4] for r in rows],
        social=[r[5] for r in rows],
        children=[r[6] for r in rows],
        needs_wheelchair=[r[7] for r in rows],
        waited_days=[max(0, (day - r[8]).days) for r in rows],
        in_temporary=[r[1] in in_stay for r in rows],
        refusals=[refused.get(r[0], 0) for r in rows],
    )


def stock_on(municipality: Municipality, day: dt.date) -> Stock:
    """The dwellings that were the municipality's on ``day`` (today's stock and those sold
    since that were let then) and the leases in force that day. A dwelling with no lease in
    force that day is let, in the simulation, no earlier than the records let it next: the
    records do not say whether it stood empty or held a tenancy nobody recorded (a dwelling
    bought later, an older tenancy not imported), and treating all of them as free on that day
    would house the whole list at once. A dwelling the records show no lease for, neither in
    force that day nor after it, is left out: nothing says it could be let in those months. A
    dwelling whose next lease was offered by that day (and not refused) is let that day: the
    household it went to is not on the list either (:func:`waiting_list_on`)."""
    leases = dict(
        Lease.objects.filter(municipality=municipality, start_date__lte=day)
        .exclude(status__in=[LeaseStatus.DRAFT, LeaseStatus.SENT])
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        .values_list("dwelling_id", "end_date")
    )
    # when the records let it next: the offer of the next lease (the simulation offers and
    # houses in one month), or the lease's start where it has no offer on record
    next_let: dict[int, dt.date] = {}
    reserved: dict[int, tuple[dt.date, dt.date | None]] = {}
    for dwelling, begins, offered, end in (
        Lease.objects.filter(municipality=municipality, start_date__gt=day)
        .exclude(status__in=[LeaseStatus.DRAFT, LeaseStatus.SENT])
        .values_list("dwelling_id", "start_date", "offer__made_on", "end_date")
    ):
        if offered is not None and offered <= day and dwelling not in leases:
            # offered by then and not refused: its household is not on the list that day
            # (waiting_list_on), so the dwelling is not free for the list either: let from
            # that day, with that lease's end date
            if dwelling not in reserved or begins < reserved[dwelling][0]:
                reserved[dwelling] = (begins, end)
            continue
        when = max(day, offered or begins)
        if dwelling not in next_let or when < next_let[dwelling]:
            next_let[dwelling] = when
    for dwelling, (_begins, end) in reserved.items():
        leases[dwelling] = end
        next_let.pop(dwelling, None)
    dwellings = list(
        Dwelling.objects.filter(building__municipality=municipality)
        .filter(Q(pk__in=list(leases)) | Q(pk__in=list(next_let)))
        .order_by("pk")
        .values_list("pk", "rooms", "wheelchair_accessible")
    )
    occupied = [pk in leases for pk, _r, _a in dwellings]
    ready = [
        0 if pk in leases else max(0, round((next_let[pk] - day).days / DAYS_PER_MONTH))
        for pk, _r, _a in dwellings
    ]
    ends = []
    for pk, _rooms, _acc in dwellings:
        end = leases.get(pk)
        ends.append(-1 if end is None else max(0, round((end - day).days / DAYS_PER_MONTH)))
    return Stock(
        id=[d[0] for d in dwellings],
        rooms=[max(1, d[1]) for d in dwellings],
        wheelchair_accessible=[d[2] for d in dwellings],
        occupied=occupied,
        lease_end_month=ends,
        tenant_group=[inputs.OTHER if o else -1 for o in occupied],
        ready_month=ready,
    )


def input_on(
    municipality: Municipality,
    day: dt.date,
    *,
    months: int,
    runs: int,
    seed: int,
    history_months: int = inputs.HISTORY_MONTHS,
) -> SimulationInput:
    """The simulation's input as the records stood on ``day`` (policy in force today), with
    the rates of the ``history_months`` before it."""
    waiting = waiting_list_on(municipality, day)
    counts, templates = inputs.history(municipality, day, history_months)
    rates, _fell_back = estimate_rates(counts)
    if templates is None:
        templates = ArrivalTemplates(
            group=waiting.group,
            size=waiting.size,
            urgency=waiting.urgency,
            medical=waiting.medical,
            social=waiting.social,
            children=waiting.children,
            needs_wheelchair=waiting.needs_wheelchair,
        )
    return SimulationInput(
        waiting=waiting,
        stock=stock_on(municipality, day),
        templates=templates,
        rates=rates,
        levers=inputs.todays_levers(municipality),
        horizon_months=months,
        runs=runs,
        seed=seed,
        promise_months=deadlines.allocation_promise_months(municipality.number, day),
    )


def recorded(municipality: Municipality, day: dt.date, months: int) -> dict[str, float]:
    """What the records say happened in the ``months`` after ``day``: the median and 90th
    percentile of the waits (whole months from the approval to the first offer) of the first
    offers made then, the households housed from the list per year (offers made then and
    accepted), and the mean number of households on the list at the month ends."""
    end = deadlines.add_months(day, months)
    firsts = list(
        WaitingListEntry.objects.filter(municipality=municipality)
        .annotate(first=Min("offers__made_on"))
        .filter(first__gt=day, first__lte=end)
        .values_list("placed_on", "first")
    )
    waits = np.array(
        [round((first - placed).days / DAYS_PER_MONTH) for placed, first in firsts], dtype=float
    )
    # housed as the simulation counts it: an offer made in those months and accepted (its
    # lease may begin a little later); a household whose offer came before ``day`` is not on
    # the list the simulation starts from (waiting_list_on)
    housed = Offer.objects.filter(
        entry__municipality=municipality,
        made_on__gt=day,
        made_on__lte=end,
        status__in=[OfferStatus.ACCEPTED, OfferStatus.LEASED],
    ).count()
    spans = list(
        WaitingListEntry.objects.filter(municipality=municipality, placed_on__lte=end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=day))
        .values_list("placed_on", "closed_on")
    )
    month_ends = [deadlines.add_months(day, m + 1) for m in range(months)]
    queue = [
        sum(1 for placed, closed in spans if placed <= e and (closed is None or closed > e))
        for e in month_ends
    ]
    return {
        "first_offers": float(len(waits)),
        "wait_median": float(np.median(waits)) if len(waits) else float("nan"),
        "wait_p90": float(np.percentile(waits, 90)) if len(waits) else float("nan"),
        "housed_per_year": housed * 12 / months,
        "queue_mean": float(np.mean(queue)) if queue else 0.0,
    }


@dataclass(frozen=True)
class Comparison:
    name: str
    happened: float
    low: float
    median: float
    high: float

    @property
    def inside(self) -> bool:
        return self.low <= self.happened <= self.high

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "happened": self.happened,
            "band": [self.low, self.median, self.high],
            "inside": self.inside,
        }


FIGURES = ("wait_median", "wait_p90", "housed_per_year", "queue_mean")


def back_test(
    municipality: Municipality,
    day: dt.date,
    *,
    months: int = 12,
    runs: int = 100,
    seed: int = 0,
    band: tuple[float, float] = (5.0, 95.0),
    history_months: int = inputs.HISTORY_MONTHS,
) -> list[Comparison]:
    """Each figure: what happened in the ``months`` after ``day``, and the band (``band``
    percentiles, across ``runs`` seeded futures) the simulation started on ``day`` gives."""
    inp = input_on(
        municipality, day, months=months, runs=runs, seed=seed, history_months=history_months
    )
    per_run = simulate(inp).per_run()
    happened = recorded(municipality, day, months)
    out = []
    for name in FIGURES:
        values = per_run[name][np.isfinite(per_run[name])]
        low, mid, high = (
            np.percentile(values, [band[0], 50.0, band[1]]) if values.size else (np.nan,) * 3
        )
        out.append(Comparison(name, happened[name], float(low), float(mid), float(high)))
    return out


@dataclass(frozen=True)
class Calibration:
    """Households told a chance of an offer within ``months`` months: how many the chances
    said (their sum), how many got one, and the spread of that number if the chances are
    right (Poisson-binomial: the square root of the sum of p(1-p))."""

    months: int
    households: int
    said: float
    got: int
    spread: float

    def within(self, z: float = 1.96) -> bool:
        """|said - got| inside the two-sided 95 % interval (``z``) of the number got, with half a
        household for the count being whole."""
        return abs(self.said - self.got) <= z * self.spread + 0.5

    def to_dict(self) -> dict[str, Any]:
        return {
            "months": self.months,
            "households": self.households,
            "said": round(self.said, 2),
            "got": self.got,
            "spread": round(self.spread, 2),
            "within": self.within(),
        }


def offers_within(
    municipality: Municipality, day: dt.date, entry_ids: list[int], months: int
) -> dict[int, bool]:
    """Each entry: whether the records show its first offer after ``day`` and no later than
    ``months`` months after it."""
    end = deadlines.add_months(day, months)
    offered = set(
        Offer.objects.filter(
            entry__municipality=municipality,
            entry_id__in=entry_ids,
            made_on__gt=day,
            made_on__lte=end,
        ).values_list("entry_id", flat=True)
    )
    return {e: e in offered for e in entry_ids}


def calibration(
    municipality: Municipality,
    days: list[dt.date],
    *,
    horizons: tuple[int, ...] = (3, 6, 12),
    last: dt.date,
    runs: int = 100,
    seed: int = 0,
    history_months: int = inputs.HISTORY_MONTHS,
) -> list[Calibration]:
    """The chance Min side would have told each household on the list on each of ``days`` (the
    share of runs with an offer within 3, 6, 12 months), beside what happened, per horizon,
    pooled over the days whose horizon ends by ``last`` (the records' end)."""
    said: dict[int, list[float]] = {n: [] for n in horizons}
    got: dict[int, list[bool]] = {n: [] for n in horizons}
    for day in days:
        usable = [n for n in horizons if deadlines.add_months(day, n) <= last]
        if not usable:
            continue
        inp = input_on(
            municipality,
            day,
            months=max(usable),
            runs=runs,
            seed=seed,
            history_months=history_months,
        )
        chances = simulate(inp).offer_within(tuple(usable))
        ids = [int(x) for x in inp.waiting.id]
        for k, n in enumerate(usable):
            happened = offers_within(municipality, day, ids, n)
            said[n] += [chances[e][k] for e in ids]
            got[n] += [happened[e] for e in ids]
    out = []
    for n in horizons:
        p = np.asarray(said[n], dtype=float)
        out.append(
            Calibration(
                months=n,
                households=int(p.size),
                said=float(p.sum()),
                got=int(sum(got[n])),
                spread=float(np.sqrt((p * (1 - p)).sum())),
            )
        )
    return out
