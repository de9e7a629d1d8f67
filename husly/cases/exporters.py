"""The person's cases in the art. 15 export: cases with their routings, applications,
decisions (with the letter's hash), appeals, consents and legal bases for sharing, and in the
full export also journal notes, the list of documents and the assessments against the
guideline. Imported by ``husly.audit.export.autodiscover``.

Every case of every household in the scope is included: the application and the decisions are
about the household, so about the person too. A kind with no records adds no section. Min
side's own download (``scope.self_service``) leaves out what Min side does not show: decision
drafts never issued, journal notes, documents and assessments (the full export has them).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from husly.audit.export import Scope, Section, plain, register
from husly.cases.models import (
    Appeal,
    Application,
    Assessment,
    Case,
    CaseRouting,
    DeadlineAlert,
    Decision,
    DecisionStatus,
    Document,
    JournalNote,
    PreliminaryReply,
)
from husly.consent.models import Consent, LegalBasis
from husly.people.models import Person


def _cases(scope: Scope) -> QuerySet[Case]:
    return (
        Case.objects.filter(household_id__in=scope.household_ids)
        .order_by("pk")
        .select_related("household", "assigned_to", "withdrawn_by")
    )


def _value(instance: Any, field: Any) -> Any:
    if field.choices:
        return str(getattr(instance, f"get_{field.name}_display")())
    return plain(getattr(instance, field.attname))


@register("cases", order=40, models=[Case, CaseRouting])
def export_cases(person: Person, scope: Scope) -> Section | None:
    rows = [
        {
            "number": case.number,
            "household": case.household.name,
            "status": case.get_status_display(),
            "channel": case.get_channel_display(),
            "received_on": plain(case.received_on),
            "help": ", ".join(
                f"{r.get_help_kind_display()} ({r.unit.name})"
                for r in case.routings.select_related("unit")
            ),
            "caseworker": case.assigned_to.get_full_name() if case.assigned_to else "",
            "closed": _closed(case),
        }
        for case in _cases(scope)
    ]
    if not rows:
        return None
    return Section(
        key="cases",
        title=_("Cases"),
        fields=[
            ("number", _("Case number")),
            ("household", _("Household")),
            ("status", _("Status")),
            ("channel", _("Received by")),
            ("received_on", _("Received")),
            ("help", _("Help asked for and the units that act")),
            ("caseworker", _("Caseworker")),
            ("closed", _("Closed")),
        ],
        rows=rows,
    )


def _closed(case: Case) -> str:
    """When and why the case was closed, and who withdrew it."""
    if case.closed_at is None:
        return ""
    text = f"{plain(timezone.localtime(case.closed_at).date())}: {case.get_close_reason_display()}"
    if case.withdrawn_by is not None:
        text += f" ({case.withdrawn_by.full_name}, {case.get_withdrawn_how_display()})"
    return text


@register("applications", order=41, models=[Application])
def export_applications(person: Person, scope: Scope) -> Section | None:
    fields = [
        f for f in Application._meta.concrete_fields if not f.primary_key and f.name != "case"
    ]
    rows = []
    for application in Application.objects.filter(case__in=_cases(scope)).select_related("case"):
        row = {"case": application.case.number}
        row.update({f.name: _value(application, f) for f in fields})
        rows.append(row)
    if not rows:
        return None
    return Section(
        key="applications",
        title=_("Applications"),
        fields=[("case", _("Case number"))]
        + [(f.name, str(f.verbose_name).capitalize()) for f in fields],
        rows=rows,
    )


@register("decisions", order=50, models=[Decision])
def export_decisions(person: Person, scope: Scope) -> Section | None:
    decisions = (
        Decision.objects.filter(case__in=_cases(scope))
        .select_related("case")
        .order_by("created_at", "pk")
    )
    if scope.self_service:
        decisions = decisions.filter(status=DecisionStatus.ISSUED)
    rows = [
        {
            "case": d.case.number,
            "help_kind": d.get_help_kind_display(),
            "kind": d.get_kind_display(),
            "status": d.get_status_display(),
            "issued_on": plain(d.issued_on),
            "notified_on": plain(d.notified_on),
            "facts": d.facts,
            "reasoning": d.reasoning,
            "conditions": d.conditions,
            "letter_sha256": d.letter_sha256,
        }
        for d in decisions
    ]
    if not rows:
        return None
    return Section(
        key="decisions",
        title=_("Decisions"),
        fields=[
            ("case", _("Case number")),
            ("help_kind", _("Kind of help")),
            ("kind", _("Outcome")),
            ("status", _("Status")),
            ("issued_on", _("Issued")),
            ("notified_on", _("Notified")),
            ("facts", _("The facts the decision is based on")),
            ("reasoning", _("Reasoning")),
            ("conditions", _("Conditions")),
            ("letter_sha256", _("Letter checksum (SHA-256)")),
        ],
        rows=rows,
        note=_("The checksum identifies the letter exactly as it was sent."),
    )


def _label(model: type[Any], name: str) -> str:
    return capfirst(str(model._meta.get_field(name).verbose_name))


@register("preliminary_replies", order=51, models=[PreliminaryReply])
def export_preliminary_replies(person: Person, scope: Scope) -> Section | None:
    """The preliminary replies (fvl. § 11a) sent to the household, with the letter's hash."""
    replies = (
        PreliminaryReply.objects.filter(case__in=_cases(scope))
        .select_related("case")
        .order_by("sent_on", "pk")
    )
    rows = [
        {
            "case": r.case.number,
            "sent_on": plain(r.sent_on),
            "reason": r.reason,
            "expected_by": plain(r.expected_by),
            "letter_sha256": r.letter_sha256,
        }
        for r in replies
    ]
    if not rows:
        return None
    return Section(
        key="preliminary_replies",
        title=_("Preliminary replies (fvl. § 11a)"),
        fields=[
            ("case", _("Case number")),
            ("sent_on", _("Date")),
            ("reason", _label(PreliminaryReply, "reason")),
            ("expected_by", _label(PreliminaryReply, "expected_by")),
            ("letter_sha256", _("Letter checksum (SHA-256)")),
        ],
        rows=rows,
        note=_("The checksum identifies the letter exactly as it was sent."),
    )


