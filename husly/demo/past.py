"""Years of history behind the demo (about five, per scale), so that the leaders' figures over
time, fairness monitoring and a back-test of wait estimates have something true to show.

What ``husly.demo.history`` builds through the real actions is the living part (the last two
years of applications, the waiting list today, a lease for every let dwelling). This module adds
what came before and around it, written directly with bulk inserts as an import of old records
would be (the audit log keeps the real time the demo was built: it is a log, not a story):

- for every lease of today that started inside the window and has no history: the household's
  application, its approval, its time on the waiting list, the offers it refused (where the
  refusal rule allows that) and the offer it accepted, and for some a stay in temporary
  accommodation until the lease started;
- the tenant before, in the same dwelling: a lease started earlier and ended (moved out, a swap,
  an eviction, a death, a long stay in an institution), with its own path from application to
  lease when that started inside the window; a few tenants bought their dwelling (now sold);
- households refused, households that withdrew, approvals that lapsed after a refused offer;
- stays in temporary accommodation of households that found their own way.

The waiting time depends on the size of the dwelling (large dwellings are scarce) and on
chance, so the groups differ a little, as they do in real records.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from husly.allocation.models import (
    AnsweredVia,
    EntryStatus,
    Offer,
    OfferStatus,
    WaitingListEntry,
)
from husly.cases.models import (
    Application,
    Case,
    CaseRouting,
    CaseStatus,
    CloseReason,
    Decision,
    DecisionKind,
    DecisionStatus,
    HelpKind,
    RoutingStatus,
)
from husly.housing.models import Dwelling, DwellingStatus, DwellingStatusChange
from husly.organisation.models import Municipality, Unit, UnitKind, User
from husly.people.models import HouseholdMember, Relation
from husly.temporary.models import Place, PricePer, Segment, Stay
from husly.tenancy.actions import standard_end_date
from husly.tenancy.models import (
    DepositKind,
    Lease,
    LeaseStatus,
    SignedHow,
    TermKind,
)

HISTORY_YEARS = {"small": 5, "oslo": 5}
"""How many years of history each scale gets (the living last two years included)."""
LIVE_DAYS = 730
"""The last two years: applications there are built through the actions (husly.demo.history)."""
REFUSAL_REASONS = [
    "Boligen ligger for langt fra skolen til barna.",
    "Boligen er i tredje etasje uten heis.",
    "Husstanden ønsker ikke å bo i dette området.",
    "Boligen er for liten til familien.",
]
ENDS = [  # how the tenancies before today's ended, with shares
    ("moved_out", 0.62),
    ("swap", 0.10),
    ("eviction", 0.07),
    ("death", 0.11),
    ("institution", 0.10),
]


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


@dataclass
class _Cast:
    caseworker: User
    approver: User
    nav: User
    member: User
    landlord: User
    office: Unit
    nav_unit: Unit


@dataclass
class _Story:
    """One household's path from application to lease (or to a refusal or a lapse)."""

    household: Any
    received: dt.date
    outcome: str  # housed, refused, withdrawn, lapsed, temporary_only
    decided: dt.date | None = None
    housed: dt.date | None = None
    dwelling: Any = None
    lease: Any = None
    refused_offers: list[dt.date] = field(default_factory=list)
    stay: tuple[dt.date, dt.date, str] | None = None
    case: Any = None
    decision: Any = None
    entry: Any = None


