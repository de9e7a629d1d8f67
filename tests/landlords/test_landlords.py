"""The private-market work end to end through the actions: the register (identity and
organisation numbers checked), the intake queue, head lease with a sublease from the waiting list
and its vacancy cost, brokerage closing the waiting-list entry, nomination agreements, the NAV
deposit guarantee with its letter and the tenant's consent, and the stored facts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from husly.allocation import actions as allocation
from husly.allocation.models import EntryStatus
from husly.cases import actions as case_actions
from husly.consent.models import Purpose
from husly.housing.models import DwellingStatus, Ownership
from husly.landlords import actions, hooks, selectors
from husly.landlords.models import (
    AgreementKind,
    AgreementStatus,
    BrokeredFrom,
    FactKind,
    LandlordFact,
    LandlordKind,
    OfferState,
    validate_org_number,
)
from husly.people.models import Person
from husly.tenancy import actions as tenancy
from husly.tenancy.models import LeaseStatus
from tests.allocation.helpers import approve, entry_of, lease_in_force, make_household
from tests.cases.helpers import ELIGIBLE
from tests.factories import synthetic_number

pytestmark = pytest.mark.django_db

VALID_ORG = "974760673"  # Brønnøysundregistrene's own number


def _company(municipality, actor, name="Utleie AS", org=VALID_ORG):  # type: ignore[no-untyped-def]
    return actions.landlord_register(
        actor=actor,
        municipality=municipality,
        data={"kind": LandlordKind.COMPANY, "name": name, "org_number": org, "phone": "1"},
    )


def _flat(landlord, actor, rent=9000):  # type: ignore[no-untyped-def]
    return actions.offered_dwelling_register(
        actor=actor,
        landlord=landlord,
        data={
            "address": "Privatvegen 3",
            "postal_code": "2008",
            "postal_town": "Fjerdingby",
            "rooms": 2,
            "area_m2": Decimal("55.0"),
            "monthly_rent": rent,
        },
    )


def test_org_number_is_checked_with_mod11() -> None:
    validate_org_number(VALID_ORG)
    for bad in ("974760674", "97476067", "9747606733", "97476067A"):
        with pytest.raises(ValidationError):
            validate_org_number(bad)


def test_a_company_needs_a_valid_org_number_and_only_once(raelingen, routing, sara) -> None:
    with pytest.raises(ValidationError) as error:
        _company(raelingen, sara, org="974760674")
    assert "org_number" in error.value.error_dict
    _company(raelingen, sara)
    with pytest.raises(ValidationError):
        _company(raelingen, sara, name="Igjen AS")


def test_a_private_landlord_is_a_person_with_a_checked_identity_number(
    raelingen, routing, sara
) -> None:
    with pytest.raises(ValidationError) as error:
        actions.landlord_register(
            actor=sara,
            municipality=raelingen,
            data={"kind": LandlordKind.PERSON},
            person={"national_id": "12345678901", "given_name": "Eva", "family_name": "Eier"},
        )
    assert "national_id" in error.value.error_dict
    assert not Person.objects.filter(family_name="Eier").exists()
    number = synthetic_number(dt.date(1960, 5, 17))
    landlord = actions.landlord_register(
        actor=sara,
        municipality=raelingen,
        data={"kind": LandlordKind.PERSON},
        person={"national_id": number, "given_name": "Eva", "family_name": "Eier"},
    )
    assert landlord.person.national_id == number
    assert landlord.name == "Eva Eier"
    assert landlord.person.date_of_birth == dt.date(1960, 5, 17)


def test_an_enquiry_is_due_in_five_working_days_and_its_answer_joins_the_history(
    raelingen, routing, sara
) -> None:
    landlord = _company(raelingen, sara)
    friday = dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.UTC)
    enquiry = actions.enquiry_receive(
        actor=sara,
        municipality=raelingen,
        data={
            "from_name": "Utleie AS",
            "from_contact": "post@utleie.no",
            "channel": "email",
            "text": "Vi har en ledig leilighet.",
            "landlord": landlord,
            "received_at": friday,
        },
    )
    assert enquiry.answer_due == dt.date(2026, 12, 11)
    with pytest.raises(ValidationError):
        actions.enquiry_answer(actor=sara, enquiry=enquiry, answer="  ")
    actions.enquiry_answer(actor=sara, enquiry=enquiry, answer="Vi kommer på visning.")
    enquiry.refresh_from_db()
    assert enquiry.answered_at is not None
    assert enquiry.days_to_answer is not None
    assert "Vi kommer på visning." in landlord.contacts.get().summary
    with pytest.raises(ValidationError):
        actions.enquiry_answer(actor=sara, enquiry=enquiry, answer="Igjen.")


def test_head_lease_becomes_a_dwelling_sublet_from_the_waiting_list(
    raelingen, routing, sara, geir, eirik
) -> None:
    landlord = _company(raelingen, eirik)
    flat = _flat(landlord, eirik)
    start = timezone.localdate() - dt.timedelta(days=40)
    agreement = actions.agreement_create(
        actor=eirik,
        landlord=landlord,
        kind=AgreementKind.HEAD_LEASE,
        data={
            "offered_dwelling": flat,
            "start_date": start,
            "end_date": start + dt.timedelta(days=700),
            "rent_to_owner": 9000,
        },
    )
    assert actions.head_lease_is_short(agreement)
    flat.refresh_from_db()
    dwelling = flat.dwelling
    assert flat.state == OfferState.IN_AGREEMENT
    assert dwelling.ownership == Ownership.HEAD_LEASE
    assert dwelling.status == DwellingStatus.VACANT
    assert agreement.status == AgreementStatus.ACTIVE
    # The same flat cannot be head-leased twice.
    with pytest.raises(ValidationError):
        actions.agreement_create(
            actor=eirik,
            landlord=landlord,
            kind=AgreementKind.HEAD_LEASE,
            data={"offered_dwelling": flat, "start_date": start, "rent_to_owner": 1},
        )
    # A household from the waiting list gets the sublease through the ordinary code.
    household = make_household(raelingen, "Framleie", children=1)
    approve(sara, geir, household)
    entry = entry_of(household)
    offer = allocation.offer_make(actor=sara, entry=entry, dwelling=dwelling)
    allocation.offer_accept(actor=sara, offer=offer)
    lease = tenancy.lease_create(
        actor=eirik, offer=offer, data=tenancy.default_terms(dwelling, timezone.localdate())
    )
    lease = lease_in_force(eirik, lease)
    assert lease.status == LeaseStatus.ACTIVE
    entry.refresh_from_db()
    assert entry.status == EntryStatus.HOUSED
    # A head lease with a sublease in force cannot end.
    with pytest.raises(ValidationError):
        actions.agreement_end(
            actor=eirik, agreement=agreement, ended_on=timezone.localdate(), reason="Salg"
        )
    # Vacancy: the dwelling stood empty from the start until the sublease, at 9000 a month.
    month = start.replace(day=1)
    facts = actions.vacancy_costs_record(actor=None, municipality=raelingen, month=month)
    assert len(facts) == 1
    assert facts[0].vacant_days > 0
    assert facts[0].amount == round(facts[0].vacant_days * selectors.daily_cost(9000, month))
    again = actions.vacancy_costs_record(actor=None, municipality=raelingen, month=month)
    assert LandlordFact.objects.filter(kind=FactKind.VACANCY_COST).count() == 1
    assert again[0].pk == facts[0].pk
    this_month = actions.vacancy_costs_record(
        actor=None, municipality=raelingen, month=timezone.localdate()
    )
    assert this_month[0].vacant_days < timezone.localdate().day
    year = selectors.figures(raelingen.pk, [start.year])[0]
    assert year.agreements[AgreementKind.HEAD_LEASE] == 1


def test_keys_crisis_entries_and_faults_belong_to_a_head_lease(raelingen, routing, eirik) -> None:
    landlord = _company(raelingen, eirik)
    agreement = actions.agreement_create(
        actor=eirik,
        landlord=landlord,
        kind=AgreementKind.HEAD_LEASE,
        data={
            "offered_dwelling": _flat(landlord, eirik),
            "start_date": timezone.localdate(),
            "rent_to_owner": 8000,
        },
    )
    assert not actions.head_lease_is_short(agreement)
    key = actions.spare_key_register(
        actor=eirik, agreement=agreement, label="Hoveddør", kept_at="Nøkkelskap 4"
    )
    entry = actions.key_entry_record(
        actor=eirik, key=key, entered_at=timezone.now(), reason="Vannlekkasje", owner_told=True
    )
    assert list(selectors.key_entries(agreement)) == [entry]
    with pytest.raises(ValidationError):
        actions.key_entry_record(
            actor=eirik,
            key=key,
            entered_at=timezone.now() + dt.timedelta(days=1),
            reason="Fremtid",
            owner_told=False,
        )
    fault = actions.fault_report(
        actor=eirik,
        agreement=agreement,
        reported_on=timezone.localdate(),
        description="Drypper fra kranen",
    )
    fault = actions.fault_update(
        actor=eirik, fault=fault, status="owner_told", on=timezone.localdate()
    )
    assert fault.owner_told_on == timezone.localdate()
    nomination = actions.agreement_create(
        actor=eirik,
        landlord=landlord,
        kind=AgreementKind.NOMINATION,
        data={
            "project": "Sjøkanten",
            "flats_total": 40,
            "flats_nominated": 20,
            "start_date": timezone.localdate(),
            "end_date": timezone.localdate() + dt.timedelta(days=3650),
        },
    )
    with pytest.raises(ValidationError):
        actions.spare_key_register(actor=eirik, agreement=nomination, label="x", kept_at="y")


def test_a_nomination_agreement_needs_its_share_and_period(raelingen, routing, sara) -> None:
    developer = actions.landlord_register(
        actor=sara,
        municipality=raelingen,
        data={"kind": LandlordKind.DEVELOPER, "name": "Bygg AS", "org_number": VALID_ORG},
    )
    with pytest.raises(ValidationError) as error:
        actions.agreement_create(
            actor=sara,
            landlord=developer,
            kind=AgreementKind.NOMINATION,
            data={"project": "Sjøkanten", "start_date": timezone.localdate()},
        )
    assert {"flats_nominated", "end_date"} <= set(error.value.error_dict)
    with pytest.raises(ValidationError):
        actions.agreement_create(
            actor=sara,
            landlord=developer,
            kind=AgreementKind.NOMINATION,
            data={
                "project": "Sjøkanten",
                "flats_total": 10,
                "flats_nominated": 11,
                "start_date": timezone.localdate(),
                "end_date": timezone.localdate() + dt.timedelta(days=365),
            },
        )


def test_brokerage_closes_the_waiting_list_entry_and_is_counted(
    raelingen, routing, sara, geir
) -> None:
    landlord = _company(raelingen, sara)
    flat = _flat(landlord, sara)
    household = make_household(raelingen, "Formidlet")
    approve(sara, geir, household)
    entry = entry_of(household)
    agreement = actions.agreement_create(
        actor=sara,
        landlord=landlord,
        kind=AgreementKind.BROKERAGE,
        data={
            "offered_dwelling": flat,
            "start_date": timezone.localdate(),
            "entry": entry,
            "household": household,
        },
    )
    assert agreement.status == AgreementStatus.PROPOSED
    assert not LandlordFact.objects.exists()
    with pytest.raises(ValidationError):
        actions.brokerage_lease_signed(
            actor=sara, agreement=agreement, signed_on=timezone.localdate() + dt.timedelta(1)
        )
    actions.brokerage_lease_signed(actor=sara, agreement=agreement, signed_on=timezone.localdate())
    entry.refresh_from_db()
    assert entry.status == EntryStatus.HOUSED
    brokered = LandlordFact.objects.get(kind=FactKind.BROKERED)
    assert brokered.brokered_from == BrokeredFrom.WAITING_LIST
    figures = selectors.figures(raelingen.pk, [timezone.localdate().year])[0]
    assert figures.brokered == {BrokeredFrom.WAITING_LIST: 1}
    assert figures.agreements[AgreementKind.BROKERAGE] == 1
    with pytest.raises(ValidationError):
        actions.brokerage_lease_signed(
            actor=sara, agreement=agreement, signed_on=timezone.localdate()
        )


def test_brokerage_runs_the_temporary_stay_seam(raelingen, routing, sara) -> None:
    landlord = _company(raelingen, sara)
    household = make_household(raelingen, "Midlertidig")
    agreement = actions.agreement_create(
        actor=sara,
        landlord=landlord,
        kind=AgreementKind.BROKERAGE,
        data={
            "offered_dwelling": _flat(landlord, sara),
            "start_date": timezone.localdate(),
            "household": household,
        },
    )
    seen = []

    def stay_ended(agreement, actor):  # type: ignore[no-untyped-def]
        seen.append(agreement.household_id)
        return True

    actions.brokered_hooks.append(stay_ended)
    try:
        actions.brokerage_lease_signed(
            actor=sara, agreement=agreement, signed_on=timezone.localdate()
        )
    finally:
        actions.brokered_hooks.remove(stay_ended)
    assert seen == [household.pk]
    fact = LandlordFact.objects.get(kind=FactKind.BROKERED)
    assert fact.brokered_from == BrokeredFrom.TEMPORARY_STAY


def test_a_dishonest_landlord_gets_no_agreement(raelingen, routing, sara) -> None:
    landlord = _company(raelingen, sara)
    flat = _flat(landlord, sara)
    actions.landlord_update(actor=sara, landlord=landlord, data={"dishonest": True})
    with pytest.raises(ValidationError):
        actions.agreement_create(
            actor=sara,
            landlord=landlord,
            kind=AgreementKind.HEAD_LEASE,
            data={"offered_dwelling": flat, "start_date": timezone.localdate(), "rent_to_owner": 1},
        )


def _guarantee_case(sara, household):  # type: ignore[no-untyped-def]
    return case_actions.case_create(
        actor=sara,
        household=household,
        channel="meeting",
        help_kinds=["deposit_guarantee"],
        data=ELIGIBLE,
        submit=True,
    )


def _issue_guarantee(sara, geir, case):  # type: ignore[no-untyped-def]
    decision = case_actions.decision_draft(
        actor=sara,
        case=case,
        data={
            "help_kind": "deposit_guarantee",
            "kind": "approval",
            "facts": "Husstanden har funnet en privat bolig.",
            "reasoning": "Vilkårene er oppfylt.",
            "amount": 27000,
            "landlord": "Utleie AS",
            "place": "Privatvegen 3",
            "period_from": timezone.localdate(),
            "period_to": timezone.localdate() + dt.timedelta(days=1095),
        },
    )
    case_actions.decision_submit(actor=sara, decision=decision)
    case_actions.decision_approve(actor=geir, decision=decision)
    return case_actions.decision_issue(actor=sara, decision=decision)


def test_deposit_guarantee_links_nav_letter_and_records_the_consent(
    raelingen, routing, sara, geir
) -> None:
    landlord = _company(raelingen, sara)
    household = make_household(raelingen, "Garanti")
    case = _guarantee_case(sara, household)
    agreement = actions.agreement_create(
        actor=sara,
        landlord=landlord,
        kind=AgreementKind.DEPOSIT_GUARANTEE,
        data={
            "household": household,
            "guarantee_case": case,
            "nav_unit": routing,
            "nav_contact": "Boligrådgiver Nina, 64 00 00 00",
            "start_date": timezone.localdate(),
        },
    )
    assert agreement.status == AgreementStatus.PROPOSED
    decision = _issue_guarantee(sara, geir, case)
    agreement.refresh_from_db()
    assert agreement.guarantee_decision == decision  # linked by the hook, not copied
    assert agreement.status == AgreementStatus.ACTIVE
    assert agreement.guarantee_amount == 27000
    hooks.decision_issued(decision, sara)  # a second call changes nothing
    assert LandlordFact.objects.filter(kind=FactKind.AGREEMENT, agreement=agreement).count() == 1
    applicant = household.members.get(relation="applicant").person
    agreement = actions.guarantee_consent_record(
        actor=sara, agreement=agreement, given_by=applicant, given_how="written"
    )
    consent = agreement.consent
    assert consent.purposes == [Purpose.LANDLORD_CONTACT]
    assert list(consent.units.all()) == [routing]
    assert consent.data_categories == []
    with pytest.raises(ValidationError):
        actions.guarantee_consent_record(
            actor=sara, agreement=agreement, given_by=applicant, given_how="written"
        )


def test_a_guarantee_case_must_be_for_a_guarantee(raelingen, routing, sara) -> None:
    landlord = _company(raelingen, sara)
    household = make_household(raelingen, "Feil")
    case = case_actions.case_create(
        actor=sara,
        household=household,
        channel="meeting",
        help_kinds=["rental_dwelling"],
        data=ELIGIBLE,
        submit=True,
    )
    with pytest.raises(ValidationError) as error:
        actions.agreement_create(
            actor=sara,
            landlord=landlord,
            kind=AgreementKind.DEPOSIT_GUARANTEE,
            data={
                "household": household,
                "guarantee_case": case,
                "nav_unit": routing,
                "nav_contact": "Nina",
                "start_date": timezone.localdate(),
            },
        )
    assert "guarantee_case" in error.value.error_dict
