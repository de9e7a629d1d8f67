"""Demo data for the private-market work, through the real actions: a private landlord, a
housing company and a developer with contacts, enquiries (one waiting, one answered) and
dwellings offered; a head lease (two months old, empty so far, with a spare key, a crisis entry
and a fault), a brokerage of a household from the waiting list, a nomination agreement and a
NAV deposit guarantee with the tenant's consent; and the stored vacancy-cost facts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from husly.allocation.models import EntryStatus, WaitingListEntry
from husly.cases.models import Case, HelpKind
from husly.landlords import actions
from husly.landlords.models import AgreementKind, LandlordKind
from husly.organisation.models import Municipality, Role, Unit, UnitKind, User
from husly.people.identity import individual_numbers_for, make_synthetic_number
from husly.people.models import Relation
from husly.rules import deadlines


def _synthetic(born: dt.date) -> str:
    for individual in individual_numbers_for(born.year):
        number = make_synthetic_number(born, individual)
        if number:
            return number
    raise ValueError(born)


def _flat(actor: User, landlord: object, address: str, rooms: int, rent: int) -> object:
    return actions.offered_dwelling_register(
        actor=actor,
        landlord=landlord,  # type: ignore[arg-type]
        data={
            "address": address,
            "postal_code": "2008",
            "postal_town": "Fjerdingby",
            "rooms": rooms,
            "area_m2": Decimal(30 + 15 * rooms),
            "monthly_rent": rent,
        },
    )


def seed_landlords(municipality: Municipality, as_of: dt.date) -> None:
    caseworker = User.objects.filter(
        memberships__unit__municipality=municipality,
        memberships__unit__kind=UnitKind.HOUSING_OFFICE,
        memberships__role=Role.CASEWORKER,
    ).first()
    keeper = User.objects.filter(
        memberships__unit__municipality=municipality, memberships__role=Role.PROPERTY
    ).first()
    if caseworker is None or keeper is None:
        return
    now = timezone.now()
    # --- the register --------------------------------------------------------------------------
    private = actions.landlord_register(
        actor=caseworker,
        municipality=municipality,
        data={
            "kind": LandlordKind.PERSON,
            "phone": "900 00 001",
            "notify_on_tenant_change": True,
            "notes": "Har leid ut til kommunen i mange år. Vil møte nye leietakere selv.",
        },
        person={
            "national_id": _synthetic(dt.date(1958, 4, 12)),
            "given_name": "Randi",
            "family_name": "Utleiersen",
            "phone": "900 00 001",
        },
    )
    company = actions.landlord_register(
        actor=caseworker,
        municipality=municipality,
        data={
            "kind": LandlordKind.COMPANY,
            "name": "Fjerdingby Eiendom AS",
            "org_number": "974760673",
            "contact_person": "Kjetil Holm",
            "phone": "640 00 000",
            "email": "post@fjerdingby-eiendom.example",
            "notes": "Ønsker lange avtaler og at kommunen tar seg av skifte av leietaker.",
        },
    )
    developer = actions.landlord_register(
        actor=caseworker,
        municipality=municipality,
        data={
            "kind": LandlordKind.DEVELOPER,
            "name": "Sjøkanten Utvikling AS",
            "org_number": "923609016",
            "contact_person": "Mona Berg",
        },
    )
    actions.landlord_contact_record(
        actor=caseworker,
        landlord=private,
        channel="phone",
        summary="Ringte om sokkelleiligheten. Avtalte visning neste uke.",
        at=now - dt.timedelta(days=20),
    )
    actions.landlord_contact_record(
        actor=keeper,
        landlord=company,
        channel="meeting",
        summary="Møte om innleie av to leiligheter. Enige om tre år og husleie 9 500 kr.",
        at=now - dt.timedelta(days=70),
    )
    actions.landlord_contact_record(
        actor=caseworker,
        landlord=developer,
        channel="meeting",
        summary="Tilvisningsavtale for Sjøkanten drøftet; utbygger søker grunnlån.",
        at=now - dt.timedelta(days=200),
    )
    answered = actions.enquiry_receive(
        actor=caseworker,
        municipality=municipality,
        data={
            "from_name": "Randi Utleiersen",
            "from_contact": "900 00 001",
            "channel": "phone",
            "text": "Har en sokkelleilighet ledig fra neste måned.",
            "landlord": private,
            "received_at": now - dt.timedelta(days=25),
        },
    )
    actions.enquiry_answer(
        actor=caseworker, enquiry=answered, answer="Vi kommer på visning og tar med tolk."
    )
    actions.enquiry_receive(
        actor=caseworker,
        municipality=municipality,
        data={
            "from_name": "Per Hansen",
            "from_contact": "per.hansen@example.no",
            "channel": "email",
            "text": "Jeg har en hybel og lurer på hvordan det er å leie ut til kommunen.",
        },
    )
    # --- head lease -----------------------------------------------------------------------------
    head_flat = _flat(keeper, company, "Strandvegen 14", 2, 9500)
    start = as_of - dt.timedelta(days=60)
    head = actions.agreement_create(
        actor=keeper,
        landlord=company,
        kind=AgreementKind.HEAD_LEASE,
        data={
            "offered_dwelling": head_flat,
            "start_date": start,
            "end_date": deadlines.add_years(start, 3) - dt.timedelta(days=1),
            "rent_to_owner": 9500,
            "terms": "Eier varsles når leietaker skifter. Leietaker måker snø ved inngangen.",
        },
    )
    key = actions.spare_key_register(
        actor=keeper, agreement=head, label="Hoveddør, 2 nøkler", kept_at="Nøkkelskap, rom 12"
    )
    actions.key_entry_record(
        actor=keeper,
        key=key,
        entered_at=now - dt.timedelta(days=10),
        reason="Vannlekkasje meldt fra naboen under; rørlegger slapp inn.",
        owner_told=True,
    )
    fault = actions.fault_report(
        actor=keeper,
        agreement=head,
        reported_on=as_of - dt.timedelta(days=9),
        description="Fuktskade på badet etter lekkasjen.",
    )
    actions.fault_update(
        actor=keeper, fault=fault, status="owner_told", on=as_of - dt.timedelta(days=8)
    )
    # --- brokerage of a household from the waiting list ---------------------------------------
    private_flat = _flat(caseworker, private, "Øvre Rælingsveg 3", 1, 8200)
    entry = (
        WaitingListEntry.objects.filter(municipality=municipality, status=EntryStatus.WAITING)
        .order_by("pk")
        .first()
    )
    if entry is not None:
        brokerage = actions.agreement_create(
            actor=caseworker,
            landlord=private,
            kind=AgreementKind.BROKERAGE,
            data={
                "offered_dwelling": private_flat,
                "start_date": as_of,
                "entry": entry,
                "household": entry.household,
            },
        )
        actions.brokerage_lease_signed(
            actor=caseworker, agreement=brokerage, signed_on=timezone.localdate()
        )
    # --- nomination agreement -------------------------------------------------------------------
    actions.agreement_create(
        actor=caseworker,
        landlord=developer,
        kind=AgreementKind.NOMINATION,
        data={
            "project": "Sjøkanten, byggetrinn 1",
            "flats_total": 40,
            "flats_nominated": 20,
            "start_date": as_of - dt.timedelta(days=120),
            "end_date": deadlines.add_years(as_of - dt.timedelta(days=120), 30),
            "terms": (
                "Kommunen kan tildele søkere til 20 av 40 leiligheter i 30 år (Selvaag-modellen)."
            ),
        },
    )
    # --- NAV deposit guarantee ------------------------------------------------------------------
    guarantee_cases = Case.objects.filter(
        municipality=municipality, routings__help_kind=HelpKind.DEPOSIT_GUARANTEE
    ).order_by("-pk")
    case = (
        guarantee_cases.filter(
            decisions__help_kind=HelpKind.DEPOSIT_GUARANTEE,
            decisions__kind="approval",
            decisions__status="issued",
        ).first()
        or guarantee_cases.first()
    )  # one NAV has granted, so the guarantee letter is linked
    nav = Unit.objects.filter(municipality=municipality, kind=UnitKind.NAV).first()
    if case is not None and nav is not None:
        guarantee = actions.agreement_create(
            actor=caseworker,
            landlord=company,
            kind=AgreementKind.DEPOSIT_GUARANTEE,
            data={
                "offered_dwelling": _flat(caseworker, company, "Strandvegen 16", 1, 8900),
                "household": case.household,
                "guarantee_case": case,
                "nav_unit": nav,
                "nav_contact": "Boligrådgiver Nina Dahl, 55 55 33 33, nina.dahl@nav.example",
                "start_date": as_of,
            },
        )
        applicant = case.household.members.filter(relation=Relation.APPLICANT).first()
        if applicant is not None:
            actions.guarantee_consent_record(
                actor=caseworker,
                agreement=guarantee,
                given_by=applicant.person,
                given_how="written",
            )
    # --- stored vacancy cost --------------------------------------------------------------------
    for months_back in (2, 1, 0):
        actions.vacancy_costs_record(
            actor=None,
            municipality=municipality,
            month=deadlines.add_months(as_of.replace(day=1), -months_back),
        )
