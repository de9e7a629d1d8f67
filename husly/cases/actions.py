"""State changes of cases. Each is atomic and writes its audit event in the same transaction.

Sources: forvaltningsloven §§ 11a, 24–25, 27–33 (decisions and appeals, spec/law-and-parameters
§5); boligsosial lov § 6; the municipality's guideline (e.g. Rælingen points 5–7).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from husly.audit.events import diff, record_change, snapshot
from husly.cases import hooks, selectors
from husly.cases.facts import case_facts
from husly.cases.models import (
    Appeal,
    AppealBodyOutcome,
    AppealStatus,
    Application,
    Assessment,
    Case,
    CaseRouting,
    CaseStatus,
    CloseReason,
    Decision,
    DecisionKind,
    DecisionStatus,
    Document,
    HelpKind,
    JournalNote,
    NoteKind,
    RoutingRule,
    RoutingStatus,
    WithdrawnHow,
    open_appeals,
)
from husly.core.actions import create_audited, update_audited
from husly.organisation.access import has_role
from husly.organisation.models import Role, Unit, User
from husly.people.models import ADULT_RELATIONS, Household, Person
from husly.rules import deadlines
from husly.rules import guidelines as g
from husly.rules.params import default_tree

ALLOWED_UPLOADS = {
    "application/pdf": b"%PDF",
    "image/png": b"\x89PNG",
    "image/jpeg": b"\xff\xd8\xff",
}
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
GUIDELINE_KINDS = {HelpKind.RENTAL_DWELLING}
"""Kinds of help the municipality's allocation guideline decides (Rælingen: dwellings without
services). Other kinds are decided on their own rules, outside this guideline."""


def _applicant_id(case: Case) -> int | None:
    member = case.household.members.filter(relation="applicant").first()
    return member.person_id if member else None


def _routings_set(
    actor: User, case: Case, *, old: str, new: str, help_kind: str | None = None
) -> None:
    """Move the case's routings (its units' parts) from ``old`` to ``new`` status, only those
    for ``help_kind`` if given, and audit which ones moved."""
    routings = case.routings.filter(status=old)
    if help_kind is not None:
        routings = routings.filter(help_kind=help_kind)
    kinds = sorted(routings.values_list("help_kind", flat=True))
    if kinds:
        routings.update(status=new)
        _record(actor, "case_routing_status", case, {f"routing:{k}": [old, new] for k in kinds})


def _record(
    actor: User | None, action: str, case: Case, changes: dict[str, Any], instance: Any = None
) -> None:
    record_change(
        actor=actor,
        action=action,
        instance=instance or case,
        municipality=case.municipality,
        changes=changes,
        person_id=_applicant_id(case),
    )


@transaction.atomic
def case_create(
    *,
    actor: User,
    household: Household,
    channel: str,
    help_kinds: Iterable[str],
    data: Mapping[str, Any],
    submit: bool,
) -> Case:
    """Register an application for a household: saved as a draft, or submitted at once."""
    kinds = sorted(set(help_kinds))
    if not kinds:
        raise ValidationError({"help_kinds": _("Choose at least one kind of help.")})
    case = Case(
        municipality=household.municipality,
        household=household,
        number=f"tmp-{uuid.uuid4().hex[:12]}",
        channel=channel,
        created_by=actor,
    )
    case.save()
    case.number = f"{timezone.localdate().year}-{case.pk:06d}"
    case.save(update_fields=["number"])
    application = Application(case=case, **data)
    application.full_clean()
    application.save()
    _record(actor, "case_create", case, {"help_kinds": [None, kinds], "channel": [None, channel]})
    _store_draft_kinds(case, kinds)
    if submit:
        case_submit(actor=actor, case=case)
    return case


def _store_draft_kinds(case: Case, kinds: list[str]) -> None:
    """Until submission the wished kinds of help are kept as unrouted rows (unit resolved at
    submission), so a draft can be completed later."""
    CaseRouting.objects.filter(case=case).delete()
    rules = {
        r.help_kind: r.unit
        for r in RoutingRule.objects.filter(municipality=case.municipality).select_related("unit")
    }
    missing = [k for k in kinds if k not in rules]
    if missing:
        from husly.cases.models import HelpKind

        names = ", ".join(str(HelpKind(k).label).lower() for k in missing)
        raise ValidationError(
            {
                "help_kinds": _(
                    "No unit in the municipality handles: %(kinds)s. "
                    "Ask an administrator to set up the routing."
                )
                % {"kinds": names}
            }
        )
    CaseRouting.objects.bulk_create(
        CaseRouting(case=case, help_kind=kind, unit=rules[kind]) for kind in kinds
    )


@transaction.atomic
def case_update_application(
    *, actor: User, case: Case, help_kinds: Iterable[str] | None, data: Mapping[str, Any]
) -> Case:
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("A closed case cannot be changed. Reopen it first."))
    if case.status == CaseStatus.DECIDED:
        raise ValidationError(_("A decided case cannot be changed. Register a new application."))
    update_audited(
        actor=actor,
        action="application_update",
        instance=case.application,
        data=data,
        municipality=case.municipality,
    )
    if help_kinds is not None and case.status == CaseStatus.DRAFT:
        _store_draft_kinds(case, sorted(set(help_kinds)))
    return case


@transaction.atomic
def case_submit(*, actor: User, case: Case) -> Case:
    """The application is received: it gets a date and is visible to every routed unit."""
    if case.status != CaseStatus.DRAFT:
        raise ValidationError(_("The application has already been submitted."))
    if not case.routings.exists():
        raise ValidationError({"help_kinds": _("Choose at least one kind of help.")})
    if not case.application.housing_kind:
        # The one fact every kind of help needs; the rest may be completed during assessment.
        raise ValidationError(
            {"housing_kind": _("Tell us where the household lives now before you send.")}
        )
    case.status = CaseStatus.SUBMITTED
    case.received_on = timezone.localdate()
    case.save(update_fields=["status", "received_on"])
    _record(
        actor,
        "case_submit",
        case,
        {
            "status": [CaseStatus.DRAFT, CaseStatus.SUBMITTED],
            "units": [None, sorted(case.routings.values_list("unit_id", flat=True))],
        },
    )
    return case


@transaction.atomic
def case_assign(*, actor: User, case: Case, caseworker: User) -> Case:
    """``caseworker`` takes their units' parts of the case (its routings to units where they
    work on cases). They become the case's caseworker too, unless a caseworker of another unit
    already is: one door in, each unit works its own part (NAV its start loan, the housing
    office its dwelling), and taking one's part does not take the others'."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    parts = list(selectors.parts_held_by(caseworker, locked).exclude(assigned_to=caseworker))
    changes: dict[str, Any] = {
        f"routing:{part.help_kind}:assigned_to_id": [part.assigned_to_id, caseworker.pk]
        for part in parts
    }
    locked.routings.filter(pk__in=[part.pk for part in parts]).update(assigned_to=caseworker)
    owner = locked.assigned_to
    units = selectors.unit_ids(caseworker, selectors.CASE_WRITE)
    if owner is None or owner.memberships.filter(unit_id__in=units).exists():
        changes["assigned_to_id"] = [locked.assigned_to_id, caseworker.pk]
        locked.assigned_to = caseworker
    if locked.status == CaseStatus.SUBMITTED:
        changes["status"] = [locked.status, CaseStatus.IN_PROGRESS]
        locked.status = CaseStatus.IN_PROGRESS
    locked.save(update_fields=["assigned_to", "status"])
    _record(actor, "case_assign", locked, changes)
    case.refresh_from_db()
    return case


