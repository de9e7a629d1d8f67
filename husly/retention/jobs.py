"""The retention job: anonymise closed cases and the persons in no other case, purge old access
events, and record what it did. Safe to rerun: what is done is recorded in ``Anonymised`` and
never done twice; a dry run does everything inside a transaction that is rolled back.

Rules (settings, docs/decisions/0008-consent-and-retention.md):

- A case is *closed* when it is decided or closed and has no open appeal
  (``husly.cases.models.open_appeals``). Its reference date is the latest of its received
  date, decisions issued, appeals received or decided, and the day it was closed
  (``closed_at``: a case closed years after its last decision keeps its record that long
  after the closing; a reopened case is not closed and waits). After
  ``HUSLY_RETENTION_CLOSED_CASE_YEARS`` the application, journal notes, documents (files
  deleted), assessments' inputs, the note on the closing and legal bases' explanations are
  anonymised, and the change events that hold copies of that free text are deleted (for the
  case itself: its closing and reopening events).
- A deleted draft (``case_draft_delete``) is gone at once; on the next run the change events
  that held copies of its application, notes and documents are deleted too.
- Issued decisions, their letters (with hash) and appeals are archive records (arkivlova and
  the municipality's records schedule): kept unchanged while
  ``HUSLY_RETENTION_KEEP_ISSUED_DECISIONS`` is on (the default). Drafts that were never issued
  are anonymised.
- A person is anonymised when every case of every household they belong to is anonymised and
  no other app still uses them (``husly.retention.hooks``); a household when all its members are.
- Access events older than ``HUSLY_RETENTION_ACCESS_LOG_YEARS`` are deleted.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from husly.audit.events import record_change
from husly.audit.models import AccessEvent, ChangeEvent
from husly.audit.partitions import drop_partitions_before
from husly.cases.models import (
    Appeal,
    Application,
    Assessment,
    Case,
    CaseStatus,
    Decision,
    DecisionStatus,
    Document,
    JournalNote,
    open_appeals,
)
from husly.consent.models import LegalBasis
from husly.people.models import Household, HouseholdMember, Person, StatedMember
from husly.retention.hooks import (
    household_anonymised_handlers,
    persons_in_use_handlers,
    retention_rules,
)
from husly.retention.models import Anonymised

ANON = "[anonymisert]"
RULE_CASE = "closed_case"
RULE_PERSON = "person_no_active_case"
RULE_HOUSEHOLD = "household_no_active_case"
RULE_DELETED_DRAFT = "deleted_draft"
CASE_EVENTS_WITH_TEXT = ["case_close", "case_reopen"]
"""The case's own change events that hold free text (the closing note, the reason)."""
ANON_ASSESSMENT = {
    "anonymised": True,
    "summary": {"nb": "Anonymisert", "nn": "Anonymisert", "en": "Anonymised"},
    "criteria": [],
    "exceptions": [],
}


