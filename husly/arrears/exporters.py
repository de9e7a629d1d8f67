"""The household's arrears cases, steps and letters, repayment agreements and NAV's coverage in
the art. 15 export. Imported by ``husly.audit.export.autodiscover``."""

from __future__ import annotations

from django.utils.translation import gettext as _

from husly.arrears.models import (
    ArrearsCase,
    ArrearsFact,
    ArrearsStep,
    Instalment,
    MeetingItem,
    NavCoverage,
    RentMeeting,
    RepaymentAgreement,
)
from husly.audit.export import Scope, Section, plain, register
from husly.people.models import Person


@register(
    "arrears",
    order=75,
    models=[
        ArrearsCase,
        ArrearsStep,
        RepaymentAgreement,
        Instalment,
        NavCoverage,
        MeetingItem,
        RentMeeting,
        ArrearsFact,
    ],
)
def export_arrears(person: Person, scope: Scope) -> Section | None:
    cases = (
        ArrearsCase.objects.filter(household_id__in=scope.household_ids)
        .select_related("lease__dwelling")
        .prefetch_related("steps", "agreements__instalments", "nav_coverages", "meeting_items")
        .order_by("opened_on", "pk")
    )
    rows = []
    for case in cases:
        steps = "; ".join(
            f"{plain(s.taken_on)} {s.step_id} ({s.get_status_display()})"
            + (f", {_('deadline')} {plain(s.deadline)}" if s.deadline else "")
            for s in case.steps.all()
        )
        agreements = "; ".join(
            f"{plain(a.agreed_on)}: {a.start_balance} kr, {a.get_status_display()} ("
            + ", ".join(f"{plain(i.due)} {i.amount} kr" for i in a.instalments.all())
            + ")"
            for a in case.agreements.all()
        )
        coverage = "; ".join(
            f"{plain(c.decided_on)}: {c.amount} kr" for c in case.nav_coverages.all()
        )
        minutes = (
            ""
            if scope.self_service
            else "; ".join(f"{m.agreed}" for m in case.meeting_items.all() if m.agreed)
        )
        rows.append(
            {
                "opened_on": plain(case.opened_on),
                "origin": case.get_origin_display(),
                "dwelling": str(case.lease.dwelling) if case.lease else case.external_address,
                "status": case.get_status_display(),
                "closed": f"{plain(case.closed_on)}: {case.get_close_reason_display()}"
                if case.closed_on
                else "",
                "arrears": case.arrears,
                "steps": steps,
                "agreements": agreements,
                "nav": coverage,
                "minutes": minutes,
            }
        )
    if not rows:
        return None
    return Section(
        key="arrears",
        title=_("Arrears cases"),
        fields=[
            ("opened_on", _("Opened")),
            ("origin", _("Origin")),
            ("dwelling", _("Dwelling")),
            ("status", _("Status")),
            ("closed", _("Closed")),
            ("arrears", _("Arrears (NOK)")),
            ("steps", _("Steps and letters")),
            ("agreements", _("Repayment agreements")),
            ("nav", _("NAV covers the arrears")),
            ("minutes", _("Agreed in rent meetings")),
        ],
        rows=rows,
    )