# --- closing, reopening and deleting ---------------------------------------------------------


def _journal(actor: User, case: Case, text: str) -> JournalNote:
    """The journal note an action writes by itself."""
    note = JournalNote(
        case=case, author=actor, kind=NoteKind.NOTE, held_on=timezone.localdate(), text=text
    )
    return create_audited(
        actor=actor,
        action="journal_note_add",
        instance=note,
        municipality=case.municipality,
        person_id=_applicant_id(case),
    )


def _closing_text(case: Case) -> str:
    """The journal note of a closing, in the municipality's written standard (it is part of
    the case record, whatever language the actor's pages are in)."""
    with translation.override(case.municipality.language_form):
        if case.withdrawn_by is not None:
            how = str(WithdrawnHow(case.withdrawn_how).label)
            text = _("The case was closed: %(person)s withdrew the application (%(how)s).") % {
                "person": case.withdrawn_by.full_name,
                "how": how[:1].lower() + how[1:],  # «på Min side», «per telefon»
            }
        else:
            text = _("The case was closed: %(reason)s.") % {
                "reason": CloseReason(case.close_reason).label
            }
        if case.duplicate_of is not None:
            text += " " + _("It duplicates case %(number)s.") % {"number": case.duplicate_of.number}
    return f"{text}\n\n{case.close_note}" if case.close_note else text


def _decision_name(decision: Decision) -> str:
    return f"{decision.get_kind_display()} – {str(decision.get_help_kind_display()).lower()}"