@register("deadline_alerts", order=52, models=[DeadlineAlert])
def export_deadline_alerts(person: Person, scope: Scope) -> Section | None:
    """The deadlines of the household's cases that the daily job raised for the caseworkers."""
    alerts = (
        DeadlineAlert.objects.filter(case__in=_cases(scope))
        .select_related("case")
        .order_by("due", "pk")
    )
    rows = [
        {
            "case": a.case.number,
            "what": a.what,
            "due": plain(a.due),
            "raised_on": plain(a.raised_on),
            "resolved_on": plain(a.resolved_on),
        }
        for a in alerts
    ]
    if not rows:
        return None
    return Section(
        key="deadline_alerts",
        title=_("Deadline alerts to the caseworkers"),
        fields=[
            ("case", _("Case number")),
            ("what", _("Deadline")),
            ("due", _("Due")),
            ("raised_on", _("Raised")),
            ("resolved_on", _("Resolved")),
        ],
        rows=rows,
    )


@register("appeals", order=55, models=[Appeal])
def export_appeals(person: Person, scope: Scope) -> Section | None:
    appeals = Appeal.objects.filter(decision__case__in=_cases(scope)).select_related(
        "decision__case"
    )
    rows = [
        {
            "case": a.decision.case.number,
            "received_on": plain(a.received_on),
            "grounds": a.grounds,
            "status": a.get_status_display(),
            "forwarded_on": plain(a.forwarded_on),
            "appeal_body": a.appeal_body,
            "outcome": a.get_appeal_body_outcome_display() if a.appeal_body_outcome else "",
        }
        for a in appeals.order_by("received_on", "pk")
    ]
    if not rows:
        return None
    return Section(
        key="appeals",
        title=_("Appeals"),
        fields=[
            ("case", _("Case number")),
            ("received_on", _("Received")),
            ("grounds", _("Grounds")),
            ("status", _("Status")),
            ("forwarded_on", _("Sent to the appeal body")),
            ("appeal_body", _("Appeal body")),
            ("outcome", _("Outcome")),
        ],
        rows=rows,
    )


