"""The settlement journey through the actions: request → case → dwelling with criteria →
lease → arrival → stored fact; controlled self-settlement with the checklist and IMDi."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from husly.audit.models import ChangeEvent
from husly.housing.models import DwellingStatus
from husly.people.models import Household, Person
from husly.settlement import actions, selectors
from husly.settlement.models import (
    CaseStatus,
    RequestStatus,
    SettlementFact,
)
from husly.tenancy import actions as tenancy
from tests.allocation.helpers import lease_terms, make_dwelling
from tests.settlement.helpers import accepted_case, refugee_caseworker, register_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def farid(raelingen):  # type: ignore[no-untyped-def]
    return refugee_caseworker(raelingen)


def test_the_council_decision_is_recorded_once_a_year_and_corrected(farid, raelingen) -> None:
    data = {
        "year": 2026,
        "persons": 20,
        "extra_persons": 5,
        "extra_description": "overføringsflyktninger",
        "council_reference": "PS 12/2026",
        "decided_on": dt.date(2026, 2, 10),
    }
    first = actions.settlement_decision_record(actor=farid, municipality=raelingen, data=data)
    second = actions.settlement_decision_record(
        actor=farid, municipality=raelingen, data={**data, "persons": 25}
    )
    assert first.pk == second.pk and second.total == 30
    assert ChangeEvent.objects.filter(action="settlement_decision_update").exists()


def test_a_request_needs_one_age_per_person(farid, raelingen) -> None:
    with pytest.raises(ValidationError) as error:
        register_request(farid, raelingen, ages="38, 35")
    assert "4" in str(error.value)


def test_accepting_registers_the_household_and_opens_a_case(farid, raelingen) -> None:
    case = accepted_case(farid, raelingen)
    assert case.request.status == RequestStatus.ACCEPTED
    assert case.household.name == "Haddad"
    person = Person.objects.get(given_name="Omar")
    assert person.residence_permit == "protection"
    assert case.household.members.get().person == person
    with pytest.raises(ValidationError):  # answered once
        actions.settlement_request_decline(actor=farid, request=case.request, reason="Nei.")


def test_declining_needs_a_reason(farid, raelingen) -> None:
    request = register_request(farid, raelingen)
    with pytest.raises(ValidationError):
        actions.settlement_request_decline(actor=farid, request=request, reason=" ")
    actions.settlement_request_decline(actor=farid, request=request, reason="Ingen egnet bolig.")
    request.refresh_from_db()
    assert request.status == RequestStatus.DECLINED and Household.objects.count() == 0


def test_dwelling_chosen_with_criteria_then_lease_and_arrival(farid, raelingen, eirik) -> None:
    small = make_dwelling(raelingen, eirik, rooms=1, address="Smalvegen 1")
    good = make_dwelling(raelingen, eirik, rooms=3, rent=10500, address="Skolevegen 2")
    case = accepted_case(farid, raelingen)
    today = timezone.localdate()
    shown = selectors.proposals(case, today)
    assert [p.dwelling for p in shown] == [good, small]  # the one breaking no limit first
    assert shown[1].criteria["flags"] == ["too_few_rooms"]
    assert shown[0].criteria["cost_frame"] == 11500 + 2 * 1200  # couple and two children
    with pytest.raises(ValidationError):
        actions.settlement_dwelling_choose(actor=farid, case=case, dwelling=good, reason="")
    case = actions.settlement_dwelling_choose(
        actor=farid, case=case, dwelling=small, reason="Først valgt."
    )
    small.refresh_from_db()
    assert small.status == DwellingStatus.RESERVED
    case = actions.settlement_dwelling_choose(
        actor=farid, case=case, dwelling=good, reason="Nær skolen, tre soverom, innenfor rammen."
    )
    small.refresh_from_db()
    good.refresh_from_db()
    assert small.status == DwellingStatus.VACANT and good.status == DwellingStatus.RESERVED
    assert case.status == CaseStatus.CHOSEN
    assert case.choice_criteria["dwelling_id"] == good.pk and case.choice_criteria["flags"] == []
    assert good not in [p.dwelling for p in selectors.proposals(case, today)]

    with pytest.raises(ValidationError):  # no lease yet
        actions.settlement_arrival_record(actor=farid, case=case, data={"arrived_on": today})
    lease_terms(raelingen, eirik)
    lease = actions.settlement_lease_create(
        actor=farid, case=case, data=tenancy.default_terms(good, today)
    )
    assert lease.household == case.household and lease.status == "draft" and lease.document
    # The property unit sends it and records the signatures on the lease's page, as always.
    lease = tenancy.lease_send(actor=eirik, lease=lease)
    with pytest.raises(ValidationError):  # sent, not signed
        actions.settlement_arrival_record(actor=farid, case=case, data={"arrived_on": today})
    for party in ("tenant", "landlord"):
        lease = tenancy.lease_sign(
            actor=eirik, lease=lease, party=party, signed_on=today, how="paper"
        )
    tenancy.lease_activate(actor=eirik, lease=lease, today=today)
    with pytest.raises(ValidationError):  # the amount is needed when rent is deducted
        actions.settlement_arrival_record(
            actor=farid, case=case, data={"arrived_on": today, "rent_deducted_from_benefit": True}
        )
    case = actions.settlement_arrival_record(
        actor=farid,
        case=case,
        data={
            "arrived_on": today,
            "introduction_contact": "Kari Intro, 64 83 00 00",
            "rent_deducted_from_benefit": True,
            "monthly_deduction": 10500,
            "bo_plan_note": "Boplan lages av booppfølgingen innen en måned.",
        },
    )
    assert case.status == CaseStatus.ARRIVED
    fact = SettlementFact.objects.get(case=case)
    assert (fact.year, fact.persons, fact.dwelling_source) == (today.year, 4, "municipal")
    assert fact.days_request_to_arrival == 40
    progress = selectors.progress(raelingen, today.year)
    assert progress.settled_persons == 4 and progress.median_days == 40
    assert {code: n for code, _label, n, _share in progress.shares}["municipal"] == 1
    with pytest.raises(ValidationError):  # finished
        actions.settlement_dwelling_choose(actor=farid, case=case, dwelling=small, reason="x")


SELF = {
    "address": "Privatvegen 3",
    "landlord": "Ola Utleier",
    "monthly_rent": 9000,
    "lease_months": 36,
    "standard_ok": True,
    "contract_ok": True,
    "landlord_concern": "",
    "note": "Godkjent etter visning.",
    "decision": "approved",
}


@translation.override("en")
def test_self_settlement_checklist_and_imdi(farid, raelingen) -> None:
    case = accepted_case(farid, raelingen, household_size=1, ages="24", resettlement=False)
    frame = selectors.case_cost_frame(case, timezone.localdate()).amount
    assert frame == 9500  # one adult
    for bad, why in (
        ({"monthly_rent": 12000}, "cost frame"),
        ({"lease_months": 12}, "36"),
        ({"standard_ok": False}, "standard"),
        ({"landlord_concern": "Krever kontant depositum."}, "contract"),
    ):
        with pytest.raises(ValidationError) as error:
            actions.self_settlement_assess(actor=farid, case=case, data={**SELF, **bad})
        assert why in str(error.value)
    refused = actions.self_settlement_assess(
        actor=farid,
        case=case,
        data={**SELF, "monthly_rent": 12000, "decision": "refused", "note": "For dyr."},
    )
    assert refused.status == "refused" and not refused.rent_within_frame
    approval = actions.self_settlement_assess(actor=farid, case=case, data=SELF)
    case.refresh_from_db()
    assert approval.pk == refused.pk and case.status == CaseStatus.CHOSEN
    assert case.dwelling_source == "self_settled"
    today = timezone.localdate()
    actions.self_settlement_imdi_record(
        actor=farid, approval=approval, status="pending", answered_on=None
    )
    with pytest.raises(ValidationError):
        actions.settlement_arrival_record(actor=farid, case=case, data={"arrived_on": today})
    actions.self_settlement_imdi_record(
        actor=farid, approval=approval, status="approved", answered_on=today
    )
    actions.settlement_arrival_record(actor=farid, case=case, data={"arrived_on": today})
    assert SettlementFact.objects.get().dwelling_source == "self_settled"


def test_a_private_dwelling_is_recorded_by_its_reference(farid, raelingen) -> None:
    case = accepted_case(farid, raelingen)
    with pytest.raises(ValidationError):
        actions.settlement_private_dwelling_record(
            actor=farid, case=case, source="municipal", reference="X", reason="Y"
        )
    case = actions.settlement_private_dwelling_record(
        actor=farid,
        case=case,
        source="head_lease",
        reference="UTL-17",
        reason="Stor nok, nær skole.",
    )
    case = actions.settlement_arrival_record(
        actor=farid, case=case, data={"arrived_on": timezone.localdate()}
    )
    assert SettlementFact.objects.get().dwelling_source == "head_lease"


def test_retention_keeps_a_household_being_settled(farid, raelingen) -> None:
    from husly.settlement.hooks import settlement_in_use

    case = accepted_case(farid, raelingen)
    person_id = case.household.members.get().person_id
    assert settlement_in_use({person_id}) == {person_id}
    actions.settlement_private_dwelling_record(
        actor=farid, case=case, source="brokered", reference="F-1", reason="Ok."
    )
    actions.settlement_arrival_record(
        actor=farid, case=case, data={"arrived_on": timezone.localdate()}
    )
    assert settlement_in_use({person_id}) == set()


def test_the_retention_job_erases_old_declined_requests(farid, raelingen, settings) -> None:
    from husly.retention.jobs import run

    settings.HUSLY_RETENTION_CLOSED_CASE_YEARS = 5
    request = register_request(farid, raelingen)
    actions.settlement_request_decline(
        actor=farid, request=request, reason="Ingen bolig til Haddad."
    )
    answered = timezone.localdate()
    assert run(today=answered + dt.timedelta(days=365)).counts["settlement_requests"] == 0
    later = answered.replace(year=answered.year + 6)
    assert run(today=later, dry_run=True).counts["settlement_requests"] == 1
    request.refresh_from_db()
    assert request.family_name == "Haddad"  # a dry run changes nothing
    report = run(today=later)
    request.refresh_from_db()
    assert report.counts["settlement_requests"] == 1
    assert (request.family_name, request.ages, request.decline_reason) == ("–", "", "–")
    assert not ChangeEvent.objects.filter(
        object_type="settlement.settlementrequest", object_id=str(request.pk)
    ).exists()
    assert run(today=later).counts["settlement_requests"] == 0  # once


def _landlord_flat(actor, municipality, *, rooms=3, rent=11_000, district="Fjerdingby"):  # type: ignore[no-untyped-def]
    """A company landlord's flat, assessed as suitable in the landlords register."""
    from decimal import Decimal

    from husly.landlords import actions as landlords

    landlord = landlords.landlord_register(
        actor=actor,
        municipality=municipality,
        data={"kind": "company", "name": "Utleie AS", "org_number": "974760673", "phone": "1"},
    )
    flat = landlords.offered_dwelling_register(
        actor=actor,
        landlord=landlord,
        data={
            "address": "Privatvegen 3",
            "postal_code": "2008",
            "postal_town": "Fjerdingby",
            "district": district,
            "rooms": rooms,
            "area_m2": Decimal("70.0"),
            "monthly_rent": rent,
        },
    )
    return landlords.offered_dwelling_assess(
        actor=actor, offered=flat, state="approved", condition="God stand."
    )