def _check_closable(case: Case, reason: str) -> None:
    """What every closing needs (no decision half made, no appeal being handled), and for a
    completed case: something decided, and every issued decision past its appeal period or
    its appeal decided."""
    pending = case.decisions.exclude(
        status__in=[DecisionStatus.ISSUED, DecisionStatus.DISCARDED]
    ).first()
    if pending is not None:
        raise ValidationError(
            _(
                "The decision “%(decision)s” is not issued. Issue it or discard it before you "
                "close the case."
            )
            % {"decision": _decision_name(pending)}
        )
    if open_appeals().filter(decision__case=case).exists():
        raise ValidationError(
            _(
                "An appeal in the case is still being handled. Close the case when the appeal "
                "has been decided."
            )
        )
    if reason != CloseReason.COMPLETED:
        return
    issued = list(case.decisions.filter(status=DecisionStatus.ISSUED).order_by("pk"))
    if not issued:
        raise ValidationError(
            {
                "reason": _(
                    "Nothing has been decided in the case, so it is not completed. "
                    "Choose another reason."
                )
            }
        )
    today = timezone.localdate()
    for decision in issued:
        if not decision.is_appealable or decision.notified_on is None:
            continue
        if decision.appeals.exists():
            continue  # appealed, and (above) no longer being handled
        due = deadlines.appeal_deadline(decision.notified_on)
        if due >= today:
            raise ValidationError(
                {
                    "reason": _(
                        "The household can appeal the decision “%(decision)s” until %(date)s. "
                        "Close the case as completed after that date."
                    )
                    % {"decision": _decision_name(decision), "date": due.strftime("%d.%m.%Y")}
                }
            )


def _closing_errors(
    case: Case,
    *,
    reason: str,
    note: str,
    withdrawn_by: Person | None,
    withdrawn_how: str,
    duplicate_of: Case | None,
) -> dict[str, str]:
    """What the reason needs: who withdrew and how, the other case, a note."""
    errors: dict[str, str] = {}
    if reason not in CloseReason.values:
        errors["reason"] = _("Choose why the case is closed.")
    if reason == CloseReason.OTHER and not note:
        errors["note"] = _("Write why the case is closed.")
    if reason == CloseReason.WITHDRAWN:
        adults = case.household.members.filter(relation__in=ADULT_RELATIONS)
        if withdrawn_by is None or not adults.filter(person=withdrawn_by).exists():
            errors["withdrawn_by"] = _(
                "Choose the adult in the household who withdrew the application."
            )
        if withdrawn_how not in WithdrawnHow.values:
            errors["withdrawn_how"] = _("Say how the application was withdrawn.")
    if reason == CloseReason.DUPLICATE:
        if duplicate_of is None:
            errors["duplicate_of"] = _("Give the number of the case this one duplicates.")
        elif duplicate_of.pk == case.pk or duplicate_of.municipality_id != case.municipality_id:
            errors["duplicate_of"] = _("Give another case in the same municipality.")
        elif duplicate_of.duplicate_of_id == case.pk:
            errors["duplicate_of"] = _(
                "Case %(number)s is closed as a duplicate of this one. Reopen it first."
            ) % {"number": duplicate_of.number}
    return errors


@transaction.atomic
def case_close(
    *,
    actor: User,
    case: Case,
    reason: str,
    note: str = "",
    withdrawn_by: Person | None = None,
    withdrawn_how: str = "",
    duplicate_of: Case | None = None,
) -> Case:
    """Close a received case: it leaves the work lists, and its retention period runs from
    the closing. Refused while a decision is drafted but not issued or an appeal is being
    handled. *Completed* needs an issued decision whose appeal period is over (or whose
    appeal is decided). A *withdrawn* application needs no decision (forvaltningsloven);
    who in the household withdrew it and how are recorded. A *duplicate* names the other
    case; *other* needs a note. A journal note is written, and the ``on_case_closed``
    handlers run in the same transaction (a waiting-list entry may end, ADR 0012)."""
    locked = Case.objects.select_for_update().select_related("household").get(pk=case.pk)
    if locked.status == CaseStatus.DRAFT:
        raise ValidationError(
            _("A draft has not been received, so it cannot be closed. Delete it instead.")
        )
    if locked.status == CaseStatus.CLOSED:
        raise ValidationError(_("The case is already closed."))
    note = note.strip()
    errors = _closing_errors(
        locked,
        reason=reason,
        note=note,
        withdrawn_by=withdrawn_by,
        withdrawn_how=withdrawn_how,
        duplicate_of=duplicate_of,
    )
    if errors:
        raise ValidationError(errors)
    _check_closable(locked, reason)
    before = snapshot(locked)
    withdrawn = reason == CloseReason.WITHDRAWN
    locked.status = CaseStatus.CLOSED
    locked.closed_at = timezone.now()
    locked.closed_by = actor
    locked.close_reason = reason
    locked.close_note = note
    locked.withdrawn_by = withdrawn_by if withdrawn else None
    locked.withdrawn_how = withdrawn_how if withdrawn else ""
    locked.duplicate_of = duplicate_of if reason == CloseReason.DUPLICATE else None
    locked.full_clean()
    locked.save()
    _record(actor, "case_close", locked, diff(before, snapshot(locked)))
    _routings_set(actor, locked, old=RoutingStatus.OPEN, new=RoutingStatus.DONE)
    _journal(actor, locked, _closing_text(locked))
    for handler in hooks.case_closed_handlers:
        handler(locked, actor)
    case.refresh_from_db()
    return case


