"""The household's settlement cases (with self-settlement approval and the stored fact) in the
art. 15 export. Imported by ``husly.audit.export.autodiscover``."""

from __future__ import annotations

from django.utils.translation import gettext as _

from husly.audit.export import Scope, Section, plain, register
from husly.people.models import Person
from husly.settlement.models import SelfSettlement, SettlementCase, SettlementFact


@register("settlement", order=75, models=[SettlementCase, SelfSettlement, SettlementFact])
def export_settlement(person: Person, scope: Scope) -> Section | None:
    cases = (
        SettlementCase.objects.filter(household_id__in=scope.household_ids)
        .select_related("request", "household", "dwelling", "dwelling__building")
        .order_by("created_at", "pk")
    )
    approvals = {a.case_id: a for a in SelfSettlement.objects.filter(case__in=cases)}
    rows = []
    for case in cases:
        request = case.request
        approval = approvals.get(case.pk)
        rows.append(
            {
                "imdi_reference": request.imdi_reference,
                "household": case.household.name,
                "received_on": plain(request.received_on),
                "household_facts": f"{request.household_size}: {request.ages}",
                "needs": request.needs,
                "preferences": request.preferences,
                "status": case.get_status_display(),
                "expected_arrival": plain(case.expected_arrival),
                "dwelling": str(case.dwelling)
                if case.dwelling
                else case.private_dwelling_reference,
                "source": case.get_dwelling_source_display(),
                "choice_reason": case.choice_reason,
                "self_settlement": (
                    f"{approval.address}: {approval.get_status_display()}, "
                    f"{approval.get_imdi_status_display()}"
                    if approval
                    else ""
                ),
                "arrived_on": plain(case.arrived_on),
                "introduction_contact": case.introduction_contact,
                "rent_deducted": (
                    _("yes, %(amount)s a month") % {"amount": case.monthly_deduction}
                    if case.rent_deducted_from_benefit
                    else _("no")
                ),
                "bo_plan_note": case.bo_plan_note,
                "letters": "; ".join(
                    f"{label}: {sha}"
                    for label, sha in (
                        (_("Answer to IMDi"), request.answer_letter_sha256),
                        (_("Self-found dwelling"), approval.letter_sha256 if approval else ""),
                    )
                    if sha
                ),
            }
        )
    if not rows:
        return None
    return Section(
        key="settlement",
        title=_("Settlement"),
        fields=[
            ("imdi_reference", _("IMDi reference")),
            ("household", _("Household")),
            ("received_on", _("Request received")),
            ("household_facts", _("Persons and ages")),
            ("needs", _("Needs")),
            ("preferences", _("Wishes")),
            ("status", _("Status")),
            ("expected_arrival", _("Expected arrival")),
            ("dwelling", _("Dwelling")),
            ("source", _("Where the dwelling comes from")),
            ("choice_reason", _("Why this dwelling")),
            ("self_settlement", _("Self-found dwelling")),
            ("arrived_on", _("Arrived")),
            ("introduction_contact", _("Introduction programme contact")),
            ("rent_deducted", _("Rent deducted from the introduction benefit")),
            ("bo_plan_note", _("Bo-plan")),
            ("letters", _("Letters (SHA-256 checksum)")),
        ],
        rows=rows,
    )