def test_a_landlords_approved_flat_is_proposed_with_the_criteria_and_chosen(
    farid, sara, raelingen, routing
) -> None:
    flat = _landlord_flat(sara, raelingen)  # the housing office keeps the landlords register
    case = accepted_case(farid, raelingen)
    today = timezone.localdate()

    [proposal] = selectors.private_proposals(case, today)
    assert proposal.offered == flat
    assert proposal.criteria["rooms"] == 4  # three bedrooms and the living room
    assert proposal.criteria["rent"] == 11_000
    assert proposal.criteria["rooms_norm"][0] <= 4
    assert "trace" in proposal.criteria

    with pytest.raises(ValidationError):
        actions.settlement_private_dwelling_choose(actor=farid, case=case, offered=flat, reason=" ")
    case = actions.settlement_private_dwelling_choose(
        actor=farid, case=case, offered=flat, reason="Familien ønsket Fjerdingby."
    )
    assert case.status == CaseStatus.CHOSEN
    assert case.dwelling_source == "brokered"
    assert case.private_dwelling == flat
    assert case.choice_criteria["rent"] == 11_000
    assert ChangeEvent.objects.filter(action="settlement_private_dwelling_choose").exists()

    other = accepted_case(farid, raelingen, imdi_reference="IMDi-2026-0999")
    assert selectors.private_proposals(other, today) == []  # chosen for the first family
    with pytest.raises(ValidationError):
        actions.settlement_private_dwelling_choose(
            actor=farid, case=other, offered=flat, reason="Også bra."
        )

    case = actions.settlement_arrival_record(actor=farid, case=case, data={"arrived_on": today})
    assert SettlementFact.objects.get().dwelling_source == "brokered"


def test_flats_from_a_dishonest_landlord_are_not_proposed(farid, sara, raelingen, routing) -> None:
    from husly.landlords import actions as landlords

    flat = _landlord_flat(sara, raelingen)
    case = accepted_case(farid, raelingen)
    assert len(selectors.private_proposals(case, timezone.localdate())) == 1
    landlords.landlord_update(actor=sara, landlord=flat.landlord, data={"dishonest": True})
    assert selectors.private_proposals(case, timezone.localdate()) == []