@transaction.atomic
def case_reopen(*, actor: User, case: Case, reason: str) -> Case:
    """Open a closed case again because new information has arrived (``reason`` says what).
    It goes back to its caseworker, or to its units' new cases when it has none. What the
    closing ended elsewhere stays ended: a waiting-list entry is not restored (ADR 0012)."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status != CaseStatus.CLOSED:
        raise ValidationError(_("The case is not closed."))
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say what new information makes it necessary to reopen the case.")}
        )
    before = snapshot(locked)
    locked.status = CaseStatus.IN_PROGRESS if locked.assigned_to_id else CaseStatus.SUBMITTED
    locked.closed_at = None
    locked.closed_by = None
    locked.close_reason = ""
    locked.close_note = ""
    locked.withdrawn_by = None
    locked.withdrawn_how = ""
    locked.duplicate_of = None
    locked.reopened_at = timezone.now()
    locked.full_clean()
    locked.save()
    _record(
        actor, "case_reopen", locked, {**diff(before, snapshot(locked)), "reason": [None, reason]}
    )
    _routings_set(actor, locked, old=RoutingStatus.DONE, new=RoutingStatus.OPEN)
    with translation.override(locked.municipality.language_form):
        text = _("The case was reopened: %(reason)s") % {"reason": reason}
    _journal(actor, locked, text)
    case.refresh_from_db()
    return case


@transaction.atomic
def case_routing_refer(
    *, actor: User, case: Case, routing: CaseRouting, unit: Unit, reason: str
) -> Case:
    """Send one part of the case (a routing) on to another unit of the municipality, because
    it is that unit's to handle: the part is open again, nobody's yet, and the new unit sees the
    case (one door in: the household does not apply again). Only a caseworker of the unit that
    holds the part sends it on; the reason goes into the journal."""
    locked = CaseRouting.objects.select_for_update().select_related("unit").get(pk=routing.pk)
    if locked.case_id != case.pk:
        raise ValueError("the routing belongs to another case")
    if case.status in {CaseStatus.DRAFT, CaseStatus.CLOSED}:
        raise ValidationError(_("Only a received case that is not closed can be sent on."))
    if locked.unit_id not in selectors.unit_ids(actor, selectors.CASE_WRITE):
        raise ValidationError(_("Only the unit that holds this part can send it on."))
    if unit.municipality_id != case.municipality_id or unit.pk == locked.unit_id:
        raise ValidationError({"unit": _("Choose another unit in the municipality.")})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the other unit is to handle it.")})
    old_unit, part = locked.unit, f"routing:{locked.help_kind}"
    changes = {
        f"{part}:unit_id": [old_unit.pk, unit.pk],
        f"{part}:assigned_to_id": [locked.assigned_to_id, None],
        "reason": [None, reason],
    }
    locked.unit, locked.assigned_to, locked.status = unit, None, RoutingStatus.OPEN
    locked.save(update_fields=["unit", "assigned_to", "status"])
    _record(actor, "case_routing_refer", case, changes)
    with translation.override(case.municipality.language_form):
        text = _("«%(part)s» was sent on from %(old)s to %(new)s: %(reason)s") % {
            "part": HelpKind(locked.help_kind).label,
            "old": old_unit.name,
            "new": unit.name,
            "reason": reason,
        }
    _journal(actor, case, text)
    return case


@transaction.atomic
def case_draft_delete(*, actor: User, case: Case) -> None:
    """Delete an application that was never sent, with its attachments. A sent application
    is withdrawn instead (``case_close``). The change event names the records that went, so
    the retention job can remove the copies of their contents from the audit log."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status != CaseStatus.DRAFT:
        raise ValidationError(
            _("Only a draft can be deleted. An application that has been sent is withdrawn.")
        )
    documents = list(locked.documents.all())
    gone: dict[str, list[Any]] = {"number": [locked.number, None]}
    for model, queryset in (
        (Application, Application.objects.filter(case=locked)),
        (JournalNote, locked.notes.all()),
        (Document, locked.documents.all()),
        (Assessment, locked.assessments.all()),
    ):
        ids = sorted(queryset.values_list("pk", flat=True))
        if ids:
            gone[model._meta.label_lower] = [ids, None]
    _record(actor, "case_draft_delete", locked, gone)
    try:
        locked.delete()
    except ProtectedError as error:
        raise ValidationError(
            _("The draft is linked to other records and cannot be deleted.")
        ) from error
    for document in documents:
        if document.file.name:
            transaction.on_commit(partial(document.file.storage.delete, document.file.name))


