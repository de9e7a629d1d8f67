"""No database constraint name ever reaches a user (issue 11 item 10).

Every form that saves to a model with a CheckConstraint or UniqueConstraint is submitted, through
its page, with values that break each constraint. The page answers with a readable Norwegian
message on the form, never a 500 and never the constraint's name, and nothing is written.
``test_every_constraint_is_covered`` fails when a constraint is added without a case here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse

from tests.factories import BuildingFactory, DwellingFactory, PersonFactory

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Case:
    constraint: str
    user: str
    submit: Callable[[dict[str, Any]], tuple[str, dict[str, Any]]]
    """Makes the objects the case needs and returns (url, POST data)."""
    expect: str
    """A piece of the readable message the user must see."""
    count: Callable[[], int]
    """What must not change (nothing is written)."""


def _building(w: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    BuildingFactory(municipality=w["raelingen"], address="Torvvegen 1")
    return reverse("housing:building_create"), {
        "municipality": w["raelingen"].pk,
        "name": "Nytt bygg",
        "address": "Torvvegen 1",
        "postal_code": "2008",
        "postal_town": "Fjerdingby",
    }


def _building_edit(w: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    BuildingFactory(municipality=w["raelingen"], address="Torvvegen 1")
    other = BuildingFactory(municipality=w["raelingen"], address="Torvvegen 2")
    return reverse("housing:building_edit", args=[other.pk]), {
        "name": other.name,
        "address": "Torvvegen 1",
        "postal_code": "2008",
        "postal_town": "Fjerdingby",
    }


def _dwelling_data(building: Any, number: str) -> dict[str, Any]:
    return {
        "building": building.pk,
        "number": number,
        "rooms": 2,
        "area_m2": "54,0",
        "floor": 1,
        "category": "ordinary",
        "ownership": "owned",
        "monthly_rent": 9800,
    }


def _dwelling(w: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    building = BuildingFactory(municipality=w["raelingen"])
    DwellingFactory(building=building, number="H0101")
    return reverse("housing:dwelling_create"), _dwelling_data(building, "H0101")


def _dwelling_edit(w: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    building = BuildingFactory(municipality=w["raelingen"])
    DwellingFactory(building=building, number="H0101")
    other = DwellingFactory(building=building, number="H0102")
    data = _dwelling_data(building, "H0101")
    del data["building"]
    return reverse("housing:dwelling_edit", args=[other.pk]), data


def _unit(w: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return reverse("organisation:unit_create"), {
        "municipality": w["raelingen"].pk,
        "name": "Tjenestekontoret",
        "kind": "housing_office",
    }


def _unit_edit(w: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    from husly.organisation.models import Unit

    other = Unit.objects.create(municipality=w["raelingen"], name="Andre", kind="nav")
    return reverse("organisation:unit_edit", args=[other.pk]), {
        "name": "Tjenestekontoret",
        "kind": "nav",
    }


def _person_data(w: dict[str, Any], national_id: str) -> dict[str, Any]:
    return {
        "municipality": w["raelingen"].pk,
        "national_id": national_id,
        "given_name": "Ola",
        "family_name": "Nordmann",
        "language_form": "nb",
        "residence_permit": "citizen",
    }


def _person(w: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    taken = PersonFactory(municipality=w["raelingen"])
    return reverse("people:person_create"), _person_data(w, taken.national_id)


def _person_edit(w: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    taken = PersonFactory(municipality=w["raelingen"])
    other = PersonFactory(municipality=w["raelingen"])
    data = _person_data(w, taken.national_id)
    del data["municipality"]
    return reverse("people:person_edit", args=[other.pk]), data


def _member(w: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    household = w["household"]
    child = household.members.get(relation="child").person
    return reverse("people:household_member_add", args=[household.pk]), {
        "person_ref": child.national_id,
        "relation": "child",
    }


def _entry(w: dict[str, Any]) -> Any:
    from tests.allocation.helpers import approve, entry_of, make_household

    household = make_household(w["raelingen"], "Berg")
    approve(w["sara"], w["geir"], household)
    return entry_of(household)


def _adjust(w: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    entry = _entry(w)
    return reverse("allocation:entry_detail", args=[entry.pk]), {
        "adjust": "1",
        "points": "10",
        "reason": "",
    }


def _policy(w: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    from husly.allocation import actions
    from husly.allocation.engine import DEFAULT_PRIORITY

    data = {
        "version": "2026-1",
        "refusal_rule": "lapse",
        "refusals_allowed": 0,
        "answer_days": 7,
        "priority": "waiting_cap_months: 12\n",
        "matching": "top_band_first: true\n",
    }
    actions.allocation_policy_set(
        actor=w["arne"],  # the administrator sets the policy (POLICY_WRITE)
        municipality=w["raelingen"],
        data={**data, "priority": dict(DEFAULT_PRIORITY), "matching": {}},
    )
    return reverse("allocation:policy"), data


def _lease_data(**extra: Any) -> dict[str, Any]:
    return {
        "start_date": "2026-04-01",
        "term_kind": "standard",
        "end_date": "2029-03-31",
        "monthly_rent": "9800",
        "deposit_kind": "deposit",
        "deposit_amount": "29400",
        "payment_due_day": "1",
        "payment_account": "12345678903",
        **extra,
    }


def _accepted_offer(w: dict[str, Any]) -> Any:
    from husly.allocation import actions
    from tests.allocation.helpers import make_dwelling

    entry = _entry(w)
    dwelling = make_dwelling(w["raelingen"], w["eirik"])
    offer = actions.offer_make(actor=w["sara"], entry=entry, dwelling=dwelling)
    return actions.offer_accept(actor=w["sara"], offer=offer)


def _lease_security(w: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    offer = _accepted_offer(w)
    return reverse("tenancy:lease_create", args=[offer.pk]), _lease_data(
        deposit_kind="nav_guarantee", deposit_amount=str(6 * 9800 + 1)
    )


def _lease_end(w: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    offer = _accepted_offer(w)
    return reverse("tenancy:lease_create", args=[offer.pk]), _lease_data(
        term_kind="shorter", end_date="2026-03-01", term_basis="Husleieloven § 11-1."
    )


def _landlord(w: dict[str, Any]) -> Any:
    from husly.landlords.models import Landlord

    return Landlord.objects.create(
        municipality=w["raelingen"],
        kind="company",
        name="Utleie AS",
        org_number="974760673",
        created_by=w["sara"],
    )


def _landlord_org(w: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    _landlord(w)
    return reverse("landlords:landlord_create"), {
        "kind": "company",
        "name": "Kopi AS",
        "org_number": "974760673",
    }


def _landlord_person(w: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    from husly.landlords.models import Landlord

    person = PersonFactory(municipality=w["raelingen"])
    Landlord.objects.create(
        municipality=w["raelingen"],
        kind="person",
        person=person,
        name=person.full_name,
        created_by=w["sara"],
    )
    return reverse("landlords:landlord_create"), {
        "kind": "person",
        "national_id": person.national_id,
        "given_name": person.given_name,
        "family_name": person.family_name,
    }


def _head_lease_end(w: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    from husly.landlords.models import OfferedDwelling

    landlord = _landlord(w)
    flat = OfferedDwelling.objects.create(
        landlord=landlord,
        address="Privatvegen 1",
        postal_code="2008",
        postal_town="Fjerdingby",
        rooms=1,
        area_m2=40,
        monthly_rent=8000,
    )
    return reverse("landlords:agreement_create", args=[landlord.pk, "head_lease"]), {
        "offered_dwelling": flat.pk,
        "start_date": "2026-06-01",
        "end_date": "2026-05-01",
        "rent_to_owner": "8000",
    }


def _nomination_share(w: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    landlord = _landlord(w)
    return reverse("landlords:agreement_create", args=[landlord.pk, "nomination"]), {
        "project": "Sjøkanten",
        "flats_total": "10",
        "flats_nominated": "11",
        "start_date": "2026-06-01",
        "end_date": "2036-06-01",
    }


def _count(model: str) -> Callable[[], int]:
    def count() -> int:
        return int(apps.get_model(model).objects.count())

    return count


CASES = [
    Case("building_address_unique", "arne", _building, "finnes", _count("housing.Building")),
    Case("building_address_unique", "arne", _building_edit, "finnes", _count("housing.Building")),
    Case("dwelling_number_unique", "arne", _dwelling, "finnes", _count("housing.Dwelling")),
    Case("dwelling_number_unique", "arne", _dwelling_edit, "finnes", _count("housing.Dwelling")),
    Case("unit_name_unique", "arne", _unit, "finnes", _count("organisation.Unit")),
    Case("unit_name_unique", "arne", _unit_edit, "finnes", _count("organisation.Unit")),
    Case("person_national_id_unique", "sara", _person, "registrert", _count("people.Person")),
    Case("person_national_id_unique", "sara", _person_edit, "registrert", _count("people.Person")),
    Case("member_unique", "sara", _member, "allerede", _count("people.HouseholdMember")),
    Case(
        "waiting_list_manual_points_need_reason",
        "tone",
        _adjust,
        "begrunnelse",
        _count("audit.ChangeEvent"),
    ),
    Case(
        "allocation_policy_version_unique",
        "arne",
        _policy,
        "versjon",
        _count("allocation.AllocationPolicy"),
    ),
    Case(
        "lease_security_at_most_six_months_rent",
        "sara",
        _lease_security,
        "seks måneders husleie",
        _count("tenancy.Lease"),
    ),
    Case("lease_ends_after_it_starts", "sara", _lease_end, "slutte", _count("tenancy.Lease")),
    Case(
        "landlord_org_number_unique",
        "sara",
        _landlord_org,
        "organisasjonsnummeret",
        _count("landlords.Landlord"),
    ),
    Case(
        "landlord_person_unique",
        "sara",
        _landlord_person,
        "registrert som utleier",
        _count("landlords.Landlord"),
    ),
    Case(
        "landlord_agreement_ends_after_it_starts",
        "eirik",
        _head_lease_end,
        "slutte etter",
        _count("landlords.Agreement"),
    ),
    Case(
        "landlord_agreement_nominated_within_total",
        "sara",
        _nomination_share,
        "flere leiligheter",
        _count("landlords.Agreement"),
    ),
]

NOT_FROM_A_FORM = {
    "api_rate_window_unique": "written by the API rate limiter's upsert, never by a form",
    "needs_person_once_per_round": "needs_registration_create refuses a second registration "
    "with a message naming the first unit (tests/needs)",
    "needs_round_once_a_year": "needs_round_open refuses a second round for the year first",
    "needs_children_fewer_than_persons": "needs_registration_create refuses it first",
    "followup_warning_number_unique": "warning_issue numbers warnings under the lease row lock",
    "followup_inspection_has_a_date": "inspection_schedule and inspection_record always set a date",
    "followup_vacancy_ends_after_it_starts": "move_out_ready refuses an earlier date in Norwegian",
    "rent_to_own_shares_at_most_100": "rent_to_own_create refuses shares over 100 % in Norwegian",
    "settlement_decision_one_per_year": "settlement_decision_record corrects the year's decision",
    "routing_rule_unique": "routing rules are configured by a fixture/admin command, no form",
    "case_closed_when_and_why": "case_close sets status, time and reason together",
    "anonymised_once": "written by the retention job only",
    "membership_unique": "membership_add's refusal is a message, covered in organisation tests",
    "one_main_applicant": "the member form offers no 'applicant' relation",
    "waiting_list_one_live_entry_per_household": "written by the decision hook only",
    "offer_one_live_offer_per_dwelling_unit": "offer_make locks and checks the room first "
    "(tests/allocation/test_shared_flat.py)",
    "offer_one_live_offer_per_entry": "offer_make locks and checks first (concurrency tests)",
    "meeting_item_unique": "written by allocation_meeting_propose only",
    "lease_one_active_lease_per_dwelling_unit": "lease_create checks first (concurrency tests; "
    "message tested in tests/allocation/test_shared_flat.py)",
    "lease_one_pending_lease_per_dwelling_unit": "lease_create and lease_renew check first",
    "lease_unit_from_one": "the room comes from the offer, checked by offer_make",
    "dwelling_at_least_one_lettable_unit": "the form's validator refuses it in Norwegian "
    "(tests/allocation/test_shared_flat.py)",
    "routing_help_unique": "case_routing_refer moves a part; no form adds one",
    "arrears_one_open_case_per_lease": "arrears_scan opens cases only for leases without one",
    "arrears_lease_case_has_lease": "origin and lease are set by arrears_scan or by "
    "external_petition_register, never by a form",
    "arrears_item_once": "written by rent_meeting_create only",
    "arrears_one_active_agreement": "repayment_agreement_create refuses with a message first",
    "arrears_nav_coverage_has_basis": "nav_coverage_record refuses with a message first",
    "rent_one_amount_per_lease_and_date": "rent_index_adjust computes the date; refusal tested",
    "rentclaim_one_per_lease_month_kind": "rent_roll_run skips claims that exist (idempotent)",
    "rentclaim_one_vacancy_per_dwelling_month": (
        "vacancy_rent_bill validates first; its message is tested in tests/rent/test_actions.py"
    ),
    "rentclaim_tenant_claim_has_lease": "claims are written by rent_roll_run with their lease",
    "rentclaim_vacancy_billed_to_unit": "vacancy_rent_bill always sets the unit or refuses",
    "rentclaim_month_is_first_day": "the actions store the month's first day",
    "paymentbatch_file_booked_once": "payment_batch_apply refuses a file booked before",
    "payment_booked_once": "the import preview lists every payment booked before, per line",
    "payment_amount_positive": "the forms and the import refuse amounts of zero or less",
    "deduction_ends_after_start": "deduction_start is called from code only; no form yet",
    "temporary_provider_name_unique": "the message comes from the action's full_clean",
    "temporary_place_name_unique": "the message comes from the action's full_clean",
    "temporary_agreement_dates": (
        "the action's full_clean gives the message (tests/temporary/test_providers.py)"
    ),
    "temporary_stay_planned_after_start": "the placement form asks for nights (at least one)",
    "temporary_stay_ended_when_and_why": "stay_end sets the day and the reason together",
    "temporary_segment_dates": "stay_move and stay_end check the dates first",
    "temporary_situation_dates": "housing_situation_record writes the end day itself",
    "temporary_situation_leaving_date": (
        "the action's full_clean gives the message (tests/temporary/test_providers.py)"
    ),
    "loan_payment_once_per_due": "one row per due date, updated in place",
    "loan_funding_per_year": "funding_record updates the year's row (get_or_create)",
    "landlord_person_or_org_number": (
        "the landlord form and landlord_register ask for the number each kind needs first"
    ),
    "landlord_fact_once_per_day": "stored facts are written by actions (update_or_create) only",
    "kostra_year_unique": "kostra_year_prepare locks the year's row and files a year once",
    "grant_budget_per_year": "grant_budget_set updates the year's row when there is one",
    "loan_exception_once_per_criterion": (
        "loan_exception_record withdraws the criterion's earlier exception first"
    ),
    "nomination_referral_one_per_flat": (
        "nomination_referral_create refuses the same flat twice with a message first "
        "(tests/landlords/test_nomination_referrals.py)"
    ),
    "cases_deadline_alert_unique": "written by the deadline_alerts job only (ignore_conflicts)",
    "case_once_per_submission": (
        "a form sent twice returns the case the first send created, no error "
        "(tests/cases/test_submission.py)"
    ),
}


def test_every_constraint_is_covered() -> None:
    names = {
        c.name
        for model in apps.get_models()
        if model.__module__.startswith("husly.")
        for c in model._meta.constraints
        if isinstance(c, models.CheckConstraint | models.UniqueConstraint)
    }
    covered = {c.constraint for c in CASES} | set(NOT_FROM_A_FORM)
    assert names <= covered, names - covered


@pytest.fixture
def world(raelingen, housing_office, routing, sara, geir, arne, eirik, household):  # type: ignore[no-untyped-def]
    from tests.conftest import _user

    return {
        "raelingen": raelingen,
        "housing_office": housing_office,
        "sara": sara,
        "geir": geir,
        "arne": arne,
        "eirik": eirik,
        "tone": _user("tone", housing_office, "allocation_member"),
        "household": household,
    }


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.constraint}-{c.submit.__name__}")
def test_a_form_that_breaks_a_constraint_answers_in_norwegian(case: Case, world) -> None:  # type: ignore[no-untyped-def]
    url, data = case.submit(world)
    before = case.count()
    client = Client(raise_request_exception=False)
    client.force_login(world[case.user])
    client.cookies["django_language"] = "nb"
    response = client.post(url, data, follow=True, HTTP_ACCEPT_LANGUAGE="nb")
    page = response.content.decode()
    assert response.status_code < 500, page[:2000]
    assert case.constraint not in page
    assert "Constraint" not in page and "Begrensning" not in page
    assert "IntegrityError" not in page
    if case.expect:
        assert case.expect.lower() in page.lower(), page[page.find("ds-error") :][:1500]
    assert case.count() == before
