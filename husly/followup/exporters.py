"""Bo-plans with their contacts, breaches and warnings, inspections, move-outs with their
vacancy, and follow-ups after a refusal, in the art. 15 export. Imported by
``husly.audit.export.autodiscover``."""

from __future__ import annotations

from django.utils.translation import gettext as _

from husly.audit.export import Scope, Section, plain, register
from husly.followup.models import (
    Contact,
    HousingPlan,
    Incident,
    Inspection,
    MoveOut,
    RefusalFollowUp,
    VacancySegment,
    WrittenWarning,
)
from husly.people.models import Person


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return _("Yes") if value else _("No")


@register("housing_plans", order=72, models=[HousingPlan, Contact])
def export_plans(person: Person, scope: Scope) -> Section | None:
    plans = HousingPlan.objects.filter(household_id__in=scope.household_ids).select_related(
        "responsible_unit", "contact_person", "lease__dwelling"
    )
    rows = []
    for plan in plans.order_by("offered_on", "pk"):
        contacts = "; ".join(
            f"{plain(c.contact_on)} {c.get_kind_display()}: {c.note}"
            for c in plan.contacts.order_by("contact_on", "pk")
        )
        rows.append(
            {
                "dwelling": str(plan.lease.dwelling),
                "status": plan.get_status_display(),
                "offered_on": plain(plan.offered_on),
                "answered_on": plain(plan.accepted_on or plan.declined_on),
                "goals": plan.goals,
                "services": plan.services,
                "unit": plan.responsible_unit.name if plan.responsible_unit else "",
                "contact_person": str(plan.contact_person) if plan.contact_person else "",
                "next_review_on": plain(plan.next_review_on),
                "next_step": plan.get_next_step_display() if plan.next_step else "",
                "contacts": contacts,
            }
        )
    if not rows:
        return None
    return Section(
        key="housing_plans",
        title=_("Bo-plans and contacts"),
        fields=[
            ("dwelling", _("Dwelling")),
            ("status", _("Status")),
            ("offered_on", _("Offered")),
            ("answered_on", _("Answered")),
            ("goals", _("Goals")),
            ("services", _("Services")),
            ("unit", _("Responsible service unit")),
            ("contact_person", _("Contact person")),
            ("next_review_on", _("Next review")),
            ("next_step", _("Next step on the housing career")),
            ("contacts", _("Contacts")),
        ],
        rows=rows,
    )


@register("warnings", order=73, models=[Incident, WrittenWarning])
def export_warnings(person: Person, scope: Scope) -> Section | None:
    rows = [
        {
            "date": plain(i.occurred_on),
            "what": f"{i.get_kind_display()}: {i.description}",
            "plan": "",
            "letter": "",
        }
        for i in Incident.objects.filter(household_id__in=scope.household_ids).order_by(
            "occurred_on", "pk"
        )
    ] + [
        {
            "date": plain(w.issued_on),
            "what": _("Written warning number %(n)s: %(problems)s")
            % {"n": w.number, "problems": w.problems},
            "plan": w.plan,
            "letter": w.letter_sha256,
        }
        for w in WrittenWarning.objects.filter(household_id__in=scope.household_ids).order_by(
            "issued_on", "pk"
        )
    ]
    if not rows:
        return None
    return Section(
        key="warnings",
        title=_("Breaches, complaints and warnings"),
        fields=[
            ("date", _("Date")),
            ("what", _("What")),
            ("plan", _("Further plan")),
            ("letter", _("Letter checksum (SHA-256)")),
        ],
        rows=rows,
    )


@register("inspections", order=74, models=[Inspection])
def export_inspections(person: Person, scope: Scope) -> Section | None:
    rows = [
        {
            "dwelling": str(i.dwelling),
            "kind": i.get_kind_display(),
            "planned_on": plain(i.planned_on),
            "inspected_on": plain(i.inspected_on),
            "state": i.state,
            "fire_hazard": _yes_no(i.fire_hazard),
            "cannot_inspect": _yes_no(i.cannot_inspect),
            "not_due_care": _yes_no(i.not_due_care),
            "access_refused": _yes_no(i.access_refused),
        }
        for i in Inspection.objects.filter(household_id__in=scope.household_ids)
        .select_related("dwelling", "dwelling__building")
        .order_by("pk")
    ]
    if not rows:
        return None
    return Section(
        key="inspections",
        title=_("Inspections"),
        fields=[
            ("dwelling", _("Dwelling")),
            ("kind", _("Kind")),
            ("planned_on", _("Planned for")),
            ("inspected_on", _("Inspected")),
            ("state", _("The dwelling's state")),
            ("fire_hazard", _("Fire hazard")),
            ("cannot_inspect", _("Cannot be inspected")),
            ("not_due_care", _("Not treated with due care")),
            ("access_refused", _("Access refused")),
        ],
        rows=rows,
    )


@register("move_outs", order=75, models=[MoveOut, VacancySegment, RefusalFollowUp])
def export_move_outs(person: Person, scope: Scope) -> Section | None:
    rows = [
        {
            "what": _("Notice, last day %(date)s") % {"date": plain(m.moving_out_on)},
            "date": plain(m.notice_received_on),
            "note": m.repairs,
        }
        for m in MoveOut.objects.filter(household_id__in=scope.household_ids).order_by("pk")
    ] + [
        {
            "what": _("Referred to after a refusal: %(to)s") % {"to": r.referred_to},
            "date": plain(r.follow_up_on),
            "note": r.outcome,
        }
        for r in RefusalFollowUp.objects.filter(household_id__in=scope.household_ids).order_by("pk")
    ]
    if not rows:
        return None
    return Section(
        key="move_outs",
        title=_("Moving out and follow-up after a refusal"),
        fields=[("what", _("What")), ("date", _("Date")), ("note", _("Note"))],
        rows=rows,
    )
