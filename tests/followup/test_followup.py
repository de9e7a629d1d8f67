"""The follow-up app end to end: bo-plan offered at moving in, contacts, the housing team's
overview with those who stand out, warnings up to the property unit's takeover with their
letters, inspections with the four conditions, moving out and vacancy days by cause, refused
households followed up, Min side, the art. 15 export and retention; and access per role inside
one municipality for every page and every action's page."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from husly.audit.export import Scope, build_export
from husly.audit.models import AccessEvent, ChangeEvent
from husly.cases.models import Decision
from husly.followup import actions, selectors
from husly.followup.hooks import followed_up_in_use
from husly.followup.letters import warning_html
from husly.followup.models import (
    FollowUpSettings,
    HousingPlan,
    Inspection,
    MoveOut,
    PlanStatus,
    RefusalFollowUp,
    VacancyCause,
    WrittenWarning,
)
from husly.organisation.models import Unit
from husly.portal.auth import resident_user
from husly.tenancy.models import Lease, LeaseStatus
from tests.conftest import _user
from tests.factories import BuildingFactory, DwellingFactory, HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _lease(
    municipality: Any, actor: Any, name: str, *, start: dt.date | None = None, unit=None
) -> Lease:  # type: ignore[no-untyped-def]
    """An active lease written directly (the tenancy app's own tests cover how it comes to be)."""
    building = BuildingFactory(municipality=municipality)
    applicant = PersonFactory(municipality=municipality, given_name=name, family_name="Test")
    household = HouseholdFactory(municipality=municipality, applicant=applicant, name=name)
    start = start or timezone.localdate() - dt.timedelta(days=30)
    return Lease.objects.create(
        municipality=municipality,
        dwelling=DwellingFactory(building=building, status="occupied"),
        household=household,
        start_date=start,
        end_date=start + dt.timedelta(days=1000),
        monthly_rent=9000,
        status=LeaseStatus.ACTIVE,
        follow_up_unit=unit,
        created_by=actor,
    )


@pytest.fixture
def frida(housing_office):  # type: ignore[no-untyped-def]
    return _user("frida", housing_office, "follow_up")


@pytest.fixture
def tone(housing_office):  # type: ignore[no-untyped-def]
    return _user("tone", housing_office, "allocation_member")


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- bo-plan and contacts ---------------------------------------------------------------------


def test_a_plan_is_offered_accepted_written_and_contacts_recorded(frida, raelingen, housing_office):  # type: ignore[no-untyped-def]
    lease = _lease(raelingen, frida, "Hansen")
    client = _client(frida)
    body = client.get(reverse("followup:overview") + "?vis=uten-plan").content.decode()
    assert "Hansen" in body  # the list of tenants without a plan
    response = client.post(reverse("followup:plan_offer", args=[lease.pk]))
    plan = HousingPlan.objects.get(lease=lease)
    assert response.url == reverse("followup:plan_detail", args=[plan.pk])
    assert plan.status == PlanStatus.OFFERED and plan.offered_on == timezone.localdate()
    url = reverse("followup:plan_detail", args=[plan.pk])
    client.post(
        url, {"step": "svar", "svar-answer": "accepted", "svar-answered_on": TODAY.isoformat()}
    )
    response = client.post(
        url,
        {
            "step": "plan",
            "goals": "Betale husleia selv.",
            "services": "Booppfølging annenhver uke.",
            "responsible_unit": housing_office.pk,
            "contact_person": frida.pk,
            "contact_interval_days": 14,
            "next_review_on": (TODAY + dt.timedelta(days=90)).isoformat(),
            "next_step": "start_loan",
        },
    )
    assert response.status_code == 302
    client.post(
        url,
        {
            "step": "kontakt",
            "kontakt-kind": "home_visit",
            "kontakt-contact_on": TODAY.isoformat(),
            "kontakt-unit": housing_office.pk,
            "kontakt-note": "Hjemmebesøk, alt i orden.",
        },
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACCEPTED and plan.accepted_on == TODAY
    assert plan.next_step == "start_loan" and plan.responsible_unit == housing_office
    assert plan.contacts.get().kind == "home_visit"
    assert ChangeEvent.objects.filter(action="contact_record").exists()
    # a contact in the future is refused with a clear message, nothing written
    response = client.post(
        url,
        {
            "step": "kontakt",
            "kontakt-kind": "phone",
            "kontakt-contact_on": (TODAY + dt.timedelta(days=1)).isoformat(),
            "kontakt-note": "x",
        },
    )
    assert response.status_code == 400
    assert "fremtiden" in response.content.decode()
    assert plan.contacts.count() == 1
    # the second offer for the same lease is refused
    with pytest.raises(ValidationError):
        actions.housing_plan_offer(actor=frida, lease=lease, today=TODAY)


def test_a_declined_plan_is_a_fact_and_cannot_be_written(frida, raelingen):  # type: ignore[no-untyped-def]
    plan = actions.housing_plan_offer(
        actor=frida, lease=_lease(raelingen, frida, "Berg"), today=TODAY
    )
    actions.housing_plan_answer(actor=frida, plan=plan, accepted=False, answered_on=TODAY)
    plan.refresh_from_db()
    assert plan.declined_on == TODAY and plan.accepted_on is None
    with pytest.raises(ValidationError):
        actions.housing_plan_update(actor=frida, plan=plan, data={"goals": "x"})
    figures = selectors.leader_figures(raelingen.pk, TODAY, TODAY + dt.timedelta(days=1))
    assert figures["plans_offered"] == 1 and figures["plans_accepted"] == 0


# --- the housing team's overview --------------------------------------------------------------


def test_the_overview_flags_no_unit_and_no_contact(frida, raelingen, housing_office):  # type: ignore[no-untyped-def]
    followed = _lease(raelingen, frida, "Fulgt", unit=housing_office)
    silent = _lease(raelingen, frida, "Stille", unit=housing_office)
    _lease(raelingen, frida, "Uten", unit=None)  # no responsible unit anywhere
    for lease in (followed, silent):
        plan = actions.housing_plan_offer(
            actor=frida, lease=lease, today=TODAY - dt.timedelta(days=40)
        )
        actions.housing_plan_answer(
            actor=frida, plan=plan, accepted=True, answered_on=TODAY - dt.timedelta(days=40)
        )
    actions.contact_record(
        actor=frida,
        plan=followed.housing_plan,
        data={"kind": "phone", "contact_on": TODAY - dt.timedelta(days=3), "note": "Ok."},
    )
    rows = {lease.household.name: lease for lease in selectors.overview(frida, today=TODAY)}
    assert rows["Uten"].flag_no_unit and not rows["Fulgt"].flag_no_unit
    assert rows["Stille"].flag_no_contact and not rows["Fulgt"].flag_no_contact
    flagged = {
        lease.household.name for lease in selectors.overview(frida, today=TODAY, show="flagg")
    }
    assert flagged == {"Uten", "Stille"}
    counts = selectors.overview_counts(frida, today=TODAY)
    assert (counts.tenants, counts.no_unit, counts.no_contact, counts.without_plan) == (3, 1, 1, 1)
    body = _client(frida).get(reverse("followup:overview") + "?vis=flagg").content.decode()
    assert "Stille" in body and "Uten" in body and "Fulgt" not in body
    assert "Ingen kontakt for lenge" in body


def test_the_overview_takes_the_same_number_of_queries_for_many_tenants(frida, raelingen):  # type: ignore[no-untyped-def]
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            list(selectors.overview(frida, today=TODAY))
            selectors.overview_counts(frida, today=TODAY)
        return len(ctx)

    for i in range(3):
        _lease(raelingen, frida, f"A{i}")
    queries()  # the user's roles are read once and kept for the request
    few = queries()
    for i in range(20):
        lease = _lease(raelingen, frida, f"B{i}")
        plan = actions.housing_plan_offer(actor=frida, lease=lease, today=TODAY)
        actions.housing_plan_answer(actor=frida, plan=plan, accepted=True, answered_on=TODAY)
    assert queries() == few


# --- warnings ---------------------------------------------------------------------------------


WARNING = {
    "conversation_on": TODAY,
    "present": "Leietakeren, kontaktpersonen i booppfølgingstjenesten og boligkonsulenten",
    "problems": "Gjentatt bråk om natta.",
    "plan": "Ro i leiligheten mellom klokka 23 og 07. Ny samtale om en måned.",
}


def test_warnings_count_up_to_the_takeover_and_their_letters_say_so(
    frida, eirik, raelingen, property_unit, housing_office
):  # type: ignore[no-untyped-def]
    FollowUpSettings.objects.create(municipality=raelingen, warnings_before_takeover=2)
    lease = _lease(raelingen, frida, "Støy", unit=housing_office)
    incident = actions.incident_record(
        actor=eirik,
        lease=lease,
        data={
            "kind": "neighbour",
            "occurred_on": TODAY,
            "reported_by": "Borettslaget",
            "description": "Klage på bråk.",
        },
    )
    first = actions.warning_issue(actor=frida, lease=lease, data={**WARNING, "incident": incident})
    assert (first.number, first.takeover, first.copied_to) == (1, False, property_unit)
    html = warning_html(first)
    assert "Skriftlig advarsel" in html and "advarsel nummer 1" in html
    assert "Gjentatt bråk om natta." in html and "Ny samtale om en måned." in html
    assert "Kopi til: Eiendomsenheten" in html and "melder vi saken til eiendomsenheten" in html
    content = first.letter.open("rb").read()
    assert (
        content.startswith(b"%PDF") and hashlib.sha256(content).hexdigest() == first.letter_sha256
    )
    raelingen.language_form = "nn"
    raelingen.save()
    lease.refresh_from_db()
    second = actions.warning_issue(actor=frida, lease=lease, data=WARNING)
    assert second.number == 2 and second.takeover
    html = warning_html(second)
    assert "Skriftleg åtvaring" in html and "Eigedomseininga tek no over saka" in html
    assert [lease.pk] == [row.pk for row in selectors.taken_over(eirik)]
    # a warning without a plan is refused, with the field named
    with pytest.raises(ValidationError) as error:
        actions.warning_issue(actor=frida, lease=lease, data={**WARNING, "plan": " "})
    assert "plan" in error.value.message_dict


def test_the_warning_page_writes_the_letter_and_the_property_unit_sees_it(
    frida, eirik, raelingen, property_unit
):  # type: ignore[no-untyped-def]
    lease = _lease(raelingen, frida, "Brudd")
    response = _client(frida).post(
        reverse("followup:warning_create", args=[lease.pk]),
        {**WARNING, "conversation_on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    warning = WrittenWarning.objects.get(lease=lease)
    letter = _client(eirik).get(reverse("followup:warning_letter", args=[warning.pk]))
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    assert "Brudd" in _client(eirik).get(reverse("followup:warning_list")).content.decode()


# --- inspections ------------------------------------------------------------------------------


def test_an_inspection_must_answer_the_four_conditions(frida, eirik, raelingen):  # type: ignore[no-untyped-def]
    lease = _lease(raelingen, frida, "Befart")
    url = reverse("followup:inspection_create", args=[lease.pk])
    response = _client(eirik).post(url, {"inspected_on": TODAY.isoformat(), "state": "Pent."})
    assert response.status_code == 400
    assert response.content.decode().count("må alltid dokumenteres") >= 4
    assert not Inspection.objects.exists()
    response = _client(eirik).post(
        url,
        {
            "inspected_on": TODAY.isoformat(),
            "state": "Mye rot, røykvarsler demontert.",
            "fire_hazard": "yes",
            "cannot_inspect": "no",
            "not_due_care": "yes",
            "access_refused": "no",
        },
    )
    assert response.status_code == 302
    inspection = Inspection.objects.get()
    assert inspection.fire_hazard is True and inspection.cannot_inspect is False
    assert inspection.worrying


def test_overdue_inspections_are_listed(frida, eirik, raelingen):  # type: ignore[no-untyped-def]
    old = _lease(raelingen, frida, "Gammel", start=TODAY - dt.timedelta(days=500))
    _lease(raelingen, frida, "Ny", start=TODAY - dt.timedelta(days=100))
    inspected = _lease(raelingen, frida, "Sjekket", start=TODAY - dt.timedelta(days=600))
    conditions = dict.fromkeys(actions.CONDITIONS, False)
    actions.inspection_record(
        actor=eirik,
        lease=inspected,
        data={"inspected_on": TODAY - dt.timedelta(days=45), "state": "Fin.", **conditions},
    )
    overdue = [lease.pk for lease in selectors.overdue_inspections(eirik, today=TODAY)]
    assert overdue == [old.pk]
    FollowUpSettings.objects.create(municipality=raelingen, inspection_interval_months=1)
    overdue = {lease.pk for lease in selectors.overdue_inspections(eirik, today=TODAY)}
    assert inspected.pk in overdue


# --- moving out and vacancy -------------------------------------------------------------------


def test_notice_period_runs_from_the_end_of_the_month() -> None:
    assert actions.notice_ends(dt.date(2026, 3, 15), 3) == dt.date(2026, 6, 30)
    assert actions.notice_ends(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert actions.notice_ends(dt.date(2026, 1, 1), 1) == dt.date(2026, 2, 28)


def test_moving_out_counts_vacancy_days_by_cause(frida, eirik, raelingen):  # type: ignore[no-untyped-def]
    lease = _lease(raelingen, frida, "Flytter", start=TODAY - dt.timedelta(days=400))
    move_out = actions.move_out_notice(
        actor=frida,
        lease=lease,
        notice_received_on=TODAY - dt.timedelta(days=40),
        notice_months=3,
        agreed_last_day=TODAY - dt.timedelta(days=20),
    )
    assert move_out.moving_out_on == TODAY - dt.timedelta(days=20)
    actions.move_out_complete(actor=eirik, move_out=move_out)
    with pytest.raises(ValidationError):  # the final inspection comes first
        actions.move_out_ready(
            actor=eirik, move_out=move_out, ready_on=TODAY, repairs="", cause="repairs"
        )
    lease.refresh_from_db()
    assert lease.status == LeaseStatus.ENDED and lease.end_reason == "moved_out"
    assert lease.ended_on == TODAY - dt.timedelta(days=20)
    actions.inspection_record(
        actor=eirik,
        lease=lease,
        move_out=move_out,
        data={
            "inspected_on": TODAY - dt.timedelta(days=20),
            "state": "Slitt.",
            **dict.fromkeys(actions.CONDITIONS, False),
        },
    )
    actions.move_out_ready(
        actor=eirik,
        move_out=move_out,
        ready_on=TODAY - dt.timedelta(days=9),
        repairs="Maling og nytt gulv.",
        cause="repairs",
    )
    # vacant from the day after the last day: 10 days of repairs, then waiting for a tenant
    vacancy = selectors.vacancy_days(raelingen.pk, TODAY - dt.timedelta(days=60), TODAY)
    assert vacancy.by_cause[VacancyCause.REPAIRS] == 10
    assert vacancy.by_cause[VacancyCause.LETTING] == 9
    # the next lease starts: the wait ends there
    Lease.objects.create(
        municipality=raelingen,
        dwelling=lease.dwelling,
        household=HouseholdFactory(municipality=raelingen, name="Neste"),
        start_date=TODAY - dt.timedelta(days=4),
        end_date=TODAY + dt.timedelta(days=1000),
        monthly_rent=9000,
        status=LeaseStatus.ACTIVE,
        created_by=eirik,
    )
    vacancy = selectors.vacancy_days(raelingen.pk, TODAY - dt.timedelta(days=60), TODAY)
    assert (vacancy.by_cause["repairs"], vacancy.by_cause["letting"], vacancy.total) == (10, 5, 15)
    assert vacancy.by_dwelling[lease.dwelling_id]["letting"] == 5
    body = _client(eirik).get(reverse("followup:move_out_list")).content.decode()
    assert "Flytter" in body


def test_the_vacancy_selector_takes_one_query(eirik, raelingen):  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        selectors.vacancy_days(raelingen.pk, TODAY - dt.timedelta(days=365), TODAY)
    assert len(ctx) == 1


# --- refused households -----------------------------------------------------------------------


def _refusal(sara, household) -> Decision:  # type: ignore[no-untyped-def]
    from husly.cases import actions as cases
    from tests.cases.helpers import ELIGIBLE

    case = cases.case_create(
        actor=sara,
        household=household,
        channel="meeting",
        help_kinds=["rental_dwelling"],
        data=ELIGIBLE,
        submit=True,
    )
    return Decision.objects.create(
        case=case,
        help_kind="rental_dwelling",
        kind="refusal",
        status="issued",
        facts="F.",
        reasoning="G.",
        drafted_by=sara,
        issued_on=TODAY,
    )


def test_a_refused_household_is_listed_until_a_follow_up_is_recorded(
    sara, frida, routing, household
):  # type: ignore[no-untyped-def]
    refusal = _refusal(sara, household)
    client = _client(sara)
    assert "Nordmann" in client.get(reverse("followup:refusal_list")).content.decode()
    response = client.post(
        reverse("followup:refusal_detail", args=[refusal.pk]),
        {
            "step": "henvist",
            "referred_to": "NAV for midlertidig botilbud og depositumsgaranti.",
            "follow_up_on": (TODAY + dt.timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert "Nordmann" not in client.get(reverse("followup:refusal_list")).content.decode()
    follow_up = RefusalFollowUp.objects.get(decision=refusal)
    assert followed_up_in_use({m.person_id for m in household.members.all()})
    actions.refusal_followed_up(
        actor=frida, follow_up=follow_up, followed_up_on=TODAY, outcome="Leier privat."
    )
    assert not followed_up_in_use({m.person_id for m in household.members.all()})


# --- Min side and the art. 15 export ---------------------------------------------------------


def test_min_side_and_the_export_show_the_plan_warnings_and_inspections(frida, eirik, raelingen):  # type: ignore[no-untyped-def]
    lease = _lease(raelingen, frida, "Selv")
    plan = actions.housing_plan_offer(actor=frida, lease=lease, today=TODAY)
    actions.housing_plan_update(actor=frida, plan=plan, data={"goals": "Egen bolig om to år."})
    warning = actions.warning_issue(actor=frida, lease=lease, data=WARNING)
    actions.inspection_schedule(actor=eirik, lease=lease, planned_on=TODAY + dt.timedelta(days=7))
    person = lease.household.members.get(relation="applicant").person
    resident = resident_user(request=None, national_id=person.national_id)
    client = _client(resident)
    body = client.get(reverse("portal:home")).content.decode()
    assert "Egen bolig om to år." in body
    assert "Advarsel 1" in body
    assert "Vi kommer på befaring i boligen din" in body
    letter = client.get(reverse("followup:my_warning_letter", args=[warning.pk]))
    assert letter.status_code == 200
    stranger = _client(resident_user(request=None, national_id=PersonFactory().national_id))
    assert stranger.get(reverse("followup:my_warning_letter", args=[warning.pk])).status_code == 404
    export = build_export(person, Scope(user=frida, household_ids=frozenset({lease.household_id})))
    keys = {section.key for section in export["sections"]}
    assert {"housing_plans", "warnings", "inspections"} <= keys


# --- access per role inside one municipality -------------------------------------------------


@pytest.fixture
def cast(sara, geir, tone, eirik, frida, lise, arne):  # type: ignore[no-untyped-def]
    return {
        "caseworker": sara,
        "approver": geir,
        "allocation_member": tone,
        "property": eirik,
        "follow_up": frida,
        "leader": lise,
        "administrator": arne,
    }


FU, PR, CW, AP, AD = "follow_up", "property", "caseworker", "approver", "administrator"


def test_every_page_opens_for_its_roles_and_is_404_for_every_other(
    cast, sara, frida, routing, household, raelingen
):  # type: ignore[no-untyped-def]
    lease = _lease(raelingen, frida, "Tilgang")
    plan = actions.housing_plan_offer(actor=frida, lease=lease, today=TODAY)
    warning = actions.warning_issue(actor=frida, lease=lease, data=WARNING)
    move_out = actions.move_out_notice(
        actor=frida, lease=lease, notice_received_on=TODAY, notice_months=3
    )
    refusal = _refusal(sara, household)
    pages = {
        reverse("followup:overview"): {FU},
        reverse("followup:tenant", args=[lease.pk]): {FU, PR},
        reverse("followup:incident_create", args=[lease.pk]): {FU, PR},
        reverse("followup:warning_create", args=[lease.pk]): {FU},
        reverse("followup:inspection_create", args=[lease.pk]): {FU, PR},
        reverse("followup:move_out_notice", args=[lease.pk]): {FU, PR},
        reverse("followup:plan_detail", args=[plan.pk]): {FU},
        reverse("followup:warning_list"): {FU, PR},
        reverse("followup:warning_letter", args=[warning.pk]): {FU, PR},
        reverse("followup:inspection_list"): {FU, PR},
        reverse("followup:move_out_list"): {FU, PR},
        reverse("followup:move_out_detail", args=[move_out.pk]): {FU, PR},
        reverse("followup:final_inspection", args=[move_out.pk]): {FU, PR},
        reverse("followup:refusal_list"): {FU, CW, AP},
        reverse("followup:refusal_detail", args=[refusal.pk]): {FU, CW, AP},
        reverse("followup:settings"): {AD},
    }
    problems = []
    for role, user in cast.items():
        client = _client(user)
        for url, allowed in pages.items():
            status = client.get(url).status_code
            expected = 200 if role in allowed else 404
            if status != expected:
                problems.append((role, url, status))
    posts = {
        reverse("followup:plan_offer", args=[lease.pk]): {FU},
        reverse("followup:inspection_schedule", args=[lease.pk]): {FU, PR},
    }
    for role, user in cast.items():
        client = _client(user)
        for url, allowed in posts.items():
            status = client.post(url, {"planned_on": "x"}).status_code
            if (status == 404) == (role in allowed):
                problems.append((role, url, "post", status))
        status = client.post(
            reverse("followup:move_out_detail", args=[move_out.pk]), {"step": "fullfor"}
        ).status_code
        if (status == 404) == (role == PR):
            problems.append((role, "move_out complete", status))
    assert problems == []
    # every page that names the household logged the read, with the reader's role and unit
    events = AccessEvent.objects.filter(actor=frida)
    assert events.exists() and not events.filter(role="").exists()


def test_another_municipality_sees_nothing(frida, olga, raelingen):  # type: ignore[no-untyped-def]
    lease = _lease(raelingen, frida, "Rælingsk")
    plan = actions.housing_plan_offer(actor=frida, lease=lease, today=TODAY)
    lorenskog_follow_up = _user(
        "lars",
        Unit.objects.create(
            municipality=olga.memberships.get().unit.municipality, name="Oppf", kind="follow_up"
        ),
        "follow_up",
    )
    client = _client(lorenskog_follow_up)
    assert client.get(reverse("followup:plan_detail", args=[plan.pk])).status_code == 404
    assert client.get(reverse("followup:tenant", args=[lease.pk])).status_code == 404
    assert "Rælingsk" not in client.get(reverse("followup:overview")).content.decode()
    assert MoveOut.objects.count() == 0


def test_anonymising_a_household_blanks_what_follow_up_wrote_about_it(frida, eirik, raelingen):  # type: ignore[no-untyped-def]
    from husly.followup.hooks import blank_household
    from husly.retention.hooks import household_anonymised_handlers

    assert blank_household in household_anonymised_handlers
    lease = _lease(raelingen, frida, "Glemt")
    plan = actions.housing_plan_offer(actor=frida, lease=lease, today=TODAY)
    actions.housing_plan_update(actor=frida, plan=plan, data={"goals": "Slutte å drikke."})
    actions.contact_record(
        actor=frida, plan=plan, data={"kind": "phone", "contact_on": TODAY, "note": "Sårbar."}
    )
    warning = actions.warning_issue(actor=frida, lease=lease, data=WARNING)
    counts = blank_household(lease.household_id)
    plan.refresh_from_db()
    warning.refresh_from_db()
    assert plan.goals == "[anonymisert]" and plan.contacts.get().note == "[anonymisert]"
    assert warning.problems == "[anonymisert]" and not warning.letter
    assert counts["follow_up_records"] >= 3
    assert not ChangeEvent.objects.filter(
        object_type="followup.contact", object_id=str(plan.contacts.get().pk)
    ).exists()


def test_a_lease_put_in_force_appears_among_tenants_without_a_plan(
    sara, geir, eirik, frida, raelingen, routing
):  # type: ignore[no-untyped-def]
    """The offer at moving in hangs on the lease coming into force (tenancy's own actions),
    without the tenancy app knowing of follow-up."""
    from husly.allocation import actions as allocation
    from husly.tenancy import actions as tenancy
    from tests.allocation.helpers import (
        approve,
        entry_of,
        lease_in_force,
        make_dwelling,
        make_household,
    )

    household = make_household(raelingen, "Innflytting")
    approve(sara, geir, household)
    home = make_dwelling(raelingen, eirik, address="Nyvegen 1")
    offer = allocation.offer_make(actor=sara, entry=entry_of(household), dwelling=home)
    allocation.offer_accept(actor=sara, offer=offer)
    lease = tenancy.lease_create(
        actor=sara, offer=offer, data=tenancy.default_terms(home, timezone.localdate())
    )
    without = selectors.overview(frida, today=TODAY, show=selectors.SHOW_WITHOUT_PLAN)
    assert lease.pk not in {row.pk for row in without}  # not yet in force
    lease_in_force(sara, lease)
    without = selectors.overview(frida, today=TODAY, show=selectors.SHOW_WITHOUT_PLAN)
    assert lease.pk in {row.pk for row in without}
    actions.housing_plan_offer(actor=frida, lease=lease, today=TODAY)
    without = selectors.overview(frida, today=TODAY, show=selectors.SHOW_WITHOUT_PLAN)
    assert lease.pk not in {row.pk for row in without}


def test_a_refusal_whose_follow_up_date_passed_returns_to_the_list_and_the_work_list(
    sara, frida, routing, household
):  # type: ignore[no-untyped-def]
    """The thesis ("de som havner utenfor"): the caseworker reaches the refused households
    from the work list; a refusal with a referral but a follow-up date passed and not done is
    listed again, marked overdue, until someone records that it was done."""
    refusal = _refusal(sara, household)
    client = _client(sara)
    work = client.get(reverse("cases:work_list")).content.decode()
    assert "1 avslått husstand venter på henvisning og oppfølging" in work
    assert reverse("followup:refusal_list") in work
    # Recorded on the refusal's page: the work list she returns to counts it at once.
    response = client.post(
        reverse("followup:refusal_detail", args=[refusal.pk]),
        {
            "step": "henvist",
            "referred_to": "NAV for depositumsgaranti.",
            "follow_up_on": (TODAY + dt.timedelta(days=14)).isoformat(),
        },
    )
    assert response.status_code == 302
    follow_up = RefusalFollowUp.objects.get(decision=refusal)
    assert "avslått husstand venter" not in client.get(reverse("cases:work_list")).content.decode()
    RefusalFollowUp.objects.filter(pk=follow_up.pk).update(
        follow_up_on=timezone.localdate() - dt.timedelta(days=1)
    )
    listing = client.get(reverse("followup:refusal_list")).content.decode()
    assert "Nordmann" in listing and "Oppfølging på overtid" in listing
    actions.refusal_followed_up(
        actor=frida,
        follow_up=RefusalFollowUp.objects.get(pk=follow_up.pk),
        followed_up_on=timezone.localdate(),
        outcome="Leier privat.",
    )
    assert "Nordmann" not in client.get(reverse("followup:refusal_list")).content.decode()