@transaction.atomic
def journal_note_add(*, actor: User, case: Case, data: Mapping[str, Any]) -> JournalNote:
    note = JournalNote(case=case, author=actor, **data)
    if note.held_on and note.held_on > timezone.localdate():
        raise ValidationError({"held_on": _("The date cannot be in the future.")})
    return create_audited(
        actor=actor,
        action="journal_note_add",
        instance=note,
        municipality=case.municipality,
        person_id=_applicant_id(case),
    )


@transaction.atomic
def document_add(*, actor: User, case: Case, title: str, upload: UploadedFile) -> Document:
    """Store an attachment after checking its size and that its content is what it claims."""
    if upload.size is None or upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": _("The file is larger than 10 MB.")})
    head = upload.read(8)
    upload.seek(0)
    kind = next((ct for ct, magic in ALLOWED_UPLOADS.items() if head.startswith(magic)), None)
    if kind is None:
        raise ValidationError({"file": _("Only PDF, PNG and JPEG files can be attached.")})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    document = Document(
        case=case,
        title=title or upload.name or "vedlegg",
        content_type=kind,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    document.file.save(f"{digest.hexdigest()[:16]}.{kind.split('/')[1]}", upload, save=False)
    return create_audited(
        actor=actor,
        action="document_add",
        instance=document,
        municipality=case.municipality,
        person_id=_applicant_id(case),
    )


def grunnbelop_on(day: dt.date) -> int:
    """The grunnbeløp (G) in force on ``day`` (folketrygdloven § 1-4; dated parameter)."""
    return round(default_tree().at("national.basic_amount_g", day).value)


def guideline_for(case: Case, on: dt.date) -> g.GuidelineSet:
    sets = g.sets_for(case.municipality.number, on, include_examples=True)
    if not sets:
        raise ValidationError(
            _("The municipality has no guideline in force on %(date)s.")
            % {"date": on.strftime("%d.%m.%Y")}
        )
    return sets[0]


@transaction.atomic
def assessment_run(
    *,
    actor: User,
    case: Case,
    judgements: Mapping[str, tuple[str, str]] = {},
    exceptions: Mapping[str, str] = {},
    on: dt.date | None = None,
) -> Assessment:
    """Assess the case against the municipality's guideline in force, with the caseworker's
    judgements ``{criterion_id: (outcome, reason)}`` and invoked exceptions
    ``{exception_id: reason}``, each used for every criterion the guideline lets it cover;
    store every input and result."""
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("The case is closed. Reopen it to assess it again."))
    day = on or timezone.localdate()
    guideline = guideline_for(case, day)
    covers = {spec.id: spec.applies_to for spec in guideline.exceptions}
    unknown = sorted(set(exceptions) - set(covers))
    if unknown:
        raise ValidationError(_("Unknown exception: %(ids)s.") % {"ids": ", ".join(unknown)})
    facts = case_facts(case, assessed_on=day)
    try:
        result = g.evaluate(
            guideline,
            facts,
            grunnbelop=grunnbelop_on(day),
            assessments=[
                g.CaseworkerAssessment(criterion_id=cid, outcome=g.Outcome(outcome), reason=reason)
                for cid, (outcome, reason) in judgements.items()
            ],
            invoked_exceptions=[
                g.InvokedException(
                    exception_id=eid,
                    criterion_ids=tuple(covers[eid]),
                    reason=reason,
                    invoked_by=actor.username,
                )
                for eid, reason in exceptions.items()
            ],
        )
    except g.InvalidInputError as exc:
        raise ValidationError(str(exc)) from exc
    assessment = Assessment.objects.create(
        case=case,
        guideline_set_id=guideline.id,
        guideline_version=guideline.version,
        outcome=result.outcome.value,
        record=result.to_dict(),
        grunnbelop=grunnbelop_on(day),
        assessed_on=day,
        created_by=actor,
    )
    if case.status == CaseStatus.SUBMITTED:
        case.status = CaseStatus.IN_PROGRESS
        case.save(update_fields=["status"])
    _record(
        actor,
        "assessment_run",
        case,
        {"outcome": [None, result.outcome.value], "guideline": [None, guideline.id]},
        instance=assessment,
    )
    return assessment


