"""Demo data for settlement: the council's decisions for last year and this year, IMDi
requests in every state (waiting, declined, accepted), settlement cases before arrival (one
still finding a dwelling, one self-settlement waiting for IMDi) and arrivals this year in a
municipal dwelling (lease through tenancy), a head-leased private dwelling and a self-found
dwelling, so that the progress page has figures. Walking distances for some buildings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from husly.housing.models import Building
from husly.organisation.models import Municipality, Role, User
from husly.settlement import actions, selectors
from husly.settlement.models import SettlementCase


def _request(actor: User, municipality: Municipality, ref: str, days_ago: int, **data: Any) -> Any:
    return actions.settlement_request_register(
        actor=actor,
        municipality=municipality,
        data={
            "imdi_reference": ref,
            "received_on": timezone.localdate() - dt.timedelta(days=days_ago),
            "needs": "",
            "preferences": "",
            "resettlement": False,
            "reception_centre": "Hvalstad mottak",
            **data,
        },
    )


def _accept(
    actor: User, request: Any, given: str, born: dt.date, arrival_in: int
) -> SettlementCase:
    return actions.settlement_request_accept(
        actor=actor,
        request=request,
        applicant={"given_name": given, "family_name": request.family_name, "date_of_birth": born},
        expected_arrival=timezone.localdate() + dt.timedelta(days=arrival_in),
    )


def seed_settlement(municipality: Municipality, farid: User) -> None:
    from husly.tenancy.actions import default_terms, lease_activate, lease_send, lease_sign

    today = timezone.localdate()
    keeper = User.objects.filter(
        memberships__unit__municipality=municipality, memberships__role=Role.PROPERTY
    ).first()
    for year, persons, extra, ref in (
        (today.year - 1, 15, 0, f"PS 9/{today.year - 1}"),
        (today.year, 18, 5, f"PS 14/{today.year}"),
    ):
        actions.settlement_decision_record(
            actor=farid,
            municipality=municipality,
            data={
                "year": year,
                "persons": persons,
                "extra_persons": extra,
                "extra_description": "overføringsflyktninger" if extra else "",
                "council_reference": ref,
                "decided_on": dt.date(year, 2, 12),
            },
        )
    distances = [
        (350, 200, 900, 12),
        (1200, 600, 400, 24),
        (700, 300, 1500, 8),
        (None, 450, 2500, 6),
    ]
    for building, (school, kindergarten, centre, homes) in zip(
        Building.objects.filter(municipality=municipality).order_by("pk")[:4],
        distances,
        strict=False,
    ):
        actions.building_surroundings_save(
            actor=farid,
            building=building,
            data={
                "school_m": school,
                "kindergarten_m": kindergarten,
                "centre_m": centre,
                "homes_in_building": homes,
            },
        )

    # Requests waiting for an answer, and one declined.
    _request(
        farid,
        municipality,
        f"IMDi-{today.year}-0511",
        6,
        family_name="Haddad",
        household_size=5,
        ages="41, 37, 12, 8, 3",
        resettlement=True,
        preferences="Nær skole; familien kjenner en familie på Fjerdingby.",
        reception_centre="Overføringsflyktninger via IMDi",
    )
    _request(
        farid,
        municipality,
        f"IMDi-{today.year}-0517",
        3,
        family_name="Tesfay",
        household_size=1,
        ages="23",
        preferences="Sentralt, nær kollektivtransport.",
    )
    declined = _request(
        farid,
        municipality,
        f"IMDi-{today.year}-0402",
        50,
        family_name="Rahimi",
        household_size=7,
        ages="45, 44, 19, 16, 14, 9, 6",
        needs="Rullestolbruker (far).",
    )
    actions.settlement_request_decline(
        actor=farid,
        request=declined,
        reason="Vi har ingen tilgjengelig bolig med fem soverom og rullestoltilpasning i år.",
    )

    # Accepted, still finding a dwelling.
    finding = _request(
        farid,
        municipality,
        f"IMDi-{today.year}-0488",
        20,
        family_name="Nasser",
        household_size=4,
        ages="36, 33, 7, 2",
        preferences="Nær barnehage og skole; rimelig husleie.",
    )
    _accept(farid, finding, "Karim", dt.date(1990, 4, 2), 30)

    # Arrived in a municipal dwelling: chosen with the criteria, lease through tenancy.
    arrived = _request(
        farid,
        municipality,
        f"IMDi-{today.year}-0301",
        75,
        family_name="Ahmadi",
        household_size=3,
        ages="32, 29, 4",
        preferences="Nær barnehage.",
    )
    case = _accept(farid, arrived, "Reza", dt.date(1994, 1, 20), 0)
    # A dwelling the municipality owns (a head-leased one would be counted as private).
    proposals = [p for p in selectors.proposals(case, today) if p.dwelling.ownership == "owned"]
    fitting = [p for p in proposals if not p.criteria["flags"]] or proposals
    if fitting and keeper is not None:
        chosen = fitting[0]
        actions.settlement_dwelling_choose(
            actor=farid,
            case=case,
            dwelling=chosen.dwelling,
            reason=(
                "To soverom, innenfor kostnadsrammen, lav andel flyktninger i bygget "
                "og kort vei til barnehagen."
            ),
        )
        case.refresh_from_db()
        lease = actions.settlement_lease_create(
            actor=farid, case=case, data=default_terms(chosen.dwelling, today)
        )
        lease = lease_send(actor=keeper, lease=lease)
        for party in ("tenant", "landlord"):
            lease = lease_sign(actor=keeper, lease=lease, party=party, signed_on=today, how="paper")
        lease_activate(actor=keeper, lease=lease, today=today)
        case.refresh_from_db()
        actions.settlement_arrival_record(
            actor=farid,
            case=case,
            data={
                "arrived_on": today,
                "introduction_contact": "Ingrid Intro, introduksjonsprogrammet, 64 83 54 00",
                "rent_deducted_from_benefit": True,
                "monthly_deduction": lease.monthly_rent,
                "bo_plan_note": "Booppfølgingstjenesten lager boplan innen fire uker.",
            },
        )

    # Arrived in a head-leased private dwelling (the landlords register's reference).
    private = _request(
        farid,
        municipality,
        f"IMDi-{today.year}-0215",
        120,
        family_name="Yusuf",
        household_size=2,
        ages="27, 25",
    )
    case = _accept(farid, private, "Abdi", dt.date(1999, 6, 5), 0)
    actions.settlement_private_dwelling_record(
        actor=farid,
        case=case,
        source="head_lease",
        reference="FR-2031",
        reason="Innleid leilighet nær sentrum; paret ønsket sentralt.",
    )
    actions.settlement_arrival_record(
        actor=farid,
        case=case,
        data={"arrived_on": today - dt.timedelta(days=30), "introduction_contact": "Ingrid Intro"},
    )

    # Controlled self-settlement: one arrived, one waiting for IMDi. Only where the municipality
    # has set a cost frame in its parameters (the Oslo-scale demo has none: no self-settlement).
    has_frame = selectors.cost_frame(municipality, 1, 0, today).amount is not None
    for ref, name, given, days, arrived_too in (
        (f"IMDi-{today.year}-0350", "Mahmoud", "Samir", 45, True),
        (f"IMDi-{today.year}-0470", "Osman", "Hodan", 15, False),
    )[: 2 if has_frame else 0]:
        request = _request(
            farid, municipality, ref, days, family_name=name, household_size=1, ages="26"
        )
        case = _accept(farid, request, given, dt.date(2000, 2, 2), 20)
        approval = actions.self_settlement_assess(
            actor=farid,
            case=case,
            data={
                "address": f"{name}vegen 3, 2008 Fjerdingby",
                "landlord": "Privat utleier",
                "monthly_rent": 8900,
                "lease_months": 36,
                "standard_ok": True,
                "contract_ok": True,
                "landlord_concern": "",
                "note": (
                    "Boligen er sett; kontrakten er standardkontrakt; husleia er innenfor rammen."
                ),
                "decision": "approved",
            },
        )
        actions.self_settlement_imdi_record(
            actor=farid,
            approval=approval,
            status="approved" if arrived_too else "pending",
            answered_on=today if arrived_too else None,
        )
        if arrived_too:
            actions.settlement_arrival_record(
                actor=farid,
                case=case,
                data={"arrived_on": today, "introduction_contact": "Ingrid Intro"},
            )
