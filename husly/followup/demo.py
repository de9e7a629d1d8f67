"""Demo data for the follow-up pages, through the real actions: bo-plans offered, accepted and
declined, contacts recent and overdue, breaches and warnings up to a takeover, inspections
(one with worrying findings, some planned), notices and move-outs with vacancy by cause, and
refused households with and without a follow-up."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from husly.cases.models import Decision, DecisionKind, DecisionStatus
from husly.followup import actions
from husly.followup.models import FollowUpSettings, NextStep
from husly.organisation.models import Municipality, Role, Unit, UnitKind, User
from husly.tenancy.models import Lease, LeaseStatus

GOALS = [
    "Betale husleia selv hver måned og ha oversikt over økonomien.",
    "Komme i arbeid eller utdanning innen ett år.",
    "Bli trygg i boligen og kjenne naboene.",
]
SERVICES = [
    "Booppfølging annenhver uke, økonomisk rådgivning hos NAV.",
    "Hjemmebesøk hver måned, hjelp med post og regninger.",
]
NO = dict.fromkeys(actions.CONDITIONS, False)


def seed_follow_up(municipality: Municipality, as_of: dt.date) -> None:
    today = min(as_of, timezone.localdate())
    worker = User.objects.filter(
        memberships__unit__municipality=municipality, memberships__role=Role.FOLLOW_UP
    ).first()
    landlord = User.objects.filter(
        memberships__unit__municipality=municipality, memberships__role=Role.PROPERTY
    ).first()
    admin = User.objects.filter(
        memberships__unit__municipality=municipality, memberships__role=Role.ADMINISTRATOR
    ).first()
    if worker is None or landlord is None:
        return
    property_unit = Unit.objects.filter(municipality=municipality, kind=UnitKind.PROPERTY).first()
    follow_up_unit = Unit.objects.filter(municipality=municipality, kind=UnitKind.FOLLOW_UP).first()
    if admin is not None:
        actions.followup_settings_save(
            actor=admin, municipality=municipality, data={"property_unit": property_unit}
        )
    else:
        FollowUpSettings.objects.get_or_create(municipality=municipality)
    leases = list(
        Lease.objects.filter(
            municipality=municipality,
            status=LeaseStatus.ACTIVE,
            start_date__lte=today - dt.timedelta(days=90),
        ).order_by("pk")[:30]
    )
    if len(leases) < 24:  # noqa: PLR2004 - the demo needs this many tenants
        return
    _plans(leases[:12], worker, follow_up_unit, today)
    _warnings(leases[12], leases[13], worker, landlord, today)
    _inspections(leases[14:20], worker, landlord, today)
    _move_outs(leases[20:24], worker, landlord, today)
    _refusals(municipality, worker, today)


def _plans(leases: list[Lease], worker: User, unit: Unit | None, today: dt.date) -> None:
    for index, lease in enumerate(leases):
        offered = today - dt.timedelta(days=60)
        plan = actions.housing_plan_offer(actor=worker, lease=lease, today=offered)
        if index == 11:  # noqa: PLR2004 - one offer not yet answered
            continue
        accepted = index not in {9, 10}
        actions.housing_plan_answer(
            actor=worker, plan=plan, accepted=accepted, answered_on=offered + dt.timedelta(days=3)
        )
        if not accepted:
            continue
        actions.housing_plan_update(
            actor=worker,
            plan=plan,
            data={
                "goals": GOALS[index % len(GOALS)],
                "services": SERVICES[index % len(SERVICES)],
                "responsible_unit": None if index == 8 else (lease.follow_up_unit or unit),  # noqa: PLR2004
                "contact_person": worker,
                "contact_interval_days": 21,
                "next_review_on": today + dt.timedelta(days=30 + index * 7),
                "next_step": list(NextStep.values)[index % len(NextStep.values)],
            },
        )
        # most were seen lately; every third has had no contact for over a month
        last = today - dt.timedelta(days=40 if index % 3 == 0 else 5 + index)
        actions.contact_record(
            actor=worker,
            plan=plan,
            data={
                "kind": "home_visit",
                "contact_on": last,
                "unit": unit,
                "note": "Hjemmebesøk. Gikk gjennom planen og økonomien.",
            },
        )


def _warnings(one: Lease, three: Lease, worker: User, landlord: User, today: dt.date) -> None:
    for lease, count in ((one, 1), (three, 3)):
        for n in range(count):
            when = today - dt.timedelta(days=90 - n * 30)
            incident = actions.incident_record(
                actor=landlord,
                lease=lease,
                data={
                    "kind": "neighbour" if n % 2 == 0 else "house_rules",
                    "occurred_on": when,
                    "reported_by": "Styret i borettslaget",
                    "description": "Klage på høy musikk og bråk etter klokka 23.",
                },
            )
            actions.warning_issue(
                actor=worker,
                lease=lease,
                data={
                    "incident": incident,
                    "conversation_on": when + dt.timedelta(days=5),
                    "present": "Leietakeren, kontaktpersonen i booppfølgingstjenesten og "
                    "boligkonsulenten",
                    "problems": "Gjentatte klager på bråk om natta fra naboene.",
                    "plan": "Ro i leiligheten mellom klokka 23 og 07. Booppfølgingstjenesten "
                    "kommer på hjemmebesøk hver uke. Ny samtale om en måned.",
                },
            )


def _inspections(leases: list[Lease], worker: User, landlord: User, today: dt.date) -> None:
    for index, lease in enumerate(leases[:4]):
        worrying = index == 0
        actions.inspection_record(
            actor=landlord,
            lease=lease,
            data={
                "inspected_on": today - dt.timedelta(days=20 + index * 30),
                "inspectors": "Eiendomskonsulent og boligkonsulent",
                "state": "Mye rot i stua, røykvarsler demontert."
                if worrying
                else "Boligen er i god stand.",
                "maintenance_needs": "Nytt gulvbelegg på badet." if index == 1 else "",
                "service_needs": "Trenger hjelp til å holde orden." if worrying else "",
                **NO,
                "fire_hazard": worrying,
                "not_due_care": worrying,
            },
        )
    for index, lease in enumerate(leases[4:]):
        actions.inspection_schedule(
            actor=worker,
            lease=lease,
            planned_on=timezone.localdate() + dt.timedelta(days=14 + index),
        )


def _move_outs(leases: list[Lease], worker: User, landlord: User, today: dt.date) -> None:
    notice_only, ready, repairing, fresh = leases
    actions.move_out_notice(
        actor=worker,
        lease=notice_only,
        notice_received_on=today - dt.timedelta(days=5),
        notice_months=3,
    )
    for lease, left_days_ago in ((ready, 40), (repairing, 10)):
        move_out = actions.move_out_notice(
            actor=landlord,
            lease=lease,
            notice_received_on=today - dt.timedelta(days=left_days_ago + 60),
            notice_months=3,
            agreed_last_day=today - dt.timedelta(days=left_days_ago),
        )
        actions.inspection_record(
            actor=landlord,
            lease=lease,
            move_out=move_out,
            data={
                "inspected_on": today - dt.timedelta(days=left_days_ago),
                "inspectors": "Eiendomskonsulent",
                "state": "Slitte vegger, skade på kjøkkenbenken.",
                **NO,
            },
        )
        actions.move_out_complete(actor=landlord, move_out=move_out)
        if lease is ready:
            actions.move_out_ready(
                actor=landlord,
                move_out=move_out,
                ready_on=today - dt.timedelta(days=left_days_ago - 18),
                repairs="Malt alle rom, ny kjøkkenbenk.",
                cause="repairs",
            )
    actions.move_out_notice(actor=landlord, lease=fresh, notice_received_on=today, notice_months=1)


def _refusals(municipality: Municipality, worker: User, today: dt.date) -> None:
    refusals = Decision.objects.filter(
        case__municipality=municipality,
        kind=DecisionKind.REFUSAL,
        status=DecisionStatus.ISSUED,
    ).order_by("pk")
    for index, decision in enumerate(refusals[:6]):
        if index % 2:
            continue  # left without a follow-up: the list shows them
        follow_up = actions.refusal_follow_up_record(
            actor=worker,
            decision=decision,
            data={
                "referred_to": "NAV for økonomisk rådgivning og depositumsgaranti i det private "
                "leiemarkedet.",
                "follow_up_on": max(decision.issued_on or today, today) + dt.timedelta(days=30),
            },
        )
        if index == 0:
            actions.refusal_followed_up(
                actor=worker,
                follow_up=follow_up,
                followed_up_on=today,
                outcome="Husstanden leier nå privat med depositumsgaranti fra NAV.",
            )