@dataclass
class Report:
    today: dt.date
    dry_run: bool
    counts: Counter[str] = field(default_factory=Counter)

    def lines(self) -> list[str]:
        keys = [
            "cases",
            "applications",
            "notes",
            "documents",
            "assessments",
            "decisions",
            "appeals",
            "legal_bases",
            "deleted_drafts",
            "persons",
            "households",
            "follow_up_records",
            "change_events_deleted",
            "access_events_deleted",
        ]
        keys += sorted(set(self.counts) - set(keys))  # other apps' jobs (retention.hooks)
        return [f"{key}: {self.counts[key]}" for key in keys]


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def audit_purge(queryset: QuerySet[Any]) -> int:
    """Delete audit events: the one path around the append-only trigger (migration
    audit/0005). Must run inside the job's transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL husly.retention_purge = 'on'")
    try:
        deleted, _by_model = queryset.delete()
    finally:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL husly.retention_purge = 'off'")
    return deleted


def _done(model: type[Model]) -> QuerySet[Anonymised]:
    return Anonymised.objects.filter(object_type=model._meta.label_lower)


def _mark(instance: Model, rule: str) -> None:
    Anonymised.objects.create(
        object_type=instance._meta.label_lower, object_id=str(instance.pk), rule=rule
    )


def closed_cases_due(today: dt.date, years: int) -> list[Case]:
    cutoff = years_before(today, years)
    done = _done(Case).values_list("object_id", flat=True)
    candidates = (
        Case.objects.filter(status__in=[CaseStatus.DECIDED, CaseStatus.CLOSED])
        .exclude(pk__in=[int(i) for i in done])
        .exclude(pk__in=open_appeals().values("decision__case_id"))
        .distinct()
    )
    due = []
    for case in candidates:
        dates = [case.received_on or case.created_at.date()]
        if case.closed_at is not None:
            dates.append(timezone.localtime(case.closed_at).date())
        dates += [d for d in case.decisions.values_list("issued_on", flat=True) if d]
        for received, decided in Appeal.objects.filter(decision__case=case).values_list(
            "received_on", "appeal_body_decided_on"
        ):
            dates += [d for d in (received, decided) if d]
        if max(dates) < cutoff:
            due.append(case)
    return due


def _blank_application(application: Application) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for f in Application._meta.concrete_fields:
        if f.primary_key or f.name == "case":
            continue
        if f.null:
            values[f.attname] = None
        elif f.get_internal_type() == "BooleanField":
            values[f.attname] = False
        else:
            values[f.attname] = ""
    return values


def _purge_events_for(model: type[Model], ids: list[int], report: Report) -> None:
    if ids:
        report.counts["change_events_deleted"] += audit_purge(
            ChangeEvent.objects.filter(
                object_type=model._meta.label_lower, object_id__in=[str(i) for i in ids]
            )
        )


def anonymise_case(case: Case, report: Report, *, keep_issued: bool) -> None:
    counts: Counter[str] = Counter()
    applications = Application.objects.filter(case=case)
    for application in applications:
        Application.objects.filter(pk=application.pk).update(**_blank_application(application))
        counts["applications"] += 1
    _purge_events_for(Application, list(applications.values_list("pk", flat=True)), report)

    notes = list(JournalNote.objects.filter(case=case).values_list("pk", flat=True))
    counts["notes"] = JournalNote.objects.filter(pk__in=notes).update(text=ANON)
    _purge_events_for(JournalNote, notes, report)

    documents = list(Document.objects.filter(case=case))
    for document in documents:
        name = document.file.name
        storage = document.file.storage
        if name:
            transaction.on_commit(partial(storage.delete, name))
        Document.objects.filter(pk=document.pk).update(title=ANON, file="")
    counts["documents"] = len(documents)
    _purge_events_for(Document, [d.pk for d in documents], report)

    kept = (
        Decision.objects.filter(case=case, status=DecisionStatus.ISSUED)
        if keep_issued
        else (Decision.objects.none())
    )
    kept_assessments = set(kept.values_list("assessment_id", flat=True))
    assessments = list(
        Assessment.objects.filter(case=case)
        .exclude(pk__in=[a for a in kept_assessments if a])
        .values_list("pk", flat=True)
    )
    counts["assessments"] = Assessment.objects.filter(pk__in=assessments).update(
        record=ANON_ASSESSMENT
    )
    _purge_events_for(Assessment, assessments, report)

    decisions = list(Decision.objects.filter(case=case).exclude(pk__in=kept))
    for decision in decisions:
        if decision.letter.name:
            transaction.on_commit(partial(decision.letter.storage.delete, decision.letter.name))
        Decision.objects.filter(pk=decision.pk).update(
            facts=ANON, reasoning=ANON, conditions="", return_comment="", letter=""
        )
    counts["decisions"] = len(decisions)
    _purge_events_for(Decision, [d.pk for d in decisions], report)
    appeals = list(Appeal.objects.filter(decision__in=decisions).values_list("pk", flat=True))
    counts["appeals"] = Appeal.objects.filter(pk__in=appeals).update(
        grounds=ANON, reconsideration="", late_reason=""
    )
    _purge_events_for(Appeal, appeals, report)

    bases = list(LegalBasis.objects.filter(case=case).values_list("pk", flat=True))
    counts["legal_bases"] = LegalBasis.objects.filter(pk__in=bases).update(explanation=ANON)
    _purge_events_for(LegalBasis, bases, report)

    if case.close_note:
        Case.objects.filter(pk=case.pk).update(close_note=ANON)
    report.counts["change_events_deleted"] += audit_purge(
        ChangeEvent.objects.filter(
            object_type=Case._meta.label_lower,
            object_id=str(case.pk),
            action__in=CASE_EVENTS_WITH_TEXT,
        )
    )

    _mark(case, RULE_CASE)
    counts["cases"] = 1
    report.counts.update(counts)
    applicant = case.household.members.filter(relation="applicant").first()
    record_change(
        actor=None,
        action="retention_case_anonymise",
        instance=case,
        municipality=case.municipality,
        changes={"rule": RULE_CASE, **{k: [None, v] for k, v in sorted(counts.items())}},
        person_id=applicant.person_id if applicant else None,
    )


def purge_deleted_drafts(report: Report) -> None:
    """Delete the change events that held copies of a deleted draft's application, notes,
    documents and assessments (``case_draft_delete`` names them). The deletion's own event
    stays, marked done in ``Anonymised``."""
    done = _done(ChangeEvent).filter(rule=RULE_DELETED_DRAFT).values_list("object_id", flat=True)
    deletions = ChangeEvent.objects.filter(action="case_draft_delete").exclude(
        pk__in=[int(i) for i in done]
    )
    for deletion in deletions:
        for object_type, (ids, _after) in deletion.changes.items():
            if object_type == "number":
                continue
            report.counts["change_events_deleted"] += audit_purge(
                ChangeEvent.objects.filter(
                    object_type=object_type, object_id__in=[str(i) for i in ids]
                )
            )
        Anonymised.objects.create(
            object_type=ChangeEvent._meta.label_lower,
            object_id=str(deletion.pk),
            rule=RULE_DELETED_DRAFT,
        )
        report.counts["deleted_drafts"] += 1


def _persons_due(households: set[int]) -> list[Person]:
    done_cases = {int(i) for i in _done(Case).values_list("object_id", flat=True)}
    done_persons = {int(i) for i in _done(Person).values_list("object_id", flat=True)}
    candidates = (
        set(
            HouseholdMember.objects.filter(household_id__in=households).values_list(
                "person_id", flat=True
            )
        )
        - done_persons
    )
    due = set()
    for person_id in candidates:
        household_ids = HouseholdMember.objects.filter(person_id=person_id).values_list(
            "household_id", flat=True
        )
        case_ids = set(
            Case.objects.filter(household_id__in=household_ids).values_list("pk", flat=True)
        )
        if case_ids and case_ids <= done_cases:
            due.add(person_id)
    for handler in persons_in_use_handlers:
        due -= handler(set(due))
    return list(Person.objects.filter(pk__in=due))


def anonymise_person(person: Person, report: Report) -> None:
    Person.objects.filter(pk=person.pk).update(
        given_name="Anonymisert",
        family_name=f"P-{person.pk}",
        national_id="",
        date_of_birth=dt.date(person.date_of_birth.year, 1, 1),
        phone="",
        email="",
        address="",
        postal_code="",
        postal_town="",
        needs_interpreter=False,
        residence_permit="unknown",
        residence_permit_valid_until=None,
        registered_municipality_number="",
        registered_since=None,
    )
    _purge_events_for(Person, [person.pk], report)
    _mark(person, RULE_PERSON)
    report.counts["persons"] += 1
    record_change(
        actor=None,
        action="retention_person_anonymise",
        instance=person,
        municipality=person.municipality,
        changes={"rule": RULE_PERSON},
    )


def anonymise_household(household: Household, report: Report) -> None:
    Household.objects.filter(pk=household.pk).update(name=f"H-{household.pk}")
    _purge_events_for(Household, [household.pk], report)
    # Members as stated in Min side: what the household typed about someone, checked or not.
    stated = list(StatedMember.objects.filter(household=household).values_list("pk", flat=True))
    StatedMember.objects.filter(pk__in=stated).update(
        given_name="Anonymisert", family_name="", national_id="", date_of_birth=None
    )
    _purge_events_for(StatedMember, stated, report)
    for handler in household_anonymised_handlers:
        for what, count in handler(household.pk).items():
            report.counts[what] += count
    _mark(household, RULE_HOUSEHOLD)
    report.counts["households"] += 1
    record_change(
        actor=None,
        action="retention_household_anonymise",
        instance=household,
        municipality=household.municipality,
        changes={"rule": RULE_HOUSEHOLD},
    )


def run(*, today: dt.date, dry_run: bool = False) -> Report:
    """One run of every rule. Idempotent; a dry run reports what a real run would do."""
    report = Report(today=today, dry_run=dry_run)
    keep_issued = settings.HUSLY_RETENTION_KEEP_ISSUED_DECISIONS
    with transaction.atomic():
        cases = closed_cases_due(today, settings.HUSLY_RETENTION_CLOSED_CASE_YEARS)
        for case in cases:
            anonymise_case(case, report, keep_issued=keep_issued)
        purge_deleted_drafts(report)
        households = set(
            Case.objects.filter(
                pk__in=[int(i) for i in _done(Case).values_list("object_id", flat=True)]
            ).values_list("household_id", flat=True)
        )
        for person in _persons_due(households):
            anonymise_person(person, report)
        done_persons = {int(i) for i in _done(Person).values_list("object_id", flat=True)}
        done_households = {int(i) for i in _done(Household).values_list("object_id", flat=True)}
        for household in Household.objects.filter(pk__in=households - done_households):
            members = set(household.members.values_list("person_id", flat=True))
            if members and members <= done_persons:
                anonymise_household(household, report)
        for rule in retention_rules:
            rule(today, report)
        cutoff = years_before(today, settings.HUSLY_RETENTION_ACCESS_LOG_YEARS)
        # Whole months first (PostgreSQL: DROP TABLE of a monthly partition, ADR 0023), then
        # the days left of the oldest month kept, row by row.
        _dropped, dropped_rows = drop_partitions_before(cutoff)
        report.counts["access_events_deleted"] = dropped_rows + audit_purge(
            AccessEvent.objects.filter(at__date__lt=cutoff)
        )
        if any(report.counts.values()):
            ChangeEvent.objects.create(
                actor=None,
                action="retention_run",
                object_type="retention.run",
                object_id=today.isoformat(),
                object_repr=f"Retention run {today.isoformat()}",
                changes={k: v for k, v in sorted(report.counts.items()) if v},
            )
        if dry_run:
            transaction.set_rollback(True)
    return report