@transaction.atomic
def decision_draft(
    *, actor: User, case: Case, data: Mapping[str, Any], replaces: Decision | None = None
) -> Decision:
    if case.status in {CaseStatus.DRAFT, CaseStatus.CLOSED}:
        raise ValidationError(_("Only a received case can be decided."))
    assessment = case.assessments.first()
    if data.get("help_kind") in GUIDELINE_KINDS and assessment is not None:
        # Rules-as-code: the decision follows the stored assessment, never a silent pass.
        if assessment.outcome == g.OverallOutcome.NEEDS_JUDGEMENT:
            raise ValidationError(
                _(
                    "The assessment still has criteria that need your judgement. "
                    "Complete the assessment before you decide."
                )
            )
        meets = assessment.outcome in {
            g.OverallOutcome.MEETS,
            g.OverallOutcome.MEETS_WITH_EXCEPTION,
        }
        if data.get("kind") == DecisionKind.APPROVAL and not meets:
            raise ValidationError(
                {
                    "kind": _(
                        "The assessment says the criteria are not met, so "
                        "the outcome cannot be an approval. Use an exception "
                        "with reasons if one applies."
                    )
                }
            )
        if data.get("kind") == DecisionKind.REFUSAL and meets:
            raise ValidationError(
                {
                    "kind": _(
                        "The assessment says the criteria are met, so the "
                        "outcome cannot be a refusal."
                    )
                }
            )
    elif data.get("help_kind") in GUIDELINE_KINDS and data.get("kind") == DecisionKind.APPROVAL:
        raise ValidationError(_("Assess the case against the guideline before you decide."))
    applicant = case.household.members.filter(relation="applicant").select_related("person").first()
    decision = Decision(
        case=case,
        drafted_by=actor,
        replaces=replaces,
        assessment=assessment,
        language=applicant.person.language_form if applicant else "nb",
        **data,
    )
    return create_audited(
        actor=actor,
        action="decision_draft",
        instance=decision,
        municipality=case.municipality,
        person_id=_applicant_id(case),
    )


def _editable(decision: Decision) -> None:
    if decision.status == DecisionStatus.ISSUED:
        raise ValidationError(
            _("An issued decision cannot be changed. Draft a new decision that replaces it.")
        )
    if decision.status == DecisionStatus.DISCARDED:
        raise ValidationError(_("A discarded decision cannot be changed. Draft a new one."))


@transaction.atomic
def decision_update(*, actor: User, decision: Decision, data: Mapping[str, Any]) -> Decision:
    _editable(decision)
    decision.status = DecisionStatus.DRAFT
    return update_audited(
        actor=actor,
        action="decision_update",
        instance=decision,
        data=data,
        municipality=decision.case.municipality,
    )


@transaction.atomic
def decision_submit(*, actor: User, decision: Decision) -> Decision:
    """Send the draft for approval; where the municipality does not require four eyes it is
    approved at once."""
    _editable(decision)
    if decision.status != DecisionStatus.DRAFT:
        raise ValidationError(_("Only a draft can be sent for approval."))
    four_eyes = decision.case.municipality.decision_requires_approval
    new = DecisionStatus.AWAITING_APPROVAL if four_eyes else DecisionStatus.APPROVED
    return update_audited(
        actor=actor,
        action="decision_submit",
        instance=decision,
        data={"status": new, "return_comment": ""},
        municipality=decision.case.municipality,
    )


@transaction.atomic
def decision_approve(*, actor: User, decision: Decision) -> Decision:
    """The second person approves (four eyes): never the one who drafted it."""
    if decision.status != DecisionStatus.AWAITING_APPROVAL:
        raise ValidationError(_("The decision is not waiting for approval."))
    if decision.drafted_by_id == actor.pk:
        raise ValidationError(
            _("The decision must be approved by someone other than the caseworker who drafted it.")
        )
    if not has_role(actor, decision.case.municipality_id, {Role.APPROVER}):
        raise ValidationError(_("Only an approver can approve decisions."))
    return update_audited(
        actor=actor,
        action="decision_approve",
        instance=decision,
        data={"status": DecisionStatus.APPROVED, "approved_by": actor},
        municipality=decision.case.municipality,
    )


@transaction.atomic
def decision_return(*, actor: User, decision: Decision, comment: str) -> Decision:
    if decision.status != DecisionStatus.AWAITING_APPROVAL:
        raise ValidationError(_("The decision is not waiting for approval."))
    if not comment.strip():
        raise ValidationError({"comment": _("Say what must be changed.")})
    return update_audited(
        actor=actor,
        action="decision_return",
        instance=decision,
        data={"status": DecisionStatus.DRAFT, "return_comment": comment},
        municipality=decision.case.municipality,
    )


