"""KOSTRA indicators on temporary accommodation, computed from stay records in one vectorised
pass (pure: NumPy in, plain data out; no Django).

Definitions, as SSB gives them (spec/law-and-parameters.md § 8.1, SSB "kompis" metadata):

- *Husstander i midlertidige botilbud, i alt*: households using a midlertidig botilbud during
  the year, counted once. Natthjem excluded.
- *Husstander med barn i midlertidige botilbud*: households with children under 18, counted once.
- *Andel husstander med barn i midlertidige botilbud i mer enn 3 mnd*: (households with children
  in a midlertidig botilbud more than 3 months / all households with children in one) × 100.
- *Husstander i midlertidige botilbud i 14 eller færre dager*: (households with at most 14 days /
  all households in a midlertidig botilbud) × 100.
- *Husstander i natthjem*: households in natthjem, counted once.

How the records are read (Husly's interpretation where SSB's text leaves a choice, stated in
docs/temporary-accommodation.md; [U] not confirmed with SSB):

- A segment runs from its first night to the morning the household leaves (exclusive); a day
  is a night spent. Only the nights inside the reporting year count (a stay crossing the year
  boundary counts in both years with the nights of each).
- "With children": a member under 18 on at least one night of a counted stay in the year,
  including a child born during the stay.
- "More than 3 months": a stay (all its places, a move keeps the stay) whose nights in the year
  run past the same date three calendar months after its first night in the year (a stay of
  exactly three months, 1 March to 1 June, is not more than three months).
- "14 or fewer days": the household's nights in midlertidig botilbud in the year add up to
  at most 14.
- Cost per night and per stay by provider, all kinds including natthjem: the nights in the
  year times the price per night agreed for each place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

DAYS = "datetime64[D]"
TWO_WEEKS = 14
THREE_MONTHS = 3
CHILD_MONTHS = 18 * 12


@dataclass(frozen=True)
class Segments:
    """One row per segment (the part of a stay at one place). ``ends`` is the morning the
    household left, or NaT while it is still there."""

    stay: npt.NDArray[np.int64]
    household: npt.NDArray[np.int64]
    provider: npt.NDArray[np.int64]
    night_shelter: npt.NDArray[np.bool_]
    starts: npt.NDArray[np.datetime64]
    ends: npt.NDArray[np.datetime64]
    price_per_night: npt.NDArray[np.int64]


@dataclass(frozen=True)
class Children:
    """Members' dates of birth, one row per member who may be a child in the year."""

    household: npt.NDArray[np.int64]
    born: npt.NDArray[np.datetime64]


def add_months(days: npt.NDArray[np.datetime64], months: int) -> npt.NDArray[np.datetime64]:
    """Calendar months as domstolloven § 148 counts them: the same day number, or the last day
    of a shorter month (31 January + 1 month = 28/29 February)."""
    month = days.astype("datetime64[M]")
    offset = days - month.astype(DAYS)
    target = month + months
    last = (target + 1).astype(DAYS) - np.timedelta64(1, "D")
    result: npt.NDArray[np.datetime64] = np.minimum(target.astype(DAYS) + offset, last)
    return result