@register("sharing", order=60, models=[Consent, LegalBasis])
def export_sharing(person: Person, scope: Scope) -> Section | None:
    cases = _cases(scope)
    rows: list[dict[str, Any]] = [
        {
            "case": c.case.number,
            "basis": _("Consent") + f" ({c.get_given_how_display()})",
            "units": ", ".join(u.name for u in c.units.all()),
            "purposes": ", ".join(c.purpose_labels()),
            "data": ", ".join(c.category_labels()),
            "from": plain(c.given_on),
            "until": plain(c.valid_until),
            "ended": plain(c.withdrawn_at),
        }
        for c in Consent.objects.filter(Q(case__in=cases) | Q(given_by=person))
        .distinct()
        .select_related("case")
    ]
    rows += [
        {
            "case": b.case.number,
            "basis": f"{_('Legal basis')}: {b.reference}",
            "units": ", ".join(u.name for u in b.units.all()),
            "purposes": ", ".join(b.purpose_labels()),
            "data": ", ".join(b.category_labels()),
            "from": plain(b.valid_from),
            "until": plain(b.valid_until),
            "ended": plain(b.ended_at),
        }
        for b in LegalBasis.objects.filter(case__in=cases).select_related("case")
    ]
    if not rows:
        return None
    return Section(
        key="sharing",
        title=_("Consents and sharing with other units"),
        fields=[
            ("case", _("Case number")),
            ("basis", _("Basis")),
            ("units", _("Units")),
            ("purposes", _("Purposes")),
            ("data", _("Data")),
            ("from", _("From")),
            ("until", _("Valid until")),
            ("ended", _("Withdrawn or ended")),
        ],
        rows=rows,
    )


@register("notes", order=45, models=[JournalNote])
def export_notes(person: Person, scope: Scope) -> Section | None:
    if scope.self_service:
        return None
    notes = (
        JournalNote.objects.filter(case__in=_cases(scope))
        .select_related("case", "author")
        .order_by("held_on", "pk")
    )
    rows = [
        {
            "case": n.case.number,
            "held_on": plain(n.held_on),
            "kind": n.get_kind_display(),
            "text": n.text,
            "author": n.author.get_full_name() or n.author.get_username(),
        }
        for n in notes
    ]
    if not rows:
        return None
    return Section(
        key="notes",
        title=_("Journal notes"),
        fields=[
            ("case", _("Case number")),
            ("held_on", _("Date")),
            ("kind", _("Kind")),
            ("text", _("What was found and agreed")),
            ("author", _("Written by")),
        ],
        rows=rows,
    )


@register("documents", order=46, models=[Document])
def export_documents(person: Person, scope: Scope) -> Section | None:
    if scope.self_service:
        return None
    documents = (
        Document.objects.filter(case__in=_cases(scope))
        .select_related("case", "uploaded_by")
        .order_by("uploaded_at", "pk")
    )
    rows = [
        {
            "case": d.case.number,
            "title": d.title,
            "uploaded_at": plain(d.uploaded_at),
            "uploaded_by": d.uploaded_by.get_full_name() or d.uploaded_by.get_username(),
            "sha256": d.sha256,
        }
        for d in documents
    ]
    if not rows:
        return None
    return Section(
        key="documents",
        title=_("Documents in the case file"),
        fields=[
            ("case", _("Case number")),
            ("title", _("Title")),
            ("uploaded_at", _("Added")),
            ("uploaded_by", _("Added by")),
            ("sha256", _("Checksum (SHA-256)")),
        ],
        rows=rows,
        note=_(
            "The documents themselves are in the case file; the municipality hands them out "
            "with this export."
        ),
    )


@register("assessments", order=47, models=[Assessment])
def export_assessments(person: Person, scope: Scope) -> Section | None:
    if scope.self_service:
        return None
    assessments = Assessment.objects.filter(case__in=_cases(scope)).select_related("case")
    rows = [
        {
            "case": a.case.number,
            "assessed_on": plain(a.assessed_on),
            "guideline": f"{a.guideline_set_id} ({a.guideline_version})",
            "outcome": a.outcome,
            "record": a.record,
        }
        for a in assessments.order_by("assessed_on", "pk")
    ]
    if not rows:
        return None
    return Section(
        key="assessments",
        title=_("Assessments against the guideline"),
        fields=[
            ("case", _("Case number")),
            ("assessed_on", _("Assessed")),
            ("guideline", _("Guideline")),
            ("outcome", _("Outcome")),
        ],
        rows=rows,
        note=_("The JSON export holds every input and criterion of each assessment."),
    )