class _Past:
    def __init__(
        self,
        municipality: Municipality,
        cast: _Cast,
        rng: random.Random,
        as_of: dt.date,
        years: int,
    ) -> None:
        self.municipality = municipality
        self.cast = cast
        self.rng = rng
        self.as_of = as_of
        self.start = as_of - dt.timedelta(days=round(365.25 * years))
        self.live_start = as_of - dt.timedelta(days=LIVE_DAYS)
        self.stories: list[_Story] = []
        self.ended_leases: list[Any] = []
        self.used_numbers: set[str] = set()
        self.sequence = 0
        self.persons: dict[int, int] = {}
        self.decisions: list[Decision] = []
        self.temporary: dict[int, Decision] = {}
        self.accepted: dict[int, Offer] = {}

    # --- households ---------------------------------------------------------------------

    def households(self, count: int) -> list[Any]:
        """New households (people who lived in the municipality's dwellings or applied before),
        with names and ages as the builder makes them."""
        from husly.demo.builder import FAMILY, GIVEN, HOUSEHOLD_TYPES, _weighted
        from husly.people.identity import individual_numbers_for, make_synthetic_number
        from husly.people.models import (
            Household,
            Person,
            ResidencePermit,
        )

        rng = self.rng
        if not self.used_numbers:
            self.used_numbers = set(
                Person.objects.filter(municipality=self.municipality).values_list(
                    "national_id", flat=True
                )
            )

        def person(family: str, age: int) -> Person:
            born = self.as_of - dt.timedelta(days=age * 365 + rng.randint(0, 364))
            number = ""
            for _ in range(20):
                numbers = individual_numbers_for(born.year)
                candidate = make_synthetic_number(
                    born, rng.randint(numbers.start, numbers.stop - 1)
                )
                if candidate and candidate not in self.used_numbers:
                    number = candidate
                    self.used_numbers.add(number)
                    break
            permit = rng.choices(
                [
                    ResidencePermit.CITIZEN,
                    ResidencePermit.PERMANENT,
                    ResidencePermit.PROTECTION,
                    ResidencePermit.EEA,
                ],
                weights=[64, 12, 17, 7],
            )[0]
            return Person(
                municipality=self.municipality,
                national_id=number,
                date_of_birth=born,
                given_name=rng.choice(GIVEN),
                family_name=family,
                residence_permit=permit,
                registered_municipality_number=self.municipality.number,
                registered_since=max(born, self.start - dt.timedelta(days=rng.randint(0, 4000))),
            )

        households: list[Household] = []
        members: list[list[tuple[Person, str]]] = []
        for _ in range(count):
            adults, (low, high) = _weighted(rng, HOUSEHOLD_TYPES)
            family = rng.choice(FAMILY)
            # young applicants are more common among those who apply than among all tenants
            age = rng.randint(19, 25) if rng.random() < 0.18 else rng.randint(26, 84)
            people = [(person(family, age), str(Relation.APPLICANT))]
            people += [
                (person(family, rng.randint(19, 80)), str(Relation.SPOUSE))
                for _ in range(1, min(adults, 2))
            ]
            people += [
                (person(family, rng.randint(0, 17)), str(Relation.CHILD))
                for _ in range(rng.randint(low, high))
            ]
            households.append(Household(municipality=self.municipality, name=family))
            members.append(people)
        Household.objects.bulk_create(households, batch_size=2000)
        Person.objects.bulk_create([p for people in members for p, _ in people], batch_size=2000)
        HouseholdMember.objects.bulk_create(
            (
                HouseholdMember(household=h, person=p, relation=r)
                for h, people in zip(households, members, strict=True)
                for p, r in people
            ),
            batch_size=2000,
        )
        return households

    # --- the stories ----------------------------------------------------------------------

    def wait_days(self, rooms: int) -> int:
        """Lognormal, median about four months, longer for large dwellings."""
        median = 120 * (1.6 if rooms >= 3 else 1.0)
        return max(14, min(900, round(median * math.exp(self.rng.gauss(0, 0.6)))))

    def housed_story(self, household: Any, dwelling: Any, housed: dt.date, lease: Any) -> None:
        rng = self.rng
        room = (housed - self.start).days - 60
        wait = min(self.wait_days(dwelling.rooms), max(room, 10))
        decided = housed - dt.timedelta(days=wait)
        story = _Story(
            household=household,
            received=decided - dt.timedelta(days=rng.randint(18, 45)),
            outcome="housed",
            decided=decided,
            housed=housed,
            dwelling=dwelling,
            lease=lease,
        )
        if self.refusals_allowed and wait > 60:
            for _ in range(rng.choices([0, 1, 2], weights=[70, 22, 8])[0]):
                if len(story.refused_offers) < self.refusals_allowed:
                    story.refused_offers.append(
                        decided + dt.timedelta(days=rng.randint(10, wait - 40))
                    )
        if rng.random() < 0.3:
            first = max(self.start, decided - dt.timedelta(days=rng.randint(0, 60)))
            story.stay = (first, housed, "lease_signed")
        self.stories.append(story)

    def seed(self, scale_cases: int) -> dict[str, int]:
        from husly.allocation.models import AllocationPolicy, RefusalRule
        from husly.housing.models import Dwelling, DwellingStatus
        from husly.tenancy.models import Lease, LeaseStatus

        rng = self.rng
        policy = (
            AllocationPolicy.objects.filter(municipality=self.municipality)
            .order_by("-created_at")
            .first()
        )
        count_rule = policy is not None and policy.refusal_rule == RefusalRule.COUNT
        self.refusals_allowed = policy.refusals_allowed if policy and count_rule else 0
        earliest = self.start + dt.timedelta(days=120)
        today = list(
            Lease.objects.filter(
                municipality=self.municipality,
                status=LeaseStatus.ACTIVE,
                decision__isnull=True,
                offer__isnull=True,
                renews__isnull=True,
                start_date__gte=earliest,
                start_date__lt=self.as_of,
            )
            .select_related("dwelling__building")
            .order_by("pk")
        )
        for lease in today:
            self.housed_story(lease.household, lease.dwelling, lease.start_date, lease)
        # The tenants before, in the same dwellings; a few bought their dwelling.
        before = self.households(len(today))
        for lease, household in zip(today, before, strict=True):
            ended = lease.start_date - dt.timedelta(days=rng.randint(14, 90))
            started = ended - dt.timedelta(days=rng.randint(240, 2600))
            reason = rng.choices([e for e, _ in ENDS], weights=[w for _, w in ENDS])[0]
            self.ended_leases.append((lease.dwelling, household, started, ended, reason))
        buildings = list(
            Dwelling.objects.filter(building__municipality=self.municipality)
            .values_list("building_id", flat=True)
            .distinct()
        )
        sold = [
            Dwelling(
                building_id=rng.choice(buildings),
                number=f"S{index + 1:03d}",
                rooms=rng.randint(2, 4),
                area_m2=60 + rng.randint(0, 30),
                floor=1,
                monthly_rent=9000 + rng.randint(0, 3000),
                status=DwellingStatus.SOLD,
            )
            for index in range(max(1, len(today) // 60))
        ]
        Dwelling.objects.bulk_create(sold)
        buyers = self.households(len(sold))
        for dwelling, household in zip(sold, buyers, strict=True):
            ended = self.as_of - dt.timedelta(days=rng.randint(60, 1500))
            started = ended - dt.timedelta(days=rng.randint(1000, 2500))
            self.ended_leases.append((dwelling, household, started, ended, "purchased"))
        self._sold = sold
        for dwelling, household, started, _e, _r in self.ended_leases:
            if started >= earliest:
                self.housed_story(household, dwelling, started, None)
        # Applications before the living two years that did not end in a lease.
        per_year = scale_cases / 2
        old_days = (self.live_start - self.start).days
        old = max(0, round(per_year * old_days / 365))
        outcomes = rng.choices(
            ["refused", "withdrawn", "lapsed", "temporary_only"],
            weights=[22, 8, 6 if not count_rule else 2, 14],
            k=old,
        )
        others = self.households(old)
        for household, outcome in zip(others, outcomes, strict=True):
            received = self.start + dt.timedelta(days=rng.randint(0, old_days - 60))
            story = _Story(household=household, received=received, outcome=outcome)
            story.decided = received + dt.timedelta(days=rng.randint(18, 45))
            if outcome == "lapsed":
                # The offer it refused, 30 to 200 days after the approval, and the lapse two
                # weeks later, both before the living two years: there every offer is the
                # queue's (husly.demo.history.house_by_queue, ADR 0037). Where less time is
                # left, the same draw is scaled into what is left.
                room = (self.live_start - story.decided).days - 15
                low, high = min(30, room), min(200, room)
                days = low + (rng.randint(30, 200) - 30) * (high - low) // 170
                story.refused_offers = [story.decided + dt.timedelta(days=days)]
            if outcome == "temporary_only" or (outcome == "refused" and rng.random() < 0.3):
                nights = int(rng.choice([3, 7, 12, 20, 35, 60, 95, 150]) * rng.uniform(0.7, 1.3))
                end = rng.choices(
                    ["own_solution", "moved_away", "left", "other"], weights=[60, 15, 15, 10]
                )[0]
                story.stay = (received, received + dt.timedelta(days=max(1, nights)), end)
            self.stories.append(story)
        self.write()
        counts: dict[str, int] = {}
        for story in self.stories:
            counts[story.outcome] = counts.get(story.outcome, 0) + 1
        counts["ended_leases"] = len(self.ended_leases)
        counts["stays"] = sum(1 for s in self.stories if s.stay)
        return counts

    # --- writing ----------------------------------------------------------------------------

    def write(self) -> None:
        """Everything in a fixed number of bulk inserts, in the order of the foreign keys."""
        self._write_cases()
        self._write_decisions()
        self._write_waiting_list()
        self._write_leases()
        self._write_stays()

    def _write_cases(self) -> None:
        """Cases and applications."""
        rng, cast = self.rng, self.cast
        ids = {s.household.pk for s in self.stories}
        applicant: dict[int, int] = {}
        members = HouseholdMember.objects.filter(household__municipality=self.municipality)
        for household_id, person_id, relation in members.values_list(
            "household_id", "person_id", "relation"
        ):
            if household_id in ids:
                self.persons[household_id] = self.persons.get(household_id, 0) + 1
                if relation == Relation.APPLICANT:
                    applicant[household_id] = person_id
        cases = []
        for story in self.stories:
            self.sequence += 1
            closed = None
            status = CaseStatus.DECIDED
            reason = ""
            if story.outcome == "housed":
                status, reason, closed = CaseStatus.CLOSED, CloseReason.COMPLETED, story.housed
            elif story.outcome == "withdrawn":
                status, reason = CaseStatus.CLOSED, CloseReason.WITHDRAWN
                closed = story.received + dt.timedelta(days=rng.randint(10, 40))
            story.case = Case(
                municipality=self.municipality,
                household=story.household,
                number=f"{story.received.year}-H{self.sequence:05d}",
                status=status,
                channel=rng.choice(["meeting", "phone", "paper"]),
                received_on=story.received,
                assigned_to=cast.caseworker,
                created_by=cast.caseworker,
                created_at=_at(story.received),
                closed_at=_at(closed) if closed else None,
                closed_by=cast.caseworker if closed else None,
                close_reason=reason,
                withdrawn_by_id=applicant.get(story.household.pk)
                if story.outcome == "withdrawn"
                else None,
                withdrawn_how="phone" if story.outcome == "withdrawn" else "",
            )
            cases.append(story.case)
        Case.objects.bulk_create(cases, batch_size=2000)
        Application.objects.bulk_create(
            (self._application(s) for s in self.stories), batch_size=2000
        )
        CaseRouting.objects.bulk_create(
            (
                CaseRouting(
                    case=s.case,
                    help_kind=HelpKind.RENTAL_DWELLING,
                    unit=cast.office,
                    status=RoutingStatus.DONE
                    if s.outcome in {"housed", "withdrawn"}
                    else RoutingStatus.OPEN,
                    assigned_to=cast.caseworker,
                )
                for s in self.stories
            ),
            batch_size=2000,
        )

    def _write_decisions(self) -> None:
        """Decisions: approvals and refusals of a dwelling, lapses, and temporary accommodation."""
        rng, cast = self.rng, self.cast
        decisions = self.decisions
        temporary = self.temporary

        def decision(story: _Story, kind: str, on: dt.date, **extra: Any) -> Decision:
            made = Decision(
                case=story.case,
                help_kind=extra.pop("help_kind", HelpKind.RENTAL_DWELLING),
                kind=kind,
                status=DecisionStatus.ISSUED,
                facts="Husstanden er uten egnet bolig og har søkt om kommunal utleiebolig.",
                reasoning=extra.pop("reasoning", "Vurdert etter kommunens retningslinjer."),
                drafted_by=extra.pop("drafted_by", cast.caseworker),
                approved_by=extra.pop("approved_by", cast.approver),
                issued_on=on,
                notified_on=on,
                created_at=_at(on),
                **extra,
            )
            decisions.append(made)
            return made

        for story in self.stories:
            assert story.decided is not None  # noqa: S101 - every story has a decision day
            if story.outcome in {"housed", "lapsed"}:
                story.decision = decision(
                    story,
                    DecisionKind.APPROVAL,
                    story.decided,
                    expected_wait_months=rng.randint(2, 6),
                )
            elif story.outcome == "refused":
                decision(
                    story,
                    DecisionKind.REFUSAL,
                    story.decided,
                    reasoning="Husstanden kan skaffe seg bolig selv.",
                )
            if story.outcome == "lapsed":
                decision(
                    story,
                    DecisionKind.LAPSE,
                    story.refused_offers[0] + dt.timedelta(days=rng.randint(7, 20)),
                    reasoning="Husstanden takket nei til et rimelig tilbud om bolig.",
                )
            if story.stay:
                first, last, _end = story.stay
                temporary[id(story)] = decision(
                    story,
                    DecisionKind.APPROVAL,
                    first,
                    help_kind=HelpKind.TEMPORARY_ACCOMMODATION,
                    period_from=first,
                    period_to=max(last, first + dt.timedelta(days=7)),
                    drafted_by=cast.nav,
                    approved_by=cast.nav,
                )
        Decision.objects.bulk_create(decisions, batch_size=2000)

    def _write_waiting_list(self) -> None:
        """The waiting list and the offers."""
        rng, cast = self.rng, self.cast
        from husly.housing.models import Building

        district = dict(
            Building.objects.filter(municipality=self.municipality).values_list("pk", "district")
        )
        entries = []
        for story in self.stories:
            if story.outcome not in {"housed", "lapsed"}:
                continue
            housed = story.outcome == "housed"
            story.entry = WaitingListEntry(
                municipality=self.municipality,
                household=story.household,
                decision=story.decision,
                status=EntryStatus.HOUSED if housed else EntryStatus.LAPSED,
                placed_on=story.decided,
                persons=self.persons.get(story.household.pk, 1),
                categories=["ordinary"],
                preferred_district=district.get(story.dwelling.building_id, "")
                if housed and rng.random() < 0.4
                else "",
                refusals=len(story.refused_offers) if housed else 1,
                closed_on=story.housed
                if housed
                else story.refused_offers[0] + dt.timedelta(days=14),
            )
            entries.append(story.entry)
        WaitingListEntry.objects.bulk_create(entries, batch_size=2000)
        pool = list(
            Dwelling.objects.filter(building__municipality=self.municipality)
            .exclude(status=DwellingStatus.SOLD)
            .values_list("pk", flat=True)
        )
        offers = []
        accepted = self.accepted
        for story in self.stories:
            if story.entry is None:
                continue
            offers.extend(
                Offer(
                    entry=story.entry,
                    dwelling_id=rng.choice(pool),
                    status=OfferStatus.REFUSED,
                    made_on=made,
                    answer_due=made + dt.timedelta(days=7),
                    answered_at=_at(made + dt.timedelta(days=rng.randint(1, 6))),
                    answered_via=AnsweredVia.CASEWORKER,
                    refusal_reason=rng.choice(REFUSAL_REASONS),
                    made_by=cast.member,
                )
                for made in story.refused_offers
            )
            if story.outcome == "housed":
                assert story.housed is not None  # noqa: S101
                made = max(story.decided or story.housed, story.housed - dt.timedelta(days=30))
                offer = Offer(
                    entry=story.entry,
                    dwelling=story.dwelling,
                    status=OfferStatus.LEASED,
                    made_on=made,
                    answer_due=made + dt.timedelta(days=7),
                    answered_at=_at(made + dt.timedelta(days=rng.randint(1, 6))),
                    answered_via=rng.choice(list(AnsweredVia.values)),
                    made_by=cast.member,
                )
                offers.append(offer)
                accepted[id(story)] = offer
        Offer.objects.bulk_create(offers, batch_size=2000)

    def _write_leases(self) -> None:
        """Leases: the ended ones, and today's linked to their offer and decision."""
        rng, cast = self.rng, self.cast
        by_household = {id(s.household): s for s in self.stories if s.outcome == "housed"}
        ended = []
        for dwelling, household, started, ended_on, reason in self.ended_leases:
            story = by_household.get(id(household))
            years = 3 if (ended_on - started).days < 3 * 365 else 0
            end = standard_end_date(started, 3) if years else None
            rent = dwelling.monthly_rent or 8000
            ended.append(
                Lease(
                    municipality=self.municipality,
                    dwelling=dwelling,
                    household=household,
                    decision=story.decision if story else None,
                    offer=self.accepted.get(id(story)) if story else None,
                    status=LeaseStatus.ENDED,
                    term_kind=TermKind.STANDARD if years else TermKind.INDEFINITE,
                    term_basis="" if years else "Varig behov er vurdert.",
                    start_date=started,
                    end_date=end,
                    monthly_rent=rent,
                    deposit_kind=rng.choice([DepositKind.DEPOSIT, DepositKind.NAV_GUARANTEE]),
                    deposit_amount=rent * 3,
                    created_by=cast.landlord,
                    created_at=_at(started - dt.timedelta(days=14)),
                    tenant_signed_on=started - dt.timedelta(days=10),
                    tenant_signed_how=SignedHow.PAPER,
                    landlord_signed_on=started - dt.timedelta(days=10),
                    landlord_signed_how=SignedHow.PAPER,
                    ended_on=ended_on,
                    end_reason=reason,
                )
            )
        Lease.objects.bulk_create(ended, batch_size=2000)
        DwellingStatusChange.objects.bulk_create(
            DwellingStatusChange(
                dwelling=dwelling,
                status=DwellingStatus.SOLD,
                valid_from=ended_on,
                reason="Solgt til leietakeren.",
            )
            for dwelling, _h, _s, ended_on, _r in self.ended_leases
            if _r == "purchased"
        )
        today = []
        for story in self.stories:
            if story.lease is not None:
                story.lease.decision = story.decision
                story.lease.offer = self.accepted.get(id(story))
                today.append(story.lease)
        Lease.objects.bulk_update(today, ["decision", "offer"], batch_size=2000)

    def _write_stays(self) -> None:
        """Stays in temporary accommodation, one place each."""
        rng, cast = self.rng, self.cast
        places = list(Place.objects.filter(provider__municipality=self.municipality))
        with_stays = [s for s in self.stories if s.stay]
        if not places:
            return
        stays = []
        for story in with_stays:
            assert story.stay is not None  # noqa: S101
            first, last, end_reason = story.stay
            stays.append(
                Stay(
                    municipality=self.municipality,
                    household=story.household,
                    case=story.case,
                    decision=self.temporary[id(story)],
                    lasting_path="municipal_dwelling",
                    responsible_unit=cast.office,
                    persons=self.persons.get(story.household.pk, 1),
                    starts_on=first,
                    planned_end=max(last, first + dt.timedelta(days=7)),
                    ended_on=last,
                    end_reason=end_reason,
                    created_by=cast.nav,
                    created_at=_at(first),
                )
            )
        Stay.objects.bulk_create(stays, batch_size=2000)
        segments = []
        for stay in stays:
            place = rng.choice(places)
            price = place.price * (stay.persons if place.price_per == PricePer.PERSON else 1)
            segments.append(
                Segment(
                    stay=stay,
                    place=place,
                    starts_on=stay.starts_on,
                    ends_on=stay.ended_on,
                    price_per_night=price,
                )
            )
        Segment.objects.bulk_create(segments, batch_size=2000)

    def _application(self, story: _Story) -> Any:
        from husly.cases.models import Application

        rng = self.rng
        disability = rng.choices([True, False, None], weights=[14, 46, 40])[0]
        wheelchair = bool(story.dwelling is not None and story.dwelling.wheelchair_accessible)
        return Application(
            case=story.case,
            housing_kind=rng.choice(
                ["no_home", "temporary_accommodation", "rented_private", "with_family_or_friends"]
            ),
            is_without_suitable_housing=True,
            has_alternative_housing_options=False,
            gross_annual_income=rng.randint(150, 420) * 1000,
            has_reduced_functional_ability=disability,
            needs_wheelchair_access=wheelchair and rng.random() < 0.5,
            needs_follow_up=rng.random() < 0.3,
        )


def seed_past(
    municipality: Municipality,
    username: Callable[[str], str],
    *,
    scale: str,
    seed: int,
    as_of: dt.date,
    cases: int,
    years: int | None = None,
) -> dict[str, int]:
    """Add about ``HISTORY_YEARS[scale]`` years of history (see the module text); returns how
    many stories of each kind were written."""
    cast = _Cast(
        caseworker=User.objects.get(username=username("saksbehandler")),
        approver=User.objects.get(username=username("godkjenner")),
        nav=User.objects.get(username=username("nav")),
        member=User.objects.get(username=username("tildeling")),
        landlord=User.objects.get(username=username("eiendom")),
        office=Unit.objects.get(municipality=municipality, kind=UnitKind.HOUSING_OFFICE),
        nav_unit=Unit.objects.get(municipality=municipality, kind=UnitKind.NAV),
    )
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    return _Past(municipality, cast, rng, as_of, years or HISTORY_YEARS.get(scale, 5)).seed(cases)
