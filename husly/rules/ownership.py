"""Ownership potential (eierpotensiale), the leie-før-eie cost rent and the sale-to-tenant offer.

Sources: kristiansund.md 2.8 (Drammen and Trondheim "fra leie til eie"; Husbanken, "Leie-før-eie:
En modell for å øke eierpotensialet blant lavinntektsgrupper", 2015, L1281–1322; the caution
against buying too early, L891–898) and its design note "an ownership-potential assessment per
household: income sources, employment, stability, debt, savings, startlån eligibility, education
plan, household wishes; it routes the household to own now (startlån/tilskudd), rent-before-own
(option contract) or rent, revisit later"; raelingen.md 2.16 point 6 and 7 C (screen municipal
tenants, especially those on open-ended leases, for ownership potential; leie-før-eie 80 % basic
loan + 20 % grant, option in year 5 at the year-0 price). The affordability itself is the
startlån calculation (:mod:`husly.rules.start_loan`, forskrift om lån fra Husbanken § 5-2); this
module only routes on its result.

Routing, in order (the first that applies wins):

1. the household does not wish to own now                  -> look again (rent)
2. education comes first (kristiansund L891–898)            -> look again when it is done
3. debt in collection (inkasso, betalingsanmerkning)        -> look again (rent)
4. stable income, can service a start loan, and loan + grant + savings reach the price
   ("those who can own at once should own", L1316–1318)     -> own now (start loan and grant)
5. stable income and a right to a municipal dwelling
   (leie-før-eie target group, L1286–1289)                  -> rent before owning
6. otherwise                                                -> look again (rent)

Plain data in, plain data and reasons out; vectorised over many households with NumPy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

Route = Literal["own_now", "rent_to_own", "look_again"]
ROUTES: tuple[Route, ...] = ("own_now", "rent_to_own", "look_again")
MAX_RATE = 0.5
"""A yearly rate at or above 50 % is a typing error (4.5 written for 0.045)."""

REASONS: dict[str, tuple[str, str]] = {
    "no_wish": (
        "Husstanden ønsker ikke å eie nå.",
        "Husstanden ønskjer ikkje å eige no.",
    ),
    "education_first": (
        "Utdanning kommer først; å kjøpe for tidlig kan låse husstanden til lavtlønt arbeid "
        "(Kristiansund-rapporten L891–898).",
        "Utdanning kjem først; å kjøpe for tidleg kan låse husstanden til lågt løna arbeid "
        "(Kristiansund-rapporten L891–898).",
    ),
    "debt_in_collection": (
        "Gjeld til inkasso eller betalingsanmerkning må ordnes først.",
        "Gjeld til inkasso eller betalingsanmerking må ordnast først.",
    ),
    "can_own_now": (
        "Stabil inntekt, kan betjene startlån, og lån, tilskudd og sparing dekker prisen: de som "
        "kan eie med en gang, bør eie (Husbanken, Leie-før-eie).",
        "Stabil inntekt, kan betene startlån, og lån, tilskot og sparing dekkjer prisen: dei som "
        "kan eige med ein gong, bør eige (Husbanken, Leie-før-eie).",
    ),
    "rent_to_own": (
        "Stabil inntekt og rett til kommunal bolig, men kan ikke eie ennå: eierpotensiale på sikt "
        "(Husbanken, Leie-før-eie, målgruppen).",
        "Stabil inntekt og rett til kommunal bustad, men kan ikkje eige enno: eigarpotensial på "
        "sikt (Husbanken, Leie-før-eie, målgruppa).",
    ),
    "unstable_income": (
        "Inntekten er ikke stabil nok til å eie nå.",
        "Inntekta er ikkje stabil nok til å eige no.",
    ),
    "loan_short": (
        "Startlånet husstanden kan betjene, med tilskudd og sparing, dekker ikke prisen.",
        "Startlånet husstanden kan betene, med tilskot og sparing, dekkjer ikkje prisen.",
    ),
    "no_municipal_right": (
        "Husstanden har ikke rett til kommunal bolig, som leie-før-eie forutsetter.",
        "Husstanden har ikkje rett til kommunal bustad, som leie-før-eie føreset.",
    ),
}


@dataclass(frozen=True)
class OwnershipFacts:
    """One household's facts. Amounts in kroner. ``can_service_loan`` and ``largest_loan`` come
    from the startlån affordability calculation."""

    wishes_to_own: bool
    education_first: bool
    debt_in_collection: bool
    income_stable: bool
    can_service_loan: bool
    largest_loan: float
    savings: float
    grant_expected: float
    price_needed: float
    right_to_municipal_dwelling: bool


@dataclass(frozen=True)
class OwnershipResult:
    route: Route
    reasons: tuple[str, ...]
    look_again_on: dt.date | None
    financing_gap: int


@dataclass(frozen=True)
class OwnershipBatch:
    wishes_to_own: npt.NDArray[np.bool_]
    education_first: npt.NDArray[np.bool_]
    debt_in_collection: npt.NDArray[np.bool_]
    income_stable: npt.NDArray[np.bool_]
    can_service_loan: npt.NDArray[np.bool_]
    largest_loan: npt.NDArray[np.float64]
    savings: npt.NDArray[np.float64]
    grant_expected: npt.NDArray[np.float64]
    price_needed: npt.NDArray[np.float64]
    right_to_municipal_dwelling: npt.NDArray[np.bool_]


def route_many(batch: OwnershipBatch) -> tuple[npt.NDArray[np.int_], npt.NDArray[np.float64]]:
    """Route codes (indexes into :data:`ROUTES`) and the financing gap (price − loan − grant −
    savings, at least 0) for many households at once, by the rules in the module docstring."""
    for name in ("largest_loan", "savings", "grant_expected", "price_needed"):
        values = getattr(batch, name)
        if np.any(values < 0) or not np.all(np.isfinite(values)):
            raise ValueError(f"{name} must be finite and not negative")
    gap = np.maximum(
        batch.price_needed - batch.largest_loan - batch.grant_expected - batch.savings, 0.0
    )
    blocked = ~batch.wishes_to_own | batch.education_first | batch.debt_in_collection
    own = ~blocked & batch.income_stable & batch.can_service_loan & (gap <= 0)
    rent_first = ~blocked & ~own & batch.income_stable & batch.right_to_municipal_dwelling
    routes = np.full(gap.shape, ROUTES.index("look_again"), dtype=np.int_)
    routes[rent_first] = ROUTES.index("rent_to_own")
    routes[own] = ROUTES.index("own_now")
    return routes, gap


def assess_ownership(
    facts: OwnershipFacts, on: dt.date, *, look_again_months: int = 12
) -> OwnershipResult:
    """Route one household (see the module docstring), with the reasons in order. A household
    that should rent and look again gets a date ``look_again_months`` after ``on``."""
    if look_again_months < 1:
        raise ValueError("look_again_months must be at least 1")

    def one(value: bool | float) -> npt.NDArray[np.float64] | npt.NDArray[np.bool_]:
        return np.array([value])

    batch = OwnershipBatch(
        **{name: one(getattr(facts, name)) for name in OwnershipBatch.__dataclass_fields__}  # type: ignore[arg-type]
    )
    codes, gaps = route_many(batch)
    route = ROUTES[int(codes[0])]
    reasons: list[str] = []
    if not facts.wishes_to_own:
        reasons.append("no_wish")
    if facts.education_first:
        reasons.append("education_first")
    if facts.debt_in_collection:
        reasons.append("debt_in_collection")
    if route == "own_now":
        reasons.append("can_own_now")
    elif route == "rent_to_own":
        reasons.append("rent_to_own")
    if route != "own_now" and not reasons:
        if not facts.income_stable:
            reasons.append("unstable_income")
        if not facts.right_to_municipal_dwelling:
            reasons.append("no_municipal_right")
    owning_later = route == "rent_to_own" or (route == "look_again" and facts.income_stable)
    if owning_later and (not facts.can_service_loan or gaps[0] > 0):
        reasons.append("loan_short")
    look_again = _add_months(on, look_again_months) if route == "look_again" else None
    return OwnershipResult(
        route=route, reasons=tuple(reasons), look_again_on=look_again, financing_gap=int(gaps[0])
    )


def _add_months(on: dt.date, months: int) -> dt.date:
    month = on.month - 1 + months
    year = on.year + month // 12
    month = month % 12 + 1
    days = [31, 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28, 31, 30,
            31, 30, 31, 31, 30, 31, 30, 31]  # fmt: skip
    return dt.date(year, month, min(on.day, days[month - 1]))


def cost_based_rent(
    *,
    purchase_price: int,
    basic_loan_share: float,
    interest_rate: float,
    management_yearly: int,
    operation_yearly: int,
    maintenance_yearly: int,
) -> int:
    """Leie-før-eie monthly rent: the municipality's management, operation and maintenance
    costs plus the interest on the basic loan (grunnlån), per month, whole kroner rounded up
    (Husbanken, Leie-før-eie; kristiansund.md L1299–1301). The grant share carries no interest.
    """
    if not 0 <= basic_loan_share <= 1:
        raise ValueError("basic_loan_share must be between 0 and 1")
    if not 0 <= interest_rate < MAX_RATE:
        raise ValueError("interest_rate must be a yearly rate between 0 and 0.5")
    amounts = (purchase_price, management_yearly, operation_yearly, maintenance_yearly)
    if any(a < 0 for a in amounts):
        raise ValueError("amounts cannot be negative")
    interest = purchase_price * basic_loan_share * interest_rate
    yearly = management_yearly + operation_yearly + maintenance_yearly + interest
    return int(np.ceil(round(yearly / 12, 6)))


def sale_offer_price(valuation: int, discount: int) -> int:
    """The price a tenant is offered the municipal dwelling at: the agency's valuation (takst)
    less the municipality's discount, never below 0 (Trondheim: NOK 50,000 below the valuation,
    kristiansund.md L1245–1246)."""
    if valuation < 0 or discount < 0:
        raise ValueError("valuation and discount cannot be negative")
    return max(valuation - discount, 0)


def option_window_opens(purchased_on: dt.date, option_year: int) -> dt.date:
    """The first day of the option year: year 1 starts on the purchase date, so the option in
    year 5 opens four years after it (Husbanken, Leie-før-eie: option in year 5)."""
    if option_year < 1:
        raise ValueError("option_year must be at least 1")
    return _add_months(purchased_on, 12 * (option_year - 1))