def _percent(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _child_in_segment(segments: Segments, children: Children, s: Any, e: Any) -> Any:
    """For each segment: has the household a member under 18 on one of its nights (s..e-1)?"""
    has_child = np.zeros(len(s), dtype=bool)
    if len(children.household) == 0 or len(s) == 0:
        return has_child
    order = np.argsort(children.household, kind="stable")
    households = children.household[order]
    born = children.born[order]
    turns18 = add_months(born, CHILD_MONTHS)
    lo = np.searchsorted(households, segments.household, "left")
    hi = np.searchsorted(households, segments.household, "right")
    most = int((hi - lo).max(initial=0))
    for k in range(most):  # one pass per child of the largest family, not per row
        valid = lo + k < hi
        i = np.minimum(lo + k, len(born) - 1)
        has_child |= valid & (born[i] < e) & (turns18[i] > s)
    return has_child


def temporary_accommodation(
    year: int, segments: Segments, children: Children, today: dt.date
) -> dict[str, Any]:
    """The year's indicators, with the per-provider costs and a trace of the counts."""
    y0 = np.datetime64(dt.date(year, 1, 1), "D")
    y1 = np.datetime64(dt.date(year + 1, 1, 1), "D")
    running_until = min(y1, np.datetime64(today, "D"))
    ends = np.where(np.isnat(segments.ends), running_until, segments.ends)
    s = np.maximum(segments.starts, y0)
    e = np.minimum(ends, y1)
    in_year = e > s
    nights = np.where(in_year, (e - s).astype(np.int64), 0)
    counted = in_year & ~segments.night_shelter

    # Households counted once (natthjem excluded).
    households, inverse = np.unique(segments.household[counted], return_inverse=True)
    total = len(households)
    child = _child_in_segment(segments, children, s, e)[counted]
    with_children = np.zeros(total, dtype=bool)
    np.logical_or.at(with_children, inverse, child)
    household_nights = np.bincount(inverse, weights=nights[counted], minlength=total)

    # Each stay's span in the year over its counted places; more than three months?
    stays, stay_inverse = np.unique(segments.stay[counted], return_inverse=True)
    far = np.datetime64("9999-12-31", "D")
    first = np.full(len(stays), far)
    last = np.full(len(stays), y0)
    np.minimum.at(first, stay_inverse, s[counted])
    np.maximum.at(last, stay_inverse, e[counted])
    long_stay = last > add_months(first, THREE_MONTHS)
    stay_household = np.zeros(len(stays), dtype=np.int64)
    stay_household[stay_inverse] = inverse
    over_three = np.zeros(total, dtype=bool)
    np.logical_or.at(over_three, stay_household, long_stay)

    short = int((household_nights <= TWO_WEEKS).sum())
    children_total = int(with_children.sum())
    children_long = int((with_children & over_three).sum())
    shelter_households = _unique(segments.household[in_year & segments.night_shelter])
    shelter = len(shelter_households)

    # Cost by provider, every kind of place.
    providers = []
    cost = nights * segments.price_per_night
    for provider in np.unique(segments.provider[in_year]):
        rows = in_year & (segments.provider == provider)
        provider_nights = int(nights[rows].sum())
        provider_cost = int(cost[rows].sum())
        provider_stays = len(np.unique(segments.stay[rows]))
        providers.append(
            {
                "provider": int(provider),
                "nights": provider_nights,
                "stays": provider_stays,
                "cost": provider_cost,
                "cost_per_night": round(provider_cost / provider_nights)
                if provider_nights
                else None,
                "cost_per_stay": round(provider_cost / provider_stays) if provider_stays else None,
            }
        )
    return {
        "year": year,
        "households": total,
        "households_with_children": children_total,
        "households_with_children_over_3_months": children_long,
        "share_with_children_over_3_months": _percent(children_long, children_total),
        "households_14_days_or_less": short,
        "share_14_days_or_less": _percent(short, total),
        "households_night_shelter": shelter,
        "nights": int(nights[counted].sum()),
        "cost": int(cost[in_year].sum()),
        "providers": providers,
        "members": {
            "households": households,
            "households_with_children": households[with_children],
            "households_with_children_over_3_months": households[with_children & over_three],
            "households_14_days_or_less": households[household_nights <= TWO_WEEKS],
            "households_night_shelter": shelter_households,
        },
    }


# --- Skjema 13: applications, new tenants and the stock (spec/law-and-parameters.md § 8) ---


@dataclass(frozen=True)
class Leases:
    """The municipality's leases in force at some time (active or ended). ``ended`` is the last
    day of the lease (NaT while it runs); ``renewal`` marks a lease that renews another."""

    household: npt.NDArray[np.int64]
    starts: npt.NDArray[np.datetime64]
    ended: npt.NDArray[np.datetime64]
    renewal: npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Applications:
    """One row per application for a kommunalt disponert bolig (a case routed for a rental
    dwelling or a dwelling with services). ``renewal`` marks a tenant's renewal application."""

    case: npt.NDArray[np.int64]
    household: npt.NDArray[np.int64]
    received: npt.NDArray[np.datetime64]
    renewal: npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Decisions:
    """Issued decisions on those applications (any date; the cut-off is applied here)."""

    case: npt.NDArray[np.int64]
    order: npt.NDArray[np.int64]  # a tie-breaker: later decisions have a larger number
    issued: npt.NDArray[np.datetime64]
    refusal: npt.NDArray[np.bool_]  # refusal, swap refusal or renewal refusal
    swap: npt.NDArray[np.bool_]  # swap approved or refused: the household already lives in one


@dataclass(frozen=True)
class Settled:
    """Refugees settled in the municipality: the household and the day it arrived."""

    household: npt.NDArray[np.int64]
    arrived: npt.NDArray[np.datetime64]


@dataclass(frozen=True)
class Stock:
    """One row per dwelling in the stock on 31.12 (not sold, already in the stock)."""

    dwelling: npt.NDArray[np.int64]
    owned: npt.NDArray[np.bool_]  # owned by the municipality
    wheelchair: npt.NDArray[np.bool_]
    let: npt.NDArray[np.bool_]  # a lease in force on 31.12


def _by_household(
    households: npt.NDArray[np.int64], keys: npt.NDArray[np.int64]
) -> tuple[Any, Any, Any, int]:
    """Sort order of ``keys`` and, for each of ``households``, the slice of its rows."""
    order = np.argsort(keys, kind="stable")
    lo = np.searchsorted(keys[order], households, "left")
    hi = np.searchsorted(keys[order], households, "right")
    return order, lo, hi, int((hi - lo).max(initial=0))


def living_in_municipal_dwelling(
    households: npt.NDArray[np.int64], on: npt.NDArray[np.datetime64], leases: Leases
) -> npt.NDArray[np.bool_]:
    """For each (household, day): had the household a municipal lease in force that day?"""
    result = np.zeros(len(households), dtype=bool)
    if len(leases.household) == 0 or len(households) == 0:
        return result
    order, lo, hi, most = _by_household(households, leases.household)
    starts, ended = leases.starts[order], leases.ended[order]
    for k in range(most):  # one pass per lease of the household with most leases, not per row
        valid = lo + k < hi
        i = np.minimum(lo + k, len(order) - 1)
        running = np.isnat(ended[i]) | (ended[i] >= on)
        result |= valid & (starts[i] <= on) & running
    return result


def _unique(values: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    result: npt.NDArray[np.int64] = np.unique(values)
    return result


def applications(
    year: int, apps: Applications, decisions: Decisions, leases: Leases
) -> dict[str, Any]:
    """Applicants and refusals in the year, households counted once.

    - An application counts in the year it was received (1.1 to 31.12).
    - New applicant: the household did not live in a kommunalt disponert utleiebolig on the
      day the application was received, and the application is neither a renewal nor a swap.
    - Refused: the application's last decision issued on or before 31.12 is a refusal (a
      refusal reversed on appeal by 31.12 is not a refusal; one issued in January is not yet).
    - A household that applied twice is one applicant; it counts as refused when one of its
      applications in the year was refused.
    """
    y0 = np.datetime64(dt.date(year, 1, 1), "D")
    y1 = np.datetime64(dt.date(year + 1, 1, 1), "D")
    in_year = (apps.received >= y0) & (apps.received < y1)
    living = living_in_municipal_dwelling(apps.household, apps.received, leases)
    swap = np.isin(apps.case, decisions.case[decisions.swap])
    new = in_year & ~living & ~apps.renewal & ~swap

    # Each case's last decision issued by the cut-off.
    by_cutoff = ~np.isnat(decisions.issued) & (decisions.issued < y1)
    cases = decisions.case[by_cutoff]
    order = np.lexsort(
        (decisions.order[by_cutoff], decisions.issued[by_cutoff].astype(np.int64), cases)
    )
    last = np.ones(len(order), dtype=bool)
    if len(order) > 1:
        last[:-1] = cases[order][1:] != cases[order][:-1]
    refused_cases = cases[order][last & decisions.refusal[by_cutoff][order]]
    refused = np.isin(apps.case, refused_cases)

    applicants = _unique(apps.household[in_year])
    new_applicants = _unique(apps.household[new])
    refused_all = _unique(apps.household[in_year & refused])
    refused_new = _unique(apps.household[new & refused])
    return {
        "applicants": len(applicants),
        "new_applicants": len(new_applicants),
        "applicants_refused": len(refused_all),
        "new_applicants_refused": len(refused_new),
        "share_refused": _percent(len(refused_all), len(applicants)),
        "share_new_refused": _percent(len(refused_new), len(new_applicants)),
        "members": {
            "applicants": applicants,
            "new_applicants": new_applicants,
            "applicants_refused": refused_all,
            "new_applicants_refused": refused_new,
        },
    }


def new_tenants(
    year: int, leases: Leases, settled: Settled, grant_years: int, today: dt.date
) -> dict[str, Any]:
    """Nyinnflyttede husstander: households given a kommunal bolig during the year that did not
    already live in one, counted once; and of them refugees, for whom the municipality still
    receives the integration grant (the year of settlement and the ``grant_years - 1``
    following calendar years).

    - A lease counts on its first day, 1.1 to 31.12 (and not after today).
    - A renewal, or a move from one municipal dwelling to another (a swap: the old lease runs
      to the day before), is not a new tenant.
    """
    y0 = np.datetime64(dt.date(year, 1, 1), "D")
    y1 = min(np.datetime64(dt.date(year + 1, 1, 1), "D"), np.datetime64(today, "D") + 1)
    starting = (leases.starts >= y0) & (leases.starts < y1) & ~leases.renewal
    day_before = leases.starts - np.timedelta64(1, "D")
    already = living_in_municipal_dwelling(leases.household, day_before, leases)
    new = starting & ~already
    households = _unique(leases.household[new])

    refugee = np.zeros(len(leases.household), dtype=bool)
    if len(settled.household):
        order, lo, hi, most = _by_household(leases.household, settled.household)
        arrived = settled.arrived[order]
        start_year = leases.starts.astype("datetime64[Y]").astype(np.int64) + 1970
        for k in range(most):
            valid = lo + k < hi
            i = np.minimum(lo + k, len(order) - 1)
            arrival_year = arrived[i].astype("datetime64[Y]").astype(np.int64) + 1970
            refugee |= (
                valid & (arrived[i] <= leases.starts) & (start_year < arrival_year + grant_years)
            )
    refugees = _unique(leases.household[new & refugee])
    return {
        "new_tenants": len(households),
        "new_tenants_refugees": len(refugees),
        "members": {"new_tenants": households, "new_tenants_refugees": refugees},
    }


def stock(stock: Stock, inhabitants: int | None) -> dict[str, Any]:
    """The kommunalt disponerte boliger on 31.12 and the indicators drawn from them."""
    total = len(stock.dwelling)
    owned = int(stock.owned.sum())
    wheelchair = int(stock.wheelchair.sum())
    return {
        "dwellings": total,
        "dwellings_owned": owned,
        "dwellings_private": total - owned,
        "dwellings_wheelchair": wheelchair,
        "dwellings_let": int(stock.let.sum()),
        "share_owned": _percent(owned, total),
        "share_wheelchair": _percent(wheelchair, total),
        "dwellings_per_1000": round(1000.0 * total / inhabitants, 1) if inhabitants else None,
    }


def per_thousand(count: int, inhabitants: int | None) -> float | None:
    return round(1000.0 * count / inhabitants, 1) if inhabitants else None
