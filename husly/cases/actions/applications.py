"""Applications: registering, sending, assigning, referring parts, journal notes, documents
and routing rules (one door in; boligsosial lov § 6, forvaltningsloven § 11a)."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from husly.audit.events import record_change
from husly.cases import selectors
from husly.cases.actions._common import _applicant_id, _journal, _record
from husly.cases.models import (
    Application,
    Assessment,
    Case,
    CaseRouting,
    CaseStatus,
    Document,
    HelpKind,
    JournalNote,
    RoutingRule,
    RoutingStatus,
)
from husly.core.actions import create_audited, once_per_submission, update_audited
from husly.organisation.access import ORGANISATION_WRITE, require_permission
from husly.organisation.models import Unit, User
from husly.people.models import Household

ALLOWED_UPLOADS = {
    "application/pdf": b"%PDF",
    "image/png": b"\x89PNG",
    "image/jpeg": b"\xff\xd8\xff",
}
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def case_for_submission(actor: User, submission_token: uuid.UUID | None) -> Case | None:
    """The case a form submission (its one-time token) created, if it did."""
    if submission_token is None:
        return None
    return Case.objects.filter(submission_token=submission_token, created_by=actor).first()


def case_create(
    *,
    actor: User,
    household: Household,
    channel: str,
    help_kinds: Iterable[str],
    data: Mapping[str, Any],
    submit: bool,
    submission_token: uuid.UUID | None = None,
) -> Case:
    """Register an application for a household: saved as a draft, or submitted at once.

    With a ``submission_token`` (one per form shown) a second send of the same form (a double
    click, a reload) creates nothing and returns the case the first one created."""
    require_permission(
        actor, household.municipality_id, selectors.CASE_WRITE, household_id=household.pk
    )
    return once_per_submission(
        earlier=lambda: case_for_submission(actor, submission_token),
        create=lambda: _case_create(
            actor=actor,
            household=household,
            channel=channel,
            help_kinds=help_kinds,
            data=data,
            submit=submit,
            submission_token=submission_token,
        ),
    )


@transaction.atomic
def _case_create(
    *,
    actor: User,
    household: Household,
    channel: str,
    help_kinds: Iterable[str],
    data: Mapping[str, Any],
    submit: bool,
    submission_token: uuid.UUID | None,
) -> Case:
    kinds = sorted(set(help_kinds))
    if not kinds:
        raise ValidationError({"help_kinds": _("Choose at least one kind of help.")})
    case = Case(
        municipality=household.municipality,
        household=household,
        number=f"tmp-{uuid.uuid4().hex[:12]}",
        channel=channel,
        created_by=actor,
        submission_token=submission_token,
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
    selectors.require_case_role(actor, case, resident=True)
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
    selectors.require_case_role(actor, case, resident=True)
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
    office its dwelling), and taking one's part does not take the others'. Another caseworker
    (``actor``) may give the case to ``caseworker`` only within a unit both work in that holds
    a part of the case."""
    selectors.require_case_role(actor, case)
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if actor.pk != caseworker.pk:
        shared = set(selectors.unit_ids(actor, selectors.CASE_WRITE)) & set(
            selectors.unit_ids(caseworker, selectors.CASE_WRITE)
        )
        if not locked.routings.filter(unit_id__in=shared).exists():
            raise ValidationError(
                _("A case can only be given to a colleague in a unit that holds a part of it.")
            )
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


@transaction.atomic
def case_routing_refer(
    *, actor: User, case: Case, routing: CaseRouting, unit: Unit, reason: str
) -> Case:
    """Send one part of the case (a routing) on to another unit of the municipality, because
    it is that unit's to handle: the part is open again, nobody's yet, and the new unit sees the
    case (one door in: the household does not apply again). Only a caseworker of the unit that
    holds the part sends it on; the reason goes into the journal."""
    selectors.require_case_role(actor, case)
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
    selectors.require_case_role(actor, case, resident=True)
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
    selectors.require_case_role(actor, case)
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
    selectors.require_case_role(actor, case)
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


@transaction.atomic
def routing_rules_set(*, actor: User, municipality: Any, rules: Mapping[str, Any]) -> None:
    """Set which unit handles each kind of help in the municipality (``{help_kind: unit}``;
    ``None`` removes the routing)."""
    require_permission(actor, municipality.pk, ORGANISATION_WRITE)
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
