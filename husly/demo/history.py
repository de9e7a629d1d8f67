"""Two years of case history and the tenancies of the let dwellings, so that every page of the
demo has something true to show: applications received over the last two years in every state
(drafts, new, being processed, approved and waiting for different lengths of time, refused,
appealed at every step, withdrawn), and a lease for every let dwelling.

Everything goes through the real actions; afterwards the dates are moved back to when the
history says it happened (received, decided, placed on the list, appealed), in one update per
record. The audit log keeps the real time the demo was built: it is a log, not a story.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from husly.organisation.models import Municipality, Unit, UnitKind, User
from husly.people.models import Household, Relation

HISTORY_DAYS = 730

APPEAL_GROUNDS = [
    "Jeg mener kommunen ikke har lagt nok vekt på helsen min.",
    "Vi bor fortsatt hos familie og har ikke noe annet sted å bo.",
    "Kommunen har regnet inntekten vår feil. Lønnsslippene er vedlagt.",
    "Barna må bytte skole hvis vi ikke får bolig i nærheten.",
]

UNIT_CONTACTS = {
    UnitKind.HOUSING_OFFICE: ("64 83 50 00", "tjenestekontoret"),
    UnitKind.NAV: ("55 55 33 33", "nav"),
    UnitKind.HEALTH_CARE: ("64 83 51 00", "hjemmetjenesten"),
    UnitKind.PROPERTY: ("64 83 52 00", "eiendom"),
    UnitKind.REFUGEE_SERVICE: ("64 83 53 00", "flyktning"),
    UnitKind.FOLLOW_UP: ("64 83 54 00", "booppfolging"),
}


@dataclass(frozen=True)
class Cast:
    caseworker: User
    approver: User
    nav: User
    follow_up_unit: Unit


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def unit_contacts(municipality: Municipality) -> None:
    """Phone and e-mail for every unit, as Min side shows them to the household."""
    domain = f"{municipality.name.lower().replace('æ', 'ae').replace('ø', 'o')}.kommune.example"
    for unit in Unit.objects.filter(municipality=municipality):
        phone, box = UNIT_CONTACTS.get(UnitKind(unit.kind), ("", ""))
        if phone and not unit.phone:
            Unit.objects.filter(pk=unit.pk).update(phone=phone, email=f"{box}@{domain}")


def _application(rng: random.Random, as_of: dt.date) -> dict[str, Any]:
    situation = rng.choice(
        ["no_home", "temporary_accommodation", "rented_private", "with_family_or_friends"]
    )
    return {
        "housing_kind": situation,
        "is_without_suitable_housing": situation != "rented_private",
        "lease_end_date": as_of + dt.timedelta(days=rng.randint(30, 170))
        if situation == "rented_private"
        else None,
        "has_right_to_renew_lease": False if situation == "rented_private" else None,
        "has_alternative_housing_options": False,
        "has_offer_of_brokered_private_dwelling": False,
        "gross_annual_income": rng.randint(150, 420) * 1000,
        "wealth": rng.randint(0, 40) * 1000,
        "debt": rng.randint(0, 300) * 1000,
        "municipal_arrears": 0,
        "lived_in_municipality_since": as_of - dt.timedelta(days=rng.randint(400, 6000)),
        "needs_follow_up": rng.random() < 0.3,
    }


def seed_case_history(
    municipality: Municipality,
    households: list[Household],
    cast: Cast,
    *,
    seed: int,
    as_of: dt.date,
) -> dict[str, int]:
    """Applications from ``households``, received evenly over the last two years, each brought
    as far as its age allows; returns how many ended in each state."""
    from husly.cases import actions
    from husly.cases.models import HelpKind

    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    counts: dict[str, int] = {}
    total = len(households)
    for index, household in enumerate(households):
        age = int(HISTORY_DAYS * (total - index - rng.random()) / total)
        received = as_of - dt.timedelta(days=max(age, 0))
        kinds = [HelpKind.RENTAL_DWELLING]
        if rng.random() < 0.3:
            kinds.append(HelpKind.DEPOSIT_GUARANTEE)
        if rng.random() < 0.2:
            kinds.append(HelpKind.HOUSING_FOLLOW_UP)
        draft = age < 10 and rng.random() < 0.3
        case = actions.case_create(
            actor=cast.caseworker,
            household=household,
            channel=rng.choice(["meeting", "phone", "paper"]),
            help_kinds=kinds,
            submit=not draft,
            data=_application(rng, received),
        )
        state = "draft" if draft else _advance(case, cast, rng, age, received)
        _backdate_case(case, received, state)
        counts[state] = counts.get(state, 0) + 1
    return counts


def _advance(case: Any, cast: Cast, rng: random.Random, age: int, received: dt.date) -> str:
    """Take the case as far as a case of this age has come; returns its state."""
    from husly.cases import actions

    if age < 20 or (age < 45 and rng.random() < 0.3):
        return "new"  # some a month old and still untaken: the § 11a deadline is near or past
    actions.case_assign(actor=cast.caseworker, case=case, caseworker=cast.caseworker)
    unassessable = actions.guideline_problem(case)  # e.g. Oslo scale: no guideline adopted
    if age < 50 or unassessable:  # being processed for less than seven weeks
        if not unassessable:
            actions.assessment_run(actor=cast.caseworker, case=case)
        return "in_progress"
    assessment = actions.assessment_run(actor=cast.caseworker, case=case)
    if rng.random() < 0.08:
        return _withdraw(case, cast, rng, received)
    refuse = rng.random() < 0.22
    judgements = {
        c["criterion_id"]: (
            "not_met" if refuse and i == 0 else "met",
            "Vurdert i kartleggingssamtalen."
            if not refuse or i
            else "Husstanden kan skaffe "
            "seg bolig selv: den har inntekt til å leie privat og har ikke behov for oppfølging.",
        )
        for i, c in enumerate(
            c
            for c in _flat(assessment.record["criteria"])
            if c.get("judgeable") and c["outcome"] == "needs_judgement"
        )
    }
    assessment = actions.assessment_run(actor=cast.caseworker, case=case, judgements=judgements)
    if assessment.outcome == "needs_judgement":
        return "in_progress"  # waiting for documentation of a fact
    approved = assessment.outcome.startswith("meets")
    decided = received + dt.timedelta(days=rng.randint(18, 45))
    decision = _decide(case, cast, rng, assessment, approved=approved)
    _backdate_decision(decision, decided)
    appealed = not approved and rng.random() < 0.55 and age > 80
    if appealed:
        return _appeal(decision, cast, rng, decided)
    return "approved" if approved else "refused"


def _withdraw(case: Any, cast: Cast, rng: random.Random, received: dt.date) -> str:
    from husly.cases import actions

    withdrawer = case.household.members.get(relation=Relation.APPLICANT).person
    actions.case_close(
        actor=cast.caseworker,
        case=case,
        reason="withdrawn",
        note="Husstanden har funnet bolig selv.",
        withdrawn_by=withdrawer,
        withdrawn_how="phone",
    )
    _backdate_closing(case, received + dt.timedelta(days=rng.randint(10, 40)))
    return "withdrawn"


def _decide(case: Any, cast: Cast, rng: random.Random, assessment: Any, *, approved: bool) -> Any:
    from husly.cases import actions
    from husly.cases.models import HelpKind

    data: dict[str, Any] = {
        "help_kind": HelpKind.RENTAL_DWELLING,
        "kind": "approval" if approved else "refusal",
        "facts": "Husstanden er uten egnet bolig og har søkt om kommunal utleiebolig.",
        "reasoning": assessment.record["summary"]["nb"],
    }
    if approved:
        data["expected_wait_months"] = rng.randint(2, 6)
        data["follow_up_unit"] = cast.follow_up_unit
    decision = actions.decision_draft(actor=cast.caseworker, case=case, data=data)
    actions.decision_submit(actor=cast.caseworker, decision=decision)
    actions.decision_approve(actor=cast.approver, decision=decision)
    return actions.decision_issue(actor=cast.caseworker, decision=decision)


def _appeal(decision: Any, cast: Cast, rng: random.Random, decided: dt.date) -> str:
    """The household appeals the refusal within three weeks; the appeal has come as far as
    its age allows: registered, upheld and sent to the appeal board, or decided there."""
    from husly.cases import actions

    decision.refresh_from_db()
    adult = decision.case.household.members.get(relation=Relation.APPLICANT).person
    received = decided + dt.timedelta(days=rng.randint(4, 18))
    appeal = actions.appeal_register(
        actor=cast.caseworker,
        decision=decision,
        received_on=received,
        grounds=f"Klage fra {adult.full_name}: {rng.choice(APPEAL_GROUNDS)}",
    )
    step = rng.random()
    if step < 0.35:
        return "appealed"
    actions.appeal_reconsider(
        actor=cast.caseworker,
        appeal=appeal,
        change=False,
        reasoning="Klagen gir ikke nye opplysninger som endrer vurderingen.",
    )
    actions.appeal_forward(actor=cast.caseworker, appeal=appeal)
    if step < 0.7:
        return "appeal_forwarded"
    appeal.refresh_from_db()
    actions.appeal_body_outcome_record(
        actor=cast.caseworker,
        appeal=appeal,
        outcome="upheld",
        decided_on=max(timezone.localdate(), appeal.forwarded_on or timezone.localdate()),
    )
    return "appeal_decided"


def _backdate_case(case: Any, received: dt.date, state: str) -> None:
    from husly.cases.models import Case

    if state == "draft":
        Case.objects.filter(pk=case.pk).update(created_at=_at(received))
    else:
        Case.objects.filter(pk=case.pk).update(received_on=received, created_at=_at(received))


def _backdate_closing(case: Any, closed: dt.date) -> None:
    from husly.cases.models import Case

    Case.objects.filter(pk=case.pk).update(closed_at=_at(closed))


def _backdate_decision(decision: Any, decided: dt.date) -> None:
    from husly.allocation.models import WaitingListEntry
    from husly.cases.models import Decision

    Decision.objects.filter(pk=decision.pk).update(
        issued_on=decided, notified_on=decided, created_at=_at(decided)
    )
    WaitingListEntry.objects.filter(decision=decision).update(placed_on=decided)


HOUSED_AFTER_DAYS = 210
"""Approvals older than about seven months have mostly been housed by now."""


def house_earlier_approvals(
    municipality: Municipality,
    actor: User,
    member: User,
    caseworker: User,
    *,
    seed: int,
    as_of: dt.date,
) -> int:
    """Most households approved more than seven months ago have moved into a let dwelling
    (after two to seven months of waiting, so the waiting times differ): their lease, and their
    waiting-list entry closed as housed on the day the lease started."""
    from husly.allocation.actions import waiting_list_close
    from husly.allocation.models import EntryStatus, WaitingListEntry
    from husly.cases.actions import case_close
    from husly.cases.models import Case
    from husly.housing.models import Dwelling, DwellingStatus

    rng = random.Random(seed + 1)  # noqa: S311 - demo data, not security
    answers = random.Random(seed + 2)  # noqa: S311 - its own stream: the rest stays as it was
    free = list(
        Dwelling.objects.filter(
            building__municipality=municipality, status=DwellingStatus.OCCUPIED, leases__isnull=True
        ).order_by("pk")
    )
    rng.shuffle(free)
    old = WaitingListEntry.objects.filter(
        municipality=municipality,
        status=EntryStatus.WAITING,
        placed_on__lt=as_of - dt.timedelta(days=HOUSED_AFTER_DAYS),
    ).select_related("household", "decision")
    housed = 0
    for entry in old:
        if rng.random() > 0.8 or not free:
            continue
        dwelling = free.pop()
        start = entry.placed_on + dt.timedelta(days=rng.randint(60, 200))
        lease = _lease(
            municipality,
            dwelling,
            entry.household,
            actor=actor,
            rng=rng,
            start=start,
            decision=entry.decision,
        )
        _accepted_offer(entry, lease, member, answers)
        waiting_list_close(actor=member, entry=entry, status=EntryStatus.HOUSED)
        WaitingListEntry.objects.filter(pk=entry.pk).update(closed_on=start)
        # The household has its home: the caseworker closes the case as completed, so its
        # six-month promise no longer stands on the work list.
        case_close(actor=caseworker, case=entry.decision.case, reason="completed")
        Case.objects.filter(pk=entry.decision.case_id).update(closed_at=_at(start))
        housed += 1
    return housed


def _accepted_offer(entry: Any, lease: Any, member: User, rng: random.Random) -> None:
    """The offer the household accepted, which the lease was written from."""
    from husly.allocation.models import AnsweredVia, Offer, OfferStatus

    made = max(entry.placed_on, lease.start_date - dt.timedelta(days=rng.randint(20, 40)))
    offer = Offer.objects.create(
        entry=entry,
        dwelling=lease.dwelling,
        status=OfferStatus.LEASED,
        made_on=made,
        answer_due=made + dt.timedelta(days=7),
        answered_at=_at(made + dt.timedelta(days=rng.randint(1, 6))),
        answered_via=AnsweredVia.CASEWORKER,
        made_by=member,
    )
    type(lease).objects.filter(pk=lease.pk).update(offer=offer)


def _lease(
    municipality: Municipality,
    dwelling: Any,
    household: Household,
    *,
    actor: User,
    rng: random.Random,
    start: dt.date,
    decision: Any = None,
    years: int = 3,
) -> Any:
    from husly.tenancy.actions import standard_end_date
    from husly.tenancy.models import DepositKind, Lease, LeaseStatus, SignedHow, TermKind

    if years == 0:
        term, end = TermKind.INDEFINITE, None
    else:
        term = TermKind.STANDARD if years == 3 else TermKind.LONGER
        end = standard_end_date(start, years)
    rent = dwelling.monthly_rent or 8000
    signed = start - dt.timedelta(days=rng.randint(7, 21))
    return Lease.objects.create(
        municipality=municipality,
        dwelling=dwelling,
        household=household,
        decision=decision,
        status=LeaseStatus.ACTIVE,
        term_kind=term,
        term_basis="" if term == TermKind.STANDARD else "Varig behov er vurdert.",
        start_date=start,
        end_date=end,
        monthly_rent=rent,
        deposit_kind=rng.choice([DepositKind.DEPOSIT, DepositKind.NAV_GUARANTEE]),
        deposit_amount=rent * 3,
        created_by=actor,
        sent_on=signed - dt.timedelta(days=rng.randint(3, 10)),
        tenant_signed_on=signed,
        tenant_signed_how=SignedHow.PAPER,
        landlord_signed_on=signed,
        landlord_signed_how=SignedHow.PAPER,
    )


def seed_tenancies(
    municipality: Municipality,
    households: list[Household],
    actor: User,
    *,
    seed: int,
    as_of: dt.date,
    older_than: int = 30,
) -> int:
    """A lease for every let dwelling that has none, for households already living there
    (tenancies from before Husly): started one to nine years ago (and at least ``older_than``
    days ago: where the queue made the last two years, every lease begun in them is the
    queue's), most on the three-year main rule, some ending within the next months so that
    renewals are due."""
    from husly.housing.models import Dwelling, DwellingStatus

    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    let = list(
        Dwelling.objects.filter(
            building__municipality=municipality, status=DwellingStatus.OCCUPIED, leases__isnull=True
        ).order_by("pk")
    )
    count = 0
    for dwelling, household in zip(let, households, strict=False):
        years = rng.choice([3, 3, 3, 5, 0])
        start = as_of - dt.timedelta(
            days=rng.randint(max(365, older_than), 9 * 365)
            if years == 0
            else rng.randint(older_than, 3 * 365 - 10)
        )
        _lease(municipality, dwelling, household, actor=actor, rng=rng, start=start, years=years)
        count += 1
    return count


def _flat(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    flat: list[dict[str, Any]] = []
    for item in items:
        flat.append(item)
        flat.extend(_flat(item.get("children") or []))
    return flat


# --- Oslo volumes: years of earlier cases, written in bulk ------------------------------------
# (Kept apart from the history above, which goes through the actions case by case.) At Oslo's
# volume (about 5,000 applications a year) the actions would take hours: every issued decision
# renders its letter with WeasyPrint (about a second on this machine). These earlier cases are
# the municipality's history from before Husly, migrated: the rows are those the actions write
# (case, application, routing, decision, waiting-list entry, lease, the closing), with the same
# values the actions compute, but the letters stay in the earlier archive (``letter`` is empty)
# and the audit log has one event for the whole import (as for the builder's other bulk rows).

VOLUME_RECENT_DAYS = 60
"""Applications younger than this come through the actions (``seed_case_history``)."""

VOLUME_WAITING_DAYS = 180
"""Approvals younger than this are still waiting; older ones are mostly housed."""


@dataclass(frozen=True)
class VolumeCounts:
    cases: int
    waiting: int
    housed: int
    refused: int
    withdrawn: int


def seed_volume_history(  # noqa: PLR0915 - one bulk import, read top to bottom
    municipality: Municipality,
    households: list[Household],
    cast: Cast,
    *,
    seed: int,
    as_of: dt.date,
    years: int,
    still_waiting_after: float = 0.03,
) -> VolumeCounts:
    """One application from each of ``households``, received evenly over ``years`` years up to
    ``VOLUME_RECENT_DAYS`` ago, decided and (when approved long enough ago) housed, written
    with bulk inserts. Returns how many ended how."""
    from husly.allocation.actions import CATEGORIES_BY_HELP, _urgency
    from husly.allocation.models import EntryStatus, WaitingListEntry
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
        RoutingRule,
        RoutingStatus,
    )
    from husly.housing.models import Dwelling, DwellingStatus

    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    units = dict(
        RoutingRule.objects.filter(municipality=municipality).values_list("help_kind", "unit_id")
    )
    span = years * 365 - VOLUME_RECENT_DAYS
    total = len(households)
    members = {
        h.pk: list(h.members.all())
        for h in Household.objects.filter(pk__in=[h.pk for h in households]).prefetch_related(
            "members__person"
        )
    }
    cases: list[Case] = []
    plans: list[dict[str, Any]] = []
    for index, household in enumerate(households):
        age = VOLUME_RECENT_DAYS + int(span * (total - index - rng.random()) / total)
        received = as_of - dt.timedelta(days=age)
        kinds = [HelpKind.RENTAL_DWELLING]
        if rng.random() < 0.3:
            kinds.append(HelpKind.DEPOSIT_GUARANTEE)
        pick = rng.random()
        outcome = "withdrawn" if pick < 0.08 else ("refused" if pick < 0.30 else "approved")
        decided = received + dt.timedelta(days=rng.randint(18, 45))
        plans.append(
            {
                "household": household,
                "received": received,
                "decided": min(decided, as_of),
                "kinds": kinds,
                "outcome": outcome,
                "data": _application(rng, received),
                "age": age,
            }
        )
        cases.append(
            Case(
                municipality=municipality,
                household=household,
                number=f"m-{index}-{seed}",
                status=CaseStatus.DECIDED,
                channel=rng.choice(["meeting", "phone", "paper"]),
                received_on=received,
                assigned_to=cast.caseworker,
                created_by=cast.caseworker,
                created_at=_at(received),
            )
        )
    Case.objects.bulk_create(cases, batch_size=2000)
    for case, plan in zip(cases, plans, strict=True):
        case.number = f"{plan['received'].year}-{case.pk:06d}"
    Case.objects.bulk_update(cases, ["number"], batch_size=2000)
    Application.objects.bulk_create(
        (Application(case=c, **p["data"]) for c, p in zip(cases, plans, strict=True)),
        batch_size=2000,
    )
    CaseRouting.objects.bulk_create(
        (
            CaseRouting(
                case=c,
                help_kind=kind,
                unit_id=units[kind],
                status=RoutingStatus.DONE
                if kind == HelpKind.RENTAL_DWELLING and p["outcome"] != "withdrawn"
                else RoutingStatus.OPEN,
                assigned_to=cast.caseworker if kind == HelpKind.RENTAL_DWELLING else None,
            )
            for c, p in zip(cases, plans, strict=True)
            for kind in p["kinds"]
        ),
        batch_size=2000,
    )
    decisions: list[Decision] = []
    decided_cases: list[tuple[Case, dict[str, Any]]] = []
    for case, plan in zip(cases, plans, strict=True):
        if plan["outcome"] == "withdrawn":
            continue
        approved = plan["outcome"] == "approved"
        applicant = next(
            (m for m in members[case.household_id] if m.relation == Relation.APPLICANT), None
        )
        decisions.append(
            Decision(
                case=case,
                help_kind=HelpKind.RENTAL_DWELLING,
                kind=DecisionKind.APPROVAL if approved else DecisionKind.REFUSAL,
                status=DecisionStatus.ISSUED,
                facts="Husstanden er uten egnet bolig og har søkt om kommunal utleiebolig.",
                reasoning="Vurdert etter kommunens retningslinjer for tildeling."
                if approved
                else "Husstanden kan skaffe seg bolig selv: den har inntekt til å leie privat.",
                expected_wait_months=rng.randint(2, 6) if approved else None,
                follow_up_unit=cast.follow_up_unit if approved else None,
                language=applicant.person.language_form if applicant else "nb",
                drafted_by=cast.caseworker,
                approved_by=cast.approver,
                issued_on=plan["decided"],
                notified_on=plan["decided"],
                created_at=_at(plan["decided"]),
            )
        )
        decided_cases.append((case, plan))
    Decision.objects.bulk_create(decisions, batch_size=2000)

    # The approvals: placed on the waiting list on the day of the decision; most of those
    # approved more than six months ago have been housed (a lease on a let dwelling).
    free = list(
        Dwelling.objects.filter(
            building__municipality=municipality,
            status=DwellingStatus.OCCUPIED,
            leases__isnull=True,
            category__in=CATEGORIES_BY_HELP[HelpKind.RENTAL_DWELLING],
        ).order_by("pk")
    )
    rng.shuffle(free)
    entries: list[WaitingListEntry] = []
    housed: list[tuple[Case, WaitingListEntry, Any, dt.date]] = []
    refused = 0
    for decision, (case, plan) in zip(decisions, decided_cases, strict=True):
        if decision.kind != DecisionKind.APPROVAL:
            refused += 1
            continue
        application = Application(**plan["data"])
        household_members = members[case.household_id]
        entry = WaitingListEntry(
            municipality=municipality,
            household=case.household,
            decision=decision,
            placed_on=plan["decided"],
            persons=max(len(household_members), 1),
            categories=list(CATEGORIES_BY_HELP[HelpKind.RENTAL_DWELLING]),
            preferred_district="",
            needs_wheelchair=bool(application.needs_wheelchair_access),
            max_floor=1 if application.needs_lift else application.max_floor,
            medical=1
            if application.has_health_problems or application.has_reduced_functional_ability
            else 0,
            social=1 if application.has_social_problems else 0,
            children=1 if any(m.relation == Relation.CHILD for m in household_members) else 0,
            urgency=_urgency(application),
        )
        waited = (as_of - plan["decided"]).days
        if waited > VOLUME_WAITING_DAYS and free and rng.random() > still_waiting_after:
            start = plan["decided"] + dt.timedelta(days=rng.randint(60, VOLUME_WAITING_DAYS))
            entry.status = EntryStatus.HOUSED
            entry.closed_on = start
            housed.append((case, entry, free.pop(), start))
        entries.append(entry)
    WaitingListEntry.objects.bulk_create(entries, batch_size=2000)
    _bulk_leases(municipality, housed, cast, rng)

    # Closing: the housed cases as completed on the day the lease started, the withdrawn ones
    # as withdrawn by the applicant (as ``case_close`` writes them).
    closing: list[Case] = []
    for case, _entry, _dwelling, start in housed:
        case.status, case.close_reason = CaseStatus.CLOSED, CloseReason.COMPLETED
        case.closed_at, case.closed_by = _at(start), cast.caseworker
        closing.append(case)
    withdrawn = 0
    for case, plan in zip(cases, plans, strict=True):
        if plan["outcome"] != "withdrawn":
            continue
        applicant = next(
            (m for m in members[case.household_id] if m.relation == Relation.APPLICANT), None
        )
        case.status, case.close_reason = CaseStatus.CLOSED, CloseReason.WITHDRAWN
        case.close_note = "Husstanden har funnet bolig selv."
        case.withdrawn_by_id = applicant.person_id if applicant else None
        case.withdrawn_how = "phone"
        case.closed_at = _at(plan["received"] + dt.timedelta(days=rng.randint(10, 40)))
        case.closed_by = cast.caseworker
        closing.append(case)
        withdrawn += 1
    Case.objects.bulk_update(
        closing,
        [
            "status",
            "close_reason",
            "close_note",
            "withdrawn_by",
            "withdrawn_how",
            "closed_at",
            "closed_by",
        ],
        batch_size=2000,
    )
    CaseRouting.objects.filter(case__in=[c.pk for c in closing], status=RoutingStatus.OPEN).update(
        status=RoutingStatus.DONE
    )
    return VolumeCounts(
        cases=len(cases),
        waiting=len(entries) - len(housed),
        housed=len(housed),
        refused=refused,
        withdrawn=withdrawn,
    )


def _bulk_leases(
    municipality: Municipality,
    housed: list[tuple[Any, Any, Any, dt.date]],
    cast: Cast,
    rng: random.Random,
) -> None:
    """The leases of the housed households, with the values ``_lease`` writes."""
    from husly.tenancy.actions import standard_end_date
    from husly.tenancy.models import DepositKind, Lease, LeaseStatus, SignedHow, TermKind

    leases = []
    for case, entry, dwelling, start in housed:
        rent = dwelling.monthly_rent or 8000
        signed = start - dt.timedelta(days=rng.randint(7, 21))
        leases.append(
            Lease(
                municipality=municipality,
                dwelling=dwelling,
                household_id=case.household_id,
                decision=entry.decision,
                status=LeaseStatus.ACTIVE,
                term_kind=TermKind.STANDARD,
                term_basis="",
                start_date=start,
                end_date=standard_end_date(start, 3),
                monthly_rent=rent,
                deposit_kind=rng.choice([DepositKind.DEPOSIT, DepositKind.NAV_GUARANTEE]),
                deposit_amount=rent * 3,
                created_by=cast.caseworker,
                sent_on=signed - dt.timedelta(days=rng.randint(3, 10)),
                tenant_signed_on=signed,
                tenant_signed_how=SignedHow.PAPER,
                landlord_signed_on=signed,
                landlord_signed_how=SignedHow.PAPER,
            )
        )
    Lease.objects.bulk_create(leases, batch_size=2000)


# --- the living two years as a queue ----------------------------------------------------------
# (Replaces, at the small scale, ``house_earlier_approvals``' drawn waits: a back-test of the
# simulation needs records a queue made, ADR 0033.) Tenancies end as a monthly hazard says; a
# dwelling is ready again some days later and offered, there and then, to the household on the
# list with the highest priority points (``husly.matching.score_priority``, the standard
# weights) whose size and wheelchair need it fits (``husly.matching``'s occupancy norm); a
# share of offers is refused, and the approval lapses (Rælingen 7.3 b). Nobody is housed
# any other way.

QUEUE_MOVE_OUT_PER_MONTH = 0.010
"""Monthly hazard of a tenancy ending (about one in eight a year, a mean stay of eight years;
with about three approvals a month the list holds some 15 households, as Rælingen's 16)."""
QUEUE_EVICTION_SHARE = 0.07
QUEUE_REFUSAL_SHARE = 0.1
QUEUE_READY_DAYS = (7, 35)
"""Days from a move-out to the dwelling being ready and offered."""
QUEUE_LEASE_DAYS = (20, 40)
"""Days from the offer to the lease's start."""


@dataclass
class _Waiting:
    entry: Any
    placed: dt.date
    htype: int
    profile: tuple[float, float, float, int]


def house_by_queue(  # noqa: PLR0915 - one event loop, read top to bottom
    municipality: Municipality,
    actor: User,
    member: User,
    caseworker: User,
    tenants: list[Household],
    *,
    seed: int,
    as_of: dt.date,
) -> tuple[int, list[Household]]:
    """The let dwellings' tenancies and the waiting list over the last two years, as a queue
    (see above). Each dwelling that turns over gets the lease that ended (a household from
    ``tenants``, its tenancy begun before the two years) and the lease of the household the
    queue gave it. Returns how many were housed and the tenants not used."""
    import heapq

    import numpy as np

    from husly.allocation.actions import waiting_list_close
    from husly.allocation.models import (
        AnsweredVia,
        EntryStatus,
        Offer,
        OfferStatus,
        WaitingListEntry,
    )
    from husly.cases.actions import case_close
    from husly.cases.models import Case
    from husly.housing.models import Dwelling, DwellingStatus
    from husly.matching.policy import MatchingPolicy
    from husly.matching.priority import PriorityPolicy
    from husly.simulation import common
    from husly.tenancy.actions import standard_end_date
    from husly.tenancy.models import EndReason, Lease, LeaseStatus, SignedHow, TermKind

    rng = random.Random(seed + 1)  # noqa: S311 - demo data, not security
    answers = random.Random(seed + 2)  # noqa: S311 - its own stream for the refusals
    start = as_of - dt.timedelta(days=HISTORY_DAYS)
    per_day = QUEUE_MOVE_OUT_PER_MONTH / 30.4375
    policy = PriorityPolicy(version="standard-1")
    matching = MatchingPolicy(version="simulation")
    fit = common.fit_matrix(matching)
    sizes = common.n_sizes(matching)
    tenants = list(tenants)
    dwellings = list(
        Dwelling.objects.filter(
            building__municipality=municipality, status=DwellingStatus.OCCUPIED, leases__isnull=True
        ).order_by("pk")
    )
    dclass = {
        d.pk: int(
            common.dwelling_class(np.array([d.rooms]), np.array([d.wheelchair_accessible]))[0]
        )
        for d in dwellings
    }
    events: list[tuple[dt.date, int, int, Any]] = []
    sequence = 0

    def push(day: dt.date, kind: int, item: Any) -> None:
        nonlocal sequence
        sequence += 1
        heapq.heappush(events, (day, kind, sequence, item))

    def move_out(dwelling: Any, since: dt.date, lease: Any) -> None:
        days = rng.expovariate(per_day)
        when = since + dt.timedelta(days=round(days))
        if when < as_of:
            push(when, 0, (dwelling, lease))

    for dwelling in dwellings:
        move_out(dwelling, start, None)
    for entry in WaitingListEntry.objects.filter(
        municipality=municipality, status=EntryStatus.WAITING
    ).select_related("household", "decision__case"):
        htype = int(
            common.household_type(
                np.array([max(1, entry.persons)]), np.array([entry.needs_wheelchair]), sizes
            )[0]
        )
        waiting = _Waiting(
            entry,
            entry.placed_on,
            htype,
            (float(entry.medical), float(entry.social), float(entry.children), entry.urgency),
        )
        push(entry.placed_on, 1, waiting)

    queue: list[_Waiting] = []
    ready: list[Any] = []  # dwellings ready and not yet let, in the order they became ready
    housed = 0

    def end_before(dwelling: Any, when: dt.date, lease: Any) -> bool:
        """The tenancy that ends: the queue's own lease, or one begun before the two years."""
        reason = EndReason.EVICTION if rng.random() < QUEUE_EVICTION_SHARE else EndReason.MOVED_OUT
        if lease is not None:
            Lease.objects.filter(pk=lease.pk).update(
                status=LeaseStatus.ENDED, ended_on=when, end_reason=reason
            )
            return True
        if not tenants:
            return False
        household = tenants.pop(0)
        began = min(when - dt.timedelta(days=365), start - dt.timedelta(days=30))
        began -= dt.timedelta(days=rng.randint(0, 2500))
        three = (when - began).days < 3 * 365
        rent = dwelling.monthly_rent or 8000
        signed = began - dt.timedelta(days=rng.randint(7, 21))
        Lease.objects.create(
            municipality=municipality,
            dwelling=dwelling,
            household=household,
            status=LeaseStatus.ENDED,
            term_kind=TermKind.STANDARD if three else TermKind.INDEFINITE,
            term_basis="" if three else "Varig behov er vurdert.",
            start_date=began,
            end_date=standard_end_date(began, 3) if three else None,
            monthly_rent=rent,
            deposit_amount=rent * 3,
            created_by=actor,
            sent_on=signed - dt.timedelta(days=3),
            tenant_signed_on=signed,
            tenant_signed_how=SignedHow.PAPER,
            landlord_signed_on=signed,
            landlord_signed_how=SignedHow.PAPER,
            ended_on=when,
            end_reason=reason,
        )
        return True

    def offer_all(today: dt.date) -> None:
        nonlocal housed
        if today + dt.timedelta(days=7) > as_of:
            return  # its answer would come after today: the meeting has the dwelling
        for dwelling in list(ready):
            while True:
                fits = [w for w in queue if fit[w.htype, dclass[dwelling.pk]] >= 0]
                if not fits:
                    break
                points = common.priority_total(
                    policy,
                    np.array([w.profile[0] for w in fits]),
                    np.array([w.profile[1] for w in fits]),
                    np.array([w.profile[2] for w in fits]),
                    np.array([w.profile[3] for w in fits], dtype=np.int64),
                    np.array([(today - w.placed).days for w in fits], dtype=np.int64),
                )
                best = max(
                    range(len(fits)),
                    key=lambda k: (round(float(points[k]) * 1000), -fits[k].placed.toordinal()),
                )
                chosen = fits[best]
                queue.remove(chosen)
                entry = chosen.entry
                answered = today + dt.timedelta(days=answers.randint(1, 6))
                if answers.random() < QUEUE_REFUSAL_SHARE:
                    Offer.objects.create(
                        entry=entry,
                        dwelling=dwelling,
                        status=OfferStatus.REFUSED,
                        made_on=today,
                        answer_due=today + dt.timedelta(days=7),
                        answered_at=_at(answered),
                        answered_via=AnsweredVia.CASEWORKER,
                        refusal_reason="Husstanden ønsker ikke å bo i dette området.",
                        made_by=member,
                    )
                    waiting_list_close(actor=member, entry=entry, status=EntryStatus.LAPSED)
                    WaitingListEntry.objects.filter(pk=entry.pk).update(
                        closed_on=min(answered + dt.timedelta(days=14), as_of)
                    )
                    continue
                begins = today + dt.timedelta(days=rng.randint(*QUEUE_LEASE_DAYS))
                if begins >= as_of:  # accepted; the lease begins after today
                    Offer.objects.create(
                        entry=entry,
                        dwelling=dwelling,
                        status=OfferStatus.ACCEPTED,
                        made_on=today,
                        answer_due=today + dt.timedelta(days=7),
                        answered_at=_at(answered),
                        answered_via=AnsweredVia.CASEWORKER,
                        made_by=member,
                    )
                    WaitingListEntry.objects.filter(pk=entry.pk).update(status=EntryStatus.OFFERED)
                    Dwelling.objects.filter(pk=dwelling.pk).update(status=DwellingStatus.RESERVED)
                    ready.remove(dwelling)
                    break
                lease = _lease(
                    municipality,
                    dwelling,
                    entry.household,
                    actor=actor,
                    rng=rng,
                    start=begins,
                    decision=entry.decision,
                )
                offer = Offer.objects.create(
                    entry=entry,
                    dwelling=dwelling,
                    status=OfferStatus.LEASED,
                    made_on=today,
                    answer_due=today + dt.timedelta(days=7),
                    answered_at=_at(answered),
                    answered_via=AnsweredVia.CASEWORKER,
                    made_by=member,
                )
                type(lease).objects.filter(pk=lease.pk).update(offer=offer)
                waiting_list_close(actor=member, entry=entry, status=EntryStatus.HOUSED)
                WaitingListEntry.objects.filter(pk=entry.pk).update(closed_on=begins)
                case_close(actor=caseworker, case=entry.decision.case, reason="completed")
                Case.objects.filter(pk=entry.decision.case_id).update(closed_at=_at(begins))
                housed += 1
                ready.remove(dwelling)
                move_out(dwelling, begins, lease)
                break

    while events:
        day, kind, _n, item = heapq.heappop(events)
        if kind == 0:  # a tenancy ends; the dwelling is ready some days later
            dwelling, lease = item
            if end_before(dwelling, day, lease):
                push(day + dt.timedelta(days=rng.randint(*QUEUE_READY_DAYS)), 2, dwelling)
            continue
        if kind == 1:
            queue.append(item)
        else:
            ready.append(item)
        offer_all(day)
    if ready:
        Dwelling.objects.filter(pk__in=[d.pk for d in ready]).update(status=DwellingStatus.VACANT)
    return housed, tenants
