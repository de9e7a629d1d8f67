"""Demo data for arrears: tenants at every stage of Rælingen's procedure, through the real actions
(letters made and confirmed): behind (first reminder), in a repayment plan, notice under
tvangsfullbyrdelsesloven § 4-18 sent, petition sent, evicted; an early warning from a private
landlord registered by NAV; and a rent meeting with its agenda. The arrears figures come from a
stand-in ledger so that the stages do not depend on the rent demo; the daily ``arrears_scan``
brings them in line with the real ledger."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from husly.arrears import actions, selectors
from husly.arrears.models import ArrearsCase
from husly.organisation.models import Municipality, Role, User
from husly.people.models import Household
from husly.tenancy.models import Lease, LeaseStatus


@dataclass(frozen=True)
class _Arrears:
    amount: int
    months_unpaid: int
    oldest_unpaid_due: dt.date | None


STAGES = [
    # (last step to take, days behind, months unpaid, agreement?)
    ("purring-1", 30, 1, False),
    ("inkassovarsel", 75, 2, True),
    ("varsel-4-18", 110, 3, False),
    ("begjaering", 125, 4, False),
    ("fravikelse", 200, 5, False),
]


def _walk(case: ArrearsCase, actor: User, until: str, as_of: dt.date) -> None:
    while True:
        found = selectors.assessment(case, as_of)
        if found is None or found.next is None or not found.next.may_take:
            return
        step = found.next.step
        on = found.next.due
        if on > as_of:
            return
        scheduled = on + dt.timedelta(days=30) if step.kind == "eviction_date" else None
        if scheduled and scheduled > as_of:
            scheduled = as_of
        prepared = actions.arrears_step_prepare(
            actor=actor,
            case=case,
            step_id=step.id,
            taken_on=on,
            scheduled_for=scheduled,
            attendees=["Eiendomsenheten", "Konsulent for boligsosialt arbeid", "Namsmannen"]
            if scheduled
            else [],
            note="Verge vurdert; ikke aktuelt." if step.kind == "measures_meeting" else "",
        )
        actions.arrears_step_confirm(actor=actor, step=prepared)
        if step.id == until:
            return


def seed_arrears(municipality: Municipality, as_of: dt.date) -> None:
    keeper = User.objects.filter(
        memberships__unit__municipality=municipality, memberships__role=Role.PROPERTY
    ).first()
    nav = User.objects.filter(
        memberships__unit__municipality=municipality,
        memberships__role=Role.CASEWORKER,
        memberships__unit__kind="nav",
    ).first()
    if keeper is None:
        return
    leases = list(
        Lease.objects.filter(municipality=municipality, status=LeaseStatus.ACTIVE).order_by("pk")[
            : len(STAGES)
        ]
    )
    cases = []
    ledger: dict[int, _Arrears] = {}
    for lease, (until, behind, months, agreement) in zip(leases, STAGES, strict=False):
        oldest = as_of - dt.timedelta(days=behind)
        ledger[lease.pk] = _Arrears(months * lease.monthly_rent, months, oldest)
        actions.arrears_scan(
            actor=None,
            municipality=municipality,
            as_of=oldest + dt.timedelta(days=5),
            source=lambda **_kw: ledger,
        )
        case = ArrearsCase.objects.get(lease=lease, status="open")
        ArrearsCase.objects.filter(pk=case.pk).update(opened_on=oldest + dt.timedelta(days=5))
        _walk(case, keeper, until, as_of)
        if agreement:
            case.refresh_from_db()
            actions.repayment_agreement_create(
                actor=keeper,
                case=case,
                agreed_on=as_of - dt.timedelta(days=7),
                instalments=[
                    (
                        as_of + dt.timedelta(days=20 + 30 * i),
                        case.arrears // 3 + (i == 0) * (case.arrears % 3),
                    )
                    for i in range(3)
                ],
            )
        cases.append(case)
    if nav is not None:
        household = (
            Household.objects.filter(municipality=municipality)
            .exclude(leases__status=LeaseStatus.ACTIVE)
            .order_by("-pk")
            .first()
        )
        if household is not None:
            actions.external_petition_register(
                actor=nav,
                municipality=municipality,
                household=household,
                landlord_name="Fjerdingby Utleie AS",
                landlord_kind="private",
                received_on=as_of - dt.timedelta(days=3),
                address="Fjerdingbyvegen 40",
            )
    actions.rent_meeting_create(
        actor=keeper,
        municipality=municipality,
        held_on=as_of,
        participants="Eiendomskonsulent, innfordring, konsulent for boligsosialt arbeid, "
        "boligkoordinator",
    )
