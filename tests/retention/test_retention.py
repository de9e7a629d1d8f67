"""The retention job: closed cases and persons anonymised after the limit, issued decisions
kept, old access events purged, safe to rerun, with its own audit events."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from husly.audit.models import AccessEvent, ChangeEvent
from husly.cases import actions
from husly.cases.models import Application, Case, Decision, Document, JournalNote
from husly.people.models import Household, Person
from husly.people.selectors import log_reads
from husly.retention.jobs import ANON, run
from tests.cases.helpers import ELIGIBLE

pytestmark = pytest.mark.django_db

CLOSED_ON = dt.date(2012, 3, 1)
CLOSED_AT = dt.datetime(2012, 3, 1, 12, tzinfo=dt.UTC)
AFTER = dt.date(2022, 3, 2)  # ten years and a day later
BEFORE = dt.date(2022, 2, 28)


def _closed_case(sara, household, status="closed"):  # type: ignore[no-untyped-def]
    case = actions.case_create(
        actor=sara,
        household=household,
        channel="meeting",
        help_kinds=["rental_dwelling"],
        data={**ELIGIBLE, "health_needs": "Hjertesykdom", "housing_description": "Bor i bil"},
        submit=True,
    )
    actions.journal_note_add(
        actor=sara,
        case=case,
        data={"kind": "home_visit", "held_on": timezone.localdate(), "text": "Rusproblemer"},
    )
    actions.document_add(
        actor=sara,
        case=case,
        title="Legeerklæring Nordmann",
        upload=SimpleUploadedFile("lege.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )
    closed = {"closed_at": CLOSED_AT, "close_reason": "other"} if status == "closed" else {}
    Case.objects.filter(pk=case.pk).update(status=status, received_on=CLOSED_ON, **closed)
    return Case.objects.get(pk=case.pk)


def test_it_anonymises_a_closed_case_only_after_the_limit(
    sara, household, routing, django_capture_on_commit_callbacks
) -> None:
    case = _closed_case(sara, household)
    assert run(today=BEFORE).counts["cases"] == 0
    assert Application.objects.get(case=case).health_needs == "Hjertesykdom"

    document = Document.objects.get(case=case)
    storage, name = document.file.storage, document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        report = run(today=AFTER)
    assert report.counts["cases"] == 1
    application = Application.objects.get(case=case)
    assert (application.health_needs, application.housing_description) == ("", "")
    assert application.gross_annual_income is None
    assert JournalNote.objects.get(case=case).text == ANON
    document.refresh_from_db()
    assert (document.title, document.file.name) == (ANON, "")
    assert not storage.exists(name)
    # The change events that held copies of the free text are gone; the job's own is there.
    texts = str(list(ChangeEvent.objects.values_list("changes", flat=True)))
    assert "Hjertesykdom" not in texts
    assert "Rusproblemer" not in texts
    event = ChangeEvent.objects.get(action="retention_case_anonymise")
    assert event.actor is None
    assert event.object_id == str(case.pk)
    assert ChangeEvent.objects.filter(action="retention_run").exists()


def test_persons_and_the_household_are_anonymised_when_in_no_other_case(
    sara, household, routing
) -> None:
    applicant = household.members.get(relation="applicant").person
    _closed_case(sara, household)
    report = run(today=AFTER)
    assert (report.counts["persons"], report.counts["households"]) == (2, 1)
    applicant.refresh_from_db()
    assert applicant.national_id == ""
    assert applicant.given_name == "Anonymisert"
    assert applicant.address == ""
    assert applicant.date_of_birth.month == applicant.date_of_birth.day == 1
    assert Household.objects.get(pk=household.pk).name == f"H-{household.pk}"
    assert ChangeEvent.objects.filter(action="retention_person_anonymise").count() == 2
    assert (
        not ChangeEvent.objects.filter(object_type="people.person", object_id=str(applicant.pk))
        .exclude(action="retention_person_anonymise")
        .exists()
    )


def test_a_person_in_an_active_case_is_kept(sara, household, routing) -> None:
    _closed_case(sara, household)
    actions.case_create(
        actor=sara,
        household=household,
        channel="phone",
        help_kinds=["advice"],
        data=ELIGIBLE,
        submit=True,
    )
    report = run(today=AFTER)
    assert report.counts["cases"] == 1
    assert report.counts["persons"] == 0
    assert Person.objects.filter(given_name="Anonymisert").count() == 0


def test_it_is_safe_to_rerun(sara, household, routing) -> None:
    _closed_case(sara, household)
    first = run(today=AFTER)
    events = ChangeEvent.objects.count()
    second = run(today=AFTER)
    assert first.counts["cases"] == 1
    assert not any(second.counts.values())
    assert ChangeEvent.objects.count() == events


def test_a_dry_run_reports_and_changes_nothing(sara, household, routing) -> None:
    case = _closed_case(sara, household)
    out = io.StringIO()
    call_command("retention_run", "--dry-run", "--today", AFTER.isoformat(), stdout=out)
    assert "cases: 1" in out.getvalue()
    assert "persons: 2" in out.getvalue()
    assert Application.objects.get(case=case).health_needs == "Hjertesykdom"
    assert Document.objects.get(case=case).file.storage.exists(
        Document.objects.get(case=case).file.name
    )
    assert not ChangeEvent.objects.filter(action__startswith="retention_").exists()
    out = io.StringIO()
    call_command("retention_run", "--today", AFTER.isoformat(), stdout=out)
    assert "cases: 1" in out.getvalue()


def _issued(case, sara):  # type: ignore[no-untyped-def]
    decision = Decision.objects.create(
        case=case,
        help_kind="rental_dwelling",
        kind="approval",
        status="issued",
        facts="Husstanden bor i bil.",
        reasoning="Vilkårene er oppfylt.",
        drafted_by=sara,
        issued_on=CLOSED_ON,
        letter_sha256="a" * 64,
    )
    Case.objects.filter(pk=case.pk).update(status="decided", closed_at=None, close_reason="")
    return decision


def test_issued_decisions_are_kept_as_archive_records(sara, household, routing) -> None:
    case = _closed_case(sara, household)
    decision = _issued(case, sara)
    run(today=AFTER)
    decision.refresh_from_db()
    assert decision.facts == "Husstanden bor i bil."
    assert decision.letter_sha256 == "a" * 64


def test_issued_decisions_are_anonymised_where_the_municipality_allows_it(
    sara, household, routing, settings
) -> None:
    settings.HUSLY_RETENTION_KEEP_ISSUED_DECISIONS = False
    case = _closed_case(sara, household)
    decision = _issued(case, sara)
    assert run(today=AFTER).counts["decisions"] == 1
    decision.refresh_from_db()
    assert decision.facts == ANON
    assert decision.letter_sha256 == "a" * 64  # the hash shows a letter existed


def test_a_case_with_an_open_appeal_is_kept(sara, household, routing) -> None:
    from husly.cases.models import Appeal

    case = _closed_case(sara, household)
    decision = _issued(case, sara)
    Appeal.objects.create(
        decision=decision,
        received_on=CLOSED_ON,
        grounds="Uenig",
        deadline=CLOSED_ON,
        in_time=True,
        registered_by=sara,
    )
    assert run(today=AFTER).counts["cases"] == 0


def test_old_access_events_are_purged_and_other_deletes_still_refused(
    sara, household, routing
) -> None:
    person = household.members.first().person
    with time_machine.travel(dt.datetime(2015, 6, 1, 12, tzinfo=dt.UTC)):
        log_reads(user=sara, persons=[person], what="person_detail", path="/")
    log_reads(user=sara, persons=[person], what="person_detail", path="/")
    report = run(today=dt.date(2021, 1, 1))  # five years after 2015-06-01 have passed
    assert report.counts["access_events_deleted"] == 1
    assert AccessEvent.objects.count() == 1
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AccessEvent.objects.all().delete()


# --- closed cases (case_close), reopened cases and deleted drafts ------------------------------


def _received(sara, household, on: dt.date):  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime.combine(on, dt.time(9), tzinfo=dt.UTC), tick=False):
        return actions.case_create(
            actor=sara,
            household=household,
            channel="phone",
            help_kinds=["advice"],
            data={**ELIGIBLE, "health_needs": "Hjertesykdom"},
            submit=True,
        )


def test_the_clock_of_a_closed_case_runs_from_the_closing(sara, household, routing) -> None:
    case = _received(sara, household, CLOSED_ON)
    with time_machine.travel(dt.datetime(2016, 5, 2, 9, tzinfo=dt.UTC), tick=False):
        actions.case_close(actor=sara, case=case, reason="other", note="Flyttet til Trondheim.")
    # Ten years after it was received, but not after it was closed: kept.
    assert run(today=AFTER).counts["cases"] == 0
    assert run(today=dt.date(2026, 5, 1)).counts["cases"] == 0
    report = run(today=dt.date(2026, 5, 3))
    assert report.counts["cases"] == 1
    case.refresh_from_db()
    assert case.close_note == ANON
    assert (case.status, case.close_reason) == ("closed", "other")  # the facts stay
    texts = str(list(ChangeEvent.objects.values_list("changes", flat=True)))
    assert "Trondheim" not in texts  # the closing event and the journal note's are gone
    assert "Hjertesykdom" not in texts
    assert not ChangeEvent.objects.filter(action="case_close").exists()
    assert ChangeEvent.objects.filter(action="case_submit", object_id=str(case.pk)).exists()


def test_a_reopened_case_is_not_closed_for_retention(sara, household, routing) -> None:
    case = _received(sara, household, CLOSED_ON)
    with time_machine.travel(dt.datetime(2012, 4, 2, 9, tzinfo=dt.UTC), tick=False):
        actions.case_close(actor=sara, case=case, reason="other", note="Feil.")
        actions.case_reopen(actor=sara, case=case, reason="Nye opplysninger.")
    assert run(today=dt.date(2030, 1, 1)).counts["cases"] == 0


def test_a_case_whose_changed_appeal_led_to_a_new_decision_is_due(sara, household, routing) -> None:
    from husly.cases.models import Appeal

    case = _closed_case(sara, household)
    decision = _issued(case, sara)
    Appeal.objects.create(
        decision=decision,
        received_on=CLOSED_ON,
        grounds="Uenig",
        deadline=CLOSED_ON,
        in_time=True,
        registered_by=sara,
        status="changed",
    )
    assert run(today=AFTER).counts["cases"] == 0  # no new decision yet: the appeal is open
    Decision.objects.create(
        case=case,
        help_kind="rental_dwelling",
        kind="approval",
        status="issued",
        facts="Ny vurdering.",
        reasoning="Endret etter klage.",
        drafted_by=sara,
        issued_on=CLOSED_ON,
        replaces=decision,
    )
    assert run(today=AFTER).counts["cases"] == 1


def test_the_audit_copies_of_a_deleted_draft_are_purged(sara, household, routing) -> None:
    draft = actions.case_create(
        actor=sara,
        household=household,
        channel="phone",
        help_kinds=["advice"],
        data=ELIGIBLE,
        submit=False,
    )
    actions.case_update_application(
        actor=sara, case=draft, help_kinds=None, data={"health_needs": "Hjertesykdom"}
    )
    actions.journal_note_add(
        actor=sara,
        case=draft,
        data={"kind": "note", "held_on": timezone.localdate(), "text": "Rusproblemer"},
    )
    actions.case_draft_delete(actor=sara, case=draft)
    assert "Hjertesykdom" in str(list(ChangeEvent.objects.values_list("changes", flat=True)))
    report = run(today=timezone.localdate())
    assert report.counts["deleted_drafts"] == 1
    texts = str(list(ChangeEvent.objects.values_list("changes", flat=True)))
    assert "Hjertesykdom" not in texts and "Rusproblemer" not in texts
    assert ChangeEvent.objects.filter(action="case_draft_delete").exists()
    assert ChangeEvent.objects.filter(action="case_create", object_id=str(draft.pk)).exists()
    assert run(today=timezone.localdate()).counts["deleted_drafts"] == 0  # done once


def test_members_stated_in_min_side_are_anonymised_with_the_household(
    sara, household, routing
) -> None:
    from husly.people.actions import household_member_state
    from husly.people.models import StatedMember
    from husly.portal.auth import resident_user

    applicant = household.members.get(relation="applicant").person
    resident = resident_user(request=None, national_id=applicant.national_id)
    household_member_state(
        actor=resident,
        household=household,
        data={
            "given_name": "Emil",
            "family_name": "Berg",
            "date_of_birth": dt.date(2019, 5, 1),
            "relation": "child",
        },
    )
    _closed_case(sara, household)
    run(today=AFTER)
    stated = StatedMember.objects.get()
    assert (stated.given_name, stated.national_id, stated.date_of_birth) == (
        "Anonymisert",
        "",
        None,
    )
    assert not ChangeEvent.objects.filter(action="household_member_state").exists()