@transaction.atomic
def decision_discard(*, actor: User, decision: Decision) -> Decision:
    """Set aside a decision that was drafted but will not be issued (the application was
    withdrawn, or it was drafted by mistake). It stays in the case, marked discarded, and no
    longer replaces the decision it was drafted to replace, so a new one can."""
    locked = Decision.objects.select_for_update().get(pk=decision.pk)
    if locked.status == DecisionStatus.ISSUED:
        raise ValidationError(
            _("An issued decision cannot be discarded. Draft a new decision that replaces it.")
        )
    if locked.status == DecisionStatus.DISCARDED:
        raise ValidationError(_("The decision is already discarded."))
    return update_audited(
        actor=actor,
        action="decision_discard",
        instance=decision,
        data={"status": DecisionStatus.DISCARDED, "replaces": None},
        municipality=decision.case.municipality,
    )


@transaction.atomic
def decision_issue(
    *, actor: User, decision: Decision, notified_on: dt.date | None = None
) -> Decision:
    """Issue the approved decision: the letter is generated once, stored with its hash, and the
    decision never changes after this. A decision it replaces stays as it was."""
    from husly.cases.letters import render_decision_letter

    locked = Decision.objects.select_for_update().get(pk=decision.pk)
    if locked.status != DecisionStatus.APPROVED:
        raise ValidationError(_("Only an approved decision can be issued."))
    today = timezone.localdate()
    decision.status = DecisionStatus.ISSUED
    decision.issued_on = today
    decision.notified_on = notified_on or today
    pdf = render_decision_letter(decision)
    digest = hashlib.sha256(pdf).hexdigest()
    decision.letter.save(
        f"vedtak-{decision.case.number}-{decision.pk}.pdf", ContentFile(pdf), save=False
    )
    decision.letter_sha256 = digest
    decision.save()
    case = decision.case
    case.status = CaseStatus.DECIDED
    case.save(update_fields=["status"])
    _record(
        actor,
        "decision_issue",
        case,
        {
            "status": [DecisionStatus.APPROVED, DecisionStatus.ISSUED],
            "kind": [None, decision.kind],
            "letter_sha256": [None, digest],
        },
        instance=decision,
    )
    # The unit that handles this kind of help has done its part; other units' parts stay open.
    _routings_set(
        actor, case, old=RoutingStatus.OPEN, new=RoutingStatus.DONE, help_kind=decision.help_kind
    )
    for handler in hooks.decision_issued_handlers:
        handler(decision, actor)
    return decision


@transaction.atomic
def appeal_register(
    *,
    actor: User,
    decision: Decision,
    received_on: dt.date,
    grounds: str,
    posted_on: dt.date | None = None,
    consider_late: bool = False,
    late_reason: str = "",
) -> Appeal:
    """Register an appeal (forvaltningsloven §§ 28–32). A late appeal is refused unless the
    caseworker decides to consider it anyway under § 31, with a reason."""
    if not decision.is_appealable:
        raise ValidationError(
            _(
                "This decision cannot be appealed: refusals of a swap are final "
                "under the municipality's guideline (point 7.6)."
            )
        )
    if decision.status != DecisionStatus.ISSUED or decision.notified_on is None:
        raise ValidationError(_("Only an issued decision can be appealed."))
    if received_on < decision.notified_on or (posted_on and posted_on < decision.notified_on):
        raise ValidationError(
            {
                "received_on": _(
                    "The appeal cannot be dated before the decision was notified (%(date)s)."
                )
                % {"date": decision.notified_on.strftime("%d.%m.%Y")}
            }
        )
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("The date cannot be in the future.")})
    if posted_on and posted_on > received_on:
        raise ValidationError(
            {"posted_on": _("The appeal cannot have been posted after it was received.")}
        )
    if not grounds.strip():
        raise ValidationError({"grounds": _("Write what the household wants changed.")})
    due = deadlines.appeal_deadline(decision.notified_on)
    in_time = deadlines.is_appeal_in_time(decision.notified_on, received_on, posted_on=posted_on)
    if not in_time and not (consider_late and late_reason.strip()):
        raise ValidationError(
            {
                "received_on": _(
                    "The appeal came after the deadline (%(date)s). "
                    "It can only be considered if you decide so under forvaltningsloven § 31 "
                    "and give the reason."
                )
                % {"date": due.strftime("%d.%m.%Y")}
            }
        )
    case = decision.case
    if case.status == CaseStatus.CLOSED:
        with translation.override(case.municipality.language_form):
            why = _("An appeal was received on %(date)s.") % {
                "date": received_on.strftime("%d.%m.%Y")
            }
        case_reopen(actor=actor, case=case, reason=why)
    appeal = Appeal(
        decision=decision,
        received_on=received_on,
        posted_on=posted_on,
        grounds=grounds,
        deadline=due,
        in_time=in_time,
        late_reason=late_reason if not in_time else "",
        registered_by=actor,
    )
    return create_audited(
        actor=actor,
        action="appeal_register",
        instance=appeal,
        municipality=decision.case.municipality,
        person_id=_applicant_id(decision.case),
    )


