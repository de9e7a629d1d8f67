"""The person's leases (with the renewal reminders) and renewal applications in the art. 15
export. Imported by ``husly.audit.export.autodiscover``."""

from __future__ import annotations

from django.utils.translation import gettext as _

from husly.audit.export import Scope, Section, plain, register
from husly.cases.models import DecisionStatus
from husly.people.models import Person
from husly.tenancy.models import Lease, RenewalApplication, RenewalReminder


@register("leases", order=70, models=[Lease, RenewalReminder])
def export_leases(person: Person, scope: Scope) -> Section | None:
    leases = (
        Lease.objects.filter(household_id__in=scope.household_ids)
        .select_related("dwelling", "dwelling__building", "household", "follow_up_unit")
        .order_by("start_date", "pk")
    )
    reminders = {r.lease_id: r for r in RenewalReminder.objects.filter(lease__in=leases)}
    rows = []
    for lease in leases:
        reminder = reminders.get(lease.pk)
        rows.append(
            {
                "dwelling": str(lease.dwelling),
                "household": lease.household.name,
                "status": lease.get_status_display(),
                "term": lease.get_term_kind_display(),
                "term_basis": lease.term_basis,
                "start_date": plain(lease.start_date),
                "end_date": plain(lease.end_date),
                "monthly_rent": lease.monthly_rent,
                "deposit": f"{lease.get_deposit_kind_display()}: {lease.deposit_amount}",
                "handover_on": plain(lease.handover_on),
                "inspection_on": plain(lease.inspection_on),
                "follow_up_unit": lease.follow_up_unit.name if lease.follow_up_unit else "",
                "ended": (
                    f"{plain(lease.ended_on)}: {lease.get_end_reason_display()}"
                    if lease.ended_on
                    else ""
                ),
                "reminder": (
                    _("sent %(sent)s, apply by %(by)s")
                    % {"sent": plain(reminder.sent_on), "by": plain(reminder.apply_by)}
                    if reminder
                    else ""
                ),
                "document_sha256": lease.document_sha256,
            }
        )
    if not rows:
        return None
    return Section(
        key="leases",
        title=_("Leases"),
        fields=[
            ("dwelling", _("Dwelling")),
            ("household", _("Household")),
            ("status", _("Status")),
            ("term", _("Term")),
            ("term_basis", _("Basis for the term")),
            ("start_date", _("Start")),
            ("end_date", _("End")),
            ("monthly_rent", _("Monthly rent (NOK)")),
            ("deposit", _("Security (NOK)")),
            ("handover_on", _("Handover")),
            ("inspection_on", _("Inspection")),
            ("follow_up_unit", _("Linked follow-up unit")),
            ("ended", _("Ended")),
            ("reminder", _("Reminder to apply for renewal")),
            ("document_sha256", _("Lease checksum (SHA-256)")),
        ],
        rows=rows,
    )


@register("renewals", order=71, models=[RenewalApplication])
def export_renewals(person: Person, scope: Scope) -> Section | None:
    renewals = (
        RenewalApplication.objects.filter(lease__household_id__in=scope.household_ids)
        .select_related("case", "lease__dwelling", "decision")
        .order_by("created_at", "pk")
    )
    rows = [
        {
            "case": r.case.number,
            "dwelling": str(r.lease.dwelling),
            "applied": plain(r.created_at),
            "alternative": r.get_alternative_display() if r.alternative else "",
            "alternative_note": r.alternative_note,
            "decision": (
                r.decision.get_kind_display()
                if r.decision is not None and r.decision.status == DecisionStatus.ISSUED
                else ""
            ),
        }
        for r in renewals
    ]
    if not rows:
        return None
    return Section(
        key="renewals",
        title=_("Applications to renew a lease"),
        fields=[
            ("case", _("Case number")),
            ("dwelling", _("Dwelling")),
            ("applied", _("Applied")),
            ("alternative", _("What fits the household now")),
            ("alternative_note", _("Assessment of the alternatives")),
            ("decision", _("Decision")),
        ],
        rows=rows,
    )