@transaction.atomic
def appeal_reconsider(*, actor: User, appeal: Appeal, change: bool, reasoning: str) -> Appeal:
    """The first instance reconsiders (§ 33 second paragraph): it changes the decision (a new
    decision is then drafted that replaces it) or upholds it and prepares to forward it."""
    if appeal.status != AppealStatus.REGISTERED:
        raise ValidationError(_("The appeal has already been reconsidered."))
    if not reasoning.strip():
        raise ValidationError({"reasoning": _("Give the reasons for the reconsideration.")})
    status = AppealStatus.CHANGED if change else AppealStatus.UPHELD
    update_audited(
        actor=actor,
        action="appeal_reconsider",
        instance=appeal,
        data={"status": status, "reconsideration": reasoning},
        municipality=appeal.decision.case.municipality,
    )
    if change:
        case = appeal.decision.case
        case.status = CaseStatus.IN_PROGRESS
        case.save(update_fields=["status"])
    return appeal


@transaction.atomic
def appeal_forward(*, actor: User, appeal: Appeal) -> Appeal:
    """Send an upheld appeal to the appeal body with the full case record (a PDF stored on the
    case as a document)."""
    from husly.cases.letters import render_case_record

    if appeal.status != AppealStatus.UPHELD:
        raise ValidationError(_("Only an appeal the first instance has upheld can be sent on."))
    case = appeal.decision.case
    pdf = render_case_record(appeal)
    digest = hashlib.sha256(pdf).hexdigest()
    document = Document(
        case=case,
        title=_("Case record sent to the appeal body"),
        content_type="application/pdf",
        size=len(pdf),
        sha256=digest,
        uploaded_by=actor,
    )
    document.file.save(
        f"saksdokumenter-{case.number}-{appeal.pk}.pdf", ContentFile(pdf), save=False
    )
    document.save()
    return update_audited(
        actor=actor,
        action="appeal_forward",
        instance=appeal,
        data={
            "status": AppealStatus.FORWARDED,
            "forwarded_on": timezone.localdate(),
            "appeal_body": case.municipality.appeal_body,
        },
        municipality=case.municipality,
    )


@transaction.atomic
def appeal_body_outcome_record(
    *, actor: User, appeal: Appeal, outcome: str, decided_on: dt.date
) -> Appeal:
    if appeal.status != AppealStatus.FORWARDED:
        raise ValidationError(_("The appeal has not been sent to the appeal body."))
    if outcome not in AppealBodyOutcome.values:
        raise ValidationError({"outcome": _("Unknown outcome.")})
    if appeal.forwarded_on and decided_on < appeal.forwarded_on:
        raise ValidationError({"decided_on": _("The date cannot be before the appeal was sent.")})
    update_audited(
        actor=actor,
        action="appeal_body_outcome_record",
        instance=appeal,
        data={
            "status": AppealStatus.CLOSED,
            "appeal_body_outcome": outcome,
            "appeal_body_decided_on": decided_on,
        },
        municipality=appeal.decision.case.municipality,
    )
    if outcome != AppealBodyOutcome.UPHELD:
        case = appeal.decision.case
        case.status = CaseStatus.IN_PROGRESS
        case.save(update_fields=["status"])
    return appeal


@transaction.atomic
def routing_rules_set(*, actor: User, municipality: Any, rules: Mapping[str, Any]) -> None:
    """Set which unit handles each kind of help in the municipality (``{help_kind: unit}``;
    ``None`` removes the routing)."""
    for help_kind, unit in rules.items():
        existing = RoutingRule.objects.filter(
            municipality=municipality, help_kind=help_kind
        ).first()
        before = existing.unit_id if existing else None
        after = unit.pk if unit else None
        if before == after:
            continue
        if unit is not None and unit.municipality_id != municipality.pk:
            raise ValidationError(_("The unit belongs to another municipality."))
        if unit is None:
            existing.delete()  # type: ignore[union-attr]
        elif existing is None:
            existing = RoutingRule.objects.create(
                municipality=municipality, help_kind=help_kind, unit=unit
            )
        else:
            existing.unit = unit
            existing.save(update_fields=["unit"])
        record_change(
            actor=actor,
            action="routing_rule_set",
            instance=municipality,
            municipality=municipality,
            changes={help_kind: [before, after]},
        )
